"""In a real browser (G4-G6): a customer of Energia Toscana with an electricity and a
gas point switches point in the header and sees that point's billed consumption;
the chart and the table show the same figures; the technical and contract data
and the measures pass axe, on a desktop and on a 390 px phone."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.harness import Portal, assert_accessible
from tests.e2e.test_e2e_request_history import PHONE, assert_fits
from tests.e2e.test_e2e_shell import enter_code, watch_console
from tests.energy.helpers import bill_year, measure_days
from tests.factories import make_customer, make_supply_point, make_user

from sportello.accounts.models import PortalUser
from sportello.core.formatting import format_quantity
from sportello.core.models import Company
from sportello.demo.catalogue import DEMO_PASSWORD
from sportello.energy.models import Commodity, Consumption, SupplyPoint

pytestmark = pytest.mark.e2e

#: A customer of its own, so the figures are the test's whatever the demo bills.
LOGIN = "zz-consumi-e2e"
AUTUMN = dt.date(2026, 10, 25)
DESKTOP = {"width": 1280, "height": 900}

#: What each chart draws: label, values and estimated flags of its datasets.
CHARTS = """() => Object.fromEntries(
    [...document.querySelectorAll("canvas[data-sp-chart]")].map((canvas) => [
        canvas.dataset.spChart,
        Chart.getChart(canvas).data.datasets.map((set) => ({
            label: set.label, values: set.data, estimated: set.estimated,
        })),
    ])
)"""
TABLES = {
    "energy": "consumption-energy",
    "bands": "consumption-bands",
    "power": "consumption-power",
}


def customer_with_two_points(portal: Portal) -> tuple[SupplyPoint, SupplyPoint]:
    """The electricity (time bands) and gas points of the test's customer, made once."""
    with portal.database.active():
        user = PortalUser.objects.filter(company__slug="energia", login=LOGIN).first()
        if user is None:
            company = Company.objects.get(slug="energia")
            customer = make_customer(company, name="Consumi Prova")
            make_user(customer, LOGIN, password=DEMO_PASSWORD)
            electricity = make_supply_point(customer, has_time_bands=True)
            gas = make_supply_point(customer, Commodity.GAS, has_corrector=True)
            bill_year(electricity, 2024, estimated=(2,))
            bill_year(electricity, 2025, bands=True, estimated=(1, 7), months=range(1, 11))
            bill_year(gas, 2024)
            bill_year(gas, 2025, estimated=(3,))
            measure_days(electricity, AUTUMN, AUTUMN)
            user = PortalUser.objects.get(company__slug="energia", login=LOGIN)
        electricity, gas = SupplyPoint.objects.filter(customer=user.customer).order_by("number")
    return electricity, gas


