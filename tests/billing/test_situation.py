"""The status rules and the home's «La tua situazione» (B1-B4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from tests.billing.helpers import entry
from tests.factories import (
    Tenant,
    make_contract,
    make_invoice,
)

from sportello.billing.models import DocumentType
from sportello.billing.services import ScheduleFilter, schedule, situation
from sportello.leasing.models import ContractStatus, PaymentReason
from sportello.servicedesk.models import RequestStatus, ServiceRequest

TODAY = dt.date(2024, 4, 5)


@pytest.fixture
def book(release: Tenant) -> Tenant:
    """Seed 002's home, by hand: one active contract, one extinct."""
    contract = make_contract(release.customer, number="84963")
    entry(
        contract, dt.date(2023, 6, 15), "9754.10", "9754.10", number=0, reason=PaymentReason.ADVANCE
    )
    entry(contract, dt.date(2024, 2, 29), "2316.38", "2316.38", number=1)  # paid
    entry(contract, dt.date(2024, 3, 31), "2316.38", "1000.00", number=2)  # partly paid: overdue
    entry(contract, dt.date(2024, 4, 5), "2316.38", number=3)  # due today: to be due
    entry(contract, dt.date(2024, 4, 30), "2316.38", number=4)
    entry(
        contract, dt.date(2024, 4, 30), "100.00", "40.00", number=0, reason=PaymentReason.INDEXATION
    )
    entry(contract, dt.date(2024, 5, 31), "2316.38", number=5)
    extinct = make_contract(release.customer, status=ContractStatus.EXTINCT)
    entry(extinct, dt.date(2020, 1, 10), "500.00", "500.00", number=0, reason=PaymentReason.ADVANCE)
    entry(extinct, dt.date(2021, 1, 10), "300.00", "300.00", number=9)  # paid late: paid
    # A credit note is an invoice, never a schedule entry: it changes no figure.
    make_invoice(release.customer, document_type=DocumentType.CREDIT_NOTE, total=Decimal("30.50"),
                 taxable=Decimal("25.00"), vat=Decimal("5.50"))  # fmt: skip
    return release


def test_it_computes_the_situation_by_hand(book: Tenant) -> None:
    figures = situation(book.customer.pk, TODAY)

    assert figures.overdue == Decimal("1316.38")
    # Due today is not overdue: the next due date is today.
    assert figures.next_due_date == TODAY
    assert figures.next_payment == Decimal("2316.38")
    # Advances of active contracts only.
    assert figures.advances_paid == Decimal("9754.10")


def test_it_sums_what_is_due_on_the_next_date_after_today(book: Tenant) -> None:
    figures = situation(book.customer.pk, dt.date(2024, 4, 6))

    assert figures.overdue == Decimal("1316.38") + Decimal("2316.38")
    assert figures.next_due_date == dt.date(2024, 4, 30)
    assert figures.next_payment == Decimal("2316.38") + Decimal("60.00")


def test_it_shows_nothing_due_to_a_customer_without_contracts(release: Tenant) -> None:
    figures = situation(release.customer.pk, TODAY)

    assert (figures.overdue, figures.next_due_date, figures.next_payment) == (0, None, 0)


def test_it_derives_each_status_in_the_database(book: Tenant) -> None:
    rows = {
        (row.due_date, row.instalment_number): row.status
        for row in schedule(book.user, ScheduleFilter(), TODAY)
    }

    assert rows[(dt.date(2024, 2, 29), 1)] == "paid"
    assert rows[(dt.date(2024, 3, 31), 2)] == "overdue"
    assert rows[(dt.date(2024, 4, 5), 3)] == "to_be_due"
    assert rows[(dt.date(2021, 1, 10), 9)] == "paid"
    for row in schedule(book.user, ScheduleFilter(), TODAY):
        assert row.status == row.status_on(TODAY)
        assert row.overdue_balance == row.overdue_balance_on(TODAY)


@time_machine.travel(dt.datetime(2024, 4, 5, 10, 0, tzinfo=dt.UTC))
def test_it_shows_the_situation_on_the_home(book: Tenant) -> None:
    ServiceRequest.objects.create(
        company=book.company, customer=book.customer, code="RIC-2024-000001", kind="free",
        title="Duplicato fattura", status=RequestStatus.IN_PROGRESS,
        last_activity_at=dt.datetime(2024, 4, 2, 9, 0, tzinfo=dt.UTC),
    )  # fmt: skip

    page = book.logged_in_client().get("/").content.decode()

    assert "venerdì 5 aprile 2024" in page
    assert "1.316,38\u00a0€" in page
    assert "05/04/24" in page
    assert "2.316,38\u00a0€" in page
    assert "9.754,10\u00a0€" in page
    assert "1 TOTALE" in page
    assert "Contratto 84963" in page
    assert "60.000,00\u00a0€" in page
    assert "RIC-2024-000001" in page and "In lavorazione" in page and "02/04/24" in page
    assert 'href="/fatture-e-pagamenti/"' in page
    assert "Modifica banca appoggio / IBAN" in page
    assert 'href="/richieste/"' in page
    assert 'href="/richieste/nuova/iban/?next=/"' in page


@time_machine.travel(dt.datetime(2024, 4, 5, 10, 0, tzinfo=dt.UTC))
def test_it_shows_the_home_in_english(book: Tenant) -> None:
    client = book.logged_in_client()
    client.cookies["django_language"] = "en"

    page = client.get("/").content.decode()

    assert "Friday 5 April 2024" in page
    assert "€1,316.38" in page


def test_it_says_when_there_are_no_requests(release: Tenant) -> None:
    page = release.logged_in_client().get("/").content.decode()

    assert "Non ci sono richieste in corso" in page
    assert "0 TOTALE" in page


def test_it_keeps_the_generic_home_for_a_utility_customer(energia: Tenant) -> None:
    page = energia.logged_in_client().get("/").content.decode()

    assert "La tua situazione" not in page
    assert "Autolettura contatore" in page
    # Nothing leads to the leasing pages, which answer 404 on a utility's portal
    # (the utility's invoice list and document categories are its own).
    for path in ('/fatture-e-pagamenti/"', '/documenti/"', "/contratti/", "/rendiconti"):
        assert f'href="{path}' not in page


def make_book(tenant: Tenant, contracts: int) -> None:
    for _ in range(contracts):
        contract = make_contract(tenant.customer)
        for month in range(1, 7):
            entry(contract, dt.date(2024, month, 10), "100.00", "50.00", number=month)
        entry(
            contract, dt.date(2023, 12, 1), "10.00", "10.00", number=0, reason=PaymentReason.ADVANCE
        )
    ServiceRequest.objects.bulk_create(
        ServiceRequest(company=tenant.company, customer=tenant.customer, code=f"R{n}", kind="free",
                       title="x", last_activity_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        for n in range(contracts)
    )  # fmt: skip


@pytest.mark.parametrize("contracts", [1, 12])
def test_it_runs_a_fixed_number_of_queries(
    release: Tenant, contracts: int, django_assert_num_queries: object
) -> None:
    make_book(release, contracts)
    client = release.logged_in_client()
    client.get("/")  # the company and the session are cached from here on

    with django_assert_num_queries(7):  # type: ignore[operator]
        assert client.get("/").status_code == 200
