"""What the core system reads back: requests, contact changes, IBAN and address
changes, acquired meter readings; and the acknowledge that exports each reading once.

Every list is in a stable order with a cursor and ``updated_since``; every
row comes through the key's company.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Path, Query

from sportello.core.models import AuditEvent, Company
from sportello.customers.models import Customer
from sportello.energy.models import MeterReading, ReadingStatus
from sportello.servicedesk.models import RequestKind, RequestMessage, ServiceRequest

from ..models import Scope
from . import cursor
from .auth import ApiKeyAuth, key_of
from .idempotency import IDEMPOTENCY_KEY, idempotent
from .problems import Problem
from .schemas import (
    AcknowledgeIn,
    AcknowledgeOut,
    AddressChangePage,
    ContactChangePage,
    IbanChangePage,
    IsoDateTime,
    ProblemOut,
    ReadingOut,
    ReadingPage,
    RequestOut,
    RequestPage,
)

requests_router = Router(tags=["richieste"], auth=ApiKeyAuth(Scope.READ_REQUESTS))
readings_router = Router(tags=["autoletture"], auth=ApiKeyAuth(Scope.READ_READINGS))

LIMIT = Query(cursor.DEFAULT_LIMIT, ge=1, le=int(settings.API_PAGE_SIZE_MAX))
CURSOR = Query(
    None,
    alias="cursor",
    pattern=r"^[A-Za-z0-9_-]+$",
    max_length=200,
    description="The ``next_cursor`` of the previous page, as it was.",
)
ERRORS: dict[int, Any] = {code: ProblemOut for code in (400, 401, 403, 422, 429)}


def company_requests(company: Company) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.for_company(company).select_related(
        "customer", "contract", "supply_point"
    )


def _request_fields(found: ServiceRequest) -> dict[str, Any]:
    return {
        "code": found.code,
        "status": found.status,
        "customer_code": found.customer.code,
        "contract_number": found.contract.number if found.contract else None,
        "created_at": found.created_at,
        "updated_at": found.last_activity_at,
    }


def _messages(found: ServiceRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": message.pk,
            "from_service_desk": message.from_service_desk,
            "is_internal": message.is_internal,
            "body": message.body,
            "created_at": message.created_at,
        }
        for message in found.messages.all()
    ]


@requests_router.get("/requests", response={200: RequestPage, **ERRORS})
def list_requests(
    request: HttpRequest,
    updated_since: IsoDateTime | None = None,
    cursor_: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """The company's service requests with their messages, by last activity."""
    messages = RequestMessage.objects.order_by("created_at", "pk")
    rows = company_requests(key_of(request).company).prefetch_related(
        Prefetch("messages", queryset=messages)
    )
    found, next_cursor = cursor.page(
        rows, "last_activity_at", cursor=cursor_, since=updated_since, limit=limit
    )
    return {"items": [_request_item(row) for row in found], "next_cursor": next_cursor}


@requests_router.get("/requests/{code}", response={200: RequestOut, 404: ProblemOut, **ERRORS})
def get_request(request: HttpRequest, code: str) -> dict[str, Any]:
    """One request of the company, by its code (``RIC-2026-00001``), with its messages."""
    rows = company_requests(key_of(request).company).prefetch_related(
        Prefetch("messages", queryset=RequestMessage.objects.order_by("created_at", "pk"))
    )
    return _request_item(get_object_or_404(rows, code=code))


def _request_item(row: ServiceRequest) -> dict[str, Any]:
    return {
        **_request_fields(row),
        "kind": row.kind,
        "title": row.title,
        "supply_point_code": row.supply_point.code if row.supply_point else None,
        "payload": row.payload,
        "closed_at": row.closed_at,
        "messages": _messages(row),
    }


