"""The company's own content (guide, contacts, FAQ, accessibility statement) in the page's
language, falling back to Italian (marked as such) only where the company wrote no English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from pytest_django import Settings
from tests.factories import BACK_OFFICE_HOST, Tenant, make_operator, operator_client

from sportello.core.models import Conformity, FaqEntry, ReviewMethod


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def main(page: str) -> str:
    """The page's own content, without the header and footer (language switch, legal text)."""
    return page[page.index("<main") : page.index("</main>")]


def element_with(page: str, text: str) -> str:
    """The opening tag of the innermost element whose content starts with ``text``."""
    position = page.index(text)
    return page[page.rindex("<", 0, page.rindex(">", 0, position)) : position]


@pytest.fixture
def guide_in_both(release: Tenant) -> Tenant:
    release.company.guide = "Lo scadenziario elenca le rate."
    release.company.guide_en = "The schedule lists the instalments."
    release.company.save()
    return release


def test_it_shows_the_italian_guide_in_italian(guide_in_both: Tenant) -> None:
    page = guide_in_both.client().get("/guida/").content.decode()

    assert "Lo scadenziario elenca le rate." in page
    assert "The schedule lists the instalments." not in page


def test_it_shows_the_english_guide_with_english_selected(guide_in_both: Tenant) -> None:
    page = english(guide_in_both.client()).get("/guida/").content.decode()

    assert "The schedule lists the instalments." in page
    assert "Lo scadenziario elenca le rate." not in page
    assert 'lang="it"' not in main(page)


def test_it_falls_back_to_the_italian_guide_marked_for_screen_readers(release: Tenant) -> None:
    release.company.guide = "Lo scadenziario elenca le rate."
    release.company.save()

    page = english(release.client()).get("/guida/").content.decode()

    assert 'lang="it"' in element_with(page, "<p>Lo scadenziario elenca le rate.")


def test_it_shows_the_contacts_text_in_the_pages_language(release: Tenant) -> None:
    release.company.commercial_contacts = "Filiale di Milano, lun–ven."
    release.company.commercial_contacts_en = "Milan branch, Monday to Friday."
    release.company.save()

    italian = release.client().get("/contatti/").content.decode()
    page = english(release.client()).get("/contatti/").content.decode()

    assert "Filiale di Milano" in italian
    assert "Milan branch, Monday to Friday." in page
    assert "Filiale di Milano" not in page


def test_it_falls_back_to_the_italian_contacts_text_marked_as_italian(release: Tenant) -> None:
    release.company.commercial_contacts = "Filiale di Milano, lun–ven."
    release.company.save()

    page = english(release.client()).get("/contatti/").content.decode()

    assert 'lang="it"' in element_with(page, "Filiale di Milano")


def faq(release: Tenant, language: str, question: str) -> None:
    FaqEntry.objects.create(
        company=release.company, language=language, question=question, answer="…"
    )


def test_it_shows_the_english_faq_with_english_selected(release: Tenant) -> None:
    faq(release, "it", "Dove sono le fatture?")
    faq(release, "en", "Where are my invoices?")

    page = english(release.client()).get("/faq/").content.decode()

    assert "Where are my invoices?" in page
    assert "Dove sono le fatture?" not in page
    assert 'lang="it"' not in main(page)


def test_it_falls_back_to_the_italian_faq_marked_as_italian(release: Tenant) -> None:
    faq(release, "it", "Dove sono le fatture?")

    page = english(release.client()).get("/faq/").content.decode()

    assert "Dove sono le fatture?" in page
    assert 'lang="it"' in element_with(page, '<h2 class="h5" id="faq-')


def test_it_shows_the_faq_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_max_num_queries: object
) -> None:
    for n in range(10):
        faq(release, "it", f"Domanda {n}?")
    client = english(release.client())
    client.get("/faq/")

    with django_assert_max_num_queries(4):  # type: ignore[operator]
        client.get("/faq/")


