"""Every export in both formats: the CSV says what the XLSX says, and both are
named in the language of the page they were exported from."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from tests.answers import cache_directives
from tests.billing.helpers import entry
from tests.factories import Tenant
from tests.leasing.contracts import leased_contract

from sportello.billing.exports import ScheduleExporter
from sportello.core.exports import Column, Exporter
from sportello.leasing.exports import AssetExporter, PlanExporter
from sportello.leasing.models import Contract

EXPORTERS: dict[str, type[Exporter]] = {
    "schedule": ScheduleExporter,
    "plan": PlanExporter,
    "assets": AssetExporter,
}


@pytest.fixture
def contract(release: Tenant) -> Contract:
    contract = leased_contract(release.customer, duration_months=36, assets=3)
    entry(contract, dt.date(2024, 2, 29), "514.11", "514.11", number=1)
    entry(contract, dt.date(2024, 3, 31), "514.11", "100.00", number=2)
    entry(contract, dt.date(2024, 4, 30), "514.11", number=3)
    return contract


def exports(contract: Contract) -> dict[str, str]:
    return {
        "schedule": f"/fatture-e-pagamenti/esporta/?contract={contract.pk}",
        "plan": f"/contratti/{contract.pk}/piano/esporta/",
        "assets": "/contratti/beni/esporta/",
    }


def xlsx_values(client: Client, url: str) -> list[tuple[Any, ...]]:
    response = client.get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def as_xlsx_value(column: Column, cell: str) -> Any:
    """A CSV cell read back as the value the XLSX cell of the same column holds."""
    if cell == "":
        return None
    if column.kind == "date":
        return dt.datetime.strptime(cell, "%d/%m/%Y")
    if column.kind == "integer":
        return int(cell)
    if column.kind == "money":
        assert "." not in cell  # a decimal comma, no thousands separator
        return float(Decimal(cell.replace(",", ".")))
    return cell


def with_format(url: str, name: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}format={name}"


def csv_values(client: Client, url: str, columns: list[Column]) -> list[tuple[Any, ...]]:
    response = client.get(with_format(url, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [tuple(rows[0])] + [
        tuple(as_xlsx_value(c, cell) for c, cell in zip(columns, row, strict=True))
        for row in rows[1:]
    ]


@pytest.mark.parametrize("name", ["schedule", "plan", "assets"])
def test_it_writes_the_same_values_in_csv_as_in_xlsx(
    release: Tenant, contract: Contract, name: str
) -> None:
    client = release.logged_in_client()
    url = exports(contract)[name]

    xlsx = xlsx_values(client, url)
    assert len(xlsx) > 2
    assert csv_values(client, url, list(EXPORTERS[name].columns)) == xlsx


@pytest.mark.parametrize(
    ("name", "language", "filename"),
    [
        ("schedule", "it", "fatture-e-pagamenti-{number}"),
        ("schedule", "en", "invoices-and-payments-{number}"),
        ("plan", "it", "piano-ammortamento-{number}"),
        ("plan", "en", "amortisation-plan-{number}"),
        ("assets", "it", "beni-in-locazione"),
        ("assets", "en", "leased-assets"),
    ],
)
def test_it_names_the_files_in_the_language_of_the_page(
    release: Tenant, contract: Contract, name: str, language: str, filename: str
) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = language
    url = exports(contract)[name]
    stem = filename.format(number=contract.number)

    for extension in ("xlsx", "csv"):
        response = client.get(with_format(url, extension))
        expected = f'attachment; filename="{stem}.{extension}"'
        assert response["Content-Disposition"] == expected
        assert {"no-store", "private"} <= cache_directives(response)
        assert response["X-Content-Type-Options"] == "nosniff"


def test_it_offers_a_csv_link_next_to_the_excel_one(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()

    for page, export in [
        (f"/fatture-e-pagamenti/?contract={contract.pk}", exports(contract)["schedule"]),
        (f"/contratti/{contract.pk}/piano/", exports(contract)["plan"]),
        ("/contratti/beni/", exports(contract)["assets"]),
    ]:
        body = client.get(page).content.decode()
        separator = "&amp;" if "?" in export else "?"
        assert f'href="{export.replace("&", "&amp;")}" download>Esporta Excel' in body
        assert f'href="{export}{separator}format=csv" download>Esporta CSV' in body
