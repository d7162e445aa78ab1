"""Documents and invoice PDFs come in a ZIP with their rows: checked like every upload,
stored under generated names, idempotent by content, undone when the run is."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from tests.conftest import Tenant
from tests.factories import make_contract, make_customer, make_invoice

from sportello.billing.models import Invoice
from sportello.documents.models import Document
from sportello.integration.feeds import archives
from sportello.integration.models import ImportRun, ImportSource, ImportStatus
from sportello.integration.services import import_file

PDF = b"%PDF-1.4\n% condizioni generali\n"
OTHER_PDF = b"%PDF-1.4\n% condizioni generali, versione 2\n"
HEADER = "code;customer_code;contract_number;category;title;file;original_name;published_on\n"


@pytest.fixture(autouse=True)
def _scanned_and_stored_apart(clamd: Path, settings: Any, tmp_path: Path) -> None:
    """Every file of these imports goes through the test clamd, into this test's directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def make_zip(
    rows: str, files: dict[str, bytes], feed: str = "documents.csv", encrypted: str = ""
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(feed, rows)
        for name, content in files.items():
            archive.writestr(name, content)
        if encrypted:
            archive.writestr(encrypted, PDF)
    data = bytearray(buffer.getvalue())
    if encrypted:
        # zipfile cannot encrypt: set the flag of the last directory entry, which the
        # loader must refuse on.
        entry = data.rfind(b"PK\x01\x02")
        data[entry + 8] |= 0x1
    return bytes(data)


def run(tenant: Tenant, data: bytes, *, kind: str = "documents", **options: Any) -> ImportRun:
    return import_file(
        tenant.company,
        kind,
        io.BytesIO(data),
        file_name=f"{kind}.zip",
        source_kind=ImportSource.COMMAND,
        **options,
    )


def stored(tenant: Tenant, directory: str = "documents") -> set[str]:
    path = f"{directory}/{tenant.company.pk}"
    return set(default_storage.listdir(path)[1]) if default_storage.exists(path) else set()


def rows_of(tenant: Tenant) -> str:
    contract = make_contract(tenant.customer)
    return (
        HEADER
        + "D1;;;generic;Condizioni generali;pdf/condizioni.pdf;;01/03/2024\n"
        + f"D2;{tenant.customer.code};{contract.number};mine;Contratto firmato;"
        + "firmato.pdf;contratto.pdf;2024-03-02\n"
    )


