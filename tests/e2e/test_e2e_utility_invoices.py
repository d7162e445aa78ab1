"""G2 and G3 in Chromium: a utility customer with two supply points switches point in the
header and sees that point's invoices (the PDF only where there is one), then corrects
its phone in «Dati anagrafici»; every page passes axe, on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.billing.helpers import PUBLISHED, invoice_with_pdf
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE
from tests.e2e.test_e2e_shell import enter_code
from tests.factories import (
    PASSWORD,
    make_customer,
    make_document,
    make_invoice,
    make_supply_point,
    make_user,
)

from sportello.core.models import Company
from sportello.customers.models import Customer
from sportello.energy.models import SupplyPoint
from sportello.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
_runs = itertools.count(1)


@dataclass
class TwoPoints:
    login: str
    customer: Customer
    electricity: SupplyPoint
    gas: SupplyPoint


def two_point_customer(portal: Portal) -> TwoPoints:
    """A new customer of the demo utility with an electricity and a gas point and a bill
    or two on each; on the electricity point, one bill has no PDF."""
    run = next(_runs)
    with portal.database.active():
        company = Company.objects.get(slug="energia")
        customer = make_customer(company, code=f"G2E2E{run}", name=f"Fornaciari Elena {run}")
        user = make_user(customer, f"g2e2e{run}", first_name="Elena", last_name="Fornaciari")
        electricity = make_supply_point(customer, number=f"PR9{run:05d}1")
        gas = make_supply_point(customer, "gas", number=f"PR9{run:05d}2")
        invoice_with_pdf(customer, number=f"E25{run:05d}01", date=dt.date(2025, 3, 12),
                         supply_point=electricity)  # fmt: skip
        make_invoice(customer, number=f"E25{run:05d}02", date=dt.date(2025, 5, 12),
                     supply_point=electricity, published_at=PUBLISHED)  # fmt: skip
        invoice_with_pdf(customer, number=f"G25{run:05d}01", date=dt.date(2025, 4, 15),
                         supply_point=gas)  # fmt: skip
        return TwoPoints(user.login, customer, electricity, gas)


def log_in(portal: Portal, page: Page, login: str) -> None:
    page.goto(portal.url("energia", "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "energia", login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


def assert_fits(page: Page, width: int) -> None:
    """No sideways scrolling: neither the page nor a table inside its scrolling box."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide"
    overflowing = page.evaluate(
        """[...document.querySelectorAll("table")]
            .filter((table) => table.offsetParent !== null)
            .map((table) => [table.scrollWidth, table.parentElement.clientWidth])
            .filter(([table, box]) => table > box)"""
    )
    assert not overflowing, f"a table on {page.url} overflows (table, box): {overflowing}"


