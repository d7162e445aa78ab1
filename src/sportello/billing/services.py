"""The customer's situation, the payment schedule, invoices and their notices.

Every figure is derived in the database from the imported schedule: the
portal never invents an amount, it only adds up what the core system sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.models import Company
from sportello.leasing.models import Contract, ContractStatus, PaymentReason

from . import emails
from .models import EntryStatus, Invoice, InvoiceQuerySet, ScheduleEntry

ZERO = Decimal("0.00")
#: How many requests the home's panel lists.
MONEY = DecimalField(max_digits=14, decimal_places=2)

# Status as database conditions, so that filters and pagination stay in SQL.
# Paid: the paid amount covers the amount. A payment due today is not yet overdue.
PAID = Q(paid__gte=F("amount"))


def overdue_on(today: dt.date) -> Q:
    return ~PAID & Q(due_date__lt=today)


def to_be_due_on(today: dt.date) -> Q:
    return ~PAID & Q(due_date__gte=today)


def status_condition(status: str, today: dt.date) -> Q:
    return {
        EntryStatus.PAID: PAID,
        EntryStatus.OVERDUE: overdue_on(today),
        EntryStatus.TO_BE_DUE: to_be_due_on(today),
    }[EntryStatus(status)]


def _money(expression: Any) -> Coalesce:
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


BALANCE = ExpressionWrapper(F("amount") - F("paid"), output_field=MONEY)


# -- home (B1-B4) ----------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """«La tua situazione» as of ``today``."""

    today: dt.date
    overdue: Decimal
    next_due_date: dt.date | None
    next_payment: Decimal
    advances_paid: Decimal


def situation(customer_id: int | None, today: dt.date) -> Situation:
    """Overdue balance, next due date and what is due then, advances paid (two queries).

    Overdue and upcoming payments count every contract (money owed on an extinct
    contract is still owed, and the figure matches the billing page's total);
    advances count the active contracts, as seed 002's summary does.
    """
    entries = ScheduleEntry.objects.for_customer(customer_id)
    figures = entries.aggregate(
        overdue=_money(Sum(BALANCE, filter=overdue_on(today))),
        next_due_date=Min("due_date", filter=to_be_due_on(today)),
        advances_paid=_money(
            Sum(
                "paid",
                filter=Q(reason=PaymentReason.ADVANCE, contract__status=ContractStatus.ACTIVE),
            )
        ),
    )
    next_due_date = figures["next_due_date"]
    next_payment = ZERO
    if next_due_date is not None:
        next_payment = entries.filter(~PAID, due_date=next_due_date).aggregate(
            total=_money(Sum(BALANCE))
        )["total"]
    return Situation(
        today=today,
        overdue=figures["overdue"],
        next_due_date=next_due_date,
        next_payment=next_payment,
        advances_paid=figures["advances_paid"],
    )


# -- payment schedule (C1, C3) ------------------------------------------------------


@dataclass(frozen=True)
class ScheduleFilter:
    """What the billing page shows: one contract or all, a status, a due-date period."""

    contract: Contract | None = None
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    order: str = ""


#: ``ScheduleFilter.order``: the default puts what needs the customer's attention first.
NEWEST_FIRST = "recenti"


def schedule(user: Any, chosen: ScheduleFilter, today: dt.date) -> QuerySet[ScheduleEntry]:
    """The user's schedule entries, filtered, with their status, balance and overdue
    balance computed by the database.

    By default the first page is what the customer must act on: overdue entries
    (oldest first), then those to be paid (next due first), then the paid ones
    (newest first); a plan reaching 2031 no longer hides the overdue ones on
    page 3. ``order=NEWEST_FIRST`` is the plain list, newest due date first.
    """
    entries = ScheduleEntry.objects.for_user(user)
    if chosen.contract is not None:
        entries = entries.filter(contract=chosen.contract)
    if chosen.status:
        entries = entries.filter(status_condition(chosen.status, today))
    if chosen.date_from:
        entries = entries.filter(due_date__gte=chosen.date_from)
    if chosen.date_to:
        entries = entries.filter(due_date__lte=chosen.date_to)
    annotated = entries.annotate(
        status=Case(
            When(PAID, then=Value(EntryStatus.PAID.value)),
            When(due_date__lt=today, then=Value(EntryStatus.OVERDUE.value)),
            default=Value(EntryStatus.TO_BE_DUE.value),
        ),
        balance_due=BALANCE,
        overdue_balance=Case(
            When(overdue_on(today), then=BALANCE), default=Value(ZERO), output_field=MONEY
        ),
    ).select_related("contract", "invoice")
    if chosen.order == NEWEST_FIRST:
        return annotated.order_by("-due_date", "contract__number", "-instalment_number", "-pk")
    return annotated.annotate(
        attention=Case(
            When(PAID, then=Value(2)), When(due_date__lt=today, then=Value(0)), default=Value(1)
        ),
        open_due=Case(When(~PAID, then=F("due_date")), default=None, output_field=DateField()),
    ).order_by(
        "attention",
        F("open_due").asc(nulls_last=True),
        "-due_date",
        "contract__number",
        "instalment_number",
        "pk",
    )


def overdue_total(entries: QuerySet[ScheduleEntry], today: dt.date) -> Decimal:
    """«Totale saldo scaduto» of the entries shown (all pages)."""
    total: Decimal = (
        entries.order_by().filter(overdue_on(today)).aggregate(total=_money(Sum(BALANCE)))["total"]
    )
    return total


def visible_invoice(entry: ScheduleEntry, now: dt.datetime) -> Invoice | None:
    """The entry's invoice if the customer may see it already (published by ``now``)."""
    invoice = entry.invoice
    if invoice is None or invoice.published_at is None or invoice.published_at > now:
        return None
    return invoice


# -- invoices (C2, C5) -----------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceSearch:
    number: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None


def published_invoices(user: Any, company: Company, now: dt.datetime) -> InvoiceQuerySet:
    """The invoices and credit notes the user may see: published by now, from the
    company's first invoice year."""
    return Invoice.objects.for_user(user).filter(
        published_at__lte=now, date__gte=dt.date(company.first_invoice_year, 1, 1)
    )


def invoices(
    user: Any, company: Company, search: InvoiceSearch, now: dt.datetime
) -> QuerySet[Invoice]:
    """The user's published invoices matching ``search``, newest first, contracts prefetched."""
    found = published_invoices(user, company, now)
    if search.number:
        found = found.filter(number__icontains=search.number.strip())
    if search.date_from:
        found = found.filter(date__gte=search.date_from)
    if search.date_to:
        found = found.filter(date__lte=search.date_to)
    if search.amount_min is not None:
        found = found.filter(total__gte=search.amount_min)
    if search.amount_max is not None:
        found = found.filter(total__lte=search.amount_max)
    return found.prefetch_related("contracts").order_by("-date", "-number", "-pk")


# -- publication notices (C4) ---------------------------------------------------------


def recipients(invoice: Invoice) -> list[PortalUser]:
    """The customer's active main users who had joined when the invoice was published.

    Invoices published before the customer registered went out on paper; a new
    user is not flooded with years of notices.
    """
    return list(
        PortalUser.objects.filter(
            customer_id=invoice.customer_id,
            parent__isnull=True,
            is_active=True,
            date_joined__lte=invoice.published_at,
        ).select_related("company")
    )


def notify_published_invoices(now: dt.datetime | None = None, limit: int = 500) -> int:
    """E-mail a notice for each invoice published by ``now`` and not yet notified.

    Each invoice is claimed by the update that sets ``notified_at``, in the same
    transaction as its e-mail, so two runs at once never send it twice.
    """
    now = now or timezone.now()
    eligible_user = PortalUser.objects.filter(
        customer_id=OuterRef("customer_id"),
        parent__isnull=True,
        is_active=True,
        date_joined__lte=OuterRef("published_at"),
    )
    pending = list(
        Invoice.objects.filter(published_at__lte=now, notified_at__isnull=True)
        .filter(Exists(eligible_user))
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in pending:
        with transaction.atomic():
            if not Invoice.objects.filter(pk=pk, notified_at__isnull=True).update(notified_at=now):
                continue
            invoice = Invoice.objects.select_related("company", "customer").get(pk=pk)
            users = recipients(invoice)
            for user in users:
                emails.send_invoice_published(user, invoice)
            audit.record(
                "invoice.notified",
                company=invoice.company,
                obj=invoice,
                recipients=[user.login for user in users],
            )
            sent += 1
    return sent
