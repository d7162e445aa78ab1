"""One pagination for every list: a bad ``?page=`` shows the nearest page and says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.answers import FIRST_PAGE, LAST_PAGE
from tests.billing.helpers import invoice_with_pdf
from tests.factories import Tenant, make_contract
from tests.leasing.contracts import count_queries, leased_contract

from sportello.leasing.models import Contract

#: Every paginated page of the customer area; ``{pk}`` is a contract with a long plan.
LISTS = [
    "/contratti/{pk}/piano/",
    "/contratti/beni/",
    "/contratti/",
    "/fatture-e-pagamenti/",
    "/fatture-e-pagamenti/fatture/",
    "/rendiconti/",
]
FIRST_PAGE_EN = "Invalid page: showing the first page"
LAST_PAGE_EN = "Invalid page: showing the last page"


@pytest.fixture
def contract(release: Tenant) -> Contract:
    contract = leased_contract(release.customer, duration_months=120, assets=30)
    for _ in range(11):  # more contracts than a page of statements holds
        make_contract(release.customer)
    for n in range(30):
        invoice_with_pdf(release.customer, number=f"{n}/2024")
    return contract


def get(client: Client, path: str, page: str) -> Any:
    return client.get(path, {"page": page})


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("asked", ["x", "0", "-2", "1.5", "", "99"])
def test_it_shows_the_nearest_page_with_a_message(
    release: Tenant, contract: Contract, path: str, asked: str
) -> None:
    client = release.logged_in_client()
    url = path.format(pk=contract.pk)
    first = get(client, url, "1")
    last_number = first.context["page"].paginator.num_pages
    last = get(client, url, str(last_number))

    response = get(client, url, asked)

    body = response.content.decode()
    assert response.status_code == 200
    expected = last if asked == "99" else first
    assert response.context["page"].number == expected.context["page"].number
    assert list(response.context["page"].object_list) == list(expected.context["page"].object_list)
    if asked == "":
        assert FIRST_PAGE not in body and LAST_PAGE not in body
    elif asked == "99":
        assert LAST_PAGE in body and FIRST_PAGE not in body
    else:
        assert FIRST_PAGE in body and LAST_PAGE not in body


@pytest.mark.parametrize("path", LISTS)
def test_it_costs_the_same_queries_whatever_the_page_asked(
    release: Tenant, contract: Contract, path: str, django_assert_num_queries: Any
) -> None:
    client = release.logged_in_client()
    url = path.format(pk=contract.pk)
    client.get(url)  # the session's first request loads more than the page needs
    expected = count_queries(client, f"{url}?page=1")

    for asked in ["x", "99", "2"]:
        with django_assert_num_queries(expected):
            get(client, url, asked)


def test_it_says_so_in_english(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    not_a_number = get(client, "/contratti/beni/", "x").content.decode()
    past_the_end = get(client, "/contratti/beni/", "99").content.decode()

    assert FIRST_PAGE_EN in not_a_number
    assert LAST_PAGE_EN in past_the_end


def test_a_long_list_jumps_to_its_first_and_last_page(release: Tenant, contract: Contract) -> None:
    # A fleet's schedule runs to hundreds of pages: the oldest rows must be one click away.
    client = release.logged_in_client()
    url = f"/contratti/{contract.pk}/piano/"
    pages = client.get(url).context["page"].paginator.num_pages
    assert pages > 3

    first = client.get(url).content.decode()
    middle = get(client, url, "2").content.decode()
    last = get(client, url, str(pages)).content.decode()

    assert f"Pagina 1 di {pages}" in first
    assert f'href="?page={pages}" aria-label="Ultima pagina"' in first
    assert 'aria-label="Prima pagina"' not in first
    assert 'aria-label="Prima pagina"' not in middle  # "Precedente" is the first page there
    assert 'href="?page=1" aria-label="Prima pagina"' in last
    assert 'aria-label="Ultima pagina"' not in last


def test_the_counts_are_grouped_by_thousands_in_each_language(release: Tenant) -> None:
    contract = leased_contract(release.customer, duration_months=1200)
    client = release.logged_in_client()
    url = f"/contratti/{contract.pk}/piano/"
    total = client.get(url).context["page"].paginator.count
    assert total >= 1000

    italian = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()

    assert f"1 - 25 di {total // 1000}.{total % 1000:03d}" in italian
    assert f"1 - 25 of {total // 1000},{total % 1000:03d}" in english
