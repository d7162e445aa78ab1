"""Every kind of feed, imported twice: created, then unchanged with no row touched;
one changed field updates one row; an invalid row is rejected by its column and code."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model
from openpyxl import Workbook
from tests.conftest import Tenant
from tests.factories import make_contract, make_supply_point
from tests.integration.test_import_documents import PDF, make_zip

from sportello.billing.models import Invoice, ScheduleEntry
from sportello.core.models import Company
from sportello.customers.models import Customer
from sportello.documents.models import Document
from sportello.energy.models import Consumption, Measure, ReadingWindow, SupplyPoint
from sportello.integration.models import ImportRun, ImportSource, ImportStatus
from sportello.integration.services import import_file
from sportello.leasing.models import Asset, Contract, PlanInstalment

CUSTOMER = "CLI-1"
CONTRACT = "K-1"
POD = "IT001E87654321"


@dataclass(frozen=True)
class Case:
    """A kind's valid file, one change to it and one invalid row with its error."""

    kind: str
    model: type[Model]
    text: str
    change: tuple[str, str]
    invalid: str
    error: tuple[str, str]


CASES = [
    Case(
        "customers",
        Customer,
        "code;kind;name;codice_fiscale;partita_iva;address;postcode;city;province;pec;email;"
        "phone;fax;paper_invoices\n"
        "K001;legal;Alfa S.r.l.;;00743110157;Via Roma 1;20121;Milano;MI;alfa@pec.example.test;"
        "alfa@example.test;02 123456;;no\n"
        "K002;natural;Bruno Verdi;VRDBRN80A01F205V;;Via Po 2;10121;Torino;TO;;;;;sì\n",
        ("Via Po 2", "Via Po 4"),
        "K003;company;Gamma;;00743110157;Via Po 3;10121;Torino;TO;;;;;no",
        ("kind", "choice"),
    ),
    Case(
        "contracts",
        Contract,
        "customer_code;product_code;reference_rate_code;subsidy_code;number;module_number;"
        "status;stipulated_on;start_date;end_date;amount;first_instalment;advance;"
        "residual_value;periodicity;instalment_count;instalment_amount;duration_months;"
        "beneficiary_code;beneficiary_name;payment_iban\n"
        f"{CUSTOMER};STRUM;EUR3M;;K-100;M-100;active;15/01/2023;01/02/2023;31/01/2028;"
        "60.000,00;advance;6.000,00;600,00;1;59;1.000,00;60;;;IT60X0542811101000000123456\n"
        f"{CUSTOMER};AUTO;;NUOVA SABATINI;K-101;M-101;extinct;2018-03-01;2018-04-01;"
        "2021-03-31;25000.00;;0;250,00;3;12;2.100,00;36;B1;Concessionaria;\n",
        ("60.000,00;advance", "61.000,00;advance"),
        f"{CUSTOMER};AUTO;;;K-102;M-102;active;01/01/2024;01/02/2024;01/01/2024;"
        "1000,00;;0;0;1;12;100,00;12;;;",
        ("end_date", "dates"),
    ),
    Case(
        "plan",
        PlanInstalment,
        "contract_number;number;due_date;kind;amount;capital_share;interest_share;"
        "residual_capital;payment_method;accrual_start;accrual_end;collection_date\n"
        f"{CONTRACT};0;01/02/2023;advance;6.000,00;6.000,00;0,00;54.000,00;sepa;"
        "01/02/2023;01/02/2023;\n"
        f"{CONTRACT};1;01/03/2023;instalment;1.000,00;900,00;100,00;53.100,00;sepa;"
        "01/03/2023;31/03/2023;01/03/2023\n",
        ("53.100,00", "53.100,01"),
        f"{CONTRACT};2;01/04/2023;instalment;1.000,00;900,00;100,00;52.200,00;sepa;"
        "30/04/2023;01/04/2023;",
        ("accrual_end", "dates"),
    ),
    Case(
        "schedule",
        ScheduleEntry,
        "contract_number;due_date;instalment_number;reason;payment_method;amount;paid;paid_on\n"
        f"{CONTRACT};01/03/2023;1;Canone;sepa;1.220,00;1.220,00;01/03/2023\n"
        f"{CONTRACT};01/04/2023;2;Canone;sepa;1.220,00;0;\n",
        ("1.220,00;0;", "1.220,00;100,00;"),
        f"{CONTRACT};01/05/2023;3;Canone;sepa;1.220,00;1.300,00;",
        ("paid", "paid_too_much"),
    ),
    Case(
        "assets",
        Asset,
        "contract_number;code;asset_type;financial_value;future_value;description;lease_end\n"
        f"{CONTRACT};B1;Tornio;50.000,00;500,00;Tornio CNC;31/01/2028\n"
        f"{CONTRACT};B2;Fresa;10.000,00;100,00;Fresa a 5 assi;31/01/2028\n",
        ("Fresa a 5 assi", "Fresa a 4 assi"),
        "K-SCONOSCIUTO;B3;Pressa;1,00;0,00;Pressa;31/01/2028",
        ("contract_number", "unknown"),
    ),
    Case(
        "invoices",
        Invoice,
        "customer_code;supply_point_code;number;date;document_type;taxable;vat;total\n"
        f"{CUSTOMER};;F-10;30/04/2024;TD01;1.000,00;220,00;1.220,00\n"
        f"{CUSTOMER};{POD};NC-1;15/05/2024;TD04;100,00;22,00;122,00\n",
        ("100,00;22,00;122,00", "100,00;22,01;122,01"),
        f"{CUSTOMER};;F-11;30/05/2024;TD01;1.000,00;220,00;1.221,00",
        ("total", "total"),
    ),
    Case(
        "supply_points",
        SupplyPoint,
        "customer_code;number;code;commodity;address;active_from;annual_consumption;"
        "has_corrector;billing_frequency\n"
        f"{CUSTOMER};P-1;IT001E12345678;electricity;Via Verdi 1;01/01/2020;2.700;no;monthly\n"
        f"{CUSTOMER};P-2;12345678901234;gas;Via Verdi 1;01/01/2020;700;sì;bimonthly\n",
        ("Via Verdi 1;01/01/2020;700", "Via Verdi 3;01/01/2020;700"),
        f"{CUSTOMER};P-3;12345;gas;Via Verdi 1;01/01/2020;700;no;",
        ("code", "identifier"),
    ),
    Case(
        "consumption",
        Consumption,
        "supply_point_code;year;month;energy;power;energy_f1;energy_f2;energy_f3;is_estimated\n"
        f"{POD};2024;1;250,5;3,0;100;80;70,5;no\n"
        f"{POD};2024;2;230;;;;;sì\n",
        ("2024;2;230", "2024;2;231"),
        f"{POD};2024;13;1;;;;;no",
        ("month", "month"),
    ),
    Case(
        "measures",
        Measure,
        "supply_point_code;measured_at;interval_minutes;active_energy;reactive_energy;peak_power\n"
        f"{POD};2024-03-31T01:45:00+01:00;15;0,250;;\n"
        f"{POD};2024-03-31T03:00:00+02:00;15;0,300;0,010;\n"
        f"{POD};30/03/2024 12:00;60;1,000;;1,5\n",
        ("0,300", "0,301"),
        f"{POD};2024-03-31T02:30:00;15;0,250;;",
        ("measured_at", "ambiguous_time"),
    ),
    Case(
        "reading_windows",
        ReadingWindow,
        "commodity;opens_at;closes_at\n"
        "electricity;2024-05-01T08:00:00+02:00;2024-05-10T20:00:00+02:00\n"
        "gas;01/05/2024 08:00;10/05/2024 20:00\n",
        ("10/05/2024 20:00", "11/05/2024 20:00"),
        "gas;01/06/2024 08:00;01/06/2024 07:00",
        ("closes_at", "dates"),
    ),
    Case(
        "documents",
        Document,
        "code;customer_code;contract_number;category;title;file;original_name;published_on\n"
        "D1;;;generic;Condizioni generali;condizioni.pdf;;01/03/2024\n"
        f"D2;{CUSTOMER};{CONTRACT};mine;Contratto firmato;firmato.pdf;contratto.pdf;2024-03-02\n",
        ("Contratto firmato", "Contratto firmato digitalmente"),
        "D3;;;mine;Miei documenti;condizioni.pdf;;01/03/2024",
        ("customer_code", "required"),
    ),
]


