"""«Prelievi fatturati» (G4): a point's billed energy and power by month, the chosen
year beside the one before, bands where the meter has them, estimates marked in
words and pattern; the chart's data is the table's figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from tests.energy.helpers import bill_year
from tests.energy.pages import chart_data, count_queries, headers, table
from tests.factories import Tenant, make_customer, make_supply_point, make_user

from sportello.core.formatting import format_quantity
from sportello.energy.models import Commodity, SupplyPoint

URL = "/fornitura/prelievi/"
MONTHS = [
    "Gennaio",
    "Febbraio",
    "Marzo",
    "Aprile",
    "Maggio",
    "Giugno",
    "Luglio",
    "Agosto",
    "Settembre",
    "Ottobre",
    "Novembre",
    "Dicembre",
]


@pytest.fixture
def electricity(energia: Tenant) -> SupplyPoint:
    point: SupplyPoint = make_supply_point(energia.customer, has_time_bands=True)
    bill_year(point, 2023)
    bill_year(point, 2024, estimated=(2,))
    bill_year(point, 2025, bands=True, estimated=(1, 7), months=range(1, 11))
    return point


@pytest.fixture
def gas(energia: Tenant) -> SupplyPoint:
    point: SupplyPoint = make_supply_point(energia.customer, Commodity.GAS)
    bill_year(point, 2025, estimated=(3,))
    return point


def choose(tenant: Tenant, point: SupplyPoint) -> Any:
    client = tenant.logged_in_client()
    response = client.post("/fornitura/punto/", {"point": point.pk, "next": URL})
    assert response.status_code == 302
    return client


def test_it_shows_the_latest_year_beside_the_previous_one(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    response = energia.logged_in_client().get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and "Prelievi fatturati</h1>" in page
    assert headers(response, "consumption-energy") == ["Mese", "2025", "2024"]
    rows = table(response, "consumption-energy")
    assert [row[0] for row in rows] == MONTHS
    assert rows[0] == ["Gennaio", "251,125 stimato", "241,125"]
    assert rows[1] == ["Febbraio", "252,125", "242,125 stimato"]
    # Nothing billed yet for November 2025: a dash, not a zero.
    assert rows[10] == ["Novembre", "", "251,125"]
    assert "in kWh" in page
    assert 'data-figure="total-2025"' in page
    total = sum(Decimal(f"{250 + m}.125") for m in range(1, 11))
    assert f">{format_quantity(total)}</td>" in page


def test_it_marks_estimates_in_words_and_in_the_legend(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    page = energia.logged_in_client().get(URL).content.decode()

    assert '<span class="sp-estimated">stimato</span>' in page
    assert "Effettivo: fatturato su lettura del contatore." in page
    assert "nei grafici la barra è tratteggiata" in page
    assert '<span class="visually-hidden">non disponibile</span>' in page


def test_it_shows_power_for_electricity_and_the_time_bands_where_the_data_has_them(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    response = energia.logged_in_client().get(URL)

    power = table(response, "consumption-power")
    assert power[0] == ["Gennaio", "3,01 stimato", "3,01"]
    assert power[11] == ["Dicembre", "", "3,12"]
    assert headers(response, "consumption-bands") == ["Mese", "F1", "F2", "F3"]
    bands = table(response, "consumption-bands")
    # 251.125 kWh: 125.562 in F1, 75.338 in F2, the rest (50.225) in F3.
    assert bands[0] == ["Gennaio", "125,562 stimato", "75,338 stimato", "50,225 stimato"]
    assert bands[1] == ["Febbraio", "126,062", "75,638", "50,425"]

    # 2024 was billed without bands: no bands table for it.
    earlier = energia.logged_in_client().get(URL + "?anno=2024")
    assert 'id="consumption-bands"' not in earlier.content.decode()
    assert headers(earlier, "consumption-energy") == ["Mese", "2024", "2023"]


def test_it_shows_gas_in_smc_without_power(energia: Tenant, gas: SupplyPoint) -> None:
    response = energia.logged_in_client().get(URL)

    page = response.content.decode()
    assert "Gas (Smc)" in page
    assert "in Smc" in page
    assert 'id="consumption-power"' not in page
    assert 'id="consumption-bands"' not in page
    # No 2024 for this point: the year stands alone.
    assert headers(response, "consumption-energy") == ["Mese", "2025"]
    assert table(response, "consumption-energy")[2] == ["Marzo", "253,125 stimato"]
    data = chart_data(response)
    assert data["unit"] == "Smc"
    assert data["power"] == [] and data["bands"] == []


def test_it_gives_the_chart_exactly_the_figures_of_the_tables(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    response = energia.logged_in_client().get(URL)
    data = chart_data(response)

    def as_cells(series: list[dict[str, Any]]) -> list[list[str]]:
        columns = [
            [
                ""
                if value is None
                else format_quantity(Decimal(str(value))) + (" stimato" if estimated else "")
                for value, estimated in zip(s["values"], s["estimated"], strict=True)
            ]
            for s in series
        ]
        return [[month, *cells] for month, *cells in zip(MONTHS, *columns, strict=True)]

    assert [s["label"] for s in data["energy"]] == ["2025", "2024"]
    assert as_cells(data["energy"]) == table(response, "consumption-energy")
    assert as_cells(data["power"]) == table(response, "consumption-power")
    assert [s["label"] for s in data["bands"]] == ["F1", "F2", "F3"]
    assert as_cells(data["bands"]) == table(response, "consumption-bands")
    assert data["labels"][0] == "Gen" and len(data["labels"]) == 12
    assert data["texts"] == {"actual": "Effettivo", "estimated": "Stimato", "kw": "kW"}


def test_it_offers_the_points_years_latest_first(energia: Tenant, electricity: SupplyPoint) -> None:
    page = energia.logged_in_client().get(URL + "?anno=2024").content.decode()

    assert '<label class="form-label" for="consumption-year">Anno</label>' in page
    assert (
        '<option value="2025">2025</option><option value="2024" selected>2024</option>'
        '<option value="2023">2023</option>'
    ) in page


@pytest.mark.parametrize("asked", ["2019", "duemila", "²"])
def test_it_shows_the_latest_year_when_asked_for_one_it_does_not_have(
    energia: Tenant, electricity: SupplyPoint, asked: str
) -> None:
    response = energia.logged_in_client().get(URL, {"anno": asked})

    assert response.status_code == 200
    assert "Anno non disponibile: mostrato il più recente." in response.content.decode()
    assert headers(response, "consumption-energy") == ["Mese", "2025", "2024"]


def test_it_keeps_the_chosen_view_across_a_change_of_year(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    page = energia.logged_in_client().get(URL + "?anno=2024&vista=tabella").content.decode()

    assert 'name="vista" value="tabella"' in page
    assert 'data-sp-initial="tabella"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "sportello/consumption.js" in page
    # The tables are the page without JavaScript; the charts appear with it.
    assert page.count("data-sp-chart-box hidden") == 2  # energy and power: 2024 has no bands
    assert "data-sp-view-switch" in page


def test_it_shows_the_chosen_points_consumption(
    energia: Tenant, electricity: SupplyPoint, gas: SupplyPoint
) -> None:
    first = choose(energia, electricity).get(URL)
    second = choose(energia, gas).get(URL)

    assert table(first, "consumption-energy")[0][1] == "251,125 stimato"
    assert chart_data(first)["unit"] == "kWh"
    assert chart_data(second)["unit"] == "Smc"
    assert headers(second, "consumption-energy") == ["Mese", "2025"]


def test_it_says_when_nothing_has_been_billed_yet(energia: Tenant) -> None:
    point = make_supply_point(energia.customer)
    page = energia.logged_in_client().get(URL).content.decode()

    assert f"Per il punto di fornitura {point.number} non ci sono ancora consumi fatturati" in page
    assert "consumption-data" not in page
    assert "chart.umd.min.js" not in page


def test_it_says_when_the_customer_has_no_point(energia: Tenant) -> None:
    page = energia.logged_in_client().get(URL).content.decode()

    assert "Non risultano punti di fornitura a te intestati" in page


def test_it_never_shows_another_customers_consumption(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    neighbour = make_customer(energia.company)
    user = make_user(neighbour)

    page = energia.logged_in_client(user).get(URL).content.decode()

    assert "Non risultano punti di fornitura a te intestati" in page
    assert "251,125" not in page


def test_it_runs_the_same_queries_whatever_the_history(
    energia: Tenant, django_assert_num_queries: Any
) -> None:
    small = make_supply_point(energia.customer)
    bill_year(small, 2025, months=range(1, 2))
    client = energia.logged_in_client()
    client.get(URL)  # the first request of a session records the access
    expected = count_queries(client, URL)
    for year in range(2015, 2025):
        bill_year(small, year, bands=True, estimated=(1, 2, 3))
    bill_year(small, 2025, bands=True, months=range(2, 13))

    with django_assert_num_queries(expected):
        assert client.get(URL).status_code == 200


def test_it_is_a_utility_page(release: Tenant) -> None:
    assert release.logged_in_client().get(URL).status_code == 404


def test_it_asks_a_visitor_to_log_in(energia: Tenant) -> None:
    response = energia.client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/")


def test_it_opens_from_the_menu(energia: Tenant, electricity: SupplyPoint) -> None:
    page = energia.logged_in_client().get(URL).content.decode()

    assert f'<a href="{URL}" aria-current="page">Prelievi fatturati</a>' in page
    assert '<a href="/fornitura/dati-tecnici/">Dati tecnici</a>' in page
    assert '<a href="/fornitura/dati-contrattuali/">Dati contrattuali</a>' in page
    assert '<a href="/fornitura/misure/">Misure elettriche</a>' in page
