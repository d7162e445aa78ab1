"""Every transparency statement of the demo agrees with itself and with the contract page.

The demo is built once for the module; every contract-year is checked. The
expected sums are added up here from the plan and schedule rows, never taken
from the code under test.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from tests.factories import CUSTOMER_BACKEND, make_user

from sportello.accounts.models import PortalUser
from sportello.billing.models import ScheduleEntry
from sportello.billing.services import ScheduleFilter, overdue_total, schedule, situation
from sportello.core.formatting import format_money
from sportello.core.models import Company
from sportello.demo.builder import build_demo
from sportello.leasing.models import Contract, ContractStatus, PlanInstalment
from sportello.leasing.services import contract_detail
from sportello.statements.services import statement_years, transparency_statement

TODAY = dt.date(2026, 11, 22)
ZERO = Decimal("0.00")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_demo(seed=2026, today=TODAY)
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo", "db")


def customer_user(contract: Contract) -> PortalUser:
    """The customer's demo user, or a new one for a customer not registered yet."""
    user = PortalUser.objects.filter(customer=contract.customer, parent__isnull=True).first()
    return user or make_user(contract.customer)


def client_of(contract: Contract) -> Client:
    client = Client(HTTP_HOST=f"{contract.company.slug}.localhost")
    client.force_login(customer_user(contract), backend=CUSTOMER_BACKEND)
    return client


def column(rows: object, name: str) -> Decimal:
    total = rows.aggregate(total=Sum(name))["total"]  # type: ignore[attr-defined]
    return ZERO if total is None else Decimal(total)


def test_it_makes_every_summary_figure_the_sum_of_its_rows() -> None:
    checked = 0
    for contract in Contract.objects.order_by("pk"):
        previous_closing = None
        for year in sorted(y.year for y in statement_years(contract, TODAY)):
            s = transparency_statement(contract, year, today=TODAY)
            where = f"{contract.company.slug} {contract.number} {year}"
            plan = PlanInstalment.objects.filter(
                contract=contract, due_date__gte=s.period_start, due_date__lte=s.period_end
            )
            entries = ScheduleEntry.objects.filter(
                contract=contract, due_date__gte=s.period_start, due_date__lte=s.period_end
            )
            # The summary equals the table of the same page, and the rows.
            assert s.capital_repaid == s.plan_total.capital == column(plan, "capital_share"), where
            assert s.interest == s.plan_total.interest == column(plan, "interest_share"), where
            assert s.indexation.amount == sum((a.amount for a in s.indexation_adjustments), ZERO), (
                where
            )
            assert s.billed.amount == column(entries, "amount"), where
            assert s.billed.paid == column(entries, "paid"), where
            assert s.billed.balance == s.billed.amount - s.billed.paid, where
            # The capital moves only by what was repaid.
            assert s.closing_residual == s.opening_residual - s.capital_repaid, where
            if year == contract.stipulated_on.year:
                # Before the advance: the price; the advance is counted as repaid.
                assert s.opening_residual == contract.amount, where
                assert s.advance.capital == contract.advance, where
            else:
                assert s.opening_residual == previous_closing, where
            previous_closing = s.closing_residual
            checked += 1
        if contract.status == ContractStatus.EXTINCT:
            assert previous_closing == ZERO, f"{contract.number} ends owing capital"
    assert checked > 100


def test_it_shows_the_same_residual_capital_on_the_contract_page_and_the_statement() -> None:
    for contract in Contract.objects.select_related("customer").order_by("pk"):
        today = contract_detail(customer_user(contract), contract.pk, TODAY).residual_capital_today
        latest = statement_years(contract, TODAY)[0]
        statement = transparency_statement(contract, latest.year, today=TODAY)
        if contract.status == ContractStatus.EXTINCT:
            assert today == statement.closing_residual == ZERO, contract.number
        else:
            assert latest.provisional, contract.number
            assert today == statement.closing_residual, contract.number


def test_it_shows_no_capital_owed_on_an_extinct_contract_page() -> None:
    contract = (
        Contract.objects.filter(status=ContractStatus.EXTINCT, company__slug="release")
        .select_related("customer")
        .order_by("stipulated_on")
        .first()
    )
    assert contract is not None and contract.residual_value > 0
    client = client_of(contract)

    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        page = client.get(f"/contratti/{contract.pk}/").content.decode()
        statement = client.get(
            f"/rendiconti/{contract.pk}/{contract.end_date.year}/"
        ).content.decode()

    assert "Capitale residuo ad oggi</dt><dd>0,00\xa0€</dd>" in page
    assert 'data-figure="closing">0,00\xa0€<' in statement


def test_it_counts_the_advance_in_the_stipulation_year_summary() -> None:
    contract = (
        Contract.objects.filter(advance__gt=0, company__slug="claris")
        .select_related("customer")
        .order_by("-stipulated_on")
        .first()
    )
    assert contract is not None
    client = client_of(contract)
    year = contract.stipulated_on.year
    s = transparency_statement(contract, year, today=TODAY)

    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        body = client.get(f"/rendiconti/{contract.pk}/{year}/").content.decode()

    capital = format_money(s.plan_total.capital, "it")
    assert f'data-figure="capital">{capital}<' in body
    assert f'data-figure="opening">{format_money(contract.amount, "it")}<' in body
    assert "prima dell'anticipo" in html.unescape(body)


def test_it_shows_the_same_overdue_on_the_home_the_billing_page_and_the_statements() -> None:
    for user in PortalUser.objects.filter(
        company__kind="leasing", customer__isnull=False, parent__isnull=True
    ).select_related("customer"):
        home = situation(user.customer_id, TODAY).overdue
        billing = overdue_total(schedule(user, ScheduleFilter(), TODAY), TODAY)
        statements = sum(
            (
                transparency_statement(contract, year.year, today=TODAY).billed.overdue
                for contract in Contract.objects.filter(customer=user.customer)
                for year in statement_years(contract, TODAY)
            ),
            ZERO,
        )
        assert home == billing == statements, user.login


def test_it_gives_every_leasing_company_payment_details() -> None:
    for company in Company.objects.filter(kind="leasing"):
        company.full_clean()
        assert company.has_payment_details, company.slug
        assert company.payment_bank and company.payment_contact, company.slug
