"""In a real browser (I3): an operator creates an API key with two permissions, copies it from
the page where it is shown once (a reload shows it no more and creates no second key), and the
key reads the API of the live server; revoked in the page, the same call is refused with a
problem. The page passes axe on a desktop and on a 390 px phone, and reads in English too."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_backoffice_import import DESKTOP, accessible_on_desktop_and_phone
from tests.e2e.test_e2e_service_desk import log_operator_in

from sportello.integration.models import ApiKey, Scope

pytestmark = pytest.mark.e2e

NAME = "Gestionale E2E – produzione"


def read_readings(portal: Portal, key: str) -> tuple[int, str, dict[str, Any]]:
    """``GET /api/v1/readings`` on Release's host as its core system calls it: status,
    content type and body. Python calls the loopback address with the company's Host, as
    Chromium does for ``*.localhost`` names."""
    connection = http.client.HTTPConnection("127.0.0.1", portal.server.port, timeout=10)
    try:
        connection.request(
            "GET",
            "/api/v1/readings",
            headers={
                "Host": f"release.localhost:{portal.server.port}",
                "Authorization": f"Bearer {key}",
                "Accept": "application/json",
            },
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), json.load(response)
    finally:
        connection.close()


def test_it_creates_a_key_that_reads_the_api_until_it_is_revoked(
    portal: Portal, page: Page
) -> None:
    page.set_viewport_size(DESKTOP)
    log_operator_in(portal, page)
    page.get_by_role("link", name="Chiavi API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiavi API")
    accessible_on_desktop_and_phone(page)

    page.get_by_label("Nome:", exact=True).fill(NAME)
    page.get_by_label("Lettura richieste").check()
    page.get_by_label("Lettura autoletture").check()
    page.get_by_role("button", name="Crea la chiave").click()

    shown = page.locator("#new-key")
    expect(shown).to_contain_text("Chiave creata. Copiala ora: non sarà più mostrata.")
    clear = shown.locator("code").inner_text().strip()
    assert clear.startswith("spk_")
    row = page.locator("#api-keys tbody tr").filter(has_text=NAME)
    expect(row).to_contain_text("Lettura richieste, Lettura autoletture")
    expect(row).to_contain_text(f"spk_{clear[4:12]}")
    accessible_on_desktop_and_phone(page)

    status, content_type, body = read_readings(portal, clear)
    assert status == 200, body
    assert content_type.startswith("application/json")
    assert isinstance(body["items"], list) and "next_cursor" in body

    expect(row).to_contain_text("Attiva")

    # Shown once: the page reloaded has the key's prefix, never the key; and since the
    # POST answered with a redirect, the reload is a GET that creates no second key.
    page.reload()
    expect(page.locator("#new-key")).to_have_count(0)
    assert clear not in page.content()
    expect(row).to_be_visible()
    expect(page.locator("#api-keys tbody tr").filter(has_text=NAME)).to_have_count(1)

    row.get_by_role("link", name=f"Revoca {NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoca la chiave API")
    accessible_on_desktop_and_phone(page)
    page.get_by_role("button", name=f"Revoca {NAME}").click()
    expect(page.get_by_role("status").first).to_have_text("Chiave revocata: non funziona più.")
    expect(row).to_contain_text("Revocata il")
    expect(row.get_by_role("link", name=f"Revoca {NAME}")).to_have_count(0)
    accessible_on_desktop_and_phone(page)

    status, content_type, body = read_readings(portal, clear)
    assert status == 401, body
    assert content_type.startswith("application/problem+json")
    assert body["status"] == 401
    with portal.database.active():
        key = ApiKey.objects.get(company__slug="release", name=NAME)  # one, not two
        assert key.scopes == [Scope.READ_REQUESTS, Scope.READ_READINGS]
        assert key.revoked_at is not None and key.last_used_at is not None
        assert key.created_by is not None and key.created_by.username == "operatore-release"

    page.locator("#language-select").select_option("en")
    page.locator("header").get_by_role("button", name="Cambia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    expect(page.get_by_role("heading", level=2)).to_have_text("New key")
    assert_accessible(page)
