"""Tabular imports: all or nothing, every error in one pass, idempotent, within one company."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.conftest import Tenant
from tests.factories import make_contract, make_customer

from sportello.billing.models import ScheduleEntry
from sportello.customers.models import Customer
from sportello.integration.feeds import tabular
from sportello.integration.models import ImportRun, ImportSource, ImportStatus
from sportello.integration.services import import_file

CUSTOMERS = (
    "code;kind;name;codice_fiscale;partita_iva;address;postcode;city;province;email\n"
    "A001;legal;Alfa S.r.l.;;00743110157;Via Roma 1;20121;Milano;MI;alfa@example.test\n"
    "A002;natural;Bruno Verdi;VRDBRN80A01F205V;;Via Po 2;10121;Torino;TO;\n"
)


def run(
    tenant: Tenant, kind: str, text: str, *, dry_run: bool = False, name: str = "f.csv"
) -> ImportRun:
    return import_file(
        tenant.company,
        kind,
        io.BytesIO(text.encode()),
        file_name=name,
        source_kind=ImportSource.COMMAND,
        dry_run=dry_run,
    )


def schedule_csv(contract_number: str, rows: int, amount: str = "1.220,00") -> str:
    lines = ["contract_number;due_date;instalment_number;reason;payment_method;amount;paid"]
    for n in range(1, rows + 1):
        year, month = 2020 + (n - 1) // 12, (n - 1) % 12 + 1
        lines.append(f"{contract_number};01/{month:02d}/{year};{n};instalment;sepa;{amount};0")
    return "\n".join(lines) + "\n"


def test_customers_are_created_then_left_unchanged(release: Tenant) -> None:
    first = run(release, "customers", CUSTOMERS)
    assert (first.status, first.created, first.updated, first.unchanged) == ("done", 2, 0, 0)
    alfa = Customer.objects.get(company=release.company, code="A001")
    assert alfa.name == "Alfa S.r.l." and alfa.partita_iva == "00743110157"

    second = run(release, "customers", CUSTOMERS)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)

    changed = run(release, "customers", CUSTOMERS.replace("Bruno Verdi", "Bruno Verdi Rossi"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Customer.objects.get(company=release.company, code="A002").name == "Bruno Verdi Rossi"


def test_a_file_with_errors_writes_nothing_and_reports_every_error(release: Tenant) -> None:
    contract = make_contract(release.customer, number="900001")
    text = schedule_csv(contract.number, 3)
    text = text.replace("01/02/2020", "31/02/2020").replace(
        ";3;instalment;sepa;1.220,00", ";3;instalment;sepa;abc"
    )
    text += "999999;01/01/2030;1;instalment;sepa;10,00;0\n"
    result = run(release, "schedule", text)
    assert result.status == ImportStatus.REJECTED
    assert ScheduleEntry.objects.filter(contract=contract).count() == 0
    found = {(line["row"], line["column"], line["code"]) for line in result.report}
    assert found == {
        (3, "due_date", "date"),
        (4, "amount", "number"),
        (5, "contract_number", "unknown"),
    }
    assert result.rejected == 3 and result.rows == 4


def test_a_dry_run_counts_without_writing(release: Tenant) -> None:
    contract = make_contract(release.customer, number="900002")
    result = run(release, "schedule", schedule_csv(contract.number, 5), dry_run=True)
    assert (result.status, result.created) == (ImportStatus.DRY_RUN, 5)
    assert not ScheduleEntry.objects.filter(contract=contract).exists()


def test_another_companys_contract_is_never_matched(release: Tenant, energia: Tenant) -> None:
    theirs = make_contract(make_customer(energia.company), number="700001")
    result = run(release, "schedule", schedule_csv(theirs.number, 2))
    assert result.status == ImportStatus.REJECTED
    assert {line["code"] for line in result.report} == {"unknown"}
    assert not ScheduleEntry.objects.filter(contract=theirs).exists()


def test_a_changed_amount_updates_only_that_row(release: Tenant) -> None:
    contract = make_contract(release.customer, number="900003")
    run(release, "schedule", schedule_csv(contract.number, 12))
    text = schedule_csv(contract.number, 12).replace(
        "01/05/2020;5;instalment;sepa;1.220,00", "01/05/2020;5;instalment;sepa;1.250,50"
    )
    result = run(release, "schedule", text)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 11)
    entry = ScheduleEntry.objects.get(contract=contract, instalment_number=5)
    assert entry.amount == Decimal("1250.50")


def test_repeated_keys_in_one_file_are_rejected(release: Tenant) -> None:
    contract = make_contract(release.customer, number="900004")
    text = schedule_csv(contract.number, 2)
    text += text.splitlines()[1] + "\n"
    result = run(release, "schedule", text)
    assert result.status == ImportStatus.REJECTED
    assert [(line["row"], line["code"]) for line in result.report] == [(4, "duplicate")]


def test_queries_do_not_grow_with_the_rows(release: Tenant) -> None:
    small = make_contract(release.customer, number="900005")
    large = make_contract(release.customer, number="900006")
    with CaptureQueriesContext(connection) as few:
        assert run(release, "schedule", schedule_csv(small.number, 1_000)).created == 1_000
    with CaptureQueriesContext(connection) as many:
        assert run(release, "schedule", schedule_csv(large.number, 10_000)).created == 10_000
    assert len(many) == len(few)


def test_a_customer_needs_a_valid_tax_code(release: Tenant) -> None:
    text = CUSTOMERS.replace("VRDBRN80A01F205V", "VRDBRN80A01F205X").replace("00743110157", "")
    result = run(release, "customers", text)
    assert result.status == ImportStatus.REJECTED
    assert {(line["row"], line["column"]) for line in result.report} == {
        (2, "codice_fiscale"),
        (3, "codice_fiscale"),
    }


def test_an_imported_invoice_is_published_and_its_customer_told(release: Tenant) -> None:
    from sportello.billing import services as billing_services
    from sportello.billing.models import Invoice
    from sportello.notices.models import Notification

    text = (
        "customer_code;number;date;document_type;taxable;vat;total\n"
        f"{release.customer.code};F-77;30/04/2024;TD01;1.000,00;220,00;1.220,00\n"
    )
    assert run(release, "invoices", text).created == 1

    billing_services.notify_published_invoices()

    invoice = Invoice.objects.get(company=release.company, number="F-77")
    assert invoice.published_at is not None and invoice.notified_at is not None
    assert Notification.objects.filter(invoice=invoice).exists()


def test_one_pass_finds_every_error_of_a_row_and_its_repeated_key(release: Tenant) -> None:
    """A wrong cell does not hide the row's other errors nor a key it repeats."""
    contract = make_contract(release.customer, number="900007")
    text = (
        "contract_number;due_date;instalment_number;reason;payment_method;amount;paid\n"
        f"{contract.number};01/01/2026;1;instalment;sepa;100,00;200,00\n"
        f"{contract.number};01/01/2026;1;instalment;assegno;100,00;0\n"
    )
    result = run(release, "schedule", text)

    found = {(line["row"], line["column"], line["code"]) for line in result.report}
    assert found == {
        (2, "paid", "paid_too_much"),
        (3, "payment_method", "choice"),
        (3, "contract_number, due_date, instalment_number, reason", "duplicate"),
    }


