"""Fixtures of the REST API's tests: keys, clients with a key, a fake import kind."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.test import Client
from django.utils import timezone
from tests.factories import Tenant, make_supply_point

from sportello.core.models import Company
from sportello.energy.models import MeterReading, ReadingStatus
from sportello.integration.services import Outcome, Rejection


def key_client(tenant: Tenant, key: str, **headers: Any) -> Client:
    """A core system on ``tenant``'s host calling with ``key``."""
    return Client(HTTP_HOST=tenant.host, HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def post(client: Client, path: str, data: Any, key: str | None = "k-1", **extra: Any) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, json.dumps(data), content_type="application/json", **headers, **extra)


def load_fake_rows(company: Company, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Outcome:
    """Every row "created"; a row with ``bad`` is rejected."""
    outcome = Outcome()
    for number, row in rows:
        outcome.rows += 1
        if row.get("bad"):
            outcome.reject(Rejection(number, "bad", str(row["bad"]), "invalid", "Valore errato"))
        else:
            outcome.created += 1
    return outcome


def load_fake_file(company: Company, source: IO[bytes], *, file_name: str) -> Outcome:
    data = source.read()
    if b"FatturaElettronica" not in data:
        outcome = Outcome(rows=1)
        outcome.reject(Rejection(1, "", file_name, "xml", "Non è una FatturaPA"))
        return outcome
    return Outcome(rows=1, created=1)


def acquired_reading(
    tenant: Tenant, day: int, acquired_at: dt.datetime | None = None, point: Any = None
) -> MeterReading:
    point = point or make_supply_point(tenant.customer)
    return MeterReading.objects.create(
        supply_point=point,
        reading_date=dt.date(2026, 1, day),
        meter_value=1000 + day,
        status=ReadingStatus.ACQUIRED,
        acquired_at=acquired_at or timezone.now(),
    )
