"""In a real browser: an operator logs in to the back office, finds a complaint in the
queue, answers it with a file, cannot close it without the referral, and reads the
register; every page passes axe and fits a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_login import operator_code

from sportello.core.audit import Origin
from sportello.customers.models import Customer
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.servicedesk import services
from sportello.servicedesk.models import RequestKind, RequestMessage, ServiceRequest

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% ricevuta del bonifico\n"


def fits_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def a_complaint(portal: Portal) -> ServiceRequest:
    """A payment-service complaint of one of Release's customers, as the customer sends it."""
    with portal.database.active():
        customer = Customer.objects.filter(company__slug="release", users__isnull=False).first()
        assert customer is not None
        user = customer.users.filter(parent__isnull=True).first()
        return services.open_request(
            Origin(customer.company, user, "192.0.2.1"),
            customer,
            RequestKind.COMPLAINT,
            title="Bonifico non eseguito",
            message="Il bonifico del 3 marzo non è mai arrivato.",
            is_payment_service=True,
        )


def test_it_lets_an_operator_answer_a_complaint_and_read_the_register(
    portal: Portal, page: Page, settings: Settings
) -> None:
    # No clamd in this test: the files go through unscanned (tests/core proves scanning).
    settings.CLAMAV_REQUIRED = False
    settings.CLAMAV_SOCKET = "/nonexistent"
    complaint = a_complaint(portal)

    page.goto(portal.url("localhost", "/back-office/"))
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/back-office/"))
    page.locator("#id_username").fill("operatore-release")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.get_by_text("Abbiamo inviato un codice di 6 cifre")).to_be_visible()
    page.locator("#id_code").fill(operator_code(portal, "operatore@release.demo.example"))
    page.locator("#login-form [type=submit]").click()

    # One company: straight to its queue, where open complaints come first (by due date,
    # so the demo's overdue ones lead and the new one follows them before any request).
    expect(page.get_by_role("heading", level=1)).to_have_text("Richieste")
    rows = page.locator("#queue tbody tr")
    expect(rows.filter(has_text=complaint.code)).to_contain_text("Reclamo")
    kinds = rows.locator("td:nth-child(5)").all_inner_texts()
    codes = rows.locator("th").all_inner_texts()
    position = next(n for n, code in enumerate(codes) if complaint.code in code)
    assert all("Reclamo" in kind for kind in kinds[: position + 1])
    assert_accessible(page)
    fits_a_phone(page)

    page.get_by_role("link", name=complaint.code).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.code)
    expect(page.locator("#complaint-due")).to_have_text(f"{complaint.due_on:%d/%m/%Y}")
    assert_accessible(page)
    fits_a_phone(page)

    page.get_by_label("Risposta al cliente").fill("Abbiamo avviato le verifiche.")
    page.get_by_label("Allega file").first.set_input_files(
        {"name": "ricevuta.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Invia risposta", exact=True).click()
    expect(page.get_by_role("status").first).to_have_text("Risposta inviata al cliente.")
    expect(page.locator("#conversation")).to_contain_text("ricevuta.pdf")
    assert_accessible(page)

    page.get_by_label("Risposta finale").fill("Il bonifico è stato eseguito il 10 marzo.")
    page.get_by_label("Esito").select_option(label="Accolto")
    page.get_by_label("Indicazione ABF e Conciliatore BancarioFinanziario").fill("")
    page.get_by_role("button", name="Chiudi", exact=True).click()
    expect(page.get_by_text("Un reclamo si chiude solo con l'indicazione")).to_be_visible()
    expect(page.locator("#request-status")).to_have_text("Aperta")
    assert_accessible(page)

    page.get_by_role("link", name="Registro reclami").click()
    expect(page.locator("#register")).to_contain_text(complaint.code)
    assert_accessible(page)
    fits_a_phone(page)

    with portal.database.active():
        answer = RequestMessage.objects.filter(request=complaint, from_service_desk=True).get()
        assert [a.original_name for a in answer.attachments.all()] == ["ricevuta.pdf"]
