"""French amortisation plans as a leasing core system prints them (seed 002).

The demo stands in for the core system: the portal itself never computes a
financial figure, it only shows and totals what was imported.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sportello.core.formatting import to_money
from sportello.leasing.models import InstalmentKind, PaymentMethod

# Approximate quarterly averages of 3-month Euribor, in percent (from the
# EMMI/ECB published series, rounded; demo figures only).
EURIBOR_3M = {
    2008: (4.48, 4.86, 4.98, 4.24), 2009: (1.64, 1.31, 0.87, 0.72),
    2010: (0.66, 0.69, 0.87, 1.02), 2011: (1.10, 1.42, 1.56, 1.50),
    2012: (1.04, 0.69, 0.36, 0.20), 2013: (0.21, 0.21, 0.22, 0.24),
    2014: (0.30, 0.30, 0.16, 0.08), 2015: (0.05, -0.01, -0.03, -0.09),
    2016: (-0.19, -0.26, -0.30, -0.31), 2017: (-0.33, -0.33, -0.33, -0.33),
    2018: (-0.33, -0.32, -0.32, -0.32), 2019: (-0.31, -0.31, -0.42, -0.40),
    2020: (-0.41, -0.30, -0.49, -0.52), 2021: (-0.54, -0.54, -0.55, -0.57),
    2022: (-0.53, -0.36, 0.47, 1.77), 2023: (2.63, 3.36, 3.79, 3.95),
    2024: (3.92, 3.81, 3.49, 3.03), 2025: (2.54, 2.10, 2.02, 2.03),
    2026: (2.02, 2.05, 2.08, 2.10), 2027: (2.10, 2.10, 2.10, 2.10),
}  # fmt: skip
LATEST_EURIBOR_YEAR = max(EURIBOR_3M)


def euribor_3m(day: dt.date) -> Decimal:
    year = min(day.year, LATEST_EURIBOR_YEAR)
    return Decimal(str(EURIBOR_3M[year][(day.month - 1) // 3])) / 100


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


@dataclass
class PlanRow:
    number: int
    due_date: dt.date
    kind: InstalmentKind
    amount: Decimal
    capital_share: Decimal
    interest_share: Decimal
    residual_capital: Decimal
    payment_method: PaymentMethod
    accrual_start: dt.date
    accrual_end: dt.date
    collection_date: dt.date | None


@dataclass
class Plan:
    rows: list[PlanRow]
    instalment_amount: Decimal
    instalment_count: int
    start_date: dt.date
    end_date: dt.date
    annual_rate: Decimal


def french_plan(
    *,
    amount: Decimal,
    advance: Decimal,
    residual_value: Decimal,
    spread: Decimal,
    duration_months: int,
    periodicity: int,
    stipulated_on: dt.date,
    indexed: bool,
) -> Plan:
    """The plan of a contract: an advance instalment (number 0) at stipulation,
    constant instalments amortising the financed amount (price less advance)
    down to the residual value, quarterly indexation adjustments when the
    3-month Euribor rose above its value at stipulation, and the residual
    value (purchase option) at the end.
    """
    financed = amount - advance
    base_rate = max(euribor_3m(stipulated_on), Decimal(0))
    annual_rate = base_rate + spread
    period_rate = annual_rate * periodicity / 12
    count = duration_months // periodicity - 1
    discount = (1 + period_rate) ** -count
    instalment = to_money((financed - residual_value * discount) * period_rate / (1 - discount))
    start = stipulated_on + dt.timedelta(days=5)
    rows = [
        PlanRow(
            0, stipulated_on, InstalmentKind.ADVANCE, advance, advance, Decimal("0.00"),
            financed, PaymentMethod.TRANSFER, stipulated_on, start, stipulated_on,
        )
    ]  # fmt: skip
    residual = financed
    first_accrual = accrual_start = start + dt.timedelta(days=1)
    regular: list[PlanRow] = []
    for number in range(1, count + 1):
        due = add_months(first_accrual, (number - 1) * periodicity + periodicity - 1)
        interest = to_money(residual * period_rate)
        capital = instalment - interest if number < count else residual - residual_value
        residual -= capital
        regular.append(
            PlanRow(
                number, due, InstalmentKind.INSTALMENT, capital + interest, capital, interest,
                residual, PaymentMethod.SEPA, accrual_start, due, due,
            )
        )  # fmt: skip
        accrual_start = due + dt.timedelta(days=1)
    end = add_months(regular[-1].due_date, periodicity)
    rows += regular
    if indexed:
        rows += _indexation_rows(regular, financed, base_rate, start)
    rows.append(
        PlanRow(
            count + 1, end, InstalmentKind.RESIDUAL, residual_value, residual_value,
            Decimal("0.00"), Decimal("0.00"), PaymentMethod.TRANSFER,
            regular[-1].due_date + dt.timedelta(days=1), end, end,
        )
    )  # fmt: skip
    rows.sort(key=lambda row: (row.due_date, row.kind != InstalmentKind.INDEXATION, row.number))
    return Plan(rows, instalment, count, start, end, annual_rate)


def _indexation_rows(
    regular: list[PlanRow], financed: Decimal, base_rate: Decimal, start: dt.date
) -> list[PlanRow]:
    """Quarterly interest adjustments: residual capital × (Euribor − base) × days / 360."""
    rows = []
    quarter_start = start + dt.timedelta(days=1)
    last_due = regular[-1].due_date
    while True:
        quarter_month = ((quarter_start.month - 1) // 3) * 3 + 3
        quarter_end = month_end(quarter_start.year, quarter_month)
        if quarter_end > last_due:
            break
        residual = next(
            (row.residual_capital for row in reversed(regular) if row.due_date < quarter_start),
            financed,
        )
        delta = euribor_3m(quarter_start) - base_rate
        days = (quarter_end - quarter_start).days + 1
        adjustment = to_money(residual * delta * days / 360)
        if adjustment > 0:
            rows.append(
                PlanRow(
                    0, quarter_end, InstalmentKind.INDEXATION, adjustment, Decimal("0.00"),
                    adjustment, residual, PaymentMethod.SEPA, quarter_start, quarter_end,
                    quarter_end + dt.timedelta(days=28),
                )
            )  # fmt: skip
        quarter_start = quarter_end + dt.timedelta(days=1)
    return rows
