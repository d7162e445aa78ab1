"""SdI's receipts imported by file set the delivery status of the invoices of the
file they name, within the company, and a receipt imported twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests.factories import Tenant, make_invoice

from sportello.billing.models import DeliveryStatus, Invoice
from sportello.integration.models import ImportRun, ImportSource, ImportStatus
from sportello.integration.services import import_file

FIXTURES = Path(__file__).parent.parent / "fixtures"
INVOICES = FIXTURES / "fatturapa" / "samples" / "official" / "IT01234567890_FPA03.xml"
RECEIPTS = FIXTURES / "sdi"
ROME = ZoneInfo("Europe/Rome")
IMPORTED_AT = dt.datetime(2026, 3, 20, 10, 0, tzinfo=ROME)


def load(tenant: Tenant, kind: str, path: Path, data: bytes | None = None) -> ImportRun:
    return import_file(
        tenant.company,
        kind,
        io.BytesIO(path.read_bytes() if data is None else data),
        file_name=path.name,
        source_kind=ImportSource.COMMAND,
    )


@pytest.fixture
def sent(release: Tenant) -> list[Invoice]:
    """Release's two invoices of the official two-body sample, as sent through SdI."""
    release.customer.partita_iva = "09876543210"
    release.customer.save()
    assert load(release, "fatturapa", INVOICES).status == ImportStatus.DONE
    return list(Invoice.objects.order_by("xml_body"))


@pytest.mark.parametrize(
    ("receipt", "status", "at"),
    [
        ("RC_001", DeliveryStatus.DELIVERED, dt.datetime(2026, 3, 12, 9, 20, 31, tzinfo=ROME)),
        ("MC_001", DeliveryStatus.NOT_DELIVERED, dt.datetime(2026, 3, 12, 9, 15, 4, tzinfo=ROME)),
        ("NS_001", DeliveryStatus.REJECTED, dt.datetime(2026, 3, 12, 9, 15, 4, tzinfo=ROME)),
        # NE and DT carry no time: the import's stands for it.
        ("NE_001", DeliveryStatus.ACCEPTED, IMPORTED_AT),
        ("DT_001", DeliveryStatus.EXPIRED, IMPORTED_AT),
    ],
)
def test_it_sets_the_delivery_status_of_every_invoice_of_the_file(
    release: Tenant, sent: list[Invoice], receipt: str, status: str, at: dt.datetime
) -> None:
    with time_machine.travel(IMPORTED_AT, tick=False):
        run = load(release, "sdi_receipts", RECEIPTS / f"IT01234567890_FPA03_{receipt}.xml")

    assert (run.status, run.rows, run.updated) == (ImportStatus.DONE, 1, 2), run.report
    for invoice in sent:
        invoice.refresh_from_db()
        assert (invoice.delivery_status, invoice.delivery_at) == (status, at)
        assert invoice.sdi_identifier == "4711"


def test_it_refuses_only_the_body_the_outcome_names(release: Tenant, sent: list[Invoice]) -> None:
    run = load(release, "sdi_receipts", RECEIPTS / "IT01234567890_FPA03_NE_002.xml")

    assert (run.status, run.updated) == (ImportStatus.DONE, 1)
    first, second = sent
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.delivery_status == DeliveryStatus.UNKNOWN
    assert second.delivery_status == DeliveryStatus.REFUSED


@pytest.mark.parametrize("receipt", ["RC_001", "MC_001", "NS_001", "NE_001", "NE_002", "DT_001"])
def test_it_changes_nothing_when_the_same_receipt_comes_twice(
    release: Tenant, sent: list[Invoice], receipt: str
) -> None:
    path = RECEIPTS / f"IT01234567890_FPA03_{receipt}.xml"
    load(release, "sdi_receipts", path)
    before = list(Invoice.objects.order_by("pk").values())

    with time_machine.travel(dt.timedelta(days=1)):
        again = load(release, "sdi_receipts", path)

    assert (again.status, again.updated) == (ImportStatus.DONE, 0)
    assert again.unchanged >= 1
    assert list(Invoice.objects.order_by("pk").values()) == before


def test_a_later_receipt_moves_the_status_on(release: Tenant, sent: list[Invoice]) -> None:
    load(release, "sdi_receipts", RECEIPTS / "IT01234567890_FPA03_RC_001.xml")

    run = load(release, "sdi_receipts", RECEIPTS / "IT01234567890_FPA03_NE_001.xml")

    assert run.updated == 2
    assert set(Invoice.objects.values_list("delivery_status", flat=True)) == {
        DeliveryStatus.ACCEPTED
    }


def test_a_receipt_imported_late_does_not_undo_the_outcome(
    release: Tenant, sent: list[Invoice]
) -> None:
    load(release, "sdi_receipts", RECEIPTS / "IT01234567890_FPA03_NE_001.xml")

    run = load(release, "sdi_receipts", RECEIPTS / "IT01234567890_FPA03_RC_001.xml")

    assert (run.updated, run.unchanged) == (0, 2)
    assert set(Invoice.objects.values_list("delivery_status", flat=True)) == {
        DeliveryStatus.ACCEPTED
    }


def test_it_never_touches_another_companys_invoice_of_the_same_file_name(
    release: Tenant, energia: Tenant
) -> None:
    theirs = make_invoice(energia.customer, sdi_file_name="IT01234567890_FPA03.xml")

    run = load(release, "sdi_receipts", RECEIPTS / "IT01234567890_FPA03_RC_001.xml")

    assert run.status == ImportStatus.REJECTED
    assert run.report == [
        {
            "row": 1,
            "column": "NomeFile",
            "value": "IT01234567890_FPA03.xml",
            "code": "invoice",
            "message": "Nessuna fattura della società proviene dal file indicato dalla ricevuta.",
        }
    ]
    theirs.refresh_from_db()
    assert theirs.delivery_status == DeliveryStatus.UNKNOWN


def test_it_refuses_a_file_that_is_no_receipt(release: Tenant, sent: list[Invoice]) -> None:
    run = load(release, "sdi_receipts", INVOICES)

    assert run.status == ImportStatus.REJECTED
    assert run.report[0]["message"] == "Il file non è una ricevuta o una notifica SdI riconosciuta."


def test_it_refuses_an_outcome_that_is_neither_accepted_nor_refused(
    release: Tenant, sent: list[Invoice]
) -> None:
    path = RECEIPTS / "IT01234567890_FPA03_NE_001.xml"
    data = path.read_bytes().replace(b"<Esito>EC01<", b"<Esito>EC03<")

    run = load(release, "sdi_receipts", path, data)

    assert run.status == ImportStatus.REJECTED
    assert run.report[0]["code"] == "file"
    assert not Invoice.objects.exclude(delivery_status=DeliveryStatus.UNKNOWN).exists()
