"""FatturaPA invoices imported by file (I2): every sample as VALIDATION.csv says, the
signed variants, several bodies, credit notes, the buyer matched within the company,
all or nothing, and a second import that changes nothing."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.factories import Tenant, make_contract, make_customer, make_invoice

from sportello.billing import services as billing_services
from sportello.billing.fatturapa import containers, xml
from sportello.billing.models import DocumentType, Invoice
from sportello.core.models import OutboxEmail
from sportello.integration.models import ImportRun, ImportSource, ImportStatus
from sportello.integration.services import import_file
from sportello.notices.models import Notification

FIXTURES = Path(__file__).parent.parent / "fixtures" / "fatturapa"
SAMPLES = FIXTURES / "samples"
MULTI_BODY = SAMPLES / "official" / "IT01234567890_FPA03.xml"
SIGNED_DER = SAMPLES / "fatturaelettronica-net" / "IT02182030391_31.xml.p7m"
SIGNED_BASE64 = SAMPLES / "fatturaelettronica-net" / "IT02182030391_31.Base64.xml.p7m"
TAMPERED = SAMPLES / "fatturaelettronica-net" / "IT02182030391_31_tampered.xml.p7m"
CREDIT_NOTE = SAMPLES / "invopop" / "invoice-credit-note.xml"
SCHEMA_INVALID = SAMPLES / "invopop" / "acube_test.xml"
UNREADABLE_SIGNATURE = "La firma del file .p7m non è leggibile: il file è danneggiato o manomesso."


def _expected_outcomes() -> dict[str, tuple[str, str]]:
    # FPR12 files are listed once per schema version with the same outcome; we check 1.2.2.
    with (FIXTURES / "VALIDATION.csv").open(encoding="utf-8") as rows:
        return {
            row["file"]: (row["result"], row["first lxml error"]) for row in csv.DictReader(rows)
        }


EXPECTED = _expected_outcomes()


def load(
    tenant: Tenant, data: bytes | Path, file_name: str | None = None, **options: object
) -> ImportRun:
    if isinstance(data, Path):
        file_name = file_name or data.name
        data = data.read_bytes()
    return import_file(
        tenant.company,
        "fatturapa",
        io.BytesIO(data),
        file_name=file_name or "fattura.xml",
        source_kind=ImportSource.COMMAND,
        **options,  # type: ignore[arg-type]
    )


def test_it_knows_every_sample() -> None:
    listed = set(EXPECTED)
    on_disk = {str(path.relative_to(FIXTURES)) for path in SAMPLES.rglob("*") if path.is_file()}

    assert listed == on_disk


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_gives_every_sample_the_outcome_validation_csv_records(name: str) -> None:
    result, first_error = EXPECTED[name]

    try:
        tree = xml.parse(containers.unwrap((FIXTURES / name).read_bytes()))
        errors = xml.validation_errors(tree)
    except xml.InvalidFile as error:
        assert result == "ERROR", error
        assert str(error) == UNREADABLE_SIGNATURE
        return

    if result == "VALID":
        assert errors == []
    else:
        assert result == "INVALID"
        # The CSV cuts long messages short.
        assert errors and errors[0].startswith(first_error)


def _with_line_breaks(encoded: bytes) -> bytes:
    return b"\r\n".join(encoded[i : i + 64] for i in range(0, len(encoded), 64))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: SIGNED_DER.read_bytes(), id="der"),
        pytest.param(lambda: SIGNED_BASE64.read_bytes(), id="base64"),
        pytest.param(lambda: _with_line_breaks(SIGNED_BASE64.read_bytes()), id="base64-lines"),
        pytest.param(
            lambda: (
                b"-----BEGIN PKCS7-----\n"
                + _with_line_breaks(base64.b64encode(SIGNED_DER.read_bytes()))
                + b"\n-----END PKCS7-----\n"
            ),
            id="pem",
        ),
    ],
)
def test_it_opens_a_signed_file(data: object) -> None:
    content = containers.unwrap(data())  # type: ignore[operator]

    tree = xml.parse(content)
    assert xml.validation_errors(tree) == []
    assert (
        tree.getroot().findtext("FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento/Numero")
        == "2"
    )


def test_it_refuses_a_signed_file_whose_content_was_changed() -> None:
    data = bytearray(SIGNED_DER.read_bytes())
    at = data.find(b"<Numero>2<")
    data[at + len(b"<Numero>")] = ord("9")

    with pytest.raises(xml.InvalidFile, match="danneggiato o manomesso"):
        containers.unwrap(bytes(data))


def test_it_refuses_what_is_neither_xml_nor_signed() -> None:
    with pytest.raises(xml.InvalidFile, match="né un XML né un file firmato"):
        containers.unwrap(b"%PDF-1.4 not an invoice")


@pytest.fixture
def beta(release: Tenant) -> Tenant:
    """Release's customer is the official samples' buyer (codice fiscale 09876543210)."""
    release.customer.partita_iva = "09876543210"
    release.customer.save()
    return release


def test_it_makes_one_invoice_per_body(beta: Tenant) -> None:
    first_contract = make_contract(beta.customer, number="123")
    second_contract = make_contract(beta.customer, number="321")

    run = load(beta, MULTI_BODY)

    assert (run.status, run.rows, run.created, run.updated, run.unchanged) == (
        ImportStatus.DONE, 2, 2, 0, 0,
    )  # fmt: skip
    first, second = Invoice.objects.order_by("xml_body")
    assert (first.number, first.date, first.xml_body) == ("12", dt.date(2017, 1, 18), 1)
    assert (second.number, second.date, second.xml_body) == ("456", dt.date(2017, 1, 20), 2)
    assert (second.taxable, second.vat, second.total) == (
        Decimal("2000.00"), Decimal("440.00"), Decimal("2440.00"),
    )  # fmt: skip
    assert list(first.contracts.all()) == [first_contract]
    assert list(second.contracts.all()) == [second_contract]
    assert {first.customer, second.customer} == {beta.customer}
    assert first.sdi_file_name == second.sdi_file_name == "IT01234567890_FPA03.xml"
    assert first.document_type == DocumentType.INVOICE
    assert first.published_at is not None
    # Both bodies keep the one file as it came.
    assert first.xml.name == second.xml.name
    with first.xml.open("rb") as stored:
        assert stored.read() == MULTI_BODY.read_bytes()


def test_it_imports_a_signed_invoice_and_keeps_the_xml_inside(release: Tenant) -> None:
    release.customer.partita_iva = "01180680397"
    release.customer.save()

    run = load(release, SIGNED_DER)

    assert run.status == ImportStatus.DONE, run.report
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.total) == ("2", Decimal("122.00"))
    assert invoice.sdi_file_name == "IT02182030391_31.xml.p7m"
    with invoice.xml.open("rb") as stored:
        assert stored.read() == containers.unwrap(SIGNED_DER.read_bytes())


def test_it_imports_a_base64_signed_invoice(release: Tenant) -> None:
    release.customer.partita_iva = "01180680397"
    release.customer.save()

    run = load(release, SIGNED_BASE64)

    assert (run.status, run.created) == (ImportStatus.DONE, 1)


def test_it_refuses_a_tampered_signed_file_with_a_message_a_person_understands(
    release: Tenant,
) -> None:
    run = load(release, TAMPERED)

    assert run.status == ImportStatus.REJECTED
    assert run.report == [
        {
            "row": 0,
            "column": "",
            "value": TAMPERED.name,
            "code": "file",
            "message": UNREADABLE_SIGNATURE,
        }
    ]
    assert not Invoice.objects.exists()


def test_it_imports_an_invoice_declared_in_windows_1252(beta: Tenant) -> None:
    source = (SAMPLES / "official" / "IT01234567890_FPR01.xml").read_text(encoding="utf-8")
    source = source.replace('encoding="UTF-8"', 'encoding="windows-1252"')
    source = source.replace("DITTA BETA", "Società Beta Caffè")
    data = source.encode("cp1252")

    run = load(beta, data, "IT01234567890_FPR01.xml")

    assert run.status == ImportStatus.DONE, run.report
    invoice = Invoice.objects.get()
    with invoice.xml.open("rb") as stored:
        root = xml.parse(stored.read()).getroot()
    assert root.findtext(".//CessionarioCommittente/DatiAnagrafici/Anagrafica/Denominazione") == (
        "Società Beta Caffè"
    )


def test_it_imports_a_credit_note(release: Tenant) -> None:
    release.customer.partita_iva = "09876543217"
    release.customer.save()

    run = load(release, CREDIT_NOTE)

    assert run.status == ImportStatus.DONE, run.report
    note = Invoice.objects.get()
    assert note.document_type == DocumentType.CREDIT_NOTE and note.is_credit_note
    assert (note.number, note.taxable, note.vat, note.total) == (
        "CN-001", Decimal("1720.00"), Decimal("356.40"), Decimal("2076.40"),
    )  # fmt: skip


def test_it_imports_a_simplified_invoice(release: Tenant) -> None:
    release.customer.partita_iva = "01001100110"
    release.customer.save()

    run = load(release, SAMPLES / "fatturaelettronicaphp" / "ESEMPIO_FT_SEMPL_2.xml")

    assert run.status == ImportStatus.DONE, run.report
    invoice = Invoice.objects.get()
    assert invoice.document_type == DocumentType.SIMPLIFIED_INVOICE
    # Importo includes VAT in the simplified format.
    assert (invoice.taxable, invoice.vat, invoice.total) == (
        Decimal("1.46"), Decimal("0.32"), Decimal("1.78"),
    )  # fmt: skip


def test_it_rejects_an_unmatched_customer_and_writes_nothing(
    release: Tenant, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }

    run = load(release, MULTI_BODY)

    assert run.status == ImportStatus.REJECTED
    assert (run.rows, run.rejected, run.created) == (2, 2, 0)
    assert run.report[0] == {
        "row": 1,
        "column": "CessionarioCommittente",
        "value": "09876543210",
        "code": "customer",
        "message": "Nessun cliente della società ha questa partita IVA o codice fiscale.",
    }
    assert [line["row"] for line in run.report] == [1, 2]
    assert not Invoice.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_it_never_matches_a_customer_or_an_invoice_of_another_company(
    release: Tenant, energia: Tenant
) -> None:
    energia.customer.partita_iva = "09876543210"
    energia.customer.save()
    theirs = make_invoice(energia.customer, number="12", date=dt.date(2017, 1, 18))

    refused = load(release, MULTI_BODY)

    assert refused.status == ImportStatus.REJECTED
    assert Invoice.objects.get() == theirs

    release.customer.partita_iva = "09876543210"
    release.customer.save()
    run = load(release, MULTI_BODY)

    assert (run.status, run.created) == (ImportStatus.DONE, 2)
    theirs.refresh_from_db()
    assert (theirs.customer, theirs.total, theirs.xml_body) == (
        energia.customer, Decimal("1220.00"), None,
    )  # fmt: skip
    assert Invoice.objects.filter(company=release.company).count() == 2


def test_it_changes_nothing_when_the_same_file_comes_twice(beta: Tenant) -> None:
    make_contract(beta.customer, number="123")
    load(beta, MULTI_BODY)
    before = list(Invoice.objects.order_by("pk").values())

    again = load(beta, MULTI_BODY)

    assert (again.status, again.created, again.updated, again.unchanged) == (
        ImportStatus.DONE, 0, 0, 2,
    )  # fmt: skip
    assert list(Invoice.objects.order_by("pk").values()) == before


def test_it_updates_only_the_invoice_that_differs(beta: Tenant) -> None:
    existing = make_invoice(
        beta.customer, number="456", date=dt.date(2017, 1, 20), published_at=None
    )

    run = load(beta, MULTI_BODY)

    assert (run.created, run.updated, run.unchanged) == (1, 1, 0)
    existing.refresh_from_db()
    assert (existing.total, existing.xml_body) == (Decimal("2440.00"), 2)


def test_it_reports_every_schema_error(release: Tenant) -> None:
    run = load(release, SCHEMA_INVALID)

    assert run.status == ImportStatus.REJECTED
    first = run.report[0]
    assert (first["row"], first["code"], first["value"]) == (0, "xsd", "acube_test.xml")
    assert first["message"] == EXPECTED["samples/invopop/acube_test.xml"][1]
    assert first["column"].endswith("DatiTrasmissione/CodiceDestinatario")


def test_it_refuses_document_types_no_customer_receives(beta: Tenant) -> None:
    data = (SAMPLES / "official" / "IT01234567890_FPR01.xml").read_bytes()
    data = data.replace(b"<TipoDocumento>TD01<", b"<TipoDocumento>TD17<")

    run = load(beta, data, "IT01234567890_FPR01.xml")

    assert run.status == ImportStatus.REJECTED
    assert run.report[0]["code"] == "document_type"
    assert run.report[0]["value"] == "TD17"


def test_a_dry_run_counts_and_writes_nothing(beta: Tenant) -> None:
    run = load(beta, MULTI_BODY, dry_run=True)

    assert (run.status, run.created) == (ImportStatus.DRY_RUN, 2)
    assert not Invoice.objects.exists()


def test_it_imports_a_zip_of_files(beta: Tenant) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(MULTI_BODY, MULTI_BODY.name)
        bundle.write(SAMPLES / "official" / "IT01234567890_FPR01.xml", "IT01234567890_FPR01.xml")

    run = load(beta, archive.getvalue(), "fatture.zip")

    assert (run.status, run.rows, run.created) == (ImportStatus.DONE, 3, 3), run.report
    assert set(Invoice.objects.values_list("sdi_file_name", flat=True)) == {
        "IT01234567890_FPA03.xml",
        "IT01234567890_FPR01.xml",
    }


def test_it_notifies_the_customer_of_an_imported_invoice(beta: Tenant) -> None:
    load(beta, SAMPLES / "official" / "IT01234567890_FPR01.xml")

    billing_services.notify_published_invoices()

    invoice = Invoice.objects.get()
    assert invoice.notified_at is not None
    assert Notification.objects.get().invoice == invoice
    assert OutboxEmail.objects.filter(to=[beta.user.email]).exists()


def test_it_adds_one_more_customer_with_the_same_tax_id_as_an_error(beta: Tenant) -> None:
    make_customer(beta.company, partita_iva="09876543210")

    run = load(beta, MULTI_BODY)

    assert run.status == ImportStatus.REJECTED
    assert run.report[0]["code"] == "customer_ambiguous"


def test_it_tries_again_without_verifying_the_signed_attributes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Some signers write signed attributes openssl refuses while the content is intact.
    real_run = subprocess.run
    calls: list[list[str]] = []

    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        if "-no_attr_verify" not in command:
            return subprocess.CompletedProcess(command, 4, b"", b"CMS Verification failure")
        return real_run(command, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(containers.subprocess, "run", run)

    content = containers.unwrap(SIGNED_DER.read_bytes())

    assert xml.validation_errors(xml.parse(content)) == []
    assert [command[-1] for command in calls] == ["-binary", "-no_attr_verify"]


def test_the_same_xml_kept_under_another_name_keeps_its_invoice_and_links(
    beta: Tenant,
) -> None:
    """The demo stores its XML under its own names, and links contracts itself: the
    very same file imported again finds nothing to change and unlinks nothing."""
    from django.core.files.base import ContentFile

    sample = SAMPLES / "official" / "IT01234567890_FPR01.xml"
    load(beta, sample)
    invoice = Invoice.objects.get()
    invoice.xml.save("altrove.xml", ContentFile(sample.read_bytes()), save=True)
    kept_as = invoice.xml.name
    contract = make_contract(beta.customer)
    invoice.contracts.add(contract)

    again = load(beta, sample)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    invoice.refresh_from_db()
    assert list(invoice.contracts.all()) == [contract]
    assert invoice.xml.name == kept_as


def test_it_refuses_a_zip_whose_invoice_is_garbled(release: Tenant) -> None:
    """Found by fuzzing: zlib's error, or a name flagged UTF-8 that is not, crashed the run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("IT01234567890_00001.xml", b"<a>" + b"x" * 500 + b"</a>")
    data = bytearray(buffer.getvalue())
    data[data.find(b"_00001.xml") + len(b"_00001.xml")] ^= 0xFF

    result = load(release, bytes(data), "fatture.zip")

    assert result.status == ImportStatus.REJECTED
    assert result.report[0]["message"] == "L'archivio ZIP è danneggiato o non leggibile."
    assert not Invoice.objects.filter(company=release.company).exists()
