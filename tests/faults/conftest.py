"""Services of their own for the fault tests, started, stopped and killed by the tests.

Nothing here touches the machine's PostgreSQL (5432) or Redis (6379): each
session gets a private PostgreSQL cluster and a private Redis on free ports,
and the Django test database lives in that cluster, so what the test process
writes (``transactional_db``) is what the subprocesses read.

Fixtures others may use:

- ``private_postgres``: the cluster (``url(db)``, ``stop()``, ``start()``,
  ``restart()``); the test database is ``private_postgres.url(faults_database_name())``.
- ``private_redis``: a ``redis-server`` without persistence (``url(db)``,
  ``stop()``, ``start()``), empty after each start like production's.
- ``smtp_sink``: an SMTP server in a thread that records each message once
  (``messages``, ``wait_for(n)``), can go down and up (``stop()``,
  ``start()``), and can hold the answer to a message (``hold()``).
- ``server_env``: the environment of a production-like portal process on all of these.
- ``portal``: starts gunicorn processes (``portal.start(workers=2)``), stopped at the end.
- ``workers``: starts real Celery workers (``workers.start("w1")``), killed at the end.
- ``manage``: runs ``manage.py`` in a subprocess with ``server_env``.
- ``Browser``: a person's requests session against one portal process
  (CSRF handled, ``log_in`` through the e-mailed code).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "una-password-lunga-2024"


def free_port(preferred: int = 0) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    for port in (preferred, 0) if preferred else (0,):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise RuntimeError("no free port")


def wait_until(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    """Poll ``condition`` until it returns something true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


# ---------------------------------------------------------------- PostgreSQL


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    return versions[-1].parent


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory, run as user postgres when we are root."""

    port: int
    data: Path
    bin: Path
    as_user: list[str]

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 (the installed pg_ctl, our cluster)
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def url(self, db: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        self._ctl("-o", options, "-l", str(self.data / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_up(self) -> bool:
        return self._ctl("status", check=False).returncode == 0


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    bin_dir = _pg_bin()
    base = Path(tempfile.mkdtemp(prefix="sportello-faults-pg-"))
    data = base / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: its files and processes belong to postgres.
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    subprocess.run(  # noqa: S603 (the installed initdb, a new directory)
        [*as_user, *initdb, "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster = PrivatePostgres(free_port(55432), data, bin_dir, as_user)
    cluster.start()
    yield cluster
    if cluster.is_up():
        cluster.stop("immediate")
    shutil.rmtree(base, ignore_errors=True)


FAULTS_DB = "sportello_faults"


def faults_database_name() -> str:
    return f"test_{FAULTS_DB}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(private_postgres: PrivatePostgres) -> None:
    """The test database goes into the private cluster, whatever DATABASE_URL said."""
    import dj_database_url
    from django.conf import settings
    from django.db import connections

    parsed = dj_database_url.parse(private_postgres.url(FAULTS_DB), conn_health_checks=True)
    db = settings.DATABASES["default"]
    for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT"):
        db[key] = parsed[key]
    db["OPTIONS"] = {"connect_timeout": 5}
    db["CONN_HEALTH_CHECKS"] = True
    db.setdefault("TEST", {})["NAME"] = faults_database_name()
    # A connection object made for the old engine would keep it.
    connections.close_all()
    with contextlib.suppress(AttributeError):
        del connections["default"]


# --------------------------------------------------------------------- Redis


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@dataclass
class PrivateRedis:
    """``redis-server`` keeping nothing on disk, like production's; empty after each start."""

    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 (the installed redis-server)
            [REDIS_SERVER, "--port", str(self.port), *options, "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: port_open(self.port), 10, "redis-server to listen")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def is_up(self) -> bool:
        return self.process is not None and self.process.poll() is None


@pytest.fixture(scope="session")
def _redis_server() -> Iterator[PrivateRedis]:
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="sportello-faults-redis-"))
    server = PrivateRedis(free_port(56379), workdir)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def private_redis(_redis_server: PrivateRedis) -> PrivateRedis:
    """The session's Redis, up and empty at the start of each test."""
    if not _redis_server.is_up():
        _redis_server.start()
    import redis

    redis.Redis.from_url(_redis_server.url()).flushall()
    return _redis_server


# ---------------------------------------------------------------------- SMTP


