"""Documents (D5): the customer's and the company's documents, the documents of a
contract, and downloads only for who may have them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.answers import cache_directives
from tests.factories import (
    DOCUMENT_PDF,
    Tenant,
    make_customer,
    make_document,
    make_user,
)
from tests.leasing.contracts import (
    count_queries,
    leased_contract,
    small_and_large_customers,
    small_user,
)

from sportello.core.models import AuditEvent
from sportello.documents.models import Document, DocumentCategory
from sportello.leasing.models import Contract


@pytest.fixture
def contract(release: Tenant) -> Contract:
    return leased_contract(release.customer, number="84963")


@pytest.fixture
def documents(release: Tenant, contract: Contract) -> dict[str, Document]:
    return {
        "contract": make_document(
            release.company,
            "Contratto di locazione 84963",
            customer=release.customer,
            contract=contract,
        ),
        "mine": make_document(release.company, "Lettera di benvenuto", customer=release.customer),
        "company": make_document(
            release.company, "Informativa privacy", category=DocumentCategory.INFORMATION
        ),
    }


def text(response: Any) -> str:
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", page)


def download(client: Any, document: Document) -> Any:
    return client.get(f"/documenti/{document.uid}/scarica/")


def test_it_lists_the_customers_and_the_companys_documents(
    release: Tenant, documents: dict[str, Document]
) -> None:
    response = release.logged_in_client().get("/documenti/")

    assert response.status_code == 200
    page = text(response)
    assert "I miei documenti" in page
    # The title and its download first: what a phone shows without scrolling.
    assert (
        "Contratto di locazione 84963 Scarica Contratto di locazione 84963 01/03/24 "
        "I miei documenti 84963" in page
    )
    assert "Lettera di benvenuto" in page
    assert "Documenti di Release S.p.A." in page
    assert "Informativa privacy Scarica Informativa privacy 01/03/24 Informazioni" in page
    for document in documents.values():
        assert f'href="/documenti/{document.uid}/scarica/"' in response.content.decode()


def test_it_lists_the_documents_of_a_contract(
    release: Tenant, contract: Contract, documents: dict[str, Document]
) -> None:
    response = release.logged_in_client().get(f"/contratti/{contract.pk}/documenti/")

    page = text(response)
    assert "Documenti del contratto 84963" in page
    assert "Contratto di locazione 84963" in page
    assert "Lettera di benvenuto" not in page
    assert "Informativa privacy" not in page
    contract_page = release.logged_in_client().get(f"/contratti/{contract.pk}/").content.decode()
    assert f'href="/contratti/{contract.pk}/documenti/"' in contract_page


@pytest.mark.parametrize("which", ["contract", "mine", "company"])
def test_it_downloads_a_document_as_an_attachment(
    release: Tenant, documents: dict[str, Document], which: str
) -> None:
    document = documents[which]

    response = download(release.logged_in_client(), document)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{document.original_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"no-store", "private"} <= cache_directives(response)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == DOCUMENT_PDF
    event = AuditEvent.objects.get(action="document.download")
    assert event.actor == release.user
    assert event.object_id == str(document.pk)
    assert event.company == release.company


def test_it_refuses_another_customers_documents(
    release: Tenant, documents: dict[str, Document]
) -> None:
    client = release.logged_in_client(make_user(make_customer(release.company)))

    page = text(client.get("/documenti/"))
    assert "Contratto di locazione" not in page and "Lettera di benvenuto" not in page
    # The company-wide documents are every customer's of the company.
    assert "Informativa privacy" in page
    assert download(client, documents["contract"]).status_code == 404
    assert download(client, documents["mine"]).status_code == 404
    assert not AuditEvent.objects.filter(action="document.download").exists()
    assert download(client, documents["company"]).status_code == 200


def test_it_has_no_documents_of_a_leasing_company_on_a_utilitys_portal(
    release: Tenant, energia: Tenant, documents: dict[str, Document]
) -> None:
    # Another leasing company's customer is in the owner matrix.
    client = energia.logged_in_client()

    for document in documents.values():
        assert download(client, document).status_code == 404


def test_it_refuses_a_guessed_document_id(release: Tenant, documents: dict[str, Document]) -> None:
    client = release.logged_in_client()

    assert client.get("/documenti/00000000-0000-4000-8000-000000000000/scarica/").status_code == 404
    assert client.get(f"/documenti/{documents['mine'].pk}/scarica/").status_code == 404


def test_it_lists_documents_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    small, large = small_and_large_customers(release)
    for client in [small, large]:
        user = small_user(client)
        assert user.customer is not None
        contracts = list(user.customer.contracts.all())
        for contract in contracts if client is large else contracts[:1]:
            make_document(
                release.company,
                f"Contratto {contract.number}",
                customer=user.customer,
                contract=contract,
            )

    expected = count_queries(small, "/documenti/")
    with django_assert_num_queries(expected):
        large.get("/documenti/")


def test_it_marks_the_italian_titles_on_an_english_page(
    release: Tenant, documents: dict[str, Document]
) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    english = client.get("/documenti/").content.decode()
    client.cookies["django_language"] = "it"
    italian = client.get("/documenti/").content.decode()

    # The company writes its titles in Italian: a screen reader must read them so.
    assert '<th scope="row" lang="it">Lettera di benvenuto</th>' in english
    assert '<th scope="row">Lettera di benvenuto</th>' in italian


def test_it_pages_a_fleets_documents_in_the_database(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    for number in range(30):
        make_document(release.company, f"Contratto flotta {number:02d}", customer=release.customer)
    client = release.logged_in_client()
    client.get("/documenti/")  # the bell's audience, computed once

    # The same 6 with 30 documents as with 3: the page's 25 and their count.
    with django_assert_num_queries(6):
        first = client.get("/documenti/").content.decode()
    second = client.get("/documenti/?page=2").content.decode()

    assert "1 - 25 di 30" in first and "26 - 30 di 30" in second
    assert first.count("Contratto flotta") == 25 * 2  # title and the download's hidden name
