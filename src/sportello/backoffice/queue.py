"""The service desk's queue: a company's requests, filtered and sorted in SQL.

The service-level state (``servicedesk.services.service_level``) is computed
by the database too, so filtering on it and paginating cost the same whatever
the number of requests; ``test_queue`` proves the SQL and the Python agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from sportello.core.models import Company, CompanyKind
from sportello.servicedesk.models import RequestKind, RequestStatus, ServiceRequest
from sportello.servicedesk.services import DUE_SOON_DAYS, ServiceLevel

#: The statuses a request is still being worked in.
OPEN_STATUSES = [s for s in RequestStatus.values if s != RequestStatus.CLOSED]

#: ``QueueFilter.status``: every status; ``""`` (the default) is every open one.
ALL_STATUSES = "all"
#: ``QueueFilter.assignee``: the operator looking; nobody.
ASSIGNED_TO_ME, UNASSIGNED = "me", "none"


#: The kinds of request a company of each kind receives (the customer forms it offers).
REQUEST_KINDS = {
    CompanyKind.LEASING: [
        RequestKind.IBAN_CHANGE,
        RequestKind.ADDRESS_CHANGE,
        RequestKind.EARLY_TERMINATION,
        RequestKind.PEC_CHANGE,
        RequestKind.COMPLAINT,
        RequestKind.FREE,
    ],
    CompanyKind.UTILITY: [
        RequestKind.DATA_DISCREPANCY,
        RequestKind.UTILITY_TICKET,
        RequestKind.COMPLAINT,
        RequestKind.FREE,
    ],
}


def request_kinds(company: Company) -> list[RequestKind]:
    """The kinds of request ``company`` receives: the only ones its queue filters by."""
    return REQUEST_KINDS[CompanyKind(company.kind)]


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows; empty values do not filter (but ``status`` "" hides closed)."""

    status: str = ""
    kind: str = ""
    assignee: str = ""  # "me", "none" or an operator's id
    deadline: str = ""  # a ServiceLevel value


def with_deadlines(requests: QuerySet[ServiceRequest], today: dt.date) -> QuerySet[ServiceRequest]:
    """``requests`` with ``deadline`` (the date that matters) and ``service_state``.

    The same rules as ``service_level``: a complaint runs against its
    statutory date until it is closed; another request against its first
    answer, paused while the desk waits for the customer. Every clock (60
    days, 15/35 business days, an energy seller's 30 days under TIQV) is
    turned into ``due_on`` at receipt by ``complaint_due_date``, so the SQL
    reads that date and never recomputes a clock of its own.
    """
    complaint = Q(kind=RequestKind.COMPLAINT)
    closed = Q(status=RequestStatus.CLOSED)
    done = Q(done_on__isnull=False)
    return requests.annotate(
        deadline=Case(
            When(complaint, then=F("due_on")),
            default=F("first_answer_due_on"),
            output_field=DateField(),
        ),
        done_on=Case(
            When(complaint & closed, then=TruncDate("closed_at")),
            When(complaint, then=None),
            default=TruncDate("first_answered_at"),
            output_field=DateField(),
        ),
        service_state=Case(
            When(
                ~complaint
                & Q(first_answered_at__isnull=True, status=RequestStatus.WAITING_CUSTOMER),
                then=Value(ServiceLevel.PAUSED.value),
            ),
            When(
                done & (Q(deadline__isnull=True) | Q(done_on__lte=F("deadline"))),
                then=Value(ServiceLevel.MET.value),
            ),
            When(done, then=Value(ServiceLevel.OVERDUE.value)),
            # A NULL deadline matches neither comparison, as in Python.
            When(deadline__lt=today, then=Value(ServiceLevel.OVERDUE.value)),
            When(
                deadline__lt=today + dt.timedelta(days=DUE_SOON_DAYS),
                then=Value(ServiceLevel.DUE_SOON.value),
            ),
            When(first_answered_at__isnull=False, then=Value(ServiceLevel.IN_TIME.value)),
            default=Value(ServiceLevel.FIRST_ANSWER_DUE.value),
            output_field=CharField(),
        ),
    )


def queue(
    company: Company, chosen: QueueFilter, today: dt.date, operator: Any
) -> QuerySet[ServiceRequest]:
    """``company``'s requests as ``chosen``: open complaints first by statutory
    due date (the law's clock is the one that cannot slip), then the rest by
    last activity, most recent first."""
    requests = with_deadlines(ServiceRequest.objects.for_company(company), today)
    if chosen.status == "":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif chosen.status != ALL_STATUSES:
        requests = requests.filter(status=chosen.status)
    if chosen.kind:
        requests = requests.filter(kind=chosen.kind)
    if chosen.assignee == ASSIGNED_TO_ME:
        requests = requests.filter(assignee=operator)
    elif chosen.assignee == UNASSIGNED:
        requests = requests.filter(assignee__isnull=True)
    elif chosen.assignee:
        requests = requests.filter(assignee_id=int(chosen.assignee))
    if chosen.deadline:
        requests = requests.filter(Q(service_state=chosen.deadline))
    open_complaint_due = Case(
        When(Q(kind=RequestKind.COMPLAINT, status__in=OPEN_STATUSES), then=F("due_on")),
        default=None,
        output_field=DateField(),
    )
    return requests.select_related("customer", "assignee", "request_type").order_by(
        open_complaint_due.asc(nulls_last=True), "-last_activity_at", "-pk"
    )


def companies_at_a_glance(companies: QuerySet[Company], today: dt.date) -> QuerySet[Company]:
    """``companies`` with ``open_requests`` and ``overdue_complaints``, in one query."""
    still_open = Q(requests__status__in=OPEN_STATUSES)
    return companies.annotate(
        open_requests=Count("requests", filter=still_open),
        overdue_complaints=Count(
            "requests",
            filter=still_open & Q(requests__kind=RequestKind.COMPLAINT, requests__due_on__lt=today),
        ),
    )
