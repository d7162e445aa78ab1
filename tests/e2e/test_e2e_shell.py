"""In a real browser: every portal and the landing page show their brand, pass axe,
and a customer logs in and out through the forms and the dialog."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from tests.e2e.harness import Portal, assert_accessible

from sportello.accounts.models import PortalUser
from sportello.core.models import OutboxEmail
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.demo.companies import COMPANIES as DEMO_COMPANIES

pytestmark = pytest.mark.e2e

COMPANIES = {
    "release": "Release",
    "bancobpm": "Banco BPM – Divisione Leasing",
    "claris": "Claris Leasing",
    "energia": "Energia Toscana",
}


def customer_login(portal: Portal, slug: str) -> tuple[str, str]:
    """The login and name of a main (not sub-) user of the company's demo customers,
    the first as the demo lists them (its big account, a fleet or a multi-site
    customer, comes after the others)."""
    big_accounts = [spec.fleet_code for spec in DEMO_COMPANIES if spec.slug == slug]
    with portal.database.active():
        user = (
            PortalUser.objects.filter(
                company__slug=slug, customer__isnull=False, parent__isnull=True, is_active=True
            )
            .exclude(customer__code__in=big_accounts)
            .select_related("customer")
            .order_by("login")
            .first()
        )
        assert user is not None and user.customer is not None
        return user.login, user.customer.name


def latest_code(portal: Portal, slug: str, login: str) -> str:
    """The last login code e-mailed to the user ``login`` of company ``slug``."""
    with portal.database.active():
        address = PortalUser.objects.get(company__slug=slug, login=login).email
        for email in OutboxEmail.objects.filter(subject__contains="codice di accesso").order_by(
            "-pk"
        ):
            if address in email.to:
                match = re.search(r"^(\d{6})$", email.body_text, re.MULTILINE)
                assert match is not None
                return match.group(1)
    raise AssertionError(f"no login code was e-mailed to {login}")


def enter_code(portal: Portal, page: Page, slug: str, login: str) -> None:
    """The second login step: the code from the outbox."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Inserisci il codice")
    page.get_by_label("Codice").fill(latest_code(portal, slug, login))
    page.get_by_role("button", name="Conferma").click()


@pytest.mark.parametrize("slug", list(COMPANIES))
def test_it_shows_each_companys_public_home(portal: Portal, page: Page, slug: str) -> None:
    page.goto(portal.url(slug))

    # The brand is the logo; its text alternative is the company's name.
    expect(page.locator(".navbar-brand")).to_have_accessible_name(COMPANIES[slug])
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANIES[slug])
    expect(page).to_have_title(re.compile(re.escape(COMPANIES[slug])))
    expect(page.get_by_role("link", name="Accedi all'area clienti")).to_be_visible()
    assert_accessible(page)


def test_it_shows_the_landing_page_on_the_platform_host(portal: Portal, page: Page) -> None:
    page.goto(portal.url("localhost"))

    for name in COMPANIES.values():
        expect(page.get_by_text(name, exact=True).first).to_be_visible()
    assert_accessible(page)


def test_it_shows_the_login_page_accessibly(portal: Portal, page: Page) -> None:
    page.goto(portal.url("release", "/accesso/"))

    expect(page.get_by_label("Username")).to_be_focused()
    assert_accessible(page)


def test_it_logs_a_customer_in_and_out(portal: Portal, page: Page) -> None:
    login, name = customer_login(portal, "release")
    page.goto(portal.url("release", "/accesso/"))

    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "release", login)

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Benvenuto, {name}")
    expect(page).to_have_url(portal.url("release"))
    assert_accessible(page)

    page.get_by_role("button", name="Esci").or_(page.get_by_role("link", name="Esci")).click()
    dialog = page.get_by_role("dialog", name="Conferma logout")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="Conferma").click()

    expect(page).to_have_url(portal.url("release", "/accesso/"))
    expect(page.get_by_label("Username")).to_be_visible()
    page.goto(portal.url("release"))
    expect(page.get_by_role("link", name="Accedi all'area clienti")).to_be_visible()


