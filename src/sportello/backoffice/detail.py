"""What a request's page in the back office shows, gathered in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sportello.energy.models import SupplyPoint
from sportello.leasing.models import Contract
from sportello.servicedesk.deadlines import ComplaintClock, complaint_due_date, conciliation_from
from sportello.servicedesk.models import RequestMessage, ServiceRequest
from sportello.servicedesk.payloads import typed_fields
from sportello.servicedesk.services import ServiceLevel, complaint_clock, service_level


@dataclass(frozen=True)
class RequestFacts:
    """The request's data around its conversation, as the page shows it."""

    service_request: ServiceRequest
    contracts: QuerySet[Contract]
    #: An energy seller's customer's points, in place of contracts.
    supply_points: QuerySet[SupplyPoint]
    typed_fields: list[tuple[str, str]]
    conversation: QuerySet[RequestMessage]
    level: ServiceLevel
    #: A complaint still open past its statutory date («Termine scaduto»).
    statutory_overdue: bool
    #: A payment-service complaint may still get its interim reply: the date it would give.
    interim_due: dt.date | None
    #: A complaint's clock (None for another request).
    clock: ComplaintClock | None
    #: An energy seller's open complaint: the day the customer may go to ARERA's
    #: Servizio Conciliazione without an answer.
    conciliation_from: dt.date | None

    def as_context(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def request_facts(service_request: ServiceRequest, today: dt.date) -> RequestFacts:
    """The facts of ``service_request`` on ``today`` (internal notes included)."""
    request = service_request
    open_complaint = request.is_complaint and not request.is_closed
    interim_due = None
    if open_complaint and request.is_payment_service and request.interim_reply_at is None:
        assert request.received_on is not None
        interim_due = complaint_due_date(
            request.received_on, ComplaintClock.PAYMENT_SERVICE, interim_reply=True
        )
    clock = complaint_clock(request) if request.is_complaint else None
    conciliation = None
    if open_complaint and clock is ComplaintClock.UTILITY and request.received_on:
        conciliation = conciliation_from(request.received_on)
    return RequestFacts(
        service_request=request,
        contracts=request.customer.contracts.order_by("-stipulated_on", "number"),
        supply_points=request.customer.supply_points.order_by("number", "code"),
        typed_fields=typed_fields(request),
        conversation=request.messages.select_related("author").prefetch_related("attachments"),
        level=service_level(request, today),
        statutory_overdue=open_complaint and request.due_on is not None and request.due_on < today,
        interim_due=interim_due,
        clock=clock,
        conciliation_from=conciliation,
    )
