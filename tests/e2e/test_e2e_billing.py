"""In a real browser: a leasing customer's home, billing and payments with its export,
and an e-invoice with its XML and courtesy PDF, each page checked with axe (the
e-invoice also on a 390 px phone) and its figures with the database."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from tests.billing.helpers import in_export_order
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import customer_login, log_in

from sportello.accounts.models import PortalUser
from sportello.billing.models import Invoice
from sportello.billing.services import situation
from sportello.core.formatting import format_date, format_money
from sportello.leasing.models import Contract

pytestmark = pytest.mark.e2e


def spaced(text: str) -> str:
    return text.replace("\xa0", " ")


def table(page: Page, table_id: str) -> list[list[str]]:
    """The table's cells; the schedule's in the export's column order."""
    rows = page.locator(f"#{table_id} tbody tr")
    cells = [
        [cell.strip() for cell in rows.nth(n).locator("td").all_inner_texts()]
        for n in range(rows.count())
    ]
    if table_id != "schedule":
        return cells
    headers = [h.strip() for h in page.locator(f"#{table_id} thead th").all_text_contents()]
    return [in_export_order(headers, row) for row in cells]


def test_it_walks_a_customer_from_home_to_an_e_invoice(portal: Portal, page: Page) -> None:
    login, _name = customer_login(portal, "claris")
    with portal.database.active():
        user = PortalUser.objects.get(company__slug="claris", login=login)
        figures = situation(user.customer_id, timezone.localdate())
        contract = Contract.objects.for_user(user).order_by("-stipulated_on", "number").first()
        assert contract is not None
    log_in(portal, page, "claris")

    # Home: «La tua situazione» as the database has it.
    expect(page.get_by_role("heading", name="La tua situazione")).to_be_visible()
    expect(page.locator('[data-figure="overdue"]')).to_have_text(
        format_money(figures.overdue, "it")
    )
    expect(page.locator('[data-figure="next-due-date"]')).to_have_text(
        format_date(figures.next_due_date) if figures.next_due_date else "–"
    )
    expect(page.locator('[data-figure="next-payment"]')).to_have_text(
        format_money(figures.next_payment, "it")
    )
    expect(page.locator('[data-figure="advances"]')).to_have_text(
        format_money(figures.advances_paid, "it")
    )
    assert_accessible(page)

    # Billing and payments, then one contract.
    page.get_by_role("link", name="Vai a Fatture e Pagamenti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatturazione e pagamenti")
    assert_accessible(page)
    page.get_by_label("Contratto").select_option(str(contract.pk))
    page.get_by_role("button", name="Mostra").click()
    expect(page).to_have_url(re.compile(rf"contract={contract.pk}"))
    rows = table(page, "schedule")
    assert rows and {row[1] for row in rows} == {contract.number}
    assert_accessible(page)

    # The export is the same view: same rows, same order, every page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Esporta Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet is not None
    exported = list(sheet.iter_rows(values_only=True))
    assert exported[0][:3] == ("Stato", "Contratto", "Scadenza")
    with portal.database.active():
        assert len(exported) - 1 == contract.schedule.count()
    for shown, cells in zip(rows, exported[1:], strict=False):
        assert shown[0] == cells[0]
        assert shown[1] == cells[1]
        assert shown[2] == cells[2].strftime("%d/%m/%y")
        assert shown[3] == str(cells[3])
        assert spaced(shown[6]) == spaced(format_money(Decimal(str(cells[6])), "it"))
        assert spaced(shown[9]) == spaced(format_money(Decimal(str(cells[9])), "it"))

    # Invoices, then one PDF: its total is the database's.
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Fatture", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatture e note di credito")
    expect(page.locator("#fiscal-note")).to_contain_text(
        "La fattura fiscalmente valida è il file XML"
    )
    assert_accessible(page)
    number = table(page, "invoices")[0][0]
    with portal.database.active():
        invoice = Invoice.objects.for_user(user).get(number=number)
    total = str(invoice.total)

    # The e-invoice's page: its rendering with the official stylesheet, SdI's outcome.
    page.get_by_role("link", name=f"Apri la fattura {number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.get_by_text("La fattura fiscalmente valida è il file XML")).to_be_visible()
    expect(page.locator("#delivery-status")).to_have_text(invoice.delivery_text())
    rendering = page.frame_locator(f'iframe[title="Fattura elettronica n. {number}"]')
    expect(rendering.get_by_text("FATTURA ELETTRONICA")).to_be_visible()
    expect(rendering.get_by_text(f"Importo totale documento: {total}")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(rendering.get_by_text(f"Importo totale documento: {total}")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # The XML as received, and the courtesy PDF printed from the same rendering.
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica XML").click()
    with portal.database.active(), invoice.xml.open("rb") as stored:
        assert download.value.path().read_bytes() == stored.read()
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert number in text and f"Importo totale documento: {total}" in spaced(text)


def test_it_shows_filter_errors_and_english_pages_accessibly(portal: Portal, page: Page) -> None:
    log_in(portal, page, "release")

    page.goto(
        portal.url("release", "/fatture-e-pagamenti/?date_from=2024-02-01&date_to=2024-01-01")
    )
    expect(page.get_by_text("La data finale precede quella iniziale.")).to_be_visible()
    assert_accessible(page)
    page.goto(portal.url("release", "/fatture-e-pagamenti/fatture/?amount_min=abc"))
    expect(page.get_by_text("Inserire un importo valido")).to_be_visible()
    assert_accessible(page)

    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": portal.url("release")}]
    )
    for path in ["/", "/fatture-e-pagamenti/?status=paid&page=2", "/fatture-e-pagamenti/fatture/"]:
        page.goto(portal.url("release", path))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert_accessible(page)
