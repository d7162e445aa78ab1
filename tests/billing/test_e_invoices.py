"""E-invoices (J2): the official rendering of one body, the XML as received, the
courtesy PDF printed once and kept, the fiscal note and SdI's delivery status."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader
from tests.billing.helpers import e_invoice, invoice_with_pdf
from tests.factories import Tenant

from sportello.billing import services
from sportello.billing.fatturapa.rendering import render_html
from sportello.billing.fatturapa.xml import InvalidFile
from sportello.billing.models import DeliveryStatus, DocumentType, Invoice

SAMPLES = Path(__file__).parents[1] / "fixtures" / "fatturapa" / "samples" / "official"
#: The number of the document a body is, as the stylesheets print it.
DOCUMENT_NUMBER = re.compile(r"Numero documento:\s*<span>([^<]*)</span>")
DELIVERED_AT = dt.datetime(2026, 3, 12, 9, 30, tzinfo=dt.UTC)


def detail_url(invoice: Invoice) -> str:
    return f"/fatture-e-pagamenti/fatture/{invoice.uid}/"


# -- rendering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "numbers"),
    [("IT01234567890_FPR03.xml", ["123", "456"]), ("IT01234567890_FPA03.xml", ["12", "456"])],
)
def test_it_renders_only_the_chosen_body(sample: str, numbers: list[str]) -> None:
    data = (SAMPLES / sample).read_bytes()

    first, second = render_html(data, 1), render_html(data, 2)

    assert DOCUMENT_NUMBER.findall(first) == numbers[:1]
    assert DOCUMENT_NUMBER.findall(second) == numbers[1:]


def test_it_uses_the_pa_stylesheet_for_a_pa_invoice() -> None:
    pa = render_html((SAMPLES / "IT01234567890_FPA01.xml").read_bytes(), 1)
    ordinary = render_html((SAMPLES / "IT01234567890_FPR01.xml").read_bytes(), 1)

    # Only the PA stylesheet prints the office code of the public administration.
    assert "Codice Ufficio" in pa or "Codice identificativo destinatario" in ordinary
    assert pa != ordinary


def test_it_gives_the_rendering_a_language_and_a_title() -> None:
    html = render_html((SAMPLES / "IT01234567890_FPR03.xml").read_bytes(), 2)

    assert (
        '<html xmlns:a="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2" lang="it">'
        in html
    )
    assert "<title>Fattura elettronica 456</title>" in html


def test_it_refuses_a_body_the_file_does_not_have() -> None:
    with pytest.raises(InvalidFile):
        render_html((SAMPLES / "IT01234567890_FPR01.xml").read_bytes(), 2)


def test_it_refuses_a_stylesheet_that_reads_files() -> None:
    """DENY_ALL: a document() call of a stylesheet cannot read the disk."""
    from lxml import etree

    from sportello.billing.fatturapa import rendering

    rendering._compiled.__dict__.pop("by_version", None)
    transform = rendering._stylesheet("FPR12")
    evil = etree.XSLT(
        etree.XML(
            b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            b'<xsl:template match="/"><x><xsl:copy-of select="document(\'/etc/passwd\')"/></x>'
            b"</xsl:template></xsl:stylesheet>"
        ),
        access_control=etree.XSLTAccessControl.DENY_ALL,
    )
    with pytest.raises(etree.XSLTApplyError):
        evil(etree.XML(b"<a/>"))
    assert transform is rendering._stylesheet("FPR12")  # compiled once per thread


# -- the pages -----------------------------------------------------------------------


def test_it_shows_the_e_invoice_with_its_files_and_fiscal_note(release: Tenant) -> None:
    invoice = e_invoice(release.customer, number="77/2025", delivery_at=DELIVERED_AT,
                        delivery_status=DeliveryStatus.DELIVERED)  # fmt: skip

    response = release.logged_in_client().get(detail_url(invoice))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'src="/fatture-e-pagamenti/fatture/{invoice.uid}/fattura/"' in page
    assert 'sandbox=""' in page and 'title="Fattura elettronica n. 77/2025"' in page
    assert f'href="/fatture-e-pagamenti/fatture/{invoice.uid}/xml/"' in page
    assert f'href="/fatture-e-pagamenti/fatture/{invoice.uid}/pdf/?download=1"' in page
    assert "Consegnata il 12/03/2026" in page
    assert "La fattura fiscalmente valida è il file XML trasmesso tramite il Sistema" in page


def test_it_says_the_fiscal_note_and_the_status_in_english(release: Tenant) -> None:
    invoice = e_invoice(release.customer, delivery_status=DeliveryStatus.NOT_DELIVERED,
                        delivery_at=DELIVERED_AT)  # fmt: skip
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    page = client.get(detail_url(invoice)).content.decode()

    assert '<html lang="en"' in page
    assert "The legally valid invoice is the XML file sent through the Exchange System" in page
    assert "Not delivered: you will find it in your reserved area" in page


@pytest.mark.parametrize(
    ("status", "when", "italian", "english"),
    [
        (DeliveryStatus.DELIVERED, DELIVERED_AT, "Consegnata il 12/03/2026", "Delivered on 12/03/2026"),
        (DeliveryStatus.NOT_DELIVERED, DELIVERED_AT,
         "Non recapitata: la trovi nella tua area riservata Fatture e corrispettivi dell'Agenzia delle Entrate",
         "Not delivered: you will find it in your reserved area Fatture e corrispettivi of the "
         "Agenzia delle Entrate"),
        (DeliveryStatus.ACCEPTED, DELIVERED_AT, "Accettata il 12/03/2026", "Accepted on 12/03/2026"),
        (DeliveryStatus.REFUSED, DELIVERED_AT, "Rifiutata il 12/03/2026", "Refused on 12/03/2026"),
        (DeliveryStatus.UNKNOWN, None,
         "Esito della consegna non ancora ricevuto dal Sistema di Interscambio",
         "The Exchange System has not yet reported the delivery"),
        (DeliveryStatus.DELIVERED, None, "Consegnata", "Delivered"),
    ],
)  # fmt: skip
def test_it_words_each_delivery_status(
    status: str, when: dt.datetime | None, italian: str, english: str
) -> None:
    invoice = Invoice(delivery_status=status, delivery_at=when)

    with translation.override("it"):
        assert invoice.delivery_text() == italian
    with translation.override("en"):
        assert invoice.delivery_text() == english


def test_it_serves_the_rendering_sandboxed_for_its_own_frame(release: Tenant) -> None:
    invoice = e_invoice(release.customer, number="78/2025")

    response = release.logged_in_client().get(f"{detail_url(invoice)}fattura/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    policy = response["Content-Security-Policy"]
    for directive in ["sandbox", "default-src 'none'", "style-src 'unsafe-inline'",
                      "frame-ancestors 'self'"]:  # fmt: skip
        assert directive in policy.split("; ")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<span>78/2025</span>" in response.content.decode()


def test_it_downloads_the_xml_as_received(release: Tenant) -> None:
    invoice = e_invoice(release.customer, number="79/2025", sdi_file_name="IT07352610155_0001A.xml")

    response = release.logged_in_client().get(f"{detail_url(invoice)}xml/")

    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="IT07352610155_0001A.xml"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    with invoice.xml.open("rb") as stored:
        assert body == stored.read()


def test_it_prints_the_courtesy_pdf_once_and_keeps_it(release: Tenant) -> None:
    invoice = e_invoice(release.customer, number="80/2025", taxable=Decimal("2631.95"),
                        vat=Decimal("579.03"), total=Decimal("3210.98"))  # fmt: skip
    client = release.logged_in_client()
    url = f"{detail_url(invoice)}pdf/?download=1"

    with mock.patch.object(services, "html_to_pdf", wraps=services.html_to_pdf) as printer:
        first = client.get(url)
        first_bytes = b"".join(first.streaming_content)  # type: ignore[attr-defined]
        second = client.get(url)
        second_bytes = b"".join(second.streaming_content)  # type: ignore[attr-defined]

    assert printer.call_count == 1
    assert first_bytes == second_bytes
    invoice.refresh_from_db()
    assert invoice.pdf
    with invoice.pdf.open("rb") as stored:
        assert stored.read() == first_bytes
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first_bytes)).pages)
    assert "80/2025" in text and "3210.98" in text
    assert first["Content-Disposition"] == 'attachment; filename="fattura-80-2025.pdf"'


def test_it_keeps_the_first_pdf_when_two_requests_print_at_once(release: Tenant) -> None:
    invoice = e_invoice(release.customer)
    stale = Invoice.objects.get(pk=invoice.pk)
    services.courtesy_pdf(invoice)

    again = services.courtesy_pdf(stale)  # it read the row before the first PDF was kept

    assert again.pdf.name == invoice.pdf.name


def test_it_has_no_detail_for_an_invoice_without_xml(release: Tenant) -> None:
    invoice = invoice_with_pdf(release.customer, number="81/2025")
    client = release.logged_in_client()

    for suffix in ["", "fattura/", "xml/"]:
        assert client.get(f"{detail_url(invoice)}{suffix}").status_code == 404
    assert client.get(f"{detail_url(invoice)}pdf/").status_code == 200


def test_it_links_the_list_to_the_detail_of_an_e_invoice_only(release: Tenant) -> None:
    e = e_invoice(release.customer, number="82/2025")
    paper = invoice_with_pdf(release.customer, number="83/2025")

    page = release.logged_in_client().get("/fatture-e-pagamenti/fatture/").content.decode()

    assert f'href="{detail_url(e)}" aria-label="Apri la fattura 82/2025"' in page
    assert f'href="{detail_url(paper)}"' not in page
    assert f'href="{detail_url(paper)}pdf/" aria-label="Apri il PDF 83/2025"' in page


def test_it_links_a_utility_bill_to_its_detail(energia: Tenant) -> None:
    bill = e_invoice(energia.customer, number="E25000001", document_type=DocumentType.INVOICE)

    page = energia.logged_in_client().get("/fatture-e-pagamenti/fatture/").content.decode()

    assert f'href="{detail_url(bill)}" aria-label="Apri la fattura E25000001"' in page


@override_settings(LANGUAGE_CODE="it")
def test_it_counts_the_queries_of_the_detail(
    release: Tenant, django_assert_max_num_queries: Any
) -> None:
    invoice = e_invoice(release.customer)
    client = release.logged_in_client()
    client.get(detail_url(invoice))

    with django_assert_max_num_queries(10):
        assert client.get(detail_url(invoice)).status_code == 200


def test_it_answers_404_when_the_xml_is_lost(release: Tenant) -> None:
    invoice = e_invoice(release.customer)
    invoice.xml.storage.delete(invoice.xml.name)
    client = release.logged_in_client()

    for suffix in ["fattura/", "xml/", "pdf/"]:
        assert client.get(f"{detail_url(invoice)}{suffix}").status_code == 404