@dataclass
class SmtpSink:
    """An SMTP server that records every message it accepts (answers 250 to).

    ``hold()``: the next message's final 250 waits until ``release()``; if the
    client dies meanwhile the message is not accepted, as a real server would
    not take a message whose DATA never got its answer out.
    """

    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: socketserver.ThreadingTCPServer | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    held: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 30

            def say(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def peer_gone(self) -> bool:
                try:
                    return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                except BlockingIOError:
                    return False
                except OSError:
                    return True

            def handle(self) -> None:
                self.say("220 sink ESMTP")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.say("250 sink")
                    elif verb == "DATA":
                        self.say("354 go ahead")
                        body = b""
                        while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                            body += chunk[1:] if chunk.startswith(b"..") else chunk
                        if not chunk:
                            return
                        if sink.holding.is_set():
                            sink.holding.clear()
                            sink.held.set()
                            sink.released.wait(60)
                            # The client may be dead by now: the message is
                            # taken only if someone is there to hear the 250.
                            if self.peer_gone():
                                return
                            self.say("250 ok")
                        else:
                            self.say("250 ok")
                        with sink.lock:
                            sink.messages.append(message_from_bytes(body))
                    elif verb == "QUIT":
                        self.say("221 bye")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        self.say("250 ok")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Nobody listens any more: connections are refused."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def hold(self) -> None:
        self.released.clear()
        self.held.clear()
        self.holding.set()

    def release(self) -> None:
        self.released.set()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        wait_until(lambda: len(self.messages) >= count, timeout, f"{count} e-mails at the sink")
        with self.lock:
            return list(self.messages)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(free_port())
    sink.start()
    yield sink
    sink.release()
    sink.stop()


def body_text(message: Message) -> str:
    """The text/plain part of an e-mail the sink received."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


# ------------------------------------------------------------ the processes


@pytest.fixture
def server_env(
    private_postgres: PrivatePostgres, private_redis: PrivateRedis, smtp_sink: SmtpSink
) -> dict[str, str]:
    """A production-like environment (DEBUG off, Redis broker and cache, SMTP) on the private services."""
    from django.conf import settings

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "COV_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.server_settings",
        # This checkout's code, not whatever the virtual environment was installed from.
        PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        DEBUG="0",
        SPORTELLO_DEMO="0",
        # The test process's own key: a session it makes is valid in the portal's.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS=".test,localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        TRUSTED_PROXY_COUNT="0",
        PLATFORM_HOSTS="",
        DATABASE_URL=private_postgres.url(faults_database_name()),
        DATABASE_CONN_MAX_AGE="60",
        REDIS_URL=private_redis.url(1),
        CELERY_BROKER_URL=private_redis.url(0),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        EMAIL_TIMEOUT="5",
        CLAMAV_REQUIRED="0",
        LOG_LEVEL="INFO",
    )
    return env


@dataclass
class Processes:
    """Subprocesses started by one test, each killed (process group) at its end."""

    env: dict[str, str]
    logs: Path
    started: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spawn(
        self, name: str, argv: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 (our own gunicorn, celery and manage.py)
            argv,
            env={**self.env, **(env or {})},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.started.pop(name)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            process.wait(20)

    def kill_all(self) -> None:
        for name in list(self.started):
            self.kill(name, signal.SIGTERM if name.startswith("portal") else signal.SIGKILL)


@pytest.fixture
def processes(server_env: dict[str, str], tmp_path: Path) -> Iterator[Processes]:
    started = Processes(server_env, tmp_path)
    yield started
    started.kill_all()
    # Shown by pytest only when the test failed.
    for log in sorted(tmp_path.glob("*.log")):
        print(f"----- {log.name}\n{log.read_text(errors='replace')[-6000:]}")


class Portal:
    """gunicorn serving the portal, as in production."""

    def __init__(self, processes: Processes) -> None:
        self.processes = processes

    def start(self, workers: int = 2, name: str = "portal") -> str:
        port = free_port()
        self.processes.spawn(
            name,
            [
                *(str(VENV_BIN / "gunicorn"), "sportello.wsgi:application"),
                *("-b", f"127.0.0.1:{port}", "-w", str(workers)),
                *("--timeout", "60", "--graceful-timeout", "3", "--no-control-socket"),
            ],
        )
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: port_open(port), 30, f"gunicorn on {port}\n{self.processes.log(name)}")
        return url


@pytest.fixture
def portal(processes: Processes) -> Portal:
    return Portal(processes)


class Workers:
    """Real Celery workers on the private Redis (solo pool: the process is the worker)."""

    def __init__(self, processes: Processes) -> None:
        self.processes = processes

    def start(self, *names: str) -> None:
        """Start the named workers side by side and wait until each is ready."""
        started = {
            name: self.processes.spawn(
                name,
                [
                    *(str(VENV_BIN / "celery"), "-A", "sportello", "worker", "--pool=solo"),
                    *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                    *("-n", f"{name}@%h", "--loglevel=INFO"),
                ],
            )
            for name in names or ("worker",)
        }
        for name, process in started.items():
            wait_until(
                lambda: "ready." in self.processes.log(name) or process.poll() is not None,  # noqa: B023
                90,
                f"Celery worker {name} to be ready",
            )
            assert process.poll() is None, self.processes.log(name)

    def kill(self, name: str = "worker") -> None:
        """SIGKILL: no warm shutdown, no ack, as when a machine dies."""
        self.processes.kill(name, signal.SIGKILL)


@pytest.fixture
def workers(processes: Processes) -> Workers:
    return Workers(processes)


@pytest.fixture
def manage(server_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``manage("runperiodic", "--job", ...)``: a management command as cron would run it."""

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=server_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    return run


class Browser:
    """One person's requests against a portal process, on a company's host name."""

    def __init__(self, base_url: str, host: str) -> None:
        self.base_url = base_url
        self.host = host
        self.session = requests.Session()

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return self.session.get(
            self.base_url + path, headers={"Host": self.host}, allow_redirects=False, **kwargs
        )

    def post(
        self,
        path: str,
        data: dict[str, str],
        page: requests.Response | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """POST a form of the page at ``path`` (fetched unless given), with its CSRF token."""
        kwargs.setdefault("timeout", 60)
        page = page or self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {path} ({page.status_code})"
        return self.session.post(
            self.base_url + path,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Host": self.host, "Referer": f"http://{self.host}{path}"},
            allow_redirects=False,
            **kwargs,
        )


def login_code(sink: SmtpSink, address: str) -> str:
    """The code of the latest "codice di accesso" e-mail to ``address``."""
    codes = [m for m in sink.to(address) if "codice di accesso" in str(m["Subject"])]
    assert codes, [str(m["Subject"]) for m in sink.to(address)]
    return code_in(codes[-1])


def code_in(message: Message) -> str:
    found = re.search(r"\b(\d{6})\b", body_text(message))
    assert found, body_text(message)
    return found.group(1)


def set_real_password(user: Any, password: str = PASSWORD) -> None:
    """The tests hash with MD5 for speed; the portal processes know Argon2 only."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])
