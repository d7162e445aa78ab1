"""A real ClamAV ``clamd`` for the upload tests, on a database made here.

There is no internet for virus definitions: the EICAR test file's MD5
(``sigtool --md5``) is a one-signature database, enough to prove detection,
and small (each xdist worker may start its own ``clamd``).

With ``CLAMAV_SOCKET`` in the environment the tests use the ``clamd`` that
answers there instead: CI starts Debian's ``clamav-daemon`` on the same kind
of database (``.ci/clamav-daemon``) and proves the uploads against it. It
must answer and know EICAR; the tests do not fall back to their own.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
INSTALL = "sudo apt-get install -y --no-install-recommends clamav-daemon clamav (or: make chromium)"
START_DEADLINE = 60.0


def _ping(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(str(path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).rstrip(b"\0") == b"PONG"
    except OSError:
        return False


#: EICAR behind a PDF header: it passes the type check (told by content), so only the
#: scanner can refuse it, as it would a real infected PDF a customer attaches.
INFECTED_PDF = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"


@pytest.fixture(scope="session")
def eicar() -> bytes:
    """The EICAR anti-virus test file: harmless, detected by every scanner."""
    return EICAR


@pytest.fixture(scope="session")
def infected_pdf() -> bytes:
    """A "PDF" the test ``clamd`` calls infected (its MD5 is in the database too)."""
    return INFECTED_PDF


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The socket of a ``clamd`` that knows EICAR: the system's, or one started here."""
    system_socket = os.environ.get("CLAMAV_SOCKET", "")
    if system_socket:
        if not _ping(Path(system_socket)):
            pytest.fail(
                f"CLAMAV_SOCKET is {system_socket}, where no clamd answers "
                "(start one with .ci/clamav-daemon start, or unset it)",
                pytrace=False,
            )
        yield Path(system_socket)
        return
    clamd = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    sigtool = shutil.which("sigtool")
    if not clamd or not sigtool:
        pytest.fail(f"The upload tests need ClamAV's clamd and sigtool: {INSTALL}", pytrace=False)
    # Unix socket paths are limited to ~107 bytes: pytest's temp dirs can be long.
    directory = Path(tmp_path_factory.mktemp("clamd"))
    database = b""
    for name, content in (("eicar.txt", EICAR), ("eicar.pdf", INFECTED_PDF)):
        (directory / name).write_bytes(content)
        database += subprocess.run(  # noqa: S603 (the installed sigtool, fixed arguments)
            [sigtool, "--md5", name], cwd=directory, capture_output=True, check=True
        ).stdout
        (directory / name).unlink()
    (directory / "test.hdb").write_bytes(database)
    path = directory / "clamd.sock"
    if len(str(path)) > 100:
        pytest.fail(f"The clamd socket path is too long for a Unix socket: {path}")
    config = directory / "clamd.conf"
    config.write_text(
        f"LocalSocket {path}\n"
        f"DatabaseDirectory {directory}\n"
        "Foreground yes\n"
        "LogSyslog no\n"
        "LogVerbose no\n"
        # A root clamd would otherwise switch to the `clamav` user, who cannot read here.
        "User root\n"
        # Small and quick: one signature, no self-check reloads during the run.
        "SelfCheck 0\n"
        "MaxThreads 2\n"
    )
    log = directory / "clamd.out"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (the installed clamd, our config)
            [clamd, "-c", str(config)], stdout=output, stderr=subprocess.STDOUT
        )
    started = time.monotonic()
    try:
        while not _ping(path):
            if process.poll() is not None or time.monotonic() - started > START_DEADLINE:
                pytest.fail(f"clamd did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def clamd(clamd_socket: Path, settings: Any) -> Path:
    """Uploads in this test are scanned by the test ``clamd`` (fail closed)."""
    settings.CLAMAV_SOCKET = str(clamd_socket)
    settings.CLAMAV_TCP = ""
    settings.CLAMAV_REQUIRED = True
    return clamd_socket
