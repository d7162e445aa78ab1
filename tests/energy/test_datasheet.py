"""«Dati tecnici» and «Dati contrattuali» (G5): read-only, the fields of the chosen
point's commodity, a dash where the data says nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from tests.energy.pages import count_queries, text, tree
from tests.factories import Tenant, make_supply_point

from sportello.energy.models import BillingFrequency, Commodity, PaymentMethod, SupplyPoint

TECHNICAL = "/fornitura/dati-tecnici/"
CONTRACT = "/fornitura/dati-contrattuali/"
#: A value the data does not give: a dash to the eye, words to a screen reader.
EMPTY = "—non disponibile"


def facts(response: Any) -> dict[str, str]:
    """Label → value as the page's description list shows them."""
    page = tree(response)
    sheet = page.find_class("sp-datasheet")[0]
    labels = [text(term) for term in sheet.findall("dt")]
    values = [text(value) for value in sheet.findall("dd")]
    return dict(zip(labels, values, strict=True))


@pytest.fixture
def electricity(energia: Tenant) -> SupplyPoint:
    point: SupplyPoint = make_supply_point(
        energia.customer,
        number="PR002874",
        code="IT001E12345678",
        address="VIA PROVA 5 - 48124 RAVENNA (RA)",
        distributor="e-distribuzione S.p.A.",
        meter_number="123456789",
        voltage="BT 230 V",
        contracted_power=Decimal("3"),
        available_power=Decimal("3.3"),
        has_time_bands=True,
        usage="Domestico",
        annual_consumption=Decimal("2700"),
        active_from=dt.date(2014, 1, 1),
        offer="Luce Casa Fissa",
        market="Libero",
        contract_start=dt.date(2014, 2, 1),
        billing_frequency=BillingFrequency.BIMONTHLY,
        payment_method=PaymentMethod.SEPA,
    )
    return point


@pytest.fixture
def gas(energia: Tenant) -> SupplyPoint:
    point: SupplyPoint = make_supply_point(
        energia.customer,
        Commodity.GAS,
        number="PR002875",
        code="03340009749021",
        distributor="Toscana Energia S.p.A.",
        meter_number="778899",
        meter_class="G4",
        has_corrector=True,
        corrector_number="C1234567",
        remi_code="",
        annual_consumption=Decimal("700"),
        usage="",
    )
    return point


def choose(tenant: Tenant, point: SupplyPoint) -> Any:
    client = tenant.logged_in_client()
    client.post("/fornitura/punto/", {"point": point.pk})
    return client


def test_it_shows_an_electricity_points_technical_data(
    energia: Tenant, electricity: SupplyPoint
) -> None:
    response = energia.logged_in_client().get(TECHNICAL)

    assert response.status_code == 200
    assert "Dati tecnici</h1>" in response.content.decode()
    assert facts(response) == {
        "Punto di fornitura": "PR002874",
        "POD": "IT001E12345678",
        "Indirizzo di fornitura": "VIA PROVA 5 - 48124 RAVENNA (RA)",
        "Distributore": "e-distribuzione S.p.A.",
        "Matricola contatore": "123456789",
        "Tensione": "BT 230 V",
        "Potenza impegnata (kW)": "3",
        "Potenza disponibile (kW)": "3,3",
        "Misuratore per fasce orarie (F1/F2/F3)": "Sì",
        "Uso": "Domestico",
        "Consumo annuo": "2.700 kWh",
        "Attiva dal": "01/01/2014",
    }


def test_it_shows_a_gas_points_technical_data_with_dashes_for_what_is_missing(
    energia: Tenant, electricity: SupplyPoint, gas: SupplyPoint
) -> None:
    response = choose(energia, gas).get(TECHNICAL)

    shown = facts(response)
    assert shown["PDR"] == "03340009749021"
    assert shown["Classe contatore"] == "G4"
    assert shown["Con correttore"] == "Sì"
    assert shown["Matricola correttore"] == "C1234567"
    assert shown["Consumo annuo"] == "700 Smc"
    assert shown["Codice REMI"] == EMPTY
    assert shown["Uso"] == EMPTY
    assert "Tensione" not in shown and "Potenza impegnata (kW)" not in shown
    page = response.content.decode()
    assert '<span aria-hidden="true">—</span><span class="visually-hidden">' in page


def test_it_shows_the_contract_data(energia: Tenant, electricity: SupplyPoint) -> None:
    response = energia.logged_in_client().get(CONTRACT)

    assert "Dati contrattuali</h1>" in response.content.decode()
    assert facts(response) == {
        "Punto di fornitura": "PR002874",
        "POD": "IT001E12345678",
        "Indirizzo di fornitura": "VIA PROVA 5 - 48124 RAVENNA (RA)",
        "Fornitura": "Energia elettrica",
        "Offerta": "Luce Casa Fissa",
        "Mercato": "Libero",
        "Inizio fornitura": "01/02/2014",
        "Periodicità di fatturazione": "Bimestrale",
        "Modalità di pagamento": "Addebito SEPA Direct Debit",
    }


def test_it_shows_dashes_for_a_contract_the_core_system_has_not_described(
    energia: Tenant, gas: SupplyPoint
) -> None:
    shown = facts(energia.logged_in_client().get(CONTRACT))

    assert shown["Fornitura"] == "Gas"
    for label in ("Offerta", "Inizio fornitura", "Modalità di pagamento"):
        assert shown[label] == EMPTY


@pytest.mark.parametrize("url", [TECHNICAL, CONTRACT])
def test_it_says_when_the_customer_has_no_point(energia: Tenant, url: str) -> None:
    page = energia.logged_in_client().get(url).content.decode()

    assert "Non risultano punti di fornitura a te intestati" in page


@pytest.mark.parametrize("url", [TECHNICAL, CONTRACT])
def test_it_is_read_only(energia: Tenant, electricity: SupplyPoint, url: str) -> None:
    client = energia.logged_in_client()

    assert client.post(url, {"meter_number": "x"}).status_code == 405
    assert "<form" not in tree(client.get(url)).get_element_by_id("main").text_content()
    electricity.refresh_from_db()
    assert electricity.meter_number == "123456789"


@pytest.mark.parametrize("url", [TECHNICAL, CONTRACT])
def test_it_runs_a_fixed_number_of_queries(
    energia: Tenant, electricity: SupplyPoint, url: str, django_assert_num_queries: Any
) -> None:
    client = energia.logged_in_client()
    client.get(url)
    expected = count_queries(client, url)
    for _ in range(5):
        make_supply_point(energia.customer)

    with django_assert_num_queries(expected):
        client.get(url)


@pytest.mark.parametrize("url", [TECHNICAL, CONTRACT])
def test_it_is_a_utility_page(release: Tenant, url: str) -> None:
    assert release.logged_in_client().get(url).status_code == 404