def row(page: Page, number: str) -> Locator:
    return page.locator("#invoices tbody tr").filter(has_text=number)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_shows_each_points_invoices_and_saves_the_phone(
    portal: Portal, page: Page, viewport: dict[str, int]
) -> None:
    world = two_point_customer(portal)
    page.set_viewport_size(viewport)
    log_in(portal, page, world.login)

    page.goto(portal.url("energia", "/fatture-e-pagamenti/fatture/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Elenco fatture")
    expect(page.get_by_label("Punto di fornitura", exact=True)).to_have_value(
        str(world.electricity.pk)
    )
    run = int(world.customer.code.removeprefix("G2E2E"))
    first, second, gas_bill = f"E25{run:05d}01", f"E25{run:05d}02", f"G25{run:05d}01"
    expect(page.locator("#invoices tbody tr")).to_have_count(2)
    with_pdf, without_pdf = row(page, first), row(page, second)
    expect(with_pdf.get_by_role("link", name=f"Apri il PDF {first}")).to_be_visible()
    expect(without_pdf.get_by_role("link")).to_have_count(0)
    expect(without_pdf).to_contain_text("Non disponibile")
    assert_accessible(page)
    assert_fits(page, viewport["width"])

    # The PDF opens for its customer.
    href = with_pdf.get_by_role("link", name=f"Apri il PDF {first}").get_attribute("href")
    assert href is not None
    # Fetched by the page itself (Chromium resolves *.localhost, Playwright's client does not).
    status, content_type = page.evaluate(
        "async (url) => { const r = await fetch(url); return [r.status, r.headers.get('content-type')]; }",
        href,
    )
    assert (status, content_type) == (200, "application/pdf")

    # The header's selector: the list follows the chosen point.
    page.get_by_label("Punto di fornitura", exact=True).select_option(str(world.gas.pk))
    page.get_by_role("button", name="Cambia punto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elenco fatture")
    expect(page.get_by_label("Punto di fornitura", exact=True)).to_have_value(str(world.gas.pk))
    expect(page.locator("#invoices tbody tr")).to_have_count(1)
    expect(row(page, gas_bill).get_by_role("link", name=f"Apri il PDF {gas_bill}")).to_be_visible()
    expect(page.locator("#invoices")).not_to_contain_text(f"E25{run:05d}")
    assert_accessible(page)
    assert_fits(page, viewport["width"])

    # «Dati anagrafici» from the menu: a wrong phone is explained, a right one saved.
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Dati anagrafici").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dati anagrafici")
    expect(page.locator("#registry")).to_contain_text(world.customer.code)
    assert_accessible(page)
    assert_fits(page, viewport["width"])

    phone = page.get_by_label("Telefono")
    phone.fill("055 12")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#id_phone_error")).to_contain_text("Inserisci un numero valido")
    expect(page.get_by_label("Telefono")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Telefono").fill("+39 055 7654321")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Recapiti aggiornati.")).to_be_visible()
    expect(page.get_by_label("Telefono")).to_have_value("+39 055 7654321")
    assert_accessible(page)
    assert_fits(page, viewport["width"])
    with portal.database.active():
        assert Customer.objects.get(pk=world.customer.pk).phone == "+39 055 7654321"


def test_it_reports_a_discrepancy_and_lists_the_documents_on_a_phone(
    portal: Portal, page: Page
) -> None:
    world = two_point_customer(portal)
    with portal.database.active():
        make_document(world.customer.company, "Lettera di benvenuto", customer=world.customer)
    page.set_viewport_size(PHONE)
    log_in(portal, page, world.login)

    # Each category of documents is a page of its own, empty or not.
    for slug, heading in [("miei", "I miei documenti"), ("normative", "Normative")]:
        page.goto(portal.url("energia", f"/documenti/{slug}/"))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
        assert_fits(page, PHONE["width"])
    page.goto(portal.url("energia", "/documenti/miei/"))
    expect(page.get_by_role("link", name="Scarica Lettera di benvenuto")).to_be_visible()

    # «Segnala una difformità» next to the codice fiscale: the form has it chosen.
    page.goto(portal.url("energia", "/accesso/dati-anagrafici/"))
    page.get_by_role("link", name="Segnala una difformità (Codice fiscale)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Segnala una difformità")
    expect(page.get_by_label("Dato da correggere")).to_have_value("codice_fiscale")
    assert_accessible(page)
    assert_fits(page, PHONE["width"])

    page.get_by_role("button", name="Invia").click()
    expect(page.locator("#id_correct_value_error")).to_have_text(
        "Scrivi come dovrebbe essere il dato."
    )
    assert_accessible(page)

    page.get_by_label("Valore corretto").fill("FRNLNE80A41H501X")
    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dati anagrafici")
    expect(page.get_by_text("il servizio clienti verificherà il dato")).to_be_visible()
    with portal.database.active():
        request = ServiceRequest.objects.get(customer=world.customer)
        assert request.payload["correct_value"] == "FRNLNE80A41H501X"
    expect(page.get_by_text(f"Segnalazione {request.code} inviata")).to_be_visible()
