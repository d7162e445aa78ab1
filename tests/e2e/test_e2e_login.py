"""In a real browser, on the demo companies: the login with the e-mailed code (A6),
the lockout and the self-service unlock (A7), the forgotten password (A8); axe
checks every page of each flow. Operators pass the e-mailed code too."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_shell import latest_code

from sportello.accounts.models import PortalUser
from sportello.core.models import OutboxEmail
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.leasing.models import Contract

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "la mia nuova frase segreta 2026"
WRONG = "Username o password non corretti."


@dataclass
class DemoUser:
    login: str
    name: str
    email: str
    tax_id: str
    contract_number: str = ""
    module_number: str = ""


def demo_user(portal: Portal, slug: str, position: int) -> DemoUser:
    """The ``position``-th main user of the company (the first ones belong to other tests)."""
    with portal.database.active():
        user = (
            PortalUser.objects.filter(
                company__slug=slug, customer__isnull=False, parent__isnull=True, is_active=True
            )
            .select_related("customer")
            .order_by("login")[position]
        )
        customer = user.customer
        assert customer is not None
        found = DemoUser(
            user.login,
            customer.name,
            user.email,
            customer.codice_fiscale or customer.partita_iva,
        )
        contract = Contract.objects.filter(customer=customer).order_by("number").first()
        if contract is not None:
            found.contract_number = contract.number
            found.module_number = contract.module_number
        return found


def latest_link(portal: Portal, slug: str, email: str) -> str:
    """The path of the last reset or unlock link e-mailed to ``email``."""
    with portal.database.active():
        for row in OutboxEmail.objects.order_by("-pk"):
            if email in row.to:
                match = re.search(r"https?://[^/\s]+(/accesso/nuova-password/\S+/)", row.body_text)
                if match:
                    return portal.url(slug, match.group(1))
    raise AssertionError(f"no link was e-mailed to {email}")


def fill_password(page: Page, login: str, password: str) -> None:
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()


def enter_code(portal: Portal, page: Page, slug: str, login: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Inserisci il codice")
    assert_accessible(page)
    page.get_by_label("Codice").fill(latest_code(portal, slug, login))
    page.get_by_role("button", name="Conferma").click()


def test_it_logs_in_with_password_and_emailed_code(portal: Portal, page: Page) -> None:
    user = demo_user(portal, "bancobpm", 1)
    page.goto(portal.url("bancobpm", "/accesso/"))
    assert_accessible(page)

    fill_password(page, user.login, DEMO_PASSWORD)
    expect(page.get_by_text("Abbiamo inviato un codice di 6 cifre")).to_be_visible()
    # A new code is refused within the minute, with a clear message.
    page.get_by_role("button", name="Invia un nuovo codice").click()
    expect(page.get_by_role("status")).to_contain_text("Puoi chiedere un nuovo codice tra")
    enter_code(portal, page, "bancobpm", user.login)

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Benvenuto, {user.name}")
    expect(page.get_by_text("Ultimo accesso")).to_be_visible()
    assert_accessible(page)


def test_it_locks_after_three_failures_and_unlocks_with_the_contract_data(
    portal: Portal, page: Page
) -> None:
    user = demo_user(portal, "release", 2)
    assert user.contract_number
    page.goto(portal.url("release", "/accesso/"))
    for _ in range(3):
        fill_password(page, user.login, "non-la-password-giusta")
        expect(page.get_by_role("alert")).to_have_text(WRONG)
    # Locked: the right password gets the same answer.
    fill_password(page, user.login, DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text(WRONG)
    assert_accessible(page)

    page.get_by_role("link", name="Login bloccata / password dimenticata").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Login bloccata / password dimenticata"
    )
    assert_accessible(page)
    page.get_by_label("Numero contratto").fill(user.contract_number)
    page.get_by_label("Numero modulo").fill(user.module_number)
    page.get_by_label("Codice fiscale o partita IVA").fill(user.tax_id)
    page.get_by_role("button", name="Conferma").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlla la tua e-mail")
    assert_accessible(page)

    page.goto(latest_link(portal, "release", user.email))
    expect(page.get_by_role("heading", level=1)).to_have_text("Scegli una nuova password")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Nuova password")).fill(NEW_PASSWORD)
    page.get_by_label("Conferma la nuova password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Salva la password").click()

    expect(page.get_by_role("status")).to_have_text(
        "La password è stata aggiornata: accedi con la nuova password."
    )
    assert_accessible(page)
    fill_password(page, user.login, NEW_PASSWORD)
    enter_code(portal, page, "release", user.login)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Benvenuto, {user.name}")
    assert_accessible(page)


def test_it_resets_a_forgotten_password(portal: Portal, page: Page) -> None:
    user = demo_user(portal, "energia", 2)
    page.goto(portal.url("energia", "/accesso/"))

    page.get_by_role("link", name="Password dimenticata?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password dimenticata?")
    assert_accessible(page)
    page.get_by_label("Username o e-mail").fill(user.login)
    page.get_by_role("button", name="Conferma").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlla la tua e-mail")

    link = latest_link(portal, "energia", user.email)
    page.goto(link)
    page.get_by_label(re.compile(r"^Nuova password")).fill("corta")
    page.get_by_label("Conferma la nuova password").fill("corta")
    page.get_by_role("button", name="Salva la password").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Nuova password")).fill(NEW_PASSWORD)
    page.get_by_label("Conferma la nuova password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Salva la password").click()
    expect(page.get_by_label("Username")).to_be_visible()

    fill_password(page, user.login, NEW_PASSWORD)
    enter_code(portal, page, "energia", user.login)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Benvenuto, {user.name}")

    # The link was for one use only.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Link non valido")
    assert_accessible(page)


def operator_code(portal: Portal, address: str) -> str:
    with portal.database.active():
        for email in OutboxEmail.objects.order_by("-pk"):
            if address in email.to:
                match = re.search(r"^(\d{6})$", email.body_text, re.MULTILINE)
                if match:
                    return match.group(1)
    raise AssertionError(f"no login code was e-mailed to {address}")


def test_it_asks_an_operator_for_the_emailed_code_too(portal: Portal, page: Page) -> None:
    page.goto(portal.url("localhost", "/admin/"))
    expect(page).to_have_url(re.compile(r"/admin/login/"))

    page.locator("#id_username").fill("operatore-claris")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.get_by_text("Abbiamo inviato un codice di 6 cifre")).to_be_visible()
    # Without the code the back office stays closed.
    page.goto(portal.url("localhost", "/admin/"))
    expect(page).to_have_url(re.compile(r"/admin/login/\?next="))

    page.goto(portal.url("localhost", "/admin/login/codice/"))
    page.locator("#id_code").fill(operator_code(portal, "operatore@claris.demo.example"))
    page.locator("#login-form [type=submit]").click()

    expect(page).to_have_url(portal.url("localhost", "/admin/"))
    expect(page.locator("#user-tools")).to_contain_text("Benvenuto")
