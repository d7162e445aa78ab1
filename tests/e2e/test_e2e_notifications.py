"""In a real browser: the bell (F1, F2). The badge grows, the last five open with the
keyboard, a broadcast is read, a service-desk notice leads to its request, and the
list works without JavaScript; on a 390 px phone, passing axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE, assert_fits
from tests.e2e.test_e2e_shell import customer_login, log_in

from sportello.accounts.models import PortalUser
from sportello.notices.models import Notification, NotificationRead
from sportello.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.e2e

BROADCAST = (
    "Chiusura estiva degli uffici dal 10 al 20 agosto, con il servizio clienti raggiungibile"
)


def notices_for(portal: Portal, slug: str) -> tuple[str, str]:
    """A broadcast and a service-desk notice for the company's first user, all else read.
    Returns the request's code and the broadcast's address."""
    login, _ = customer_login(portal, slug)
    with portal.database.active():
        user = PortalUser.objects.get(company__slug=slug, login=login)
        now = timezone.now()
        request = ServiceRequest.objects.for_user(user).order_by("-pk").first()
        assert request is not None
        answer = Notification.objects.create(
            company=user.company,
            recipient=user,
            request=request,
            title="Risposta alla tua richiesta",
            # Seconds, not minutes, ago: newer than what earlier tests left (read now).
            published_at=now - dt.timedelta(seconds=2),
        )
        news = Notification.objects.create(
            company=user.company,
            category="broadcasts",
            title=BROADCAST,
            body="Gli uffici restano chiusi.",
            published_at=now - dt.timedelta(seconds=1),
        )
        # The demo's own notices (every segment) are read: the counts are these two.
        older = Notification.objects.filter(company=user.company).exclude(
            pk__in=[answer.pk, news.pk]
        )
        NotificationRead.objects.bulk_create(
            [NotificationRead(notification=n, user=user) for n in older], ignore_conflicts=True
        )
        return request.code, f"/notifiche/{news.pk}/"


def test_it_reads_a_broadcast_and_follows_a_notice_with_the_keyboard(
    portal: Portal, page: Page
) -> None:
    code, _ = notices_for(portal, "release")
    page.set_viewport_size(PHONE)
    log_in(portal, page, "release")
    bell = page.locator("#sp-bell")
    expect(bell).to_have_accessible_name("Notifiche, 2 non lette")
    assert_fits(page)

    # A new notice: the badge grows when the tab comes back, and says so politely.
    login, _ = customer_login(portal, "release")
    with portal.database.active():
        user = PortalUser.objects.get(company__slug="release", login=login)
        extra = Notification.objects.create(
            company=user.company,
            recipient=user,
            title="Nuovo documento",
            published_at=timezone.now() - dt.timedelta(minutes=2),
        )
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(bell).to_have_accessible_name("Notifiche, 3 non lette")
    expect(page.locator("#sp-bell-status")).to_have_text("Notifiche, 3 non lette")
    with portal.database.active():
        NotificationRead.objects.create(notification=extra, user=user)

    bell.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#sp-bell-panel")
    expect(panel).to_be_visible()
    expect(bell).to_have_attribute("aria-expanded", "true")
    items = panel.locator("li")
    expect(items.first).to_contain_text("Non letta")
    expect(items.first).to_contain_text("...")
    expect(items.first.get_by_role("link")).to_contain_text(BROADCAST)  # the full title's name
    expect(items.first.get_by_role("link")).to_be_focused()
    assert_accessible(page)
    assert_fits(page)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(bell).to_be_focused()

    page.keyboard.press("Enter")
    expect(items.first.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(BROADCAST)
    expect(page.get_by_text("Gli uffici restano chiusi.")).to_be_visible()
    assert_accessible(page)
    expect(bell).to_have_accessible_name("Notifiche, 1 non letta")

    bell.focus()
    page.keyboard.press("Enter")
    expect(items.first).not_to_contain_text("Non letta")
    answer = panel.get_by_role("link", name=re.compile("Risposta alla tua richiesta"))
    expect(answer).to_contain_text(code)
    answer.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/richieste/{code}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def test_it_lists_the_notifications_without_javascript(
    portal: Portal, page: Page, browser: Browser
) -> None:
    notices_for(portal, "energia")
    log_in(portal, page, "energia")
    context = browser.new_context(locale="it-IT", java_script_enabled=False)
    context.set_default_timeout(10_000)
    context.add_cookies(page.context.cookies())
    plain = context.new_page()
    try:
        plain.set_viewport_size(PHONE)
        plain.goto(portal.url("energia", "/"))
        plain.get_by_role("link", name="Notifiche, 2 non lette").click()
        expect(plain.get_by_role("heading", level=1)).to_have_text("Notifiche")
        assert_fits(plain)
        plain.get_by_label("Solo non lette").check()
        plain.get_by_role("button", name="Filtra").click()
        expect(plain.locator("#notifications li")).to_have_count(2)
        plain.get_by_role("button", name="Segna 2 come lette").click()
        expect(plain.get_by_text("2 notifiche segnate come lette.")).to_be_visible()
        expect(plain.locator("#no-notifications")).to_be_visible()
        expect(plain.get_by_role("link", name="Notifiche, 0 non lette")).to_be_visible()
    finally:
        context.close()
    # axe runs in the page's JavaScript: the same list, checked in the other browser.
    page.set_viewport_size(PHONE)
    page.goto(portal.url("energia", "/notifiche/?unread=1"))
    expect(page.locator("#no-notifications")).to_be_visible()
    assert_accessible(page)
