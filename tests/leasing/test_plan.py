"""The amortisation plan (D3): every column of seed 002, 25 rows a page, the whole
plan as Excel, and nobody else's plan."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from tests.answers import FIRST_PAGE, LAST_PAGE
from tests.factories import Tenant, make_customer, make_sub_user, make_user
from tests.leasing.contracts import (
    count_queries,
    leased_contract,
    other_leasing_tenant,
    small_and_large_customers,
    small_user,
)

from sportello.core.formatting import format_date
from sportello.leasing.models import Contract, InstalmentKind, PlanInstalment

COLUMNS = [
    "Num. rata",
    "Data scadenza",
    "Tipologia rata",
    "Importo rata",
    "Quota capitale",
    "Quota interessi",
    "Capitale residuo",
    "Modalità di pagamento",
    "Inizio competenza",
    "Fine competenza",
    "Data di incasso",
]


@pytest.fixture
def contract(release: Tenant) -> Contract:
    return leased_contract(release.customer, number="84963")


def rows(response: Any) -> list[list[str]]:
    """The plan table's body rows as the cells' text."""
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).replace("\xa0", " ").strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def plan_in_order(contract: Contract) -> list[PlanInstalment]:
    return list(contract.plan.order_by("due_date", "kind", "number", "pk"))


def workbook_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_it_shows_the_first_25_rows_with_every_column(release: Tenant, contract: Contract) -> None:
    response = release.logged_in_client().get(f"/contratti/{contract.pk}/piano/")

    assert response.status_code == 200
    page = response.content.decode()
    for column in COLUMNS:
        assert f'scope="col">{column}</th>' in page or f">{column}</th>" in page, column
    total = contract.plan.count()
    assert total > 50
    assert f"1 - 25 di {total}" in page
    shown = rows(response)
    expected = plan_in_order(contract)[:25]
    assert len(shown) == 25
    advance = expected[0]
    assert shown[0] == [
        "0",
        format_date(advance.due_date),
        "Rata anticipata",
        "5.000,00 €",
        "5.000,00 €",
        "0,00 €",
        "45.000,00 €",
        "Bonifico bancario",
        format_date(advance.accrual_start),
        format_date(advance.accrual_end),
        format_date(advance.collection_date),
    ]
    assert [r[0] for r in shown] == [str(r.number) for r in expected]
    assert 'rel="next"' in page and 'rel="prev"' not in page


def test_it_shows_page_2_from_row_26(release: Tenant, contract: Contract) -> None:
    response = release.logged_in_client().get(f"/contratti/{contract.pk}/piano/?page=2")

    total = contract.plan.count()
    page = response.content.decode()
    assert f"26 - 50 di {total}" in page
    expected = plan_in_order(contract)[25:50]
    assert [(r[0], r[1], r[2]) for r in rows(response)] == [
        (str(r.number), format_date(r.due_date), r.get_kind_display()) for r in expected
    ]
    assert 'href="?page=1" rel="prev"' in page
    assert 'href="?page=3" rel="next"' in page


def test_it_shows_indexation_rows_before_the_instalment_of_the_same_day(
    release: Tenant, contract: Contract
) -> None:
    indexation = contract.plan.filter(kind=InstalmentKind.INDEXATION).order_by("due_date").first()
    assert indexation is not None
    ordered = plan_in_order(contract)
    position = ordered.index(indexation)
    page_number = position // 25 + 1

    shown = rows(
        release.logged_in_client().get(f"/contratti/{contract.pk}/piano/?page={page_number}")
    )

    row = shown[position % 25]
    assert row[0] == "0" and row[2] == "Indicizzazione"
    same_day = shown[position % 25 + 1]
    assert same_day[1] == row[1] and same_day[2] == "Rata"


def test_it_shows_the_nearest_page_for_a_page_that_does_not_exist(
    release: Tenant, contract: Contract
) -> None:
    client = release.logged_in_client()
    last_page = (contract.plan.count() - 1) // 25 + 1

    past_the_end = client.get(f"/contratti/{contract.pk}/piano/?page=99")
    not_a_number = client.get(f"/contratti/{contract.pk}/piano/?page=x")

    assert past_the_end.status_code == not_a_number.status_code == 200
    assert LAST_PAGE in past_the_end.content.decode()
    last = client.get(f"/contratti/{contract.pk}/piano/?page={last_page}")
    assert rows(past_the_end) == rows(last) and LAST_PAGE not in last.content.decode()
    assert FIRST_PAGE in not_a_number.content.decode()
    assert rows(not_a_number) == rows(client.get(f"/contratti/{contract.pk}/piano/"))


def test_it_exports_the_whole_plan(release: Tenant, contract: Contract) -> None:
    response = release.logged_in_client().get(f"/contratti/{contract.pk}/piano/esporta/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="piano-ammortamento-84963.xlsx"'
    exported = workbook_rows(response)
    assert list(exported[0]) == COLUMNS
    expected = [
        (
            r.number,
            dt.datetime.combine(r.due_date, dt.time()),
            r.get_kind_display(),
            float(r.amount),
            float(r.capital_share),
            float(r.interest_share),
            float(r.residual_capital),
            r.get_payment_method_display(),
            dt.datetime.combine(r.accrual_start, dt.time()),
            dt.datetime.combine(r.accrual_end, dt.time()),
            dt.datetime.combine(r.collection_date, dt.time()) if r.collection_date else None,
        )
        for r in plan_in_order(contract)
    ]
    assert exported[1:] == expected


def test_it_exports_the_headers_in_english(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    exported = workbook_rows(client.get(f"/contratti/{contract.pk}/piano/esporta/"))

    kinds = {row[2] for row in exported[1:]}
    assert {"Advance instalment", "Instalment", "Indexation adjustment"} <= kinds


def test_it_shows_a_sub_user_the_plan(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client(make_sub_user(release.user))

    assert client.get(f"/contratti/{contract.pk}/piano/").status_code == 200
    assert client.get(f"/contratti/{contract.pk}/piano/esporta/").status_code == 200


@pytest.mark.parametrize("suffix", ["piano/", "piano/?page=2", "piano/esporta/", "documenti/"])
def test_it_hides_the_plan_from_another_customer_and_company(
    release: Tenant, energia: Tenant, contract: Contract, suffix: str
) -> None:
    neighbour = release.logged_in_client(make_user(make_customer(release.company)))
    stranger = energia.logged_in_client()
    leasing_stranger = other_leasing_tenant().logged_in_client()

    for client in [neighbour, stranger, leasing_stranger]:
        for pk in [contract.pk, contract.pk + 1, 999_999]:
            response = client.get(f"/contratti/{pk}/{suffix}")
            assert response.status_code == 404, (pk, suffix)
            assert b"84963" not in b"".join(
                getattr(response, "streaming_content", [response.content])
            )


def test_it_shows_the_plan_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    small, large = small_and_large_customers(release)
    small_contract = Contract.objects.filter(customer__users=small_user(small)).first()
    large_contract = Contract.objects.filter(customer__users=small_user(large)).first()
    assert small_contract is not None and large_contract is not None

    expected = count_queries(small, f"/contratti/{small_contract.pk}/piano/")
    with django_assert_num_queries(expected):
        large.get(f"/contratti/{large_contract.pk}/piano/?page=3")
