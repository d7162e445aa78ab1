"""Production settings: complete, safe by Django's own checks, and loud when incomplete."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What tests/environment.py forces for the suite; production sets these itself.
TEST_ONLY = {"DEBUG", "SECURE_SSL_REDIRECT", "SECRET_KEY", "ALLOWED_HOSTS", "SPORTELLO_DEMO"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, "DEBUG": "0", **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_it_passes_the_deployment_checks_with_production_settings() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="clienti.example.it",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key() -> None:
    result = manage("check", ALLOWED_HOSTS="clienti.example.it")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts() -> None:
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr
