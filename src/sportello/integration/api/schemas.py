"""What the API's endpoints take and give (the OpenAPI schema is made from these)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

#: A pushed row: the kind's columns (docs/feeds.md), decimals as strings ("12,50" or "12.50").
RowValue = str | int | bool | None


def _iso_only(value: Any) -> Any:
    """An ISO 8601 date-time, never a number (pydantic reads "0.5" as a Unix time)."""
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected an ISO 8601 date-time, such as 2026-03-02T09:00:00+01:00")
    return value


def _in_utc(value: dt.datetime) -> dt.datetime:
    """The moment in UTC: the database takes any moment there, whatever offset it
    came with (PostgreSQL refuses offsets beyond ±15:59)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("date-time out of range") from None


#: ``updated_since``: ISO 8601; without a zone, Europe/Rome time.
IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_only), AfterValidator(_in_utc)]


class ProblemOut(Schema):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str


class RowsIn(Schema):
    rows: list[dict[str, RowValue]] = Field(
        ..., min_length=1, max_length=int(settings.API_IMPORT_MAX_ROWS)
    )
    dry_run: bool = False


class RunOut(Schema):
    """An import run: what it created, updated, left unchanged (a dry run: would have)."""

    id: int
    kind: str
    status: str
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int


class MessageOut(Schema):
    id: int
    from_service_desk: bool
    is_internal: bool
    body: str
    created_at: dt.datetime


class RequestOut(Schema):
    code: str
    kind: str
    status: str
    title: str
    customer_code: str
    contract_number: str | None
    supply_point_code: str | None
    payload: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    messages: list[MessageOut]


class RequestPage(Schema):
    items: list[RequestOut]
    next_cursor: str | None


class IbanChangeOut(Schema):
    code: str
    status: str
    customer_code: str
    contract_number: str | None
    current_iban: str | None
    new_iban: str | None
    foreign: bool | None
    effective_from: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class IbanChangePage(Schema):
    items: list[IbanChangeOut]
    next_cursor: str | None


class AddressChangeOut(Schema):
    code: str
    status: str
    customer_code: str
    current_address: str | None
    new_address: str | None
    effective_from: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class AddressChangePage(Schema):
    items: list[AddressChangeOut]
    next_cursor: str | None


class ContactChangeOut(Schema):
    """A customer changed its phone, fax or e-mail in the portal."""

    id: int
    customer_code: str | None
    fields: list[str]
    old: dict[str, str]
    new: dict[str, str]
    changed_at: dt.datetime


class ContactChangePage(Schema):
    items: list[ContactChangeOut]
    next_cursor: str | None


class ReadingOut(Schema):
    id: int
    supply_point_code: str
    customer_code: str
    reading_date: dt.date
    meter_value: int
    corrector_value: int | None
    acquired_at: dt.datetime
    exported_at: dt.datetime | None


class ReadingPage(Schema):
    items: list[ReadingOut]
    next_cursor: str | None


#: A database id: positive, within a 64-bit signed integer.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class AcknowledgeIn(Schema):
    ids: list[Id] = Field(..., min_length=1, max_length=1000)


class AcknowledgeOut(Schema):
    acknowledged: list[int] = Field(description="Ids marked exported by this call.")
    already_exported: list[int] = Field(description="Ids acknowledged before: unchanged.")
