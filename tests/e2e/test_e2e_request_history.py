"""In a real browser: from the home's requests panel to the history, a request's
conversation and a reply (E5), each page passing axe and fitting a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def assert_fits(page: Page) -> None:
    """No sideways scrolling: neither the page nor a table inside its scrolling box."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    overflowing = page.evaluate(
        """[...document.querySelectorAll("table")]
            .filter((table) => table.offsetParent !== null)
            .map((table) => [table.scrollWidth, table.parentElement.clientWidth, table.caption?.textContent])
            .filter(([table, box]) => table > box)"""
    )
    assert not overflowing, f"a table on {page.url} overflows (table, box, caption): {overflowing}"


def test_it_follows_a_request_from_the_home_to_a_reply(portal: Portal, page: Page) -> None:
    page.set_viewport_size(PHONE)
    log_in(portal, page, "release")
    expect(page.get_by_role("heading", name="Richieste")).to_be_visible()
    assert_fits(page)

    page.get_by_role("link", name="Tutte le richieste").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le tue richieste")
    assert_accessible(page)
    assert_fits(page)

    page.get_by_label("Stato").select_option(label="In lavorazione")
    page.get_by_role("button", name="Filtra").click()
    expect(page).to_have_url(re.compile(r"status=in_progress"))
    rows = page.locator("#requests tbody tr")
    expect(rows.first).to_contain_text("In lavorazione")

    code = rows.first.get_by_role("link").inner_text()
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.locator("#conversation")).to_contain_text("Servizio clienti")
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_text("Scrivi un messaggio o allega un file.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Messaggio").fill("Grazie, attendo il duplicato.")
    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_role("status")).to_contain_text("Risposta inviata.")
    expect(page.locator("#conversation li").last).to_contain_text("Grazie, attendo il duplicato.")
    expect(page.locator("#conversation li").last).to_contain_text("Tu")
    assert_accessible(page)