# -- accessibility statement ---------------------------------------------------


@pytest.fixture
def statement(release: Tenant) -> Tenant:
    company = release.company
    company.accessibility_conformity = Conformity.PARTIAL
    company.accessibility_issues = "Le fatture in PDF non sono PDF/UA."
    company.accessibility_issues_en = "Invoice PDFs are not PDF/UA."
    company.accessibility_reviewed_on = dt.date(2026, 5, 14)
    company.accessibility_review_method = ReviewMethod.SELF
    company.save()
    return release


def test_it_publishes_the_accessibility_statement_from_the_settings(statement: Tenant) -> None:
    response = statement.client().get("/accessibilita/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dichiarazione di accessibilità" in page
    assert "parzialmente conforme" in page
    assert "EN 301 549" in page and "WCAG 2.1" in page
    assert "Le fatture in PDF non sono PDF/UA." in page
    assert "14/05/2026" in page
    assert "autovalutazione" in page
    # No address of its own: feedback goes to the support address.
    assert 'href="mailto:assistenza@release.test"' in page
    assert "30 giorni" in page
    assert 'href="https://form.agid.gov.it/"' in page
    assert "https://release.test/" in page


def test_it_publishes_the_accessibility_statement_in_english(statement: Tenant) -> None:
    statement.company.accessibility_feedback_email = "accessibilita@release.test"
    statement.company.accessibility_feedback_url = "https://release.test/segnalazioni"
    statement.company.save()

    page = english(statement.client()).get("/accessibilita/").content.decode()

    assert "Accessibility statement" in page
    assert "partially compliant" in page
    assert "Invoice PDFs are not PDF/UA." in page
    assert "self-assessment" in page
    assert "within 30 days" in page
    assert 'href="mailto:accessibilita@release.test"' in page
    assert 'href="https://release.test/segnalazioni"' in page


def test_it_says_when_no_content_is_known_to_be_inaccessible(release: Tenant) -> None:
    release.company.accessibility_conformity = Conformity.FULL
    release.company.save()

    page = release.client().get("/accessibilita/").content.decode()

    assert "<strong>conforme</strong>" in page
    assert "Non sono noti contenuti non accessibili." in page


@pytest.mark.parametrize("path", ["/", "/accesso/", "/guida/", "/faq/", "/non-esiste/"])
def test_it_links_the_statement_from_the_footer_of_public_pages(release: Tenant, path: str) -> None:
    page = release.client().get(path).content.decode()

    footer = page[page.index("<footer") :]
    assert re.search(r'<a href="/accessibilita/">Dichiarazione di accessibilità</a>', footer)


def test_it_links_the_statement_from_the_footer_of_customer_pages(release: Tenant) -> None:
    page = english(release.logged_in_client()).get("/").content.decode()

    footer = page[page.index("<footer") :]
    assert '<a href="/accessibilita/">Accessibility statement</a>' in footer


def test_it_has_no_statement_on_the_platform_host(settings: Settings, db: None) -> None:
    settings.PLATFORM_HOSTS = ["localhost"]

    assert Client(HTTP_HOST="localhost").get("/accessibilita/").status_code == 404


def test_it_lets_an_operator_edit_the_statement_in_the_admin(
    release: Tenant, settings: Settings
) -> None:
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    operator = make_operator(
        release.company, permissions=["core.view_company", "core.change_company"]
    )
    client = operator_client(operator)

    page = client.get(f"/admin/core/company/{release.company.pk}/change/").content.decode()

    for name in [
        "guide_en",
        "commercial_contacts_en",
        "accessibility_conformity",
        "accessibility_issues",
        "accessibility_issues_en",
        "accessibility_feedback_email",
        "accessibility_feedback_url",
        "accessibility_reviewed_on",
        "accessibility_review_method",
    ]:
        assert f'name="{name}"' in page, name
