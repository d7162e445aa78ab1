"""In a real browser, E6 on both sides: an energy seller's customer chooses the gas
point in the header, opens a complaint prefilled from it (ARERA's TIQV fields)
and sees when the answer is due; an operator cannot close it without the
referral to ARERA's Servizio Conciliazione, closes it with the referral, and the
customer reads the answer from the notice.

Every page passes axe on a desktop and on a 390 px phone, without sideways
scrolling.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import Count
from playwright.sync_api import Page, expect
from pytest_django import Settings
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_login import operator_code
from tests.e2e.test_e2e_request_history import PHONE, assert_fits
from tests.e2e.test_e2e_shell import enter_code

from sportello.accounts.models import PortalUser
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.energy.models import SupplyPoint
from sportello.servicedesk.deadlines import UTILITY_COMPLAINT_DAYS

pytestmark = pytest.mark.e2e

SLUG = "energia"
DESKTOP = {"width": 1280, "height": 900}


def customer_with_two_points(portal: Portal) -> tuple[PortalUser, SupplyPoint]:
    """A main user of the seller whose customer has an electricity and a gas point."""
    with portal.database.active():
        user = (
            PortalUser.objects.filter(
                company__slug=SLUG, customer__isnull=False, parent__isnull=True, is_active=True
            )
            .annotate(points=Count("customer__supply_points", distinct=True))
            .filter(points__gte=2, customer__supply_points__commodity="gas")
            .select_related("customer")
            .order_by("login")
            .first()
        )
        assert user is not None, "the demo has a utility customer with two points"
        gas = SupplyPoint.objects.filter(customer=user.customer, commodity="gas").first()
        assert gas is not None
        return user, gas


def log_customer_in(portal: Portal, page: Page, user: PortalUser) -> None:
    page.goto(portal.url(SLUG, "/accesso/"))
    page.get_by_label("Username").fill(user.login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, SLUG, user.login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


def log_operator_in(portal: Portal, page: Page) -> None:
    page.goto(portal.url("localhost", "/back-office/"))
    page.locator("#id_username").fill(f"operatore-{SLUG}")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.locator("#id_code").fill(operator_code(portal, f"operatore@{SLUG}.demo.example"))
    page.locator("#login-form [type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Richieste")


def check_both_sizes(page: Page) -> None:
    """axe on a desktop, then axe and no sideways scrolling on a phone."""
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_fits(page)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def test_it_carries_a_tiqv_complaint_from_the_customer_to_the_desk_and_back(
    portal: Portal, page: Page, operator_page: Page, settings: Settings
) -> None:
    settings.CLAMAV_REQUIRED = False
    settings.CLAMAV_SOCKET = "/nonexistent"
    user, gas = customer_with_two_points(portal)
    page.set_viewport_size(DESKTOP)
    log_customer_in(portal, page, user)

    # The gas point, chosen in the header, is the one the complaint is about.
    page.locator("#sp-point-choice").select_option(str(gas.pk))
    page.get_by_role("button", name="Cambia punto").click()
    page.locator(".sp-menu summary").click()
    page.locator(".sp-menu-list").get_by_role("link", name="Ticket", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I tuoi ticket")
    check_both_sizes(page)
    page.get_by_role("link", name="Nuovo ticket o reclamo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ticket e reclami")
    check_both_sizes(page)

    # With JavaScript the form opens in the page's dialog, already filled in.
    page.get_by_role("link", name="Fai richiesta: Reclamo").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("POD o PDR")).to_have_value(gas.code)
    due = dt.date.today() + dt.timedelta(days=UTILITY_COMPLAINT_DAYS)
    expect(dialog.locator("#complaint-due-note")).to_contain_text(f"entro il {due:%d/%m/%Y}")
    expect(dialog.get_by_label("Indirizzo di fornitura")).to_have_value(gas.address)
    expect(dialog.get_by_label("Nome e cognome o denominazione")).to_have_value(
        user.customer.name  # type: ignore[union-attr]
    )
    expect(dialog.get_by_label("Servizio")).to_have_value("gas")
    expect(dialog.locator("#request-point")).to_contain_text(gas.number)
    assert_accessible(page)
    dialog.get_by_label("Oggetto").fill("Consumi stimati")
    dialog.get_by_label("Descrizione del reclamo").fill(
        "La bolletta di gennaio fattura consumi stimati già conguagliati."
    )
    dialog.get_by_role("button", name="Invia").click()

    expect(page).to_have_url(re.compile(r"/richieste/RIC-\d{4}-\d{6}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_role("status")).to_contain_text(code)
    expect(page.locator("#complaint-clock")).to_contain_text(f"Risposta entro il {due:%d/%m/%Y}")
    expect(page.locator("#conciliation-note")).to_contain_text("conciliazione.arera.it")
    expect(page.locator("#typed-data")).to_contain_text(gas.code)
    check_both_sizes(page)

    # The desk: the 30-day term, a refusal without ARERA, then the close with it.
    log_operator_in(portal, operator_page)
    operator_page.get_by_role("link", name=code).first.click()
    clock = operator_page.locator("#complaint-clock")
    expect(clock).to_contain_text("30 giorni di calendario (TIQV ARERA, art. 14)")
    expect(clock).to_contain_text(f"{due:%d/%m/%Y}")
    referral = operator_page.get_by_label("Indicazione del Servizio Conciliazione ARERA")
    expect(referral).to_contain_text("conciliazione.arera.it")
    check_both_sizes(operator_page)
    operator_page.get_by_label("Risposta finale").fill(
        "Abbiamo ricalcolato la bolletta sulla lettura effettiva: il rimborso è nella prossima."
    )
    operator_page.get_by_label("Esito").select_option("accepted")
    referral.fill("")
    operator_page.get_by_role("button", name="Chiudi", exact=True).click()
    expect(
        operator_page.get_by_text("Servizio Conciliazione dell'ARERA (conciliazione.arera.it)")
    ).to_be_visible()
    expect(operator_page.locator("#request-status")).to_have_text("Aperta")
    assert_accessible(operator_page)

    referral = operator_page.get_by_label("Indicazione del Servizio Conciliazione ARERA")
    referral.fill(
        "Se non è soddisfatto della risposta può rivolgersi gratuitamente al Servizio "
        "Conciliazione dell'ARERA: conciliazione.arera.it."
    )
    operator_page.get_by_label("Esito").select_option("accepted")
    operator_page.get_by_role("button", name="Chiudi", exact=True).click()
    expect(operator_page.get_by_role("status").first).to_have_text("Richiesta chiusa.")
    expect(operator_page.locator("#request-status")).to_have_text("Chiusa")
    check_both_sizes(operator_page)

    # The customer follows the notice to the answer, on a phone.
    page.set_viewport_size(PHONE)
    page.goto(portal.url(SLUG, "/notifiche/"))
    page.get_by_role("link", name=re.compile("Richiesta chiusa")).first.click()
    expect(page).to_have_url(re.compile(f"/richieste/{code}/$"))
    answer = page.locator("#conversation > li").last
    expect(answer).to_contain_text("Servizio clienti")
    expect(answer).to_contain_text("rimborso è nella prossima")
    expect(answer).to_contain_text("conciliazione.arera.it")
    expect(page.locator("#summary")).to_contain_text("Chiusa")
    check_both_sizes(page)
