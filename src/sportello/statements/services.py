"""Annual transparency statements (rendiconti annuali, D.Lgs. 385/1993 art. 119; H4).

A statement is computed on demand from the imported plan and schedule: the
portal never invents a figure, it only selects and totals rows of the core
system. The page and the PDF call the same function, so they always agree.

Rules (what every figure means):

* The statement covers the *period* from 1 January of the year to 31 December,
  or to today for the current year (a provisional, year-to-date statement).
* **Opening residual capital**: the residual capital at the start of the
  period, from :func:`~sportello.leasing.services.residual_capital_on` (the one
  definition the contract page uses too) on the day before the period. In the
  stipulation year the period starts on the stipulation day and the opening
  figure is the price, *before* the advance: the advance is the first capital
  the customer repays, and the table of plan rows lists it.
* **Closing residual capital**: the same function on the last day of the period
  (zero once an extinct contract has ended).
* **Capital repaid**: the capital shares of every plan row due in the period
  (advance, instalments, residual value; indexation rows carry none), i.e. the
  capital column's total of the table on the same page, so
  opening − capital repaid = closing.
* **Interest**: the interest shares of the plan rows due in the period: the
  instalments' plus the indexation adjustments (they are interest only), the
  interest column's total of the table.
  Capital and interest are those the plan assigns to the rows *due* in the
  period, whether or not the customer has paid them; payments are reported
  apart, from the schedule.
* **Billed, paid, still due**: the schedule entries due in the period
  (amounts including VAT), with what has been paid on them so far; "overdue"
  is what is unpaid once the due date has passed.
* **Fees and charges**: schedule entries whose reason is none of the plan's
  (advance, instalment, indexation, residual value).

The PDF of a closed year is printed once and kept in the default storage, as an
e-invoice's courtesy copy is (``billing.services.courtesy_pdf``): printing costs
hundreds of milliseconds, serving the kept file a few. It is kept under a digest
of its HTML, so that anything the document shows changing afterwards (a payment
recorded late, a corrected plan row, the brand, the wording) makes another file
rather than serving a stale one; the current year's figures change by the day,
so its statement is printed on every download and never kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sportello.billing.models import ScheduleEntry
from sportello.core.models import Company
from sportello.core.pdf import html_to_pdf, render_html
from sportello.leasing.models import Contract, InstalmentKind, PaymentReason, PlanInstalment
from sportello.leasing.services import residual_capital_on

ZERO = Decimal("0.00")

#: The schedule's causali for the plan's rows; any other causale is a fee or charge.
PLAN_REASONS = [
    PaymentReason.ADVANCE,
    PaymentReason.INSTALMENT,
    PaymentReason.INDEXATION,
    PaymentReason.RESIDUAL,
]


class StatementYearOutOfRange(Exception):
    """The contract has no statement for that year (before stipulation, after the end, future)."""


@dataclass(frozen=True)
class StatementYear:
    year: int
    provisional: bool


@dataclass
class PlanTotals:
    """Plan rows of one kind due in the period (amounts before VAT)."""

    count: int = 0
    amount: Decimal = ZERO
    capital: Decimal = ZERO
    interest: Decimal = ZERO

    def add(self, row: PlanInstalment) -> None:
        self.count += 1
        self.amount += row.amount
        self.capital += row.capital_share
        self.interest += row.interest_share


@dataclass
class ScheduleTotals:
    """Schedule entries with one reason due in the period (amounts including VAT)."""

    reason: str | Promise
    count: int = 0
    amount: Decimal = ZERO
    paid: Decimal = ZERO
    balance: Decimal = ZERO
    overdue: Decimal = ZERO


@dataclass(frozen=True)
class IndexationAdjustment:
    due_date: dt.date
    accrual_start: dt.date
    accrual_end: dt.date
    amount: Decimal


@dataclass
class TransparencyStatementFigures:
    """Every figure of one contract's statement for one year."""

    contract: Contract
    year: int
    period_start: dt.date
    period_end: dt.date
    provisional: bool
    as_of: dt.date
    opening_residual: Decimal
    closing_residual: Decimal
    advance: PlanTotals
    instalments: PlanTotals
    indexation: PlanTotals
    residual_value: PlanTotals
    indexation_adjustments: list[IndexationAdjustment]
    schedule: list[ScheduleTotals]
    fees: ScheduleTotals
    billed: ScheduleTotals = field(init=False)

    def __post_init__(self) -> None:
        total = ScheduleTotals(_("Totale"))
        for line in [*self.schedule, self.fees]:
            total.count += line.count
            total.amount += line.amount
            total.paid += line.paid
            total.balance += line.balance
            total.overdue += line.overdue
        self.billed = total

    @property
    def opening_date(self) -> dt.date:
        """1 January, or the stipulation day in the stipulation year."""
        return max(self.period_start, self.contract.stipulated_on)

    @property
    def opening_at_stipulation(self) -> bool:
        """The period starts on the stipulation day: the opening figure precedes the advance."""
        return self.opening_date == self.contract.stipulated_on

    @property
    def capital_repaid(self) -> Decimal:
        """The capital column's total of the plan rows of the period (advance included)."""
        return self.plan_total.capital

    @property
    def interest(self) -> Decimal:
        """The interest column's total of the plan rows of the period."""
        return self.plan_total.interest

    @property
    def plan_total(self) -> PlanTotals:
        total = PlanTotals()
        for part in (self.advance, self.instalments, self.indexation, self.residual_value):
            total.count += part.count
            total.amount += part.amount
            total.capital += part.capital
            total.interest += part.interest
        return total

    @property
    def reference_rate(self) -> str:
        """The reference rate's name in the active language, "" when the contract has none."""
        rate = self.contract.reference_rate
        return "" if rate is None else str(rate)