def test_it_shows_a_wrong_password_accessibly(portal: Portal, page: Page) -> None:
    login, _ = customer_login(portal, "energia")
    page.goto(portal.url("energia", "/accesso/"))

    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill("non-la-password-giusta")
    page.get_by_role("button", name="Login").click()

    expect(page.get_by_role("alert")).to_have_text("Username o password non corretti.")
    assert_accessible(page)


def log_in(portal: Portal, page: Page, slug: str) -> None:
    """Log the company's first main user in: password, then the e-mailed code."""
    login, _ = customer_login(portal, slug)
    page.goto(portal.url(slug, "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, slug, login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/guida/", "Guida operativa"),
        ("/contatti/", "Contatti"),
        ("/faq/", "Domande frequenti"),
        ("/non-esiste/", "Pagina non trovata"),
    ],
)
def test_it_shows_the_public_pages_accessibly(
    portal: Portal, page: Page, path: str, heading: str
) -> None:
    page.goto(portal.url("claris", path))

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


@pytest.mark.parametrize("slug", ["bancobpm", "energia"])
def test_it_shows_the_customer_pages_accessibly(portal: Portal, page: Page, slug: str) -> None:
    log_in(portal, page, slug)
    assert_accessible(page)

    page.goto(portal.url(slug, "/notifiche/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifiche")
    assert_accessible(page)

    # The logout confirmation without JavaScript.
    page.goto(portal.url(slug, "/accesso/esci/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Conferma logout")
    assert_accessible(page)


def test_it_switches_the_portal_to_english(portal: Portal, page: Page) -> None:
    page.goto(portal.url("release"))

    page.get_by_label("Lingua").select_option("en")
    page.get_by_role("button", name="Cambia").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Log in to the customer area")).to_be_visible()
    assert_accessible(page)


def watch_console(page: Page) -> list[str]:
    """Every error the browser reports while the test runs (console and uncaught)."""
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.location.get('url')}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_it_loads_every_kind_of_page_without_a_console_error(portal: Portal, page: Page) -> None:
    errors = watch_console(page)
    page.goto(portal.url("localhost"))
    for path in ["/", "/guida/", "/contatti/", "/faq/", "/accessibilita/", "/accesso/"]:
        page.goto(portal.url("claris", path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    log_in(portal, page, "claris")
    for path in ["/", "/fatture-e-pagamenti/", "/contratti/", "/accesso/profilo/"]:
        page.goto(portal.url("claris", path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    # htmx is loaded and configured (its indicator styles come from our stylesheet).
    assert page.evaluate("window.htmx.config.includeIndicatorStyles") is False

    assert errors == []


def test_it_closes_the_menu_when_the_logout_dialog_opens(portal: Portal, page: Page) -> None:
    log_in(portal, page, "release")
    menu = page.locator("details.sp-menu")
    page.get_by_text("Menu", exact=True).click()
    expect(menu).to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Notifiche", exact=True)).to_be_visible()

    page.get_by_role("link", name="Esci").click()

    expect(page.get_by_role("dialog", name="Conferma logout")).to_be_visible()
    expect(menu).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Notifiche", exact=True)).to_be_hidden()


def test_it_keeps_the_open_menu_inside_a_phone_screen(portal: Portal, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(portal, page, "energia")

    page.get_by_text("Menu", exact=True).click()

    menu = page.locator(".sp-menu-list")
    # The last entry, as far down as the menu goes.
    expect(menu.get_by_role("link", name="Domande frequenti")).to_be_visible()
    box = menu.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("it", "Dichiarazione di accessibilità"), ("en", "Accessibility statement")],
)
def test_it_shows_the_accessibility_statement_on_a_phone(
    portal: Portal, page: Page, language: str, heading: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(portal.url("release"))
    if language == "en":
        page.get_by_label("Lingua").select_option("en")
        page.get_by_role("button", name="Cambia").click()

    page.get_by_role("contentinfo").get_by_role("link", name=heading).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name="https://form.agid.gov.it/")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_it_shows_the_guide_in_english_when_english_is_chosen(portal: Portal, page: Page) -> None:
    page.goto(portal.url("energia", "/guida/"))
    page.get_by_label("Lingua").select_option("en")
    page.get_by_role("button", name="Cambia").click()

    expect(page.locator("main")).to_contain_text("Welcome to the Customer Portal.")
    expect(page.locator("main")).not_to_contain_text("Benvenuto")
    assert_accessible(page)