@pytest.fixture
def tenant(release: Tenant) -> Tenant:
    """The release company with the customer, contract and POD the files name."""
    release.customer.code = CUSTOMER
    release.customer.save()
    make_contract(release.customer, number=CONTRACT)
    make_supply_point(release.customer, code=POD)
    return release


def as_format(text: str, file_format: str) -> bytes:
    """The CSV's cells as text in an XLSX sheet or JSON lines (parsed the same way)."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append([cell or None for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    if file_format == "jsonl":
        header, *data = rows
        lines = (json.dumps(dict(zip(header, row, strict=True))) for row in data)
        return "\n".join(lines).encode() + b"\n"
    return text.encode()


def run(tenant: Tenant, case: Case, text: str, file_format: str = "csv") -> ImportRun:
    if case.kind == "documents":
        data = make_zip(text, {"condizioni.pdf": PDF, "firmato.pdf": PDF})
        name = "documents.zip"
    else:
        data, name = as_format(text, file_format), f"{case.kind}.{file_format}"
    return import_file(
        tenant.company,
        case.kind,
        io.BytesIO(data),
        file_name=name,
        source_kind=ImportSource.COMMAND,
    )


def snapshot(model: type[Model], company: Company) -> list[dict[str, Any]]:
    """Every value of every row of the company's objects of ``model``."""
    scope = {
        Customer: "company",
        Contract: "company",
        Invoice: "company",
        SupplyPoint: "company",
        ReadingWindow: "company",
        Document: "company",
        PlanInstalment: "contract__company",
        ScheduleEntry: "contract__company",
        Asset: "contract__company",
        Consumption: "supply_point__company",
        Measure: "supply_point__company",
    }[model]
    rows = model._default_manager.filter(**{scope: company}).order_by("pk").values()
    return list(rows)


