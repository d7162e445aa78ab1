"""``manage.py import``: the same service as the back office, said in the terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from tests.conftest import Tenant
from tests.integration.test_import_engine import CUSTOMERS

from sportello.customers.models import Customer
from sportello.integration.models import ImportRun


def import_command(tenant: Tenant, path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "import", "customers", str(path), "--company", tenant.company.slug, *extra, stdout=out
    )
    return out.getvalue()


def test_it_imports_then_finds_everything_unchanged(release: Tenant, tmp_path: Path) -> None:
    feed = tmp_path / "clienti.csv"
    feed.write_text(CUSTOMERS)

    assert "create 2, aggiornate 0, invariate 0" in import_command(release, feed)
    assert "create 0, aggiornate 0, invariate 2" in import_command(release, feed)
    run = ImportRun.objects.latest("started_at")
    assert (run.source, run.file_name, len(run.checksum)) == ("command", "clienti.csv", 64)


def test_a_dry_run_writes_nothing(release: Tenant, tmp_path: Path) -> None:
    feed = tmp_path / "clienti.csv"
    feed.write_text(CUSTOMERS)

    said = import_command(release, feed, "--dry-run")

    assert "Prova senza scrittura" in said and "create 2" in said
    assert not Customer.objects.filter(company=release.company, code__in=["A001", "A002"]).exists()


def test_a_rejected_file_fails_the_command_and_writes_its_report(
    release: Tenant, tmp_path: Path
) -> None:
    feed = tmp_path / "clienti.csv"
    feed.write_text(CUSTOMERS.replace("Via Po 2;10121", "Via Po 2;101210"))
    report = tmp_path / "rifiutate.xlsx"

    with pytest.raises(CommandError, match="nessuna riga è stata importata"):
        import_command(release, feed, "--report", str(report))

    sheet = load_workbook(report).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Riga", "Colonna", "Valore", "Codice errore", "Messaggio")
    assert rows[1][:4] == (3, "postcode", "101210", "too_long")


def test_an_unknown_company_is_said_so(release: Tenant, tmp_path: Path) -> None:
    feed = tmp_path / "clienti.csv"
    feed.write_text(CUSTOMERS)
    with pytest.raises(CommandError, match="Società sconosciuta"):
        call_command("import", "customers", str(feed), "--company", "nessuna")
