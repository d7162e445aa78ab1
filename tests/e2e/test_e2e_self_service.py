"""In a real browser (E1, E4): the home's "Fai richiesta" links open their forms in a
dialog that takes the focus and gives it back; an IBAN change gets its field error in
the dialog, then a code; an early termination shows the residual capital on choosing
the contract. Without JavaScript the same links open pages, and "Calcola" shows the
figures. Axe on every page and dialog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django import Settings
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import customer_login, log_in

from sportello.leasing.models import Contract
from sportello.servicedesk.models import RequestAttachment, ServiceRequest

pytestmark = pytest.mark.e2e

SLUG = "release"
NEW_IBAN = "IT42 L123 4512 3451 2345 6789 012"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def first_active_contract(portal: Portal) -> Contract:
    login, _ = customer_login(portal, SLUG)
    with portal.database.active():
        contract = (
            Contract.objects.filter(
                customer__users__login=login, company__slug=SLUG, status="active"
            )
            .order_by("-stipulated_on", "number")
            .first()
        )
        assert contract is not None, "the demo customer has an active contract"
        return contract


def test_it_opens_a_request_form_in_a_dialog_and_gives_the_focus_back(
    portal: Portal, page: Page
) -> None:
    log_in(portal, page, SLUG)
    link = page.get_by_role("link", name="Fai richiesta: Variazione indirizzo")

    link.click()
    dialog = page.get_by_role("dialog", name="Cambio indirizzo")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label(re.compile("^Indirizzo:"))).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()

    link.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Annulla").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(portal.url(SLUG, "/"))


def test_it_changes_the_iban_from_the_dialog(portal: Portal, page: Page) -> None:
    contract = first_active_contract(portal)
    log_in(portal, page, SLUG)

    page.get_by_role("link", name="Fai richiesta: Modifica banca appoggio / IBAN").click()
    dialog = page.get_by_role("dialog", name="Cambio IBAN")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Seleziona contratto").select_option(str(contract.pk))
    expect(dialog.get_by_label("Codice IBAN attuale")).not_to_have_value("")
    dialog.get_by_label("Nuovo IBAN").fill("IT00 0000 0000 0000")
    dialog.get_by_label("A partire dal").fill("2099-01-31")
    dialog.get_by_label("Password").fill(portal_password())
    dialog.get_by_role("button", name="Invia").click()

    expect(dialog.get_by_text("L'IBAN non è valido")).to_be_visible()
    expect(dialog.get_by_label("Nuovo IBAN")).to_be_focused()
    assert_accessible(page)
    dialog.get_by_label("Nuovo IBAN").fill(NEW_IBAN)
    dialog.get_by_label("Password").fill(portal_password())
    dialog.get_by_role("button", name="Invia").click()

    expect(page).to_have_url(re.compile(r"/richieste/RIC-\d{4}-\d{6}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    with portal.database.active():
        opened = ServiceRequest.objects.get(company__slug=SLUG, code=code)
        assert (opened.kind, opened.contract_id) == ("iban_change", contract.pk)
        assert opened.payload["new_iban"] == NEW_IBAN.replace(" ", "")


def test_it_sends_one_request_on_a_double_click(portal: Portal, page: Page) -> None:
    def address_changes() -> int:
        with portal.database.active():
            return ServiceRequest.objects.filter(company__slug=SLUG, kind="address_change").count()

    before = address_changes()
    log_in(portal, page, SLUG)
    page.get_by_role("link", name="Fai richiesta: Variazione indirizzo").click()
    dialog = page.get_by_role("dialog", name="Cambio indirizzo")
    dialog.get_by_label(re.compile("^Indirizzo:")).fill("Via Doppia, 2, Roma, RM, Italia")
    dialog.get_by_label("A partire dal").fill("2099-01-31")

    dialog.get_by_role("button", name="Invia").dblclick()

    expect(page).to_have_url(re.compile(r"/richieste/RIC-\d{4}-\d{6}/$"))
    expect(page.get_by_role("status")).to_contain_text("inviata")
    assert address_changes() == before + 1


def test_it_shows_the_residual_capital_on_choosing_the_contract(portal: Portal, page: Page) -> None:
    contract = first_active_contract(portal)
    log_in(portal, page, SLUG)
    page.goto(portal.url(SLUG, "/richieste/nuova/"))
    assert_accessible(page)

    page.get_by_role("link", name="Fai richiesta: Richiesta estinzione anticipata").click()
    dialog = page.get_by_role("dialog", name="Richiesta estinzione anticipata")
    dialog.get_by_label("Seleziona contratto").select_option(str(contract.pk))
    # The figures' request (htmx marks it while in flight) must be answered and swapped in
    # before the next choice, or its answer would replace the instalment chosen meanwhile.
    expect(dialog.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)

    expect(
        dialog.get_by_text(f"Capitale residuo ad oggi del contratto {contract.number}")
    ).to_be_visible()
    last = dialog.get_by_label("Ultimo canone da pagare")
    last.focus()
    last.select_option(index=2)
    expect(dialog.get_by_text("Importo per l'estinzione")).to_be_visible()
    expect(last).to_be_focused()
    assert_accessible(page)


def test_it_sends_a_free_request_with_a_pdf_and_refuses_a_virus(
    portal: Portal, page: Page, clamd_socket: Path, settings: Settings, infected_pdf: bytes
) -> None:
    settings.CLAMAV_SOCKET = str(clamd_socket)
    settings.CLAMAV_TCP = ""
    settings.CLAMAV_REQUIRED = True
    log_in(portal, page, SLUG)

    page.get_by_role("link", name="Fai richiesta: Altre richieste").click()
    dialog = page.get_by_role("dialog", name="Richiesta libera")
    expect(dialog.get_by_text("fino a 10 MB per file")).to_be_visible()
    dialog.get_by_label("Richieste default").select_option(index=1)
    dialog.get_by_label("Inserire la richiesta per il servizio clienti").fill("Allego la visura.")
    files = dialog.get_by_label("Allega file")
    files.set_input_files(
        [
            {"name": "visura.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "eicar.pdf", "mimeType": "application/pdf", "buffer": infected_pdf},
        ]
    )
    dialog.get_by_role("button", name="Invia").click()

    expect(dialog.get_by_text("eicar.pdf: Il file contiene un virus")).to_be_visible()
    assert_accessible(page)
    files.set_input_files([{"name": "visura.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    dialog.get_by_role("button", name="Invia").click()

    expect(page).to_have_url(re.compile(r"/richieste/RIC-\d{4}-\d{6}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    with portal.database.active():
        stored = RequestAttachment.objects.get(
            message__request__code=code, message__request__company__slug=SLUG
        )
        assert stored.original_name == "visura.pdf"


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="it-IT", timezone_id="Europe/Rome", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_it_works_without_javascript(portal: Portal, page_without_javascript: Page) -> None:
    page = page_without_javascript
    contract = first_active_contract(portal)
    log_in(portal, page, SLUG)

    page.get_by_role("link", name="Fai richiesta: Richiesta estinzione anticipata").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Richiesta estinzione anticipata")
    page.get_by_label("Seleziona contratto").select_option(str(contract.pk))
    page.get_by_role("button", name="Calcola").click()

    expect(
        page.get_by_text(f"Capitale residuo ad oggi del contratto {contract.number}")
    ).to_be_visible()
    page.get_by_label("Ultimo canone da pagare").select_option(index=1)
    page.get_by_role("button", name="Calcola").click()
    expect(page.get_by_text("Importo per l'estinzione")).to_be_visible()
    page.get_by_role("link", name="Annulla").click()
    expect(page).to_have_url(portal.url(SLUG, "/"))


def portal_password() -> str:
    from sportello.demo.catalogue import DEMO_PASSWORD

    return DEMO_PASSWORD
