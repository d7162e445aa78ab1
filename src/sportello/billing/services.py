"""The customer's situation, the payment schedule, invoices and their notices.

Every figure is derived in the database from the imported schedule: the
portal never invents an amount, it only adds up what the core system sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import (
    Case,
    Count,
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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.formatting import format_long_date, format_money
from sportello.core.models import Company
from sportello.core.pagination import Segment, SegmentedRows
from sportello.core.pdf import html_to_pdf
from sportello.energy.models import SupplyPoint
from sportello.leasing.models import Contract, ContractStatus, PaymentReason
from sportello.notices.delivery import deliver
from sportello.notices.models import Category, Notification, bilingual_fields

from . import emails
from .fatturapa.rendering import render_html
from .models import EntryStatus, Invoice, InvoiceQuerySet, ScheduleEntry, invoice_upload_path

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
    return _for_display(_chosen_entries(user, chosen, today), chosen, today)


def _chosen_entries(user: Any, chosen: ScheduleFilter, today: dt.date) -> QuerySet[ScheduleEntry]:
    entries = ScheduleEntry.objects.for_user(user)
    if chosen.contract is not None:
        entries = entries.filter(contract=chosen.contract)
    if chosen.status:
        entries = entries.filter(status_condition(chosen.status, today))
    if chosen.date_from:
        entries = entries.filter(due_date__gte=chosen.date_from)
    if chosen.date_to:
        entries = entries.filter(due_date__lte=chosen.date_to)
    return entries


def _for_display(
    entries: QuerySet[ScheduleEntry], chosen: ScheduleFilter, today: dt.date
) -> QuerySet[ScheduleEntry]:
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
        return annotated.order_by(*NEWEST_ORDER)
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


NEWEST_ORDER = ("-due_date", "contract__number", "-instalment_number", "-pk")
#: Within each part of the default order (overdue, to be due; then paid).
OPEN_ORDER = ("due_date", "contract__number", "instalment_number", "pk")
PAID_ORDER = ("-due_date", "contract__number", "instalment_number", "pk")


@dataclass(frozen=True)
class ScheduleList:
    """The billing page's list and its «Totale saldo scaduto» (every page)."""

    rows: SegmentedRows[ScheduleEntry]
    overdue_total: Decimal


def schedule_list(user: Any, chosen: ScheduleFilter, today: dt.date) -> ScheduleList:
    """The rows of ``schedule`` in its order, cut in the parts the order puts one after
    another (overdue, to be due, paid), each read by the due date on its own; their
    sizes and the overdue total come from one aggregate query, so a page reads two
    queries however long the list, and a fleet's 20,000 rows are never sorted whole.
    """
    entries = _chosen_entries(user, chosen, today)
    overdue, to_be_due = overdue_on(today), to_be_due_on(today)
    figures = entries.order_by().aggregate(
        overdue_rows=Count("pk", filter=overdue),
        to_be_due_rows=Count("pk", filter=to_be_due),
        paid_rows=Count("pk", filter=PAID),
        overdue_total=_money(Sum(BALANCE, filter=overdue)),
    )
    if chosen.order == NEWEST_FIRST:
        total = figures["overdue_rows"] + figures["to_be_due_rows"] + figures["paid_rows"]
        segments = [Segment(entries.order_by(*NEWEST_ORDER), total)]
    else:
        segments = [
            Segment(entries.filter(overdue).order_by(*OPEN_ORDER), figures["overdue_rows"]),
            Segment(entries.filter(to_be_due).order_by(*OPEN_ORDER), figures["to_be_due_rows"]),
            Segment(entries.filter(PAID).order_by(*PAID_ORDER), figures["paid_rows"]),
        ]
    rows = SegmentedRows(_for_display(entries, chosen, today), segments)
    return ScheduleList(rows=rows, overdue_total=figures["overdue_total"])


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
    user: Any,
    company: Company,
    search: InvoiceSearch,
    now: dt.datetime,
    point: SupplyPoint | None = None,
) -> QuerySet[Invoice]:
    """The user's published invoices matching ``search``, newest first.

    A utility's list follows the supply point chosen in the header (``point``,
    G2); a bill tied to no point in particular is the customer's under every
    point, not hidden under none. A leasing list shows each invoice's contracts
    (prefetched).
    """
    found = published_invoices(user, company, now)
    if point is not None:
        found = found.filter(Q(supply_point=point) | Q(supply_point__isnull=True))
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
    if company.is_leasing:
        found = found.prefetch_related("contracts")
    return found.order_by("-date", "-number", "-pk")


# -- e-invoices (J2) ----------------------------------------------------------------


def invoice_html(invoice: Invoice) -> str:
    """The e-invoice's body as the Agenzia's official stylesheet shows it."""
    with invoice.xml.open("rb") as handle:
        data = handle.read()
    return render_html(data, invoice.xml_body or 1)


def courtesy_pdf(invoice: Invoice) -> Invoice:
    """The invoice with its PDF: an e-invoice's courtesy copy is printed from the
    official rendering the first time it is asked for, then kept.

    Two first requests at once both print; the first to record its file wins and
    the other's file is removed, so the invoice keeps one PDF.
    """
    if invoice.pdf or not invoice.xml:
        return invoice
    pdf = html_to_pdf(invoice_html(invoice))
    name = invoice.pdf.storage.save(invoice_upload_path(invoice, "courtesy.pdf"), ContentFile(pdf))
    if Invoice.objects.filter(pk=invoice.pk, pdf="").update(pdf=name) == 0:
        invoice.pdf.storage.delete(name)
    invoice.refresh_from_db(fields=["pdf"])
    return invoice


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