PARAMS = [pytest.param(case, "csv", id=case.kind) for case in CASES] + [
    pytest.param(CASES[0], "xlsx", id="customers-xlsx"),
    pytest.param(CASES[2], "xlsx", id="plan-xlsx"),
    pytest.param(CASES[3], "jsonl", id="schedule-jsonl"),
    pytest.param(CASES[8], "jsonl", id="measures-jsonl"),
]


@pytest.mark.parametrize(("case", "file_format"), PARAMS)
def test_it_imports_every_kind_idempotently(
    tenant: Tenant, case: Case, file_format: str, request: pytest.FixtureRequest
) -> None:
    if case.kind == "documents":
        request.getfixturevalue("clamd")
        settings = request.getfixturevalue("settings")
        tmp_path: Path = request.getfixturevalue("tmp_path")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path)},
            },
        }
    rows = case.text.count("\n") - 1
    before = snapshot(case.model, tenant.company)

    first = run(tenant, case, case.text, file_format)
    assert first.report == []
    assert (first.status, first.created, first.updated, first.unchanged) == ("done", rows, 0, 0)
    created = snapshot(case.model, tenant.company)
    assert len(created) == len(before) + rows

    second = run(tenant, case, case.text, file_format)
    assert (second.status, second.created, second.updated, second.unchanged) == (
        "done",
        0,
        0,
        rows,
    )
    assert snapshot(case.model, tenant.company) == created

    old, new = case.change
    assert case.text.count(old) == 1
    changed = run(tenant, case, case.text.replace(old, new), file_format)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, rows - 1)
    after = snapshot(case.model, tenant.company)
    differing = [pair for pair in zip(created, after, strict=True) if pair[0] != pair[1]]
    assert len(differing) == 1

    rejected = run(tenant, case, case.text + case.invalid + "\n", file_format)
    assert rejected.status == ImportStatus.REJECTED
    # A spreadsheet's header is row 1; JSON lines have none.
    last = rows + (1 if file_format == "jsonl" else 2)
    assert [(r["row"], r["column"], r["code"]) for r in rejected.report] == [(last, *case.error)]
    assert snapshot(case.model, tenant.company) == after


def test_measure_times_are_read_with_their_offset_or_in_europe_rome(tenant: Tenant) -> None:
    run(tenant, CASES[8], CASES[8].text)
    stored = sorted(Measure.objects.filter(supply_point__code=POD).values_list("measured_at"))
    assert [moment for (moment,) in stored] == [
        dt.datetime(2024, 3, 30, 11, 0, tzinfo=dt.UTC),  # 12:00 in Rome, winter time
        dt.datetime(2024, 3, 31, 0, 45, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 31, 1, 0, tzinfo=dt.UTC),  # the first hour of summer time
    ]
    header = CASES[8].text.splitlines()[0]
    twice = (
        f"{header}\n{POD};2024-10-27T02:30:00;15;1;;\n"
        f"{POD};2024-10-27T02:30:00+02:00;15;1;;\n{POD};2024-10-27T02:30:00+01:00;15;1;;\n"
    )
    result = run(tenant, CASES[8], twice)
    assert [(r["row"], r["code"]) for r in result.report] == [(2, "ambiguous_time")]
    assert (
        run(tenant, CASES[8], twice.replace(f"{POD};2024-10-27T02:30:00;15;1;;\n", "")).created == 2
    )


def test_typed_xlsx_cells_and_json_values_are_read_as_they_are(tenant: Tenant) -> None:
    header = [
        "contract_number",
        "due_date",
        "instalment_number",
        "reason",
        "payment_method",
        "amount",
        "paid",
    ]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    sheet.append([CONTRACT, dt.datetime(2024, 1, 31), 1, "Canone", "sepa", 1220.5, 0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_file(
        tenant.company,
        "schedule",
        io.BytesIO(buffer.getvalue()),
        file_name="s.xlsx",
        source_kind=ImportSource.COMMAND,
    )
    assert (result.status, result.created) == ("done", 1)
    line = json.dumps(
        dict(zip(header, [CONTRACT, "2024-02-29", 2, "Canone", "sepa", 99.99, 0], strict=True))
    )
    result = import_file(
        tenant.company,
        "schedule",
        io.BytesIO(line.encode()),
        file_name="s.jsonl",
        source_kind=ImportSource.COMMAND,
    )
    assert (result.status, result.created) == ("done", 1)
    entries = ScheduleEntry.objects.filter(contract__number=CONTRACT).order_by("due_date")
    assert [(e.due_date, e.amount) for e in entries] == [
        (dt.date(2024, 1, 31), Decimal("1220.50")),
        (dt.date(2024, 2, 29), Decimal("99.99")),
    ]
