"""In a real browser (A12): Claris's main user 10093 adds a sub-user through the dialog,
the sub-user sets its password from the welcome e-mail and logs in, the main user
edits and deletes it, and the sub-user's open session is over. Axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.harness import Portal, assert_accessible

from sportello.accounts.models import PortalUser
from sportello.accounts.services.profile import next_sub_user_login
from sportello.core.models import OutboxEmail
from sportello.demo.catalogue import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

MAIN_LOGIN = "10093"
SUB_USER_PASSWORD = "la-password-di-luigi-verdi"
CODE = re.compile(r"^(\d{6})$", re.MULTILINE)
LINK = re.compile(r"https?://[^/\s]+(/accesso/benvenuto/\S+/)")


def latest_email_to(portal: Portal, address: str, pattern: re.Pattern[str]) -> str:
    """The first match of ``pattern`` in the newest outbox e-mail to ``address`` that has one."""
    with portal.database.active():
        for email in OutboxEmail.objects.order_by("-pk")[:50]:
            match = pattern.search(email.body_text)
            if address in email.to and match:
                return match.group(1)
    raise AssertionError(f"No e-mail to {address} matches {pattern.pattern}")


def log_in(portal: Portal, page: Page, login: str, password: str) -> None:
    """The login form, then the e-mail code step when the portal asks for one."""
    with portal.database.active():
        address = PortalUser.objects.get(company__slug="claris", login=login).email
    page.goto(portal.url("claris", "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("Benvenuto|Inserisci il codice"))
    if "Inserisci il codice" in heading.inner_text():
        assert_accessible(page)
        page.get_by_label("Codice").fill(latest_email_to(portal, address, CODE))
        page.get_by_role("button", name="Conferma").click()
    expect(heading).to_contain_text("Benvenuto")


def test_it_manages_a_sub_user_from_the_profile(
    portal: Portal, page: Page, browser: Browser
) -> None:
    with portal.database.active():
        parent = PortalUser.objects.get(company__slug="claris", login=MAIN_LOGIN)
        assert parent.sub_users.filter(login=f"{MAIN_LOGIN}.1").exists()
        expected_login = next_sub_user_login(parent)
    assert expected_login == f"{MAIN_LOGIN}.2"

    log_in(portal, page, MAIN_LOGIN, DEMO_PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Profilo utente di")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profilo utente")
    expect(page.get_by_role("cell", name=f"{MAIN_LOGIN}.1", exact=True)).to_be_visible()
    assert_accessible(page)

    # Add, through the dialog.
    page.get_by_role("link", name=re.compile("aggiungi sotto utente", re.I)).click()
    dialog = page.get_by_role("dialog", name="Aggiungi sotto utente")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Username padre")).to_have_value(MAIN_LOGIN)
    assert_accessible(page)
    dialog.get_by_label(re.compile("^Nome")).fill("Luigi")
    dialog.get_by_label(re.compile("^Cognome")).fill("Verdi")
    dialog.get_by_label(re.compile("^Email principale")).fill("luigi.verdi@example.org")
    dialog.get_by_role("button", name=re.compile("salva", re.I)).click()

    expect(page.get_by_role("status")).to_contain_text(f"Sotto utente {expected_login} aggiunto")
    row = page.get_by_role("row").filter(has_text=expected_login)
    expect(row).to_contain_text("Luigi")
    expect(row).to_contain_text("luigi.verdi@example.org")
    assert_accessible(page)

    # The sub-user sets its password from the welcome e-mail, in a browser of its own.
    path = latest_email_to(portal, "luigi.verdi@example.org", LINK)
    context = browser.new_context(locale="it-IT", reduced_motion="reduce")
    context.set_default_timeout(10_000)
    sub_page = context.new_page()
    try:
        sub_page.goto(portal.url("claris", path))
        expect(sub_page.get_by_role("heading", level=1)).to_have_text("Scegli la tua password")
        assert "benvenuto" in sub_page.url and path not in sub_page.url  # token out of the bar
        assert_accessible(sub_page)
        sub_page.get_by_label(re.compile("^Nuova password")).fill(SUB_USER_PASSWORD)
        sub_page.get_by_label(re.compile("^Conferma la nuova password")).fill(SUB_USER_PASSWORD)
        sub_page.get_by_role("button", name=re.compile("salva", re.I)).click()
        expect(sub_page.get_by_role("status")).to_contain_text("Password impostata")
        assert_accessible(sub_page)
        log_in(portal, sub_page, expected_login, SUB_USER_PASSWORD)

        # The main user edits it.
        page.get_by_role("link", name=f"Modifica {expected_login}").click()
        dialog = page.get_by_role("dialog", name="Modifica sotto utente")
        expect(dialog.get_by_label(re.compile("^Cognome"))).to_have_value("Verdi")
        assert_accessible(page)
        dialog.get_by_label(re.compile("^Cognome")).fill("Bianchi")
        dialog.get_by_role("button", name=re.compile("salva", re.I)).click()
        expect(page.get_by_role("status")).to_contain_text(f"{expected_login} aggiornato")
        expect(page.get_by_role("row").filter(has_text=expected_login)).to_contain_text("Bianchi")
        assert_accessible(page)

        # … and deletes it, after the confirmation.
        page.get_by_role("link", name=f"Elimina {expected_login}").click()
        dialog = page.get_by_role("dialog", name="Elimina elementi selezionati")
        expect(dialog).to_contain_text("Sicuro di voler eliminare gli elementi selezionati?")
        assert_accessible(page)
        dialog.get_by_role("button", name=re.compile("conferma", re.I)).click()
        expect(page.get_by_role("status")).to_contain_text(f"{expected_login} eliminato")
        expect(page.get_by_role("row").filter(has_text=expected_login)).to_have_count(0)
        expect(page.get_by_role("cell", name=f"{MAIN_LOGIN}.1", exact=True)).to_be_visible()
        assert_accessible(page)

        # The sub-user's open session ended with it.
        sub_page.goto(portal.url("claris", "/accesso/profilo/"))
        expect(sub_page.get_by_label("Username")).to_be_visible()
        assert "/accesso/" in sub_page.url
        assert_accessible(sub_page)
    finally:
        context.close()


def test_it_offers_every_profile_page_without_javascript(portal: Portal, page: Page) -> None:
    with portal.database.active():
        first = PortalUser.objects.get(company__slug="claris", login=f"{MAIN_LOGIN}.1")
    log_in(portal, page, MAIN_LOGIN, DEMO_PASSWORD)

    page.goto(portal.url("claris", "/accesso/profilo/sotto-utenti/nuovo/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aggiungi sotto utente")
    page.get_by_label(re.compile("^Email principale")).fill("non-una-mail")
    page.get_by_role("button", name=re.compile("salva", re.I)).click()
    expect(page.get_by_text("Inserisci un indirizzo email valido.")).to_be_visible()
    expect(page.get_by_label(re.compile("^Nome"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.goto(portal.url("claris", f"/accesso/profilo/sotto-utenti/{first.pk}/modifica/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{MAIN_LOGIN}.1")
    assert_accessible(page)

    page.goto(portal.url("claris", f"/accesso/profilo/sotto-utenti/{first.pk}/elimina/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Elimina elementi selezionati")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("annulla", re.I)).click()
    expect(page.get_by_role("cell", name=f"{MAIN_LOGIN}.1", exact=True)).to_be_visible()

    page.goto(portal.url("claris", "/accesso/profilo/password/"))
    page.get_by_label(re.compile("^Password attuale")).fill(DEMO_PASSWORD)
    page.get_by_label(re.compile("^Nuova password")).fill("corta12")
    page.get_by_label(re.compile("^Conferma la nuova password")).fill("corta12")
    page.get_by_role("button", name=re.compile("conferma", re.I)).click()
    expect(page.get_by_text("La password è troppo corta")).to_be_visible()
    assert_accessible(page)

    page.goto(portal.url("claris", "/accesso/benvenuto/MQ/non-valido/"))
    expect(page.get_by_text("Il link non è valido")).to_be_visible()
    assert_accessible(page)


def test_it_shows_the_profile_in_english(portal: Portal, page: Page) -> None:
    log_in(portal, page, MAIN_LOGIN, DEMO_PASSWORD)
    page.goto(portal.url("claris", "/accesso/profilo/"))

    page.locator("#language-select").select_option("en")
    page.locator("header").get_by_role("button").filter(has_text="Cambia").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("User profile")
    assert_accessible(page)
