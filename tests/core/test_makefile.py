"""`make demo` serves the portal (DEBUG on) on the loopback address unless told otherwise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def demo_commands(*variables: str) -> str:
    """What ``make demo`` would run, without running it."""
    assert MAKE is not None
    result = subprocess.run(  # noqa: S603 (fixed arguments, ours)
        [MAKE, "--dry-run", "demo", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_it_serves_the_demo_on_the_loopback_address_only() -> None:
    commands = demo_commands()

    assert "runserver 127.0.0.1:8000" in commands
    assert "0.0.0.0" not in commands  # noqa: S104 (the test checks it is not used)


def test_it_lets_the_demo_listen_elsewhere_when_asked() -> None:
    assert "runserver 0.0.0.0:8001" in demo_commands("DEMO_BIND=0.0.0.0", "DEMO_PORT=8001")