def statement_years(contract: Contract, today: dt.date) -> list[StatementYear]:
    """The years a contract has a statement for, newest first.

    From the stipulation year to the end year, never past the current year,
    which is provisional (year to date) while it is not over.
    """
    last = min(contract.end_date.year, today.year)
    return [
        StatementYear(year, provisional=year == today.year)
        for year in range(last, contract.stipulated_on.year - 1, -1)
    ]


def transparency_statement(
    contract: Contract, year: int, *, today: dt.date
) -> TransparencyStatementFigures:
    """The statement of ``contract`` for ``year``, from its plan and schedule, in four queries."""
    years = {y.year: y for y in statement_years(contract, today)}
    if year not in years:
        raise StatementYearOutOfRange(year)
    provisional = years[year].provisional
    period_start = dt.date(year, 1, 1)
    period_end = min(dt.date(year, 12, 31), today)

    opening_date = max(period_start, contract.stipulated_on)
    opening = residual_capital_on(contract, opening_date - dt.timedelta(days=1))
    closing = residual_capital_on(contract, period_end)

    rows = list(
        PlanInstalment.objects.filter(
            contract=contract, due_date__gte=period_start, due_date__lte=period_end
        ).order_by("due_date", "kind", "number")
    )
    totals = {kind: PlanTotals() for kind in InstalmentKind.values}
    adjustments = []
    for row in rows:
        totals[row.kind].add(row)
        if row.kind == InstalmentKind.INDEXATION:
            adjustments.append(
                IndexationAdjustment(row.due_date, row.accrual_start, row.accrual_end, row.amount)
            )

    entries = ScheduleEntry.objects.filter(
        contract=contract, due_date__gte=period_start, due_date__lte=period_end
    ).order_by("due_date", "instalment_number")
    by_reason = {reason.value: ScheduleTotals(reason.label) for reason in PLAN_REASONS}
    fees = ScheduleTotals(_("Commissioni e spese"))
    for entry in entries:
        line = by_reason.get(entry.reason, fees)
        line.count += 1
        line.amount += entry.amount
        line.paid += entry.paid
        line.balance += entry.balance
        line.overdue += entry.overdue_balance_on(today)

    return TransparencyStatementFigures(
        contract=contract,
        year=year,
        period_start=period_start,
        period_end=period_end,
        provisional=provisional,
        as_of=today,
        opening_residual=opening,
        closing_residual=closing,
        advance=totals[InstalmentKind.ADVANCE],
        instalments=totals[InstalmentKind.INSTALMENT],
        indexation=totals[InstalmentKind.INDEXATION],
        residual_value=totals[InstalmentKind.RESIDUAL],
        indexation_adjustments=adjustments,
        schedule=list(by_reason.values()),
        fees=fees,
    )


STATEMENT_PDF_TEMPLATE = "statements/pdf.html"


def statement_pdf(figures: TransparencyStatementFigures, company: Company, language: str) -> bytes:
    """The statement's PDF in ``language``: a closed year's printed once and then
    read back from the default storage; a provisional one printed every time."""
    context = {"statement": figures, "company": company}
    if figures.provisional:
        return html_to_pdf(render_html(STATEMENT_PDF_TEMPLATE, context, language))
    folder = f"statements/{company.pk}/{figures.contract.pk}/{figures.year}/{language}"
    # The day the document is produced is printed on it but is no reason to print
    # it again: the digest is of the HTML with a fixed day in its place.
    undated = dataclasses.replace(figures, as_of=figures.period_end)
    digest = hashlib.sha256(
        render_html(STATEMENT_PDF_TEMPLATE, context | {"statement": undated}, language).encode()
    ).hexdigest()
    name = f"{folder}/{digest}.pdf"
    kept = _kept_pdf(name)
    if kept is not None:
        return kept
    pdf = html_to_pdf(render_html(STATEMENT_PDF_TEMPLATE, context, language))
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:
        # Another download printed and kept it meanwhile: keep one copy.
        default_storage.delete(saved)
    _forget_other_versions(folder, keep=name)
    return pdf


def _kept_pdf(name: str) -> bytes | None:
    # Asked first: not every storage raises FileNotFoundError on opening a missing
    # file (an S3 bucket answers when the file is read).
    if not default_storage.exists(name):
        return None
    try:
        with default_storage.open(name, "rb") as kept:
            pdf: bytes = kept.read()
            return pdf
    except FileNotFoundError:  # a newer version replaced it meanwhile
        return None


def _forget_other_versions(folder: str, keep: str) -> None:
    """Delete the statement's earlier versions (their figures have changed since)."""
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        if f"{folder}/{file}" != keep:
            default_storage.delete(f"{folder}/{file}")
