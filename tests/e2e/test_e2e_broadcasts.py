"""In a real browser (F1, F3, F4): an operator publishes a broadcast in the back office,
the customer finds it in the bell and reads it; the customer's notification
preferences are set on a phone. Every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE, assert_fits
from tests.e2e.test_e2e_service_desk import log_operator_in
from tests.e2e.test_e2e_shell import customer_login, log_in

from sportello.accounts.models import PortalUser
from sportello.notices.models import Notification, NotificationPreference, NotificationRead

pytestmark = pytest.mark.e2e

SLUG = "release"
TITLE = "Nuovo numero verde del servizio clienti"


def test_it_carries_a_broadcast_from_the_back_office_to_the_bell(
    portal: Portal,
    page: Page,
    operator_page: Page,
) -> None:
    login, _name = customer_login(portal, SLUG)
    with portal.database.active():
        user = PortalUser.objects.get(company__slug=SLUG, login=login)
        # What the demo already holds is read: the badge counts this broadcast only.
        NotificationRead.objects.bulk_create(
            [
                NotificationRead(notification=n, user=user)
                for n in Notification.objects.filter(company__slug=SLUG)
            ],
            ignore_conflicts=True,
        )

    log_operator_in(portal, operator_page)
    operator_page.get_by_role("link", name="Comunicazioni").click()
    assert_accessible(operator_page)
    operator_page.get_by_role("link", name="Nuova comunicazione").click()
    operator_page.locator("#id_title").fill(TITLE)
    operator_page.locator("#id_body").fill("Da lunedì chiamate l'800 123 456.")
    operator_page.get_by_label("Titolo in inglese").fill("New customer service freephone")
    operator_page.get_by_label("Testo in inglese").fill("From Monday call 800 123 456.")
    assert_accessible(operator_page)
    operator_page.get_by_role("button", name="Pubblica").click()
    expect(operator_page.locator("main")).to_contain_text(TITLE)
    assert_accessible(operator_page)

    page.set_viewport_size(PHONE)
    log_in(portal, page, SLUG)
    bell = page.locator("#sp-bell")
    expect(bell).to_contain_text("1")
    bell.click()
    item = page.locator("#sp-bell-panel").get_by_role("link", name=f"Release – {TITLE}")
    expect(item).to_contain_text("Non letta")
    assert_accessible(page)
    # The panel lives in the header, whose links are white: its titles must not be.
    colour = item.locator(".sp-notice-subject").evaluate("e => getComputedStyle(e).color")
    assert colour != "rgb(255, 255, 255)"
    # On the phone the open panel leaves the bell free to close it again.
    covering = bell.evaluate(
        """bell => {
            const box = bell.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return bell.contains(hit);
        }"""
    )
    assert covering, "the open panel covers the bell"
    item.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text("800 123 456")
    assert_accessible(page)
    assert_fits(page)
    with portal.database.active():
        assert NotificationRead.objects.filter(user=user, notification__title=TITLE).exists()


def test_it_sets_the_notification_preferences_on_a_phone(portal: Portal, page: Page) -> None:
    page.set_viewport_size(PHONE)
    log_in(portal, page, SLUG)
    page.goto(portal.url(SLUG, "/accesso/profilo/notifiche/"))
    assert_accessible(page)
    assert_fits(page)

    broadcasts = page.get_by_role("group", name="Comunicazioni della società")
    broadcasts.get_by_label("Disattivata").check()
    page.get_by_role("button", name="Salva").click()

    expect(page.get_by_role("status").first).to_be_visible()
    assert_accessible(page)
    login, _name = customer_login(portal, SLUG)
    with portal.database.active():
        assert (
            NotificationPreference.objects.get(
                user__company__slug=SLUG, user__login=login, category="broadcasts"
            ).channel
            == "off"
        )
