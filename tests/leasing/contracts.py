"""A leasing contract as the core system gives it: plan (with indexation), assets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.factories import Tenant, make_company, make_contract, make_customer, make_user

from sportello.accounts.models import PortalUser
from sportello.customers.models import Customer
from sportello.demo.finance import french_plan
from sportello.leasing.models import Asset, Contract, ContractStatus, PlanInstalment


def leased_contract(
    customer: Customer,
    *,
    stipulated_on: dt.date = dt.date(2022, 6, 15),
    duration_months: int = 48,
    assets: int = 2,
    **fields: Any,
) -> Contract:
    """An indexed French-plan contract of ``customer`` with its whole plan and assets."""
    amount, advance, residual_value = Decimal("50000.00"), Decimal("5000.00"), Decimal("500.00")
    plan = french_plan(
        amount=amount,
        advance=advance,
        residual_value=residual_value,
        spread=Decimal("0.030"),
        duration_months=duration_months,
        periodicity=1,
        stipulated_on=stipulated_on,
        indexed=True,
    )
    defaults: dict[str, Any] = {
        "product": "Leasing targato",
        "stipulated_on": stipulated_on,
        "start_date": plan.start_date,
        "end_date": plan.end_date,
        "amount": amount,
        "advance": advance,
        "residual_value": residual_value,
        "reference_rate": "Euribor 3 m.l. (div.360)",
        "instalment_count": plan.instalment_count,
        "instalment_amount": plan.instalment_amount,
        "duration_months": duration_months,
        "beneficiary_code": "F12345",
        "beneficiary_name": "Concessionaria Auto Nord S.p.A.",
        "payment_iban": "IT60X0542811101000000123456",
    }
    contract = make_contract(customer, **{**defaults, **fields})
    PlanInstalment.objects.bulk_create(
        PlanInstalment(contract=contract, **row.__dict__) for row in plan.rows
    )
    Asset.objects.bulk_create(
        Asset(
            contract=contract,
            code=f"{contract.number}-{n}",
            asset_type="AUTO LEASING FINANZIARIO",
            financial_value=Decimal("25000.00"),
            future_value=Decimal("250.00"),
            description=f"FIAT DUCATO 2.3 MJT FURGONE {n}",
            lease_end=plan.end_date,
        )
        for n in range(1, assets + 1)
    )
    return contract


def small_and_large_customers(tenant: Tenant) -> tuple[Client, Client]:
    """Two logged-in customers of the tenant's company: one contract, and many
    contracts with long plans and several assets each (warmed up: the session's
    first request is not counted)."""
    small = make_user(make_customer(tenant.company))
    large = make_user(make_customer(tenant.company))
    assert small.customer is not None and large.customer is not None
    leased_contract(small.customer, duration_months=24, assets=1)
    for _ in range(12):
        leased_contract(large.customer, duration_months=120, assets=4)
    make_contract(large.customer, status=ContractStatus.EXTINCT)
    make_contract(small.customer, status=ContractStatus.EXTINCT)
    clients = (tenant.logged_in_client(small), tenant.logged_in_client(large))
    for client in clients:
        client.get("/")
    return clients


def small_user(client: Client) -> PortalUser:
    """The user a client of ``small_and_large_customers`` is logged in as."""
    user_id = client.session["_auth_user_id"]
    return PortalUser.objects.get(pk=user_id)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def other_leasing_tenant() -> Tenant:
    """A second leasing company on ``bpm.test`` with a customer of its own."""
    company = make_company("bpm", name="Banco BPM – Divisione Leasing")
    customer = make_customer(company, name="Verdi Luca")
    return Tenant(company, "bpm.test", customer, make_user(customer, "lverdi"))