def _invoice_texts(invoice: Invoice) -> dict[str, str]:
    """The bell's title of a new invoice, in Italian and in English."""
    return bilingual_fields(
        title=lambda: (
            gettext("%(kind)s n. %(number)s del %(date)s")
            % {
                "kind": invoice.get_document_type_display(),
                "number": invoice.number,
                "date": format_long_date(invoice.date),
            }
        )
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
            notices = Notification.objects.bulk_create(
                Notification(
                    company=invoice.company,
                    recipient=user,
                    invoice=invoice,
                    category=Category.DOCUMENTS,
                    published_at=now,
                    **_invoice_texts(invoice),
                )
                for user in users
            )
            for user, notice in zip(users, notices, strict=True):
                # The bell always; the e-mail (with the fiscal note, C5) as the user chose.
                deliver(
                    notice, user, send_email=partial(emails.send_invoice_published, user, invoice)
                )
            audit.record(
                "invoice.notified",
                company=invoice.company,
                obj=invoice,
                recipients=[user.login for user in users],
            )
            sent += 1
    return sent


# Payment reminders (F3) -----------------------------------------------------

#: An entry overdue for longer than this when the job first sees it (history loaded
#: by an import, a company that just turned reminders on) gets no "overdue" notice.
OVERDUE_NOTICE_WINDOW = dt.timedelta(days=7)


def _reminder_texts(kind: str, count: int, total: Decimal, day: dt.date) -> dict[str, str]:
    """The notice's title and body in Italian and in English."""

    def values() -> dict[str, object]:
        # Money is written the way each language writes it.
        return {"count": count, "date": format_long_date(day), "amount": format_money(total)}

    if kind == "reminder":
        return bilingual_fields(
            title=lambda: (
                ngettext(
                    "Pagamento in scadenza il %(date)s",
                    "%(count)s pagamenti in scadenza entro il %(date)s",
                    count,
                )
                % values()
            ),
            body=lambda: (
                gettext("Totale da pagare: %(amount)s. Il dettaglio è in Fatture e pagamenti.")
                % values()
            ),
        )
    return bilingual_fields(
        title=lambda: (
            ngettext("Un pagamento è scaduto", "%(count)s pagamenti sono scaduti", count) % values()
        ),
        body=lambda: (
            gettext(
                "Totale scaduto: %(amount)s. In Fatture e pagamenti trovi come mettersi in regola."
            )
            % values()
        ),
    )


def send_payment_reminders(today: dt.date) -> int:
    """Remind leasing customers of what falls due soon and tell them what fell overdue.

    Per company, ``payment_reminder_days`` before a due date (0: never), and once
    an entry is overdue: one notice per customer and kind, for all its entries at
    once. Each entry is claimed by the update that marks it, in the transaction
    that writes the notice, so a second run (or two at once) sends nothing twice.
    Returns the number of notices written.
    """
    written = 0
    companies = Company.objects.filter(kind="leasing", payment_reminder_days__gt=0)
    for company in companies:
        due_soon = to_be_due_on(today) & Q(
            due_date__lte=today + dt.timedelta(days=company.payment_reminder_days),
            reminded_on__isnull=True,
        )
        overdue = overdue_on(today) & Q(
            due_date__gte=today - OVERDUE_NOTICE_WINDOW, overdue_notified_on__isnull=True
        )
        for kind, condition, mark in (
            ("reminder", due_soon, "reminded_on"),
            ("overdue", overdue, "overdue_notified_on"),
        ):
            with transaction.atomic():
                entries = list(
                    ScheduleEntry.objects.select_for_update()
                    .filter(condition, contract__company=company, amount__gt=0)
                    .values("pk", "contract__customer_id", "due_date", "amount", "paid")
                )
                if not entries:
                    continue
                ScheduleEntry.objects.filter(pk__in=[e["pk"] for e in entries]).update(
                    **{mark: today}
                )
                by_customer: dict[int, list[Any]] = {}
                for entry in entries:
                    by_customer.setdefault(entry["contract__customer_id"], []).append(entry)
                users = list(
                    PortalUser.objects.filter(
                        customer_id__in=by_customer, parent__isnull=True, is_active=True
                    ).select_related("company")
                )
                link = company.absolute_url(reverse("billing:schedule"))
                notices = []
                for user in users:
                    rows = by_customer[user.customer_id]  # type: ignore[index]
                    total = sum((Decimal(r["amount"]) - Decimal(r["paid"]) for r in rows), ZERO)
                    day = max(r["due_date"] for r in rows)
                    notices.append(
                        Notification(
                            company=company,
                            recipient=user,
                            category=Category.PAYMENT_REMINDERS,
                            link=link,
                            published_at=timezone.now(),
                            **_reminder_texts(kind, len(rows), total, day),
                        )
                    )
                for user, notice in zip(
                    users, Notification.objects.bulk_create(notices), strict=True
                ):
                    deliver(notice, user)
                written += len(notices)
    return written
