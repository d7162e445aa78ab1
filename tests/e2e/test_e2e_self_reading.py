"""In a real browser (G7 ★): a customer of a gas point with a corrector enters a
reading in the open window, is refused one below the last, deletes one after
confirming, and once the acquisition job has run sees it "Acquisita" without the
delete symbol. Axe on every state, at desktop width and on a phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE, assert_fits
from tests.e2e.test_e2e_shell import enter_code
from tests.factories import make_customer, make_supply_point, make_user

from sportello.core.formatting import format_long_date
from sportello.core.models import Company
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.energy.models import MeterReading, ReadingStatus, ReadingWindow
from sportello.energy.readings import acquire_pending_readings, open_window

pytestmark = pytest.mark.e2e

LOGIN = "autolettura.g7"
DESKTOP = {"width": 1280, "height": 900}


def gas_customer(portal: Portal) -> str:
    """Energia's customer with one gas point with a corrector (3650 Smc a year), read
    ten days ago (1.000, corrector 500), and a gas window open now. Today's date."""
    with portal.database.active():
        company = Company.objects.get(slug="energia")
        customer = make_customer(company, name="Gasparri Lorenza")
        make_user(customer, LOGIN, password=DEMO_PASSWORD, first_name="Lorenza")
        point = make_supply_point(
            customer, "gas", has_corrector=True, annual_consumption=Decimal("3650")
        )
        today = timezone.localdate()
        MeterReading.objects.create(
            supply_point=point,
            reading_date=today - dt.timedelta(days=10),
            meter_value=1000,
            corrector_value=500,
            status=ReadingStatus.ACQUIRED,
            acquired_at=timezone.now() - dt.timedelta(days=10),
        )
        now = timezone.now()
        if open_window(company, "gas", now) is None:
            ReadingWindow.objects.create(
                company=company,
                commodity="gas",
                opens_at=now - dt.timedelta(hours=1),
                closes_at=now + dt.timedelta(days=5),
            )
        return format_long_date(today)


def log_in(portal: Portal, page: Page) -> None:
    page.goto(portal.url("energia", "/accesso/"))
    page.get_by_label("Username").fill(LOGIN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "energia", LOGIN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


def check_page(page: Page) -> None:
    """Axe at desktop width, then axe and no sideways scrolling on a phone."""
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert_fits(page)
    page.set_viewport_size(DESKTOP)


def add_reading(page: Page, meter: str, corrector: str) -> None:
    page.get_by_role("link", name="Aggiungi").click()
    expect(page.get_by_role("heading", name="Inserimento Autolettura")).to_be_visible()
    page.get_by_label("Lettura contatore").fill(meter)
    page.get_by_label("Lettura correttore").fill(corrector)
    page.get_by_role("button", name="Salva").click()


def test_it_enters_refuses_deletes_and_acquires_a_gas_reading(portal: Portal, page: Page) -> None:
    today = gas_customer(portal)
    page.set_viewport_size(DESKTOP)
    log_in(portal, page)

    page.get_by_text("Menu", exact=True).click()
    menu = page.get_by_role("navigation", name="Menu principale")
    menu.get_by_role("link", name="Autolettura contatore").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autolettura contatore")
    table = page.locator("#readings")
    expect(table.get_by_role("columnheader", name="Lettura Correttore")).to_be_visible()
    expect(page.locator("#windows")).to_contain_text("A partire dalle ore")
    check_page(page)

    # Below the last reading: refused, with that reading and its date.
    add_reading(page, "999", "510")
    expect(page.locator(".invalid-feedback")).to_contain_text("1.000 del")
    expect(page.get_by_label("Lettura contatore")).to_have_value("999")
    check_page(page)

    page.get_by_label("Lettura contatore").fill("1100")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Autolettura salvata.")).to_be_visible()
    row = table.get_by_role("row").filter(has_text=today)
    expect(row).to_contain_text("1.100")
    expect(row).to_contain_text("Da acquisire")
    check_page(page)

    # Delete it after "Confermi la cancellazione…?".
    row.get_by_role("link", name=f"Cancella la lettura del {today}").click()
    dialog = page.get_by_role("dialog", name="Cancella autolettura")
    expect(dialog).to_contain_text(f"Confermi la cancellazione della lettura del {today}?")
    assert_accessible(page)
    dialog.get_by_role("button", name="Sì").click()
    expect(page.get_by_text(f"Lettura del {today} cancellata.")).to_be_visible()
    expect(table.get_by_role("row").filter(has_text=today)).to_have_count(0)

    # Enter it again; the half-hourly job hands it to the core system.
    add_reading(page, "1100", "510")
    expect(row).to_contain_text("Da acquisire")
    with portal.database.active():
        assert acquire_pending_readings() >= 1
    page.reload()
    expect(row).to_contain_text("Acquisita")
    expect(row.get_by_role("link", name=f"Cancella la lettura del {today}")).to_have_count(0)
    check_page(page)
