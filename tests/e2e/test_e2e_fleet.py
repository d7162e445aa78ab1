"""The demo's big accounts on a phone: a leasing fleet (303 contracts, some 21,500
schedule rows, 12,900 invoices) and a multi-site utility customer (64 supply points).

Big accounts are a leasing company's most important customers: every list must
page through their rows, reach the oldest in one click and fit a 390 px screen.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import enter_code

from sportello.accounts.models import PortalUser
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.demo.companies import COMPANIES

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def big_account(portal: Portal, slug: str) -> str:
    (code,) = [spec.fleet_code for spec in COMPANIES if spec.slug == slug]
    with portal.database.active():
        return PortalUser.objects.get(
            company__slug=slug, customer__code=code, parent__isnull=True
        ).login


def log_in_on_a_phone(portal: Portal, page: Page, slug: str) -> None:
    login = big_account(portal, slug)
    page.set_viewport_size(PHONE)
    page.goto(portal.url(slug, "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, slug, login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


def assert_fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_a_fleet_reads_its_home_and_reaches_its_oldest_instalments_on_a_phone(
    portal: Portal, page: Page
) -> None:
    log_in_on_a_phone(portal, page, "release")

    # The situation's figures (seven digits for a fleet) stay inside their card.
    card = page.locator("#situation").bounding_box()
    assert card is not None
    for figure in page.locator("#situation dd").all():
        box = figure.bounding_box()
        assert box is not None and box["x"] + box["width"] <= card["x"] + card["width"] + 0.5
        assert figure.evaluate("e => e.scrollWidth <= e.clientWidth")
    expect(page.get_by_text("I 5 contratti stipulati più di recente")).to_be_visible()
    assert_fits(page)

    page.goto(portal.url("release", "/fatture-e-pagamenti/"))
    pagination = page.get_by_role("navigation", name="Paginazione")
    expect(pagination).to_contain_text("1 - 25 di 2")  # thousands: "di 21.532"
    pagination.get_by_role("link", name="Ultima pagina").click()
    expect(pagination.get_by_role("link", name="Prima pagina")).to_be_visible()
    expect(pagination.get_by_role("link", name="Ultima pagina")).to_have_count(0)
    assert_fits(page)

    for path in ("/fatture-e-pagamenti/fatture/", "/contratti/", "/contratti/beni/"):
        page.goto(portal.url("release", path))
        expect(page.get_by_role("navigation", name="Paginazione")).to_contain_text("Pagina 1 di")
        assert_fits(page)


def test_a_multi_site_customer_pages_its_supply_points_on_a_phone(
    portal: Portal, page: Page
) -> None:
    log_in_on_a_phone(portal, page, "energia")
    assert_fits(page)

    for path in (
        "/fornitura/dati-tecnici/",
        "/fatture-e-pagamenti/fatture/",
        "/fornitura/prelievi/",
    ):
        page.goto(portal.url("energia", path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(page)
