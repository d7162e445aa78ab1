"""The data migrations turn the core system's Italian text into codes and reference data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0001_initial"), ("leasing", "0001_initial"), ("billing", "0001_initial")]
AFTER = [("leasing", "0004_contract_reference_fields"), ("billing", "0002_schedule_reason_codes")]


@pytest.mark.django_db(transaction=True)
def test_it_converts_free_text_to_codes_and_reference_data() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Company = apps.get_model("core", "Company")
    Customer = apps.get_model("customers", "Customer")
    Contract = apps.get_model("leasing", "Contract")
    ScheduleEntry = apps.get_model("billing", "ScheduleEntry")
    company = Company.objects.create(slug="old", name="Old", kind="leasing", support_email="a@b.it")
    customer = Customer.objects.create(
        company=company, code="1", name="ROSSI MARIO", codice_fiscale="RSSMRA80A01H501U"
    )
    contracts = [
        Contract.objects.create(
            company=company,
            customer=customer,
            number=str(n),
            module_number="1",
            product="Leasing targato",
            status="active",
            stipulated_on=dt.date(2024, 1, 1),
            start_date=dt.date(2024, 1, 6),
            end_date=dt.date(2028, 1, 31),
            amount=Decimal("10000.00"),
            advance=Decimal("0.00"),
            residual_value=Decimal("100.00"),
            reference_rate=rate,
            subsidy="Nessuna agevolazione",
            instalment_count=47,
            instalment_amount=Decimal("230.00"),
            duration_months=48,
        )
        for n, rate in ((1, "Tasso fisso"), (2, ""))
    ]
    for reason in ("Canone", "ANTICIPO", "Bollo"):
        ScheduleEntry.objects.create(
            contract=contracts[0],
            due_date=dt.date(2024, 1, 31),
            instalment_number=1,
            reason=reason,
            payment_method="sepa",
            amount=Decimal("10.00"),
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Contract = apps.get_model("leasing", "Contract")
    ScheduleEntry = apps.get_model("billing", "ScheduleEntry")

    first, second = Contract.objects.order_by("number")
    assert (first.product.name_it, first.product.name_en) == ("Leasing targato", "Vehicle leasing")
    assert first.product_id == second.product_id  # one row per company and name
    assert first.reference_rate.name_en == "Fixed rate" and second.reference_rate is None
    assert first.subsidy.name_en == "No subsidy"
    assert first.first_instalment == "advance"
    reasons = sorted(ScheduleEntry.objects.values_list("reason", flat=True))
    assert reasons == ["Bollo", "advance", "instalment"]  # an unknown causale is kept
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