def test_an_unknown_column_is_the_files_error_not_a_rows(release: Tenant) -> None:
    result = run(release, "customers", CUSTOMERS.replace(";email\n", ";colore\n", 1))
    assert result.status == ImportStatus.REJECTED
    assert [(line["row"], line["column"]) for line in result.report] == [(0, "colore")]
    assert result.rejected == 0


def test_the_report_speaks_the_language_of_the_run(release: Tenant) -> None:
    from django.utils import translation

    text = CUSTOMERS.replace("Via Po 2", "")
    with translation.override("en"):
        result = run(release, "customers", text)
    assert [line["message"] for line in result.report] == ["Required value missing."]


def test_a_large_load_refreshes_the_planners_statistics_on_postgresql(
    release: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Until autovacuum runs, a freshly loaded table has no statistics and the
    # customer pages scan it whole: a large import analyses what it wrote.
    monkeypatch.setattr(tabular, "ANALYZE_AFTER_ROWS", 100)
    small = make_contract(release.customer, number="900007")
    large = make_contract(release.customer, number="900008")

    def analyses(text: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert run(release, "schedule", text).status == ImportStatus.DONE
        return sum(q["sql"].startswith("ANALYZE") for q in queries.captured_queries)

    assert analyses(schedule_csv(small.number, 99)) == 0
    assert analyses(schedule_csv(large.number, 100)) == (connection.vendor == "postgresql")
    # Unchanged rows write nothing, so there is nothing new to analyse.
    assert analyses(schedule_csv(large.number, 100)) == 0


def test_it_rejects_a_row_missing_a_required_date_with_a_message(release: Tenant) -> None:
    """Found by fuzzing: the empty date reached the staging table and crashed the run."""
    contract = make_contract(release.customer)
    text = schedule_csv(contract.number, 2).replace(";01/01/2020;", ";;")

    result = run(release, "schedule", text)

    assert result.status == ImportStatus.REJECTED
    assert [(line["row"], line["column"], line["code"]) for line in result.report] == [
        (2, "due_date", "required")
    ]
    assert not ScheduleEntry.objects.filter(contract=contract).exists()


def test_it_rejects_a_time_a_datetime_cannot_hold_in_utc(release: Tenant) -> None:
    """Found by fuzzing: the first hour of year 1 in Rome overflowed in UTC."""
    text = "commodity;opens_at;closes_at\ngas;0001-01-01T00:30;0001-01-01T00:45\n"

    result = run(release, "reading_windows", text)

    assert result.status == ImportStatus.REJECTED
    assert {line["code"] for line in result.report} == {"datetime"}
    assert result.report[0]["message"] == "Data e ora fuori dall'intervallo ammesso."


def test_it_rejects_a_nul_in_a_cell_and_records_the_run_on_any_database(
    release: Tenant,
) -> None:
    """Found by fuzzing on PostgreSQL: a NUL in a cell or in the file's name could be
    stored neither in the rows nor in the run's report (text and jsonb refuse it)."""
    text = CUSTOMERS.replace("Alfa S.r.l.", "Alfa\x00 S.r.l.")

    result = run(release, "customers", text, name="clienti\x00.csv")

    assert result.status == ImportStatus.REJECTED
    assert result.file_name == "clienti\ufffd.csv"
    assert [(line["column"], line["code"]) for line in result.report] == [("name", "nul")]
    assert "\x00" not in result.report[0]["value"]
    assert not Customer.objects.filter(company=release.company, code="A001").exists()
