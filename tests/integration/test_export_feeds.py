"""A company's data exported as feed files and imported into a fresh company gives the
same data: the same files exported again, the same counts and sums on every page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from tests.conftest import Tenant
from tests.factories import (
    make_company,
    make_contract,
    make_customer,
    make_document,
    make_invoice,
    make_supply_point,
)

from sportello.billing.models import Invoice, ScheduleEntry
from sportello.core.models import Company, CompanyKind
from sportello.customers.models import Customer
from sportello.documents.models import Document, DocumentCategory
from sportello.energy.models import Consumption, Measure, ReadingWindow, SupplyPoint
from sportello.integration.models import ImportRun
from sportello.leasing.models import Asset, Contract, PlanInstalment


@pytest.fixture(autouse=True)
def _scanned_and_stored_apart(clamd: Path, settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def build(tenant: Tenant) -> None:
    """A little of everything a customer sees, with the awkward values in it."""
    company = tenant.company
    first = tenant.customer
    second = make_customer(company, name="Società Alfa", phone="+39 02 123456")
    for customer, number in ((first, "L-1"), (second, "L-2/2024")):
        contract = make_contract(customer, number=number, reference_rate="Euribor 3M")
        for n in range(1, 4):
            due = dt.date(2024, n, 1)
            PlanInstalment.objects.create(
                contract=contract,
                number=n,
                due_date=due,
                kind="instalment",
                amount=Decimal("1000.00"),
                capital_share=Decimal("900.10"),
                interest_share=Decimal("99.90"),
                residual_capital=Decimal(50000 - 900 * n),
                payment_method="sepa",
                accrual_start=due,
                accrual_end=due + dt.timedelta(days=27),
            )
            ScheduleEntry.objects.create(
                contract=contract,
                due_date=due,
                instalment_number=n,
                reason="Canone",
                payment_method="sepa",
                amount=Decimal("1220.00"),
                paid=Decimal("1220.00") if n == 1 else Decimal("0.00"),
                paid_on=due if n == 1 else None,
            )
        Asset.objects.create(
            contract=contract,
            code=f"B-{number}",
            asset_type="Tornio",
            financial_value=Decimal("50000.00"),
            future_value=Decimal("500.00"),
            description="Tornio; a controllo numerico",
            lease_end=dt.date(2028, 1, 31),
        )
        make_invoice(customer, number=f"F-{number}")
        make_document(company, f"Contratto {number}", customer=customer, contract=contract)
    make_invoice(first, number="NC-1", document_type="TD04", total=Decimal("1220.00"))
    make_document(company, "Condizioni generali", category=DocumentCategory.GENERIC)
    coded = make_document(company, "Foglio informativo", category=DocumentCategory.INFORMATION)
    Document.objects.filter(pk=coded.pk).update(code="FI-1")
    point = make_supply_point(first)
    make_supply_point(second, "gas", has_corrector=True)
    for month in (1, 2):
        Consumption.objects.create(
            supply_point=point, year=2024, month=month, energy=Decimal("250.5")
        )
    for moment in (
        dt.datetime(2024, 10, 27, 0, 30, tzinfo=dt.UTC),  # 02:30 in Rome, summer time
        dt.datetime(2024, 10, 27, 1, 30, tzinfo=dt.UTC),  # 02:30 again, winter time
    ):
        Measure.objects.create(
            supply_point=point, measured_at=moment, active_energy=Decimal("0.125")
        )
    ReadingWindow.objects.create(
        company=company,
        commodity="gas",
        opens_at=dt.datetime(2024, 5, 1, 6, tzinfo=dt.UTC),
        closes_at=dt.datetime(2024, 5, 10, 18, tzinfo=dt.UTC),
    )


def figures(company: Company) -> dict[str, Any]:
    """What the customer pages show, counted and summed per customer."""

    def per_customer(queryset: Any, path: str, **sums: str) -> list[dict[str, Any]]:
        totals = {name: Sum(field) for name, field in sums.items()}
        rows = queryset.values(path).annotate(n=Count("pk"), **totals).order_by(path)
        return list(rows)

    return {
        "customers": list(Customer.objects.filter(company=company).values_list("code", "name")),
        "contracts": per_customer(
            Contract.objects.filter(company=company), "customer__code", a="amount"
        ),
        "plan": per_customer(
            PlanInstalment.objects.filter(contract__company=company),
            "contract__number",
            a="amount",
            c="capital_share",
            r="residual_capital",
        ),
        "schedule": per_customer(
            ScheduleEntry.objects.filter(contract__company=company),
            "contract__number",
            a="amount",
            p="paid",
        ),
        "assets": per_customer(
            Asset.objects.filter(contract__company=company), "contract__number", v="financial_value"
        ),
        "invoices": per_customer(
            Invoice.objects.filter(company=company), "customer__code", t="total", v="vat"
        ),
        "points": per_customer(SupplyPoint.objects.filter(company=company), "customer__code"),
        "consumption": per_customer(
            Consumption.objects.filter(supply_point__company=company),
            "supply_point__code",
            e="energy",
        ),
        "measures": list(
            Measure.objects.filter(supply_point__company=company)
            .order_by("measured_at")
            .values_list("supply_point__code", "measured_at", "active_energy")
        ),
        "windows": list(
            ReadingWindow.objects.filter(company=company).values_list("opens_at", "closes_at")
        ),
        "documents": per_customer(Document.objects.filter(company=company), "customer__code"),
    }


def files_of(directory: Path) -> dict[str, bytes]:
    """Every exported file, a ZIP as its members."""
    found: dict[str, bytes] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    found[f"{path.name}/{name}"] = archive.read(name)
        else:
            found[path.name] = path.read_bytes()
    return found


def test_a_company_rebuilt_from_its_feed_files_is_the_same(release: Tenant, tmp_path: Path) -> None:
    build(release)
    copy = make_company("copia", kind=CompanyKind.LEASING)
    out = io.StringIO()
    call_command("export_feeds", str(tmp_path / "a"), company="release", stdout=out)
    assert "documents: 4 righe" in out.getvalue()
    call_command("import_feeds", str(tmp_path / "a"), company="copia", stdout=out)
    assert ImportRun.objects.filter(company=copy, status="done").count() == 11

    assert figures(copy) == figures(release.company)
    call_command("export_feeds", str(tmp_path / "b"), company="copia", stdout=out)
    assert files_of(tmp_path / "b") == files_of(tmp_path / "a")

    # The same files again change nothing.
    call_command("import_feeds", str(tmp_path / "a"), company="copia", stdout=out)
    again = ImportRun.objects.filter(company=copy).order_by("-pk")[:11]
    assert {(run.created, run.updated) for run in again} == {(0, 0)}
    # Into the company they came from, too: the documents without a code excepted,
    # which an operator uploaded and the export gave their uid as code.
    call_command("import_feeds", str(tmp_path / "a"), company="release", stdout=out)
    back = ImportRun.objects.filter(company=release.company).order_by("-pk")[:11]
    assert {(run.kind, run.created) for run in back if run.created} == {("documents", 3)}


def test_invoices_can_travel_with_their_pdf(release: Tenant, tmp_path: Path) -> None:
    invoice = make_invoice(release.customer, number="F/1")
    invoice.pdf.save("f.pdf", io.BytesIO(b"%PDF-1.4\n% fattura\n"))  # type: ignore[arg-type]
    make_invoice(release.customer, number="F/2")
    copy = make_company("copia")
    call_command(
        "export_feeds", str(tmp_path), company="release", invoice_pdfs=True, stdout=io.StringIO()
    )
    call_command("import_feeds", str(tmp_path), company="copia", stdout=io.StringIO())
    copied = Invoice.objects.get(company=copy, number="F/1")
    assert copied.pdf.read() == b"%PDF-1.4\n% fattura\n"
    assert Invoice.objects.get(company=copy, number="F/2").pdf.name == ""