@requests_router.get("/iban-changes", response={200: IbanChangePage, **ERRORS})
def list_iban_changes(
    request: HttpRequest,
    updated_since: IsoDateTime | None = None,
    cursor_: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Requests to change the contract's bank account (IBAN), with the old and new IBAN."""
    rows = company_requests(key_of(request).company).filter(kind=RequestKind.IBAN_CHANGE)
    found, next_cursor = cursor.page(
        rows, "last_activity_at", cursor=cursor_, since=updated_since, limit=limit
    )
    keys = ("current_iban", "new_iban", "foreign", "effective_from")
    items = [{**_request_fields(row), **{k: row.payload.get(k) for k in keys}} for row in found]
    return {"items": items, "next_cursor": next_cursor}


@requests_router.get("/address-changes", response={200: AddressChangePage, **ERRORS})
def list_address_changes(
    request: HttpRequest,
    updated_since: IsoDateTime | None = None,
    cursor_: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Requests to change the registered address, with the old and new address."""
    rows = company_requests(key_of(request).company).filter(kind=RequestKind.ADDRESS_CHANGE)
    found, next_cursor = cursor.page(
        rows, "last_activity_at", cursor=cursor_, since=updated_since, limit=limit
    )
    keys = ("current_address", "new_address", "effective_from")
    items = [{**_request_fields(row), **{k: row.payload.get(k) for k in keys}} for row in found]
    return {"items": items, "next_cursor": next_cursor}


@requests_router.get("/contact-changes", response={200: ContactChangePage, **ERRORS})
def list_contact_changes(
    request: HttpRequest,
    updated_since: IsoDateTime | None = None,
    cursor_: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Phone, fax and e-mail changed by customers in the portal, old and new values."""
    company = key_of(request).company
    rows = AuditEvent.objects.filter(company=company, action="customer.contacts_changed")
    found, next_cursor = cursor.page(
        rows, "created_at", cursor=cursor_, since=updated_since, limit=limit
    )
    ids = {int(event.object_id) for event in found if event.object_id.isdigit()}
    codes = dict(Customer.objects.filter(company=company, pk__in=ids).values_list("pk", "code"))
    items = [
        {
            "id": event.pk,
            "customer_code": codes.get(int(event.object_id)) if event.object_id.isdigit() else None,
            "fields": event.data.get("fields", []),
            "old": event.data.get("old", {}),
            "new": event.data.get("new", {}),
            "changed_at": event.created_at,
        }
        for event in found
    ]
    return {"items": items, "next_cursor": next_cursor}


def company_readings(company: Company) -> QuerySet[MeterReading]:
    return MeterReading.objects.filter(supply_point__company=company, status=ReadingStatus.ACQUIRED)


@readings_router.get("/readings", response={200: ReadingPage, **ERRORS})
def list_readings(
    request: HttpRequest,
    updated_since: IsoDateTime | None = None,
    include_exported: bool = False,
    cursor_: str | None = CURSOR,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """Acquired self-readings, by acquisition; by default only those not acknowledged yet."""
    rows = company_readings(key_of(request).company).select_related("supply_point__customer")
    if not include_exported:
        rows = rows.filter(exported_at__isnull=True)
    found, next_cursor = cursor.page(
        rows, "acquired_at", cursor=cursor_, since=updated_since, limit=limit
    )
    return {"items": [_reading_item(reading) for reading in found], "next_cursor": next_cursor}


@readings_router.get(
    "/readings/{int:reading_id}", response={200: ReadingOut, 404: ProblemOut, **ERRORS}
)
def get_reading(
    request: HttpRequest, reading_id: int = Path(..., ge=1, le=2**63 - 1)
) -> dict[str, Any]:
    """One acquired reading of the company."""
    rows = company_readings(key_of(request).company).select_related("supply_point__customer")
    return _reading_item(get_object_or_404(rows, pk=reading_id))


def _reading_item(reading: MeterReading) -> dict[str, Any]:
    return {
        "id": reading.pk,
        "supply_point_code": reading.supply_point.code,
        "customer_code": reading.supply_point.customer.code,
        "reading_date": reading.reading_date,
        "meter_value": reading.meter_value,
        "corrector_value": reading.corrector_value,
        "acquired_at": reading.acquired_at,
        "exported_at": reading.exported_at,
    }


def acknowledge_readings(company: Company, ids: list[int]) -> dict[str, list[int]]:
    """Mark ``ids`` exported, once: all of them must be ``company``'s acquired readings."""
    wanted = set(ids)
    with transaction.atomic():
        found = dict(
            company_readings(company)
            .select_for_update()
            .filter(pk__in=wanted)
            .values_list("pk", "exported_at")
        )
        missing = sorted(wanted - found.keys())
        if missing:
            raise Problem(
                404,
                "not-found",
                _("Autoletture inesistenti o non ancora acquisite: %(ids)s")
                % {"ids": ", ".join(map(str, missing))},
                extra={"missing": missing},
            )
        fresh = sorted(pk for pk, exported in found.items() if exported is None)
        MeterReading.objects.filter(pk__in=fresh, exported_at__isnull=True).update(
            exported_at=timezone.now()
        )
    return {
        "acknowledged": fresh,
        "already_exported": sorted(pk for pk, exported in found.items() if exported),
    }


@readings_router.post(
    "/readings/acknowledge",
    response={200: AcknowledgeOut, 404: ProblemOut, 409: ProblemOut, **ERRORS},
)
def acknowledge(
    request: HttpRequest,
    body: AcknowledgeIn,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> HttpResponse:
    """The core system has the readings: they leave the default listing. Idempotent."""
    key = key_of(request)
    return idempotent(
        request,
        key,
        idempotency_key,
        request.body,
        lambda: JsonResponse(acknowledge_readings(key.company, body.ids)),
    )