def test_it_stores_the_files_then_leaves_them_unchanged(
    release: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    rows = rows_of(release)
    data = make_zip(rows, {"pdf/condizioni.pdf": PDF, "firmato.pdf": PDF})
    first = run(release, data)
    assert (first.status, first.created, first.updated, first.unchanged) == ("done", 2, 0, 0)
    files = stored(release)
    assert len(files) == 2
    general = Document.objects.get(company=release.company, code="D1")
    assert general.customer is None and general.original_name == "condizioni.pdf"
    assert general.file.read() == PDF
    assert "condizioni" not in general.file.name
    signed = Document.objects.get(company=release.company, code="D2")
    assert signed.contract is not None and signed.customer == release.customer
    assert signed.original_name == "contratto.pdf"

    second = run(release, data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert stored(release) == files

    changed = make_zip(rows, {"pdf/condizioni.pdf": OTHER_PDF, "firmato.pdf": PDF})
    with django_capture_on_commit_callbacks(execute=True):
        third = run(release, changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    general.refresh_from_db()
    assert general.file.read() == OTHER_PDF
    # The old file is gone once the run is committed; nothing else was written.
    assert len(stored(release)) == 2 and general.file.name.rsplit("/", 1)[1] in stored(release)


def test_a_rejected_or_dry_run_leaves_no_file(release: Tenant) -> None:
    rows = rows_of(release) + "D3;;;generic;Senza file;manca.pdf;;01/03/2024\n"
    data = make_zip(rows, {"pdf/condizioni.pdf": PDF, "firmato.pdf": PDF})
    result = run(release, data)
    assert result.status == ImportStatus.REJECTED
    assert [(r["row"], r["column"], r["code"]) for r in result.report] == [
        (4, "file", "missing_file")
    ]
    assert stored(release) == set() and not Document.objects.filter(code="D1").exists()

    ok = make_zip(rows, {"pdf/condizioni.pdf": PDF, "firmato.pdf": PDF, "manca.pdf": PDF})
    dry = run(release, ok, dry_run=True)
    assert (dry.status, dry.created) == (ImportStatus.DRY_RUN, 3)
    assert stored(release) == set()


def test_every_row_is_checked_with_a_clear_message(
    release: Tenant, energia: Tenant, infected_pdf: bytes
) -> None:
    mine = make_contract(release.customer, number="DOC-2")
    other = make_customer(release.company)
    theirs = make_customer(energia.company)
    rows = (
        HEADER
        + ";;;generic;Senza codice;a.pdf;;01/03/2024\n"  # 2: no code
        + f"E1;;{mine.number};generic;Contratto senza cliente;a.pdf;;01/03/2024\n"  # 3
        + f"E2;{other.code};{mine.number};mine;Di un altro;a.pdf;;01/03/2024\n"  # 4
        + f"E3;{theirs.code};;mine;Altra società;a.pdf;;01/03/2024\n"  # 5
        + "E4;;;mine;Miei senza cliente;a.pdf;;01/03/2024\n"  # 6
        + "E5;;;generic;Testo;testo.txt;;01/03/2024\n"  # 7
        + "E6;;;generic;Virus;virus.pdf;;01/03/2024\n"  # 8
        + "E7;;;generic;Cifrato;cifrato.pdf;;01/03/2024\n"  # 9
    )
    data = make_zip(
        rows,
        {"a.pdf": PDF, "testo.txt": b"<?php echo 1; ?>", "virus.pdf": infected_pdf},
        encrypted="cifrato.pdf",
    )
    result = run(release, data)
    found = {(r["row"], r["column"], r["code"]) for r in result.report}
    assert found == {
        (2, "code", "required"),
        (3, "customer_code", "required"),
        (4, "contract_number", "other_customer"),
        (5, "customer_code", "unknown"),
        (6, "customer_code", "required"),
        (7, "file", "bad_type"),
        (8, "file", "infected"),
        (9, "file", "encrypted"),
    }
    assert stored(release) == set()


def test_paths_inside_the_zip_are_only_names(release: Tenant) -> None:
    rows = HEADER + "Z1;;;generic;Fuga;../../../etc/evil.pdf;;01/03/2024\n"
    result = run(release, make_zip(rows, {"../../../etc/evil.pdf": PDF}))
    assert result.status == ImportStatus.DONE
    document = Document.objects.get(company=release.company, code="Z1")
    assert document.file.name.startswith(f"documents/{release.company.pk}/")
    assert ".." not in document.file.name and document.original_name == "evil.pdf"


def test_a_zip_bomb_or_too_many_files_is_refused_before_reading(
    release: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = HEADER + "B1;;;generic;Grande;zeros.pdf;;01/03/2024\n"
    data = make_zip(rows, {"zeros.pdf": b"%PDF-1.4\n" + b"0" * 2_000_000})
    assert len(data) < 20_000
    monkeypatch.setattr(archives, "ZIP_MAX_UNCOMPRESSED", 1_000_000)
    result = run(release, data)
    assert [(r["code"], r["message"]) for r in result.report] == [
        ("file", "Lo ZIP, decompresso, è troppo grande.")
    ]
    monkeypatch.setattr(archives, "ZIP_MAX_UNCOMPRESSED", 4 << 30)
    monkeypatch.setattr(archives, "ZIP_MAX_MEMBERS", 1)
    assert run(release, data).report[0]["message"] == "Lo ZIP contiene più di 1 file."
    assert stored(release) == set()


def test_a_zip_without_its_rows_or_not_a_zip_is_refused(release: Tenant) -> None:
    assert run(release, make_zip("x", {}, feed="altro.csv")).report[0]["code"] == "file"
    assert "ZIP" in run(release, b"code;title\n").report[0]["message"]


def test_invoice_pdfs_come_the_same_way(release: Tenant) -> None:
    existing = make_invoice(release.customer, number="F-1")
    rows = (
        "customer_code;number;date;document_type;taxable;vat;total;pdf\n"
        f"{release.customer.code};F-1;30/04/2024;TD01;1000,00;220,00;1220,00;f1.pdf\n"
        f"{release.customer.code};F-2;30/04/2024;TD01;100,00;22,00;122,00;f2.pdf\n"
    )
    data = make_zip(rows, {"f1.pdf": PDF, "f2.pdf": OTHER_PDF}, feed="invoices.csv")
    first = run(release, data, kind="invoices")
    assert (first.status, first.created, first.updated) == ("done", 1, 1)
    existing.refresh_from_db()
    assert existing.pdf.read() == PDF and existing.pdf.name.endswith(".pdf")
    assert Invoice.objects.get(company=release.company, number="F-2").pdf.read() == OTHER_PDF
    again = run(release, data, kind="invoices")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    not_pdf = make_zip(
        rows, {"f1.pdf": b"\x89PNG\r\n\x1a\n....", "f2.pdf": PDF}, feed="invoices.csv"
    )
    refused = run(release, not_pdf, kind="invoices")
    assert [(r["row"], r["code"]) for r in refused.report] == [(2, "bad_type")]


def garbled(data: bytes, member: str) -> bytes:
    """``data`` with the first byte of ``member``'s deflated content flipped."""
    damaged = bytearray(data)
    start = damaged.find(member.encode()) + len(member)
    damaged[start] ^= 0xFF
    return bytes(damaged)


def test_a_zip_whose_rows_are_garbled_is_refused_whole(release: Tenant) -> None:
    """Found by fuzzing: zlib's own error escaped the loader and the run crashed."""
    rows = "code;title;category;file\n" + "".join(
        f"D{n};Documento {n};generic;d{n}.pdf\n" for n in range(40)
    )
    data = garbled(make_zip(rows, {f"d{n}.pdf": PDF for n in range(40)}), "documents.csv")

    result = run(release, data)

    assert result.status == ImportStatus.REJECTED
    assert result.report[0]["message"] == "Il file non è uno ZIP leggibile."
    assert not Document.objects.filter(company=release.company).exists()
