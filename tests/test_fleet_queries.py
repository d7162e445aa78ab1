"""A big account's pages run the queries of a small customer's, at most ten (issue 12).

A modest fleet made with the factories (30 contracts, each with its plan,
schedule, invoices and assets; a multi-site customer with 30 supply points and
their consumption) is enough to show that no page pays a query per row: the
demo's fleet (303 contracts) and bench/page_cost.py show what it costs in time.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.factories import Tenant, make_customer, make_invoice, make_supply_point, make_user
from tests.leasing.contracts import leased_contract

from sportello.billing.models import EntryStatus, Invoice, ScheduleEntry
from sportello.customers.models import Customer
from sportello.energy.models import Consumption
from sportello.leasing.models import Contract, ContractStatus, PaymentMethod, PaymentReason

MAX_QUERIES = 10
FLEET = 30


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context.captured_queries)


def lease(customer: Customer, contracts: int) -> None:
    """``contracts`` contracts with their plan, schedule (paid but the last two due),
    an invoice for each of the first rows and two assets each; one more extinct."""
    for n in range(contracts):
        contract = leased_contract(customer, duration_months=24, assets=2)
        rows = list(contract.plan.order_by("due_date", "number"))
        entries = ScheduleEntry.objects.bulk_create(
            ScheduleEntry(
                contract=contract,
                due_date=row.due_date,
                instalment_number=row.number,
                reason=PaymentReason.INSTALMENT,
                payment_method=PaymentMethod.SEPA,
                amount=row.amount,
                paid=row.amount if i < len(rows) - 2 else Decimal("0.00"),
            )
            for i, row in enumerate(rows)
        )
        for entry in entries[:3]:
            invoice = make_invoice(
                customer,
                number=f"{contract.number}-{entry.instalment_number}",
                date=entry.due_date,
                published_at=dt.datetime.combine(entry.due_date, dt.time(8), tzinfo=dt.UTC),
            )
            invoice.contracts.add(contract)
            ScheduleEntry.objects.filter(pk=entry.pk).update(invoice=invoice)
        if n == 0:
            leased_contract(customer, status=ContractStatus.EXTINCT, assets=1)


def logged_in(tenant: Tenant, customer: Customer) -> Client:
    client = tenant.logged_in_client(make_user(customer))
    client.get("/")  # the session's first request stamps it; the company is cached
    return client


def last_page(count: int) -> int:
    return max(1, math.ceil(count / 25))


def leasing_pages(customer: Customer) -> list[str]:
    contract = Contract.objects.filter(customer=customer).order_by("pk").first()
    assert contract is not None
    rows = ScheduleEntry.objects.filter(contract__customer=customer).count()
    invoices = Invoice.objects.filter(customer=customer).count()
    active = Contract.objects.filter(customer=customer, status=ContractStatus.ACTIVE).count()
    return [
        "/",
        "/fatture-e-pagamenti/",
        f"/fatture-e-pagamenti/?status={EntryStatus.OVERDUE.value}",
        f"/fatture-e-pagamenti/?contract={contract.pk}",
        "/fatture-e-pagamenti/?order=recenti&date_from=01/01/2022&date_to=31/12/2023",
        f"/fatture-e-pagamenti/?page={last_page(rows)}",
        "/fatture-e-pagamenti/fatture/",
        f"/fatture-e-pagamenti/fatture/?page={last_page(invoices)}",
        "/contratti/",
        "/contratti/?stato=estinti",
        f"/contratti/?page={last_page(active)}",
        f"/contratti/{contract.pk}/",
        f"/contratti/{contract.pk}/piano/",
        "/contratti/beni/",
        f"/contratti/beni/?page={last_page(active * 2)}",
        "/rendiconti/",
        "/documenti/",
        "/richieste/",
        "/notifiche/",
    ]


@pytest.fixture
def leasing_customers(release: Tenant) -> tuple[Customer, Customer]:
    small, fleet = make_customer(release.company), make_customer(release.company)
    lease(small, 1)
    lease(fleet, FLEET)
    return small, fleet


def test_it_serves_every_leasing_page_of_a_fleet_in_the_queries_of_one_contract(
    release: Tenant, leasing_customers: tuple[Customer, Customer]
) -> None:
    small, fleet = leasing_customers
    clients = logged_in(release, small), logged_in(release, fleet)
    for small_url, fleet_url in zip(leasing_pages(small), leasing_pages(fleet), strict=True):
        few, many = queries(clients[0], small_url), queries(clients[1], fleet_url)

        assert many == few, fleet_url
        assert many <= MAX_QUERIES, fleet_url


def supply(customer: Customer, points: int) -> None:
    for n in range(points):
        point = make_supply_point(customer, "electricity" if n % 3 else "gas")
        Consumption.objects.bulk_create(
            Consumption(supply_point=point, year=2025, month=month, energy=Decimal(200 + month))
            for month in range(1, 13)
        )
        make_invoice(
            customer,
            supply_point=point,
            date=dt.date(2025, 12, 31),
            published_at=dt.datetime(2026, 1, 2, 8, tzinfo=dt.UTC),
        )


UTILITY_PAGES = [
    "/",
    "/fatture-e-pagamenti/fatture/",
    "/fornitura/autoletture/",
    "/fornitura/prelievi/",
    "/fornitura/dati-tecnici/",
    "/fornitura/dati-contrattuali/",
    "/documenti/miei/",
    "/richieste/",
    "/notifiche/",
]


def test_it_serves_every_utility_page_of_many_sites_in_the_queries_of_one(
    energia: Tenant,
) -> None:
    small, sites = make_customer(energia.company), make_customer(energia.company)
    supply(small, 1)
    supply(sites, FLEET)
    clients = logged_in(energia, small), logged_in(energia, sites)
    for url in UTILITY_PAGES:
        few, many = queries(clients[0], url), queries(clients[1], url)

        assert many == few, url
        assert many <= MAX_QUERIES, url
