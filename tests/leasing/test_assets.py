"""Leased assets (D4): of every contract or of one, the Excel export with seed 002's
columns, and nobody else's assets."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from tests.answers import CONTRACT_NOT_FOUND, assert_same_answer
from tests.factories import Tenant, make_customer, make_sub_user, make_user
from tests.leasing.contracts import (
    count_queries,
    leased_contract,
    other_leasing_tenant,
    small_and_large_customers,
)

from sportello.leasing.models import Asset, Contract

EXPORT_COLUMNS = [
    "Codice Contratto",
    "Fine mandato",
    "Codice del bene",
    "Tipo di risorsa",
    "Valore Finanziario",
    "Valore atteso futuro",
    "Descrizione della risorsa",
]


@pytest.fixture
def contracts(release: Tenant) -> tuple[Contract, Contract]:
    return (
        leased_contract(release.customer, number="84963", assets=3),
        leased_contract(release.customer, number="84990", assets=1),
    )


def text(response: Any) -> str:
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", page.replace("\xa0", " "))


def workbook_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_it_shows_the_assets_of_every_contract(
    release: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    response = release.logged_in_client().get("/contratti/beni/")

    assert response.status_code == 200
    page = text(response)
    assert page.count("FIAT DUCATO 2.3 MJT FURGONE") == 4
    asset = Asset.objects.get(code="84963-2")
    for label, value in [
        ("Codice contratto", "84963"),
        ("Codice del bene", "84963-2"),
        ("Tipo bene", "AUTO LEASING FINANZIARIO"),
        ("Importo", "25.000,00 €"),
        ("Valore residuo", "250,00 €"),
        ("Scadenza locazione", asset.lease_end.strftime("%d/%m/%y")),
    ]:
        assert f"{label} {value}" in page, label
    assert "Tutti i contratti" in page


def test_it_shows_the_assets_of_one_contract(
    release: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    second = contracts[1]

    response = release.logged_in_client().get(f"/contratti/beni/?contract={second.pk}")

    page = text(response)
    assert "Codice contratto 84990" in page
    assert "Codice contratto 84963" not in page
    assert f'<option value="{second.pk}" selected>' in response.content.decode()
    assert f'href="/contratti/beni/esporta/?contract={second.pk}"' in response.content.decode()


def test_it_exports_the_assets_with_the_seed_columns(
    release: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    response = release.logged_in_client().get("/contratti/beni/esporta/")

    assert response["Content-Disposition"] == 'attachment; filename="beni-in-locazione.xlsx"'
    exported = workbook_rows(response)
    assert list(exported[0]) == EXPORT_COLUMNS
    expected = [
        (
            a.contract.number,
            dt.datetime.combine(a.lease_end, dt.time()),
            a.code,
            a.asset_type,
            float(a.financial_value),
            float(a.future_value),
            a.description,
        )
        for a in Asset.objects.filter(contract__customer=release.customer)
        .select_related("contract")
        .order_by("contract__number", "code")
    ]
    assert exported[1:] == expected
    assert len(expected) == 4


def test_it_exports_the_assets_of_one_contract(
    release: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    response = release.logged_in_client().get(
        f"/contratti/beni/esporta/?contract={contracts[1].pk}"
    )

    exported = workbook_rows(response)
    assert [row[0] for row in exported[1:]] == ["84990"]


def test_it_shows_a_sub_user_the_same_assets(
    release: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    client = release.logged_in_client(make_sub_user(release.user))

    assert text(client.get("/contratti/beni/")).count("FIAT DUCATO") == 4
    assert len(workbook_rows(client.get("/contratti/beni/esporta/"))) == 5


def test_it_hides_the_assets_from_another_customer_and_company(
    release: Tenant, energia: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    neighbour = release.logged_in_client(make_user(make_customer(release.company)))
    stranger = other_leasing_tenant().logged_in_client()

    for client in [neighbour, stranger]:
        assert "FIAT DUCATO" not in text(client.get("/contratti/beni/"))
        assert len(workbook_rows(client.get("/contratti/beni/esporta/"))) == 1
        for url in ["/contratti/beni/", "/contratti/beni/esporta/"]:
            foreign = client.get(f"{url}?contract={contracts[0].pk}")
            assert_same_answer(foreign, client.get(f"{url}?contract=999999"))
            assert foreign.status_code == 200, url
            if url == "/contratti/beni/":
                assert "FIAT DUCATO" not in text(foreign)
                assert CONTRACT_NOT_FOUND in foreign.content.decode()
            else:
                assert len(workbook_rows(client.get(f"{url}?contract={contracts[0].pk}"))) == 1
    utility = energia.logged_in_client()
    for url in ["/contratti/beni/", "/contratti/beni/esporta/"]:
        assert utility.get(url).status_code == 404


def test_it_lists_assets_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    small, large = small_and_large_customers(release)

    expected = count_queries(small, "/contratti/beni/")
    with django_assert_num_queries(expected):
        large.get("/contratti/beni/?page=2")
