"""Schemathesis against the running API (a live server on a loopback port).

1. With a valid key of company A allowed everything: every check schemathesis
   has (no 5xx, responses as the schema says, negative data refused with
   4xx, positive data accepted...).
2. With company A's key on company B's ids: every operation that takes an id
   answers 404, and acknowledging B's readings changes nothing.

Slow (a minute or more): the default suite leaves it out (``-m 'not
schemathesis'`` in pyproject's addopts) and CI runs it as a stage of its own on
PostgreSQL, ``pytest -m schemathesis tests/api`` (a later ``-m`` replaces it).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import timezone
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer
from tests.factories import make_company, make_customer, make_supply_point, make_user

from sportello.core.models import Company, CompanyKind
from sportello.energy.models import MeterReading, ReadingStatus
from sportello.integration.models import ApiKey
from sportello.servicedesk.models import RequestKind, RequestMessage, ServiceRequest

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "50")


def company_with_data(slug: str) -> tuple[Company, ServiceRequest, MeterReading]:
    company = make_company(slug, kind=CompanyKind.UTILITY, name=f"{slug} S.p.A.")
    customer = make_customer(company, name=f"Cliente {slug}")
    user = make_user(customer, f"{slug}-user")
    request = ServiceRequest.objects.create(
        company=company,
        customer=customer,
        author=user,
        code=f"RIC-2026-{slug}",
        kind=RequestKind.IBAN_CHANGE,
        title="Cambio IBAN",
        payload={
            "current_iban": "IT60X0542811101000000123456",
            "new_iban": "IT02L1234512345123456789012",
        },
        last_activity_at=timezone.now(),
    )
    RequestMessage.objects.create(request=request, author=user, body="Nuovo IBAN")
    reading = MeterReading.objects.create(
        supply_point=make_supply_point(customer),
        reading_date=dt.date(2026, 1, 5),
        meter_value=1234,
        status=ReadingStatus.ACQUIRED,
        acquired_at=timezone.now(),
    )
    return company, request, reading


@pytest.fixture
def running_api(settings: Settings, live_server: LiveServer) -> str:
    """The live server's base address, answering the API as a platform host."""
    settings.PLATFORM_HOSTS = ["localhost", "127.0.0.1"]
    settings.API_RATE_LIMIT = "100000/60"
    return str(live_server.url)


def test_it_passes_every_schemathesis_check(running_api: str) -> None:
    company, _request, _reading = company_with_data("alfa")
    _key, clear = ApiKey.issue(company, "Schemathesis")
    # The first answer builds the schema; a loaded machine takes its time.
    requests.get(f"{running_api}/api/openapi.json", timeout=120).raise_for_status()
    result = subprocess.run(  # noqa: S603 - our own venv's schemathesis, fixed arguments
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(ROOT / "tests/api/schemathesis.toml"),
            "run",
            f"{running_api}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            MAX_EXAMPLES,
            "--workers",
            "1",
            "--seed",
            "1",
            "--request-timeout",
            "60",
            "--generation-database",
            "none",
        ],
        env=os.environ
        | {
            "SPORTELLO_API_KEY": clear,
            "SCHEMATHESIS_HOOKS": str(ROOT / "tests/api/schemathesis_hooks.py"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    print(result.stdout[-20000:], result.stderr[-5000:])
    assert result.returncode == 0, result.stdout[-5000:]


def test_it_answers_404_for_every_id_of_another_company(running_api: str) -> None:
    alfa, _alfa_request, _alfa_reading = company_with_data("alfa")
    _beta, beta_request, beta_reading = company_with_data("beta")
    _key, clear = ApiKey.issue(alfa, "Schemathesis")
    headers = {"Authorization": f"Bearer {clear}"}
    schema = requests.get(f"{running_api}/api/openapi.json", timeout=10).json()
    ids: dict[str, Any] = {"code": beta_request.code, "reading_id": beta_reading.pk}
    tried = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            if not names or method != "get":
                continue
            url = running_api + path.format(**{name: ids[name] for name in names})
            response = requests.get(url, headers=headers, timeout=10)
            assert response.status_code == 404, (url, response.status_code)
            assert response.headers["Content-Type"] == "application/problem+json"
            tried += 1
    assert tried == 2
    acknowledged = requests.post(
        f"{running_api}/api/v1/readings/acknowledge",
        json={"ids": [beta_reading.pk]},
        headers=headers | {"Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    assert acknowledged.status_code == 404
    beta_reading.refresh_from_db()
    assert beta_reading.exported_at is None
    # Nor do B's objects show in A's lists.
    for path in ("requests", "iban-changes", "readings"):
        items = requests.get(f"{running_api}/api/v1/{path}", headers=headers, timeout=10).json()
        assert beta_request.code not in str(items) and beta_reading.pk not in [
            item.get("id") for item in items["items"]
        ]
