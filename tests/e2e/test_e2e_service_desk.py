"""In a real browser, both sides of one request (E5, E7, J1): a customer sends a
complaint, an operator answers it with a file, the customer reads the answer,
downloads the file and replies, and the operator sees the reply.

Each page passes axe; the customer works on a phone.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_login import operator_code
from tests.e2e.test_e2e_shell import customer_login, log_in

from sportello.accounts.models import PortalUser
from sportello.core.models import OutboxEmail
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.servicedesk.deadlines import COMPLAINT_DAYS

pytestmark = pytest.mark.e2e

SLUG = "release"
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def log_operator_in(portal: Portal, page: Page) -> None:
    page.goto(portal.url("localhost", "/back-office/"))
    page.locator("#id_username").fill(f"operatore-{SLUG}")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.locator("#id_code").fill(operator_code(portal, f"operatore@{SLUG}.demo.example"))
    page.locator("#login-form [type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Richieste")


def test_it_carries_a_complaint_from_the_customer_to_the_desk_and_back(
    portal: Portal, page: Page, operator_page: Page, settings: Settings
) -> None:
    # The scanner is proven in test_e2e_self_service; here the conversation.
    settings.CLAMAV_REQUIRED = False
    settings.CLAMAV_SOCKET = "/nonexistent"
    page.set_viewport_size(PHONE)
    log_in(portal, page, SLUG)

    page.goto(portal.url(SLUG, "/richieste/nuova/reclamo/"))
    due = dt.date.today() + dt.timedelta(days=COMPLAINT_DAYS)
    expect(page.get_by_role("note").first).to_contain_text(f"entro il {due:%d/%m/%Y}")
    page.get_by_label("Oggetto").fill("Canone addebitato due volte")
    page.get_by_label("Descrizione del reclamo").fill(
        "Il canone di marzo è stato addebitato due volte."
    )
    page.get_by_role("button", name="Invia").click()
    expect(page).to_have_url(re.compile(r"/richieste/RIC-\d{4}-\d{6}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_role("status")).to_contain_text(code)
    expect(page.get_by_text(f"Risposta entro il {due:%d/%m/%Y}")).to_be_visible()
    assert_accessible(page)

    log_operator_in(portal, operator_page)
    operator_page.get_by_role("link", name=code).first.click()
    expect(operator_page.locator("#conversation")).to_contain_text("addebitato due volte")
    operator_page.get_by_label("Risposta al cliente").fill(
        "Le abbiamo stornato il secondo addebito."
    )
    operator_page.get_by_label("Allega file").first.set_input_files(
        {"name": "storno.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    operator_page.get_by_role("button", name="Invia risposta", exact=True).click()
    expect(operator_page.get_by_role("status").first).to_have_text("Risposta inviata al cliente.")

    # The customer is told by e-mail, with a link and without the answer's text.
    login, _name = customer_login(portal, SLUG)
    with portal.database.active():
        user = PortalUser.objects.get(company__slug=SLUG, login=login)
        notice = next(
            e for e in OutboxEmail.objects.order_by("-pk") if user.notification_email in e.to
        )
    assert notice.subject.startswith(f"{code} – ")
    assert f"/richieste/{code}/" in notice.body_text
    assert "stornato" not in notice.body_text

    page.reload()
    answer = page.locator("#conversation > li").last
    expect(answer).to_contain_text("Servizio clienti")
    expect(answer).to_contain_text("Le abbiamo stornato il secondo addebito.")
    with page.expect_download() as download:
        answer.get_by_role("link", name=re.compile("storno.pdf")).click()
    assert download.value.suggested_filename == "storno.pdf"
    assert_accessible(page)

    page.get_by_label("Messaggio").fill("Grazie, confermo lo storno.")
    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_role("status")).to_contain_text("Risposta inviata.")

    operator_page.reload()
    expect(operator_page.locator("#conversation")).to_contain_text("Grazie, confermo lo storno.")
    assert_accessible(operator_page)