def log_in(portal: Portal, page: Page) -> None:
    page.goto(portal.url("energia", "/accesso/"))
    page.get_by_label("Username").fill(LOGIN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    enter_code(portal, page, "energia", LOGIN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Benvenuto")


def table_cells(page: Page, table_id: str) -> list[list[str]]:
    """Each month's figures as the table shows them: «stimato» after an estimate, ''
    for a dash."""
    return page.locator(f"#{table_id} tbody tr").evaluate_all(
        """(rows) => rows.map((row) => [...row.querySelectorAll("td")].map((cell) => {
            const figure = cell.querySelector(".sp-figure");
            if (!figure) return "";
            return figure.textContent + (cell.querySelector(".sp-estimated") ? " stimato" : "");
        }))"""
    )


def as_cells(datasets: list[dict[str, Any]]) -> list[list[str]]:
    """A chart's datasets as table rows: one row a month, one cell a dataset."""
    columns = [
        [
            ""
            if value is None
            else format_quantity(Decimal(str(value))) + (" stimato" if estimated else "")
            for value, estimated in zip(d["values"], d["estimated"], strict=True)
        ]
        for d in datasets
    ]
    return [list(month) for month in zip(*columns, strict=True)]


def chart_and_table_agree(page: Page) -> dict[str, Any]:
    """Read the charts, switch to the tables, and find the same figures there."""
    expect(page.get_by_role("button", name="Grafico")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#chart-energy")).to_be_visible()
    expect(page.locator("#consumption-energy")).to_be_hidden()
    charts: dict[str, Any] = page.evaluate(CHARTS)
    assert_accessible(page)

    page.get_by_role("button", name="Tabella").click()
    expect(page.locator("#consumption-energy")).to_be_visible()
    expect(page.locator("#chart-energy")).to_be_hidden()
    for kind, datasets in charts.items():
        assert as_cells(datasets) == table_cells(page, TABLES[kind]), kind
    assert_accessible(page)
    page.get_by_role("button", name="Grafico").click()
    expect(page.locator("#chart-energy")).to_be_visible()
    return charts


def fits(page: Page) -> None:
    """On a phone, no sideways scrolling (a desktop is wide enough anyway)."""
    if page.viewport_size == PHONE:
        assert_fits(page)


def months_of(point: SupplyPoint, portal: Portal, year: int) -> list[str]:
    with portal.database.active():
        rows = Consumption.objects.filter(supply_point=point, year=year).order_by("month")
        return [format_quantity(row.energy) for row in rows]


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_shows_the_chosen_points_consumption_as_chart_and_table(
    portal: Portal, page: Page, screen: dict[str, int]
) -> None:
    electricity, gas = customer_with_two_points(portal)
    errors = watch_console(page)
    page.set_viewport_size(screen)
    log_in(portal, page)

    page.get_by_text("Menu", exact=True).click()
    menu = page.get_by_role("navigation", name="Menu principale")
    menu.get_by_role("link", name="Prelievi fatturati").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prelievi fatturati")
    expect(page.locator("#sp-point-choice")).to_have_value(str(electricity.pk))
    expect(
        page.get_by_role("img", name=re.compile("consumi mensili del 2025 e del 2024"))
    ).to_be_visible()
    charts = chart_and_table_agree(page)
    assert [d["label"] for d in charts["energy"]] == ["2025", "2024"]
    assert [d["label"] for d in charts["bands"]] == ["F1", "F2", "F3"]
    assert [row[0] for row in as_cells(charts["energy"])][:10] == [
        figure + (" stimato" if month in (1, 7) else "")
        for month, figure in enumerate(months_of(electricity, portal, 2025), start=1)
    ]
    fits(page)

    # The header's selector: the gas point, and this page again with its figures.
    page.locator("#sp-point-choice").select_option(str(gas.pk))
    page.get_by_role("button", name="Cambia punto").click()
    expect(page).to_have_url(portal.url("energia", "/fornitura/prelievi/"))
    expect(page.get_by_role("heading", name="Gas (Smc)")).to_be_visible()
    charts = chart_and_table_agree(page)
    assert set(charts) == {"energy"}
    assert [row[1] for row in as_cells(charts["energy"])] == months_of(gas, portal, 2024)
    assert page.locator("#consumption-power").count() == 0
    fits(page)

    # Another year, in the view the customer had chosen.
    page.get_by_role("button", name="Tabella").click()
    page.get_by_label("Anno", exact=True).select_option("2024")
    page.get_by_role("button", name="Mostra").click()
    expect(page).to_have_url(re.compile(r"anno=2024&vista=tabella"))
    expect(page.get_by_role("button", name="Tabella")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#consumption-energy thead th")).to_have_text(["Mese", "2024"])
    assert_accessible(page)
    assert errors == []


def test_it_shows_the_tables_without_javascript(portal: Portal, page: Page) -> None:
    customer_with_two_points(portal)
    log_in(portal, page)
    page.context.route(re.compile(r".*\.js$"), lambda route: route.abort())

    page.goto(portal.url("energia", "/fornitura/prelievi/"))

    expect(page.locator("#consumption-energy")).to_be_visible()
    expect(page.locator("#chart-energy")).to_be_hidden()
    expect(page.get_by_role("button", name="Grafico")).to_be_hidden()
    assert_accessible(page)


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_shows_data_sheets_and_measures_accessibly(
    portal: Portal, page: Page, screen: dict[str, int]
) -> None:
    electricity, gas = customer_with_two_points(portal)
    page.set_viewport_size(screen)
    log_in(portal, page)

    for path, heading in [
        ("/fornitura/dati-tecnici/", "Dati tecnici"),
        ("/fornitura/dati-contrattuali/", "Dati contrattuali"),
    ]:
        page.goto(portal.url("energia", path))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_text(electricity.code, exact=True).last).to_be_visible()
        assert_accessible(page)
        fits(page)

    # The measures of the last day: the autumn clock change, its hour twice.
    page.goto(portal.url("energia", "/fornitura/misure/"))
    expect(page.get_by_label("Dal", exact=True)).to_have_value(AUTUMN.isoformat())
    expect(page.locator("#measures tbody tr")).to_have_count(100)
    expect(page.get_by_text("02:15 (ora legale)")).to_be_visible()
    expect(page.get_by_text("02:15 (ora solare)")).to_be_visible()
    expect(page.locator('[data-figure="count"]')).to_have_text("100")
    assert_accessible(page)
    fits(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Esporta CSV").click()
    assert download.value.suggested_filename.endswith("-20261025-20261025.csv")
    content = download.value.path().read_bytes()
    assert content.startswith("\ufeff".encode())
    assert len(content.decode("utf-8-sig").split("\r\n")) == 6 + 100 + 1 + 1

    # A period too long: the reason, and nothing shown.
    page.get_by_label("Dal", exact=True).fill("2025-09-01")
    page.get_by_role("button", name="Mostra").click()
    expect(page.get_by_text("Il periodo può coprire al massimo 366 giorni.")).to_be_visible()
    assert_accessible(page)

    page.locator("#sp-point-choice").select_option(str(gas.pk))
    page.get_by_role("button", name="Cambia punto").click()
    expect(page.get_by_text(re.compile("Le misure elettriche esistono solo"))).to_be_visible()
    assert_accessible(page)
