"""Leased assets (D4): of every contract or of one, the Excel export with seed 002's
columns, and nobody else's assets."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from tests.factories import Tenant
from tests.leasing.contracts import (
    count_queries,
    leased_contract,
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


def test_it_refuses_a_missing_contract_and_a_utility(
    release: Tenant, energia: Tenant, contracts: tuple[Contract, Contract]
) -> None:
    # Another customer's and another company's assets: the owner matrix.
    client = release.logged_in_client()
    for url in ["/contratti/beni/", "/contratti/beni/esporta/"]:
        assert client.get(f"{url}?contract=999999").status_code == 404, url
        assert energia.logged_in_client().get(url).status_code == 404, url


def test_it_lists_assets_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    small, large = small_and_large_customers(release)

    expected = count_queries(small, "/contratti/beni/")
    with django_assert_num_queries(expected):
        large.get("/contratti/beni/?page=2")
