"""In a real browser: registration by contract data (A1) and by customer code (A2), then the
first access with the e-mailed temporary password and the definitive password (A4)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible

from sportello.core.models import OutboxEmail
from sportello.customers.models import Customer
from sportello.leasing.models import Contract

pytestmark = pytest.mark.e2e

SENT = "Ti abbiamo inviato una e-mail con le credenziali per il primo accesso."
DEFINITIVE = "fiume-lento-sotto-il-ponte-2026"


def unregistered_contract(portal: Portal, slug: str) -> Contract:
    """A contract of a demo natural person of ``slug`` who has no portal user yet."""
    with portal.database.active():
        contract = (
            Contract.objects.filter(
                company__slug=slug, customer__users__isnull=True, customer__kind="natural"
            )
            .select_related("customer")
            .order_by("number")
            .first()
        )
        assert contract is not None
        return contract


def unregistered_customer(portal: Portal, slug: str) -> Customer:
    with portal.database.active():
        customer = (
            Customer.objects.filter(company__slug=slug, users__isnull=True).order_by("code").first()
        )
        assert customer is not None
        return customer


def latest_email_to(portal: Portal, address: str) -> OutboxEmail:
    with portal.database.active():
        rows = [row for row in OutboxEmail.objects.order_by("-pk")[:50] if address in row.to]
    assert rows, f"nothing was e-mailed to {address}"
    return rows[0]


def temporary_password(portal: Portal, address: str) -> str:
    found = re.search(r"Password temporanea: (\S+)", latest_email_to(portal, address).body_text)
    assert found is not None
    return found.group(1)


def first_access(portal: Portal, page: Page, slug: str, login: str, address: str) -> None:
    """Log in with the temporary password and the e-mailed code; choose the definitive password."""
    password = temporary_password(portal, address)
    page.goto(portal.url(slug, "/accesso/"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inserisci il codice")
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", latest_email_to(portal, address).body_text)
    assert code is not None
    page.get_by_label("Codice").fill(code.group(1))
    page.get_by_role("button", name="Conferma").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Scegli la password definitiva")
    expect(page).to_have_url(portal.url(slug, "/accesso/password-definitiva/"))
    assert_accessible(page)
    # Nothing else opens before the definitive password is chosen.
    page.goto(portal.url(slug, "/contatti/"))
    expect(page).to_have_url(portal.url(slug, "/accesso/password-definitiva/"))

    page.get_by_label("Nuova password:", exact=True).fill("corta")
    page.get_by_label("Conferma la nuova password").fill("corta")
    page.get_by_role("button", name="Salva la password").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("troppo corta")
    assert_accessible(page)

    page.get_by_label("Nuova password:", exact=True).fill(DEFINITIVE)
    page.get_by_label("Conferma la nuova password").fill(DEFINITIVE)
    page.get_by_role("button", name="Salva la password").click()
    expect(page).to_have_url(portal.url(slug))
    expect(page.get_by_role("status")).to_contain_text("Password definitiva impostata")
    assert_accessible(page)


def test_it_registers_by_contract_data_and_chooses_the_password(portal: Portal, page: Page) -> None:
    contract = unregistered_contract(portal, "release")
    customer = contract.customer
    address = f"e2e.{customer.code}@example.test"

    page.goto(portal.url("release"))
    page.get_by_role("link", name="Registrati").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrazione")
    assert_accessible(page)

    page.get_by_label("Numero contratto").fill(contract.number)
    page.get_by_label("Numero modulo").fill(contract.module_number)
    page.get_by_label("Codice fiscale o partita IVA").fill(customer.codice_fiscale)
    page.get_by_label("E-mail").fill("non-una-email")
    page.get_by_role("button", name="Registrati").click()
    expect(page.locator("#id_email_error")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Numero modulo").fill(contract.module_number + "9")
    page.get_by_label("E-mail").fill(address)
    page.get_by_role("button", name="Registrati").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "I dati inseriti non corrispondono a un contratto registrabile."
    )
    assert_accessible(page)

    page.get_by_label("Numero modulo").fill(contract.module_number)
    page.get_by_role("button", name="Registrati").click()
    expect(page.get_by_role("status")).to_have_text(SENT)
    assert_accessible(page)

    first_access(portal, page, "release", customer.code, address)


def test_it_registers_by_customer_code_after_confirmation(portal: Portal, page: Page) -> None:
    customer = unregistered_customer(portal, "energia")
    address = f"e2e.{customer.code}@example.test"

    page.goto(portal.url("energia", "/accesso/"))
    page.get_by_role("link", name="Sei un cliente e vuoi registrarti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrazione nuovo utente")
    assert_accessible(page)

    page.get_by_label("Codice cliente presente in fattura").fill(customer.code)
    page.get_by_label("Codice fiscale o partita IVA").fill(
        customer.partita_iva or customer.codice_fiscale
    )
    page.get_by_role("button", name="Conferma").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Conferma registrazione")
    details = page.locator("dl")
    expect(details).to_contain_text(customer.code)
    expect(details).to_contain_text(customer.name)
    expect(details).to_contain_text(customer.full_address)
    assert_accessible(page)

    page.get_by_label("E-Mail").fill(address)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("status")).to_have_text(SENT)
    assert_accessible(page)

    first_access(portal, page, "energia", customer.code, address)
