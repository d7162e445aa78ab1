"""The utility's documents (G8): one page per category of seed 004's menu, newest
first, a page at a time, and downloads only for who may have them."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from tests.factories import (
    Tenant,
    make_company,
    make_customer,
    make_document,
    make_sub_user,
    make_user,
)

from sportello.core.models import AuditEvent, CompanyKind
from sportello.documents.models import Document, DocumentCategory

PAGES = {
    "miei": "I miei documenti",
    "generica": "Documentazione generica",
    "modulistica": "Modulistica",
    "normative": "Normative",
    "comunicati": "Comunicati",
    "informazioni": "Informazioni",
}


@pytest.fixture
def library(energia: Tenant) -> dict[str, Document]:
    company, customer = energia.company, energia.customer
    neighbour = make_customer(company)
    other_utility = make_company("acquagas", kind=CompanyKind.UTILITY)
    return {
        "mine": make_document(company, "Lettera di benvenuto", customer=customer),
        "generic": make_document(company, "Carta dei servizi", category=DocumentCategory.GENERIC),
        "forms": make_document(company, "Modulo di voltura", category=DocumentCategory.FORMS),
        "regulations": make_document(
            company, "Delibera ARERA 413/2016", category=DocumentCategory.REGULATIONS
        ),
        # A communication to this customer only, beside the company's.
        "own_communication": make_document(
            company,
            "Variazione della tua offerta",
            customer=customer,
            category=DocumentCategory.COMMUNICATIONS,
        ),
        "communication": make_document(
            company, "Nuove tariffe 2025", category=DocumentCategory.COMMUNICATIONS
        ),
        "neighbours": make_document(company, "Lettera al vicino", customer=neighbour),
        "neighbours_communication": make_document(
            company,
            "Variazione dell'offerta del vicino",
            customer=neighbour,
            category=DocumentCategory.COMMUNICATIONS,
        ),
        "other_company": make_document(
            other_utility, "Modulo di un'altra società", category=DocumentCategory.FORMS
        ),
    }


def titles(response: Any) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'<th scope="row">(.*?)</th>', response.content.decode())
    ]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("miei", ["Lettera di benvenuto"]),
        ("generica", ["Carta dei servizi"]),
        ("modulistica", ["Modulo di voltura"]),
        ("normative", ["Delibera ARERA 413/2016"]),
        ("comunicati", ["Nuove tariffe 2025", "Variazione della tua offerta"]),
        ("informazioni", []),
    ],
)
def test_it_lists_each_categorys_documents_for_the_customer(
    energia: Tenant, library: dict[str, Document], slug: str, expected: list[str]
) -> None:
    response = energia.logged_in_client().get(f"/documenti/{slug}/")

    assert response.status_code == 200
    assert f'<h1 class="sp-card-title">{PAGES[slug]}</h1>' in response.content.decode()
    assert sorted(titles(response)) == sorted(expected)


def test_it_says_when_a_category_has_no_documents_yet(energia: Tenant) -> None:
    mine = html.unescape(energia.logged_in_client().get("/documenti/miei/").content.decode())
    rules = html.unescape(energia.logged_in_client().get("/documenti/normative/").content.decode())

    assert "Non ci sono ancora documenti per te: quando Energia Verde S.r.l. ne mette" in mine
    assert "Non ci sono ancora documenti in «Normative»: quando Energia Verde S.r.l." in rules


def test_it_links_every_category_from_the_menu(energia: Tenant) -> None:
    page = energia.logged_in_client().get("/documenti/modulistica/").content.decode()
    menu = page[page.index('<ul class="sp-menu-list') : page.index("</ul>")]

    for slug, label in PAGES.items():
        link = re.search(rf'<a href="/documenti/{slug}/"[^>]*>([^<]*)</a>', menu)
        assert link is not None and link.group(1) == label
    assert '<a href="/documenti/modulistica/" aria-current="page">' in menu


def test_it_lists_the_newest_first_a_page_at_a_time(energia: Tenant) -> None:
    for n in range(30):
        document = make_document(
            energia.company, f"Modulo {n:02d}", category=DocumentCategory.FORMS
        )
        Document.objects.filter(pk=document.pk).update(
            published_on=dt.date(2024, 1, 1) + dt.timedelta(days=n)
        )
    client = energia.logged_in_client()

    first, second = (
        client.get("/documenti/modulistica/"),
        client.get("/documenti/modulistica/?page=2"),
    )

    assert titles(first)[:2] == ["Modulo 29", "Modulo 28"]
    assert len(titles(first)) == 25
    assert titles(second) == ["Modulo 04", "Modulo 03", "Modulo 02", "Modulo 01", "Modulo 00"]
    assert "26 - 30 di 30" in second.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_it_lists_a_category_in_a_fixed_number_of_queries(
    energia: Tenant, count: int, django_assert_num_queries: Any
) -> None:
    for n in range(count):
        make_document(energia.company, f"Lettera {n}", customer=energia.customer)
    client = energia.logged_in_client()
    client.get("/documenti/miei/")

    # Session, user, the count, the bell, the header's supply points, the page of
    # documents (the session was written less than a minute ago: not again).
    with django_assert_num_queries(6):
        assert client.get("/documenti/miei/").status_code == 200


def test_it_answers_404_for_a_category_that_does_not_exist(energia: Tenant) -> None:
    client = energia.logged_in_client()

    assert client.get("/documenti/bollette/").status_code == 404
    assert client.get("/documenti/mine/").status_code == 404


def test_it_leads_a_utilitys_documents_address_to_my_documents(energia: Tenant) -> None:
    response = energia.logged_in_client().get("/documenti/")

    assert response.status_code == 302 and response["Location"] == "/documenti/miei/"
    assert energia.client().get("/documenti/miei/").status_code == 302


def test_it_downloads_a_utilitys_document_and_audits_it(
    energia: Tenant, library: dict[str, Document]
) -> None:
    client = energia.logged_in_client(make_sub_user(energia.user))

    for which in ("mine", "forms", "own_communication"):
        response = client.get(f"/documenti/{library[which].uid}/scarica/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="document.download").count() == 3


def test_it_refuses_another_customers_or_companys_documents(
    energia: Tenant, library: dict[str, Document]
) -> None:
    client = energia.logged_in_client()

    for which in ("neighbours", "neighbours_communication", "other_company"):
        assert client.get(f"/documenti/{library[which].uid}/scarica/").status_code == 404
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_it_shows_a_neighbour_only_its_own_and_the_companys(
    energia: Tenant, library: dict[str, Document]
) -> None:
    neighbour = make_user(library["neighbours"].customer)  # type: ignore[arg-type]
    client = energia.logged_in_client(neighbour)

    assert titles(client.get("/documenti/miei/")) == ["Lettera al vicino"]
    assert sorted(titles(client.get("/documenti/comunicati/"))) == [
        "Nuove tariffe 2025",
        "Variazione dell'offerta del vicino",
    ]


def test_it_serves_the_category_pages_on_a_leasing_portal_too(release: Tenant) -> None:
    make_document(release.company, "Lettera di benvenuto", customer=release.customer)

    client = release.logged_in_client()

    assert titles(client.get("/documenti/miei/")) == ["Lettera di benvenuto"]
    # The leasing portal keeps its page of every document.
    assert client.get("/documenti/").status_code == 200
