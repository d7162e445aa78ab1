"""Contracts (D1, D2): the active and extinct lists and the contract page with every
block of seed 002, its figures from the database, and who may see it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from tests.answers import CONTRACT_NOT_FOUND, assert_same_answer
from tests.factories import Tenant, make_contract, make_customer, make_sub_user, make_user
from tests.leasing.contracts import (
    count_queries,
    leased_contract,
    other_leasing_tenant,
    small_and_large_customers,
    small_user,
)

from sportello.core.formatting import format_date, format_money
from sportello.leasing.models import Contract, ContractStatus, InstalmentKind
from sportello.leasing.services import residual_capital_on


def text(response: Any) -> str:
    """The page's text with tags and runs of white space collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", page.replace("\xa0", " "))


def field(response: Any, label: str) -> str:
    """The ``<dd>`` that follows the ``<dt>`` called ``label``."""
    match = re.search(
        rf"<dt>{re.escape(label)}</dt>\s*<dd[^>]*>(.*?)</dd>", response.content.decode()
    )
    assert match is not None, label
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("\xa0", " ").strip()


@pytest.fixture
def contract(release: Tenant) -> Contract:
    return leased_contract(release.customer, number="84963", module_number="7")


def test_it_lists_active_and_extinct_contracts_apart(release: Tenant, contract: Contract) -> None:
    extinct = make_contract(
        release.customer,
        number="70001",
        status=ContractStatus.EXTINCT,
        product="Leasing immobiliare",
    )
    client = release.logged_in_client()

    active_page = client.get("/contratti/")
    extinct_page = client.get("/contratti/?stato=estinti")

    assert active_page.status_code == extinct_page.status_code == 200
    assert f'href="/contratti/{contract.pk}/"' in active_page.content.decode()
    assert f'href="/contratti/{extinct.pk}/"' not in active_page.content.decode()
    assert "Contratti attivi (1)" in text(active_page)
    assert "Contratti estinti (1)" in text(active_page)
    row = text(active_page)
    assert "84963 Leasing targato 2 50.000,00 € 15/06/22" in row
    assert f'href="/contratti/{extinct.pk}/"' in extinct_page.content.decode()
    assert "70001 Leasing immobiliare 0 60.000,00 €" in text(extinct_page)
    assert f'href="/contratti/{contract.pk}/"' not in extinct_page.content.decode()


LIST_NOT_FOUND = "Elenco non valido: sono mostrati i contratti attivi"


@pytest.mark.parametrize("query", ["?stato=tutti", "?stato=", "?stato=%20"])
def test_it_shows_the_active_contracts_for_an_unknown_list(
    release: Tenant, contract: Contract, query: str
) -> None:
    extinct = make_contract(release.customer, number="70001", status=ContractStatus.EXTINCT)
    client = release.logged_in_client()

    response = client.get(f"/contratti/{query}")

    assert response.status_code == 200
    assert LIST_NOT_FOUND in text(response)
    assert f'href="/contratti/{contract.pk}/"' in response.content.decode()
    assert f'href="/contratti/{extinct.pk}/"' not in response.content.decode()
    assert LIST_NOT_FOUND not in text(client.get("/contratti/"))
    assert LIST_NOT_FOUND not in text(client.get("/contratti/?stato=estinti"))


def test_it_says_in_english_that_the_list_is_unknown(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    page = text(client.get("/contratti/?stato=tutti"))

    assert "Unknown list: showing the active contracts" in page and "84963" in page


def test_it_says_when_there_are_no_contracts(release: Tenant) -> None:
    page = text(release.logged_in_client().get("/contratti/?stato=estinti"))

    assert "Non ci sono contratti estinti." in page


@time_machine.travel(dt.datetime(2024, 4, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_it_shows_every_block_of_the_contract_page(release: Tenant, contract: Contract) -> None:
    response = release.logged_in_client().get(f"/contratti/{contract.pk}/")

    assert response.status_code == 200
    page = text(response)
    assert (
        f"84963 Leasing targato - Attivo - scadenza {format_date(contract.end_date)}"
        in page.replace("Contratto 84963 ", "84963 ")
    )
    # Summary
    assert field(response, "N° beni") == "2"
    assert field(response, "Importo") == "50.000,00 €"
    assert field(response, "Data stipula") == "15/06/22"
    # Dati generali
    assert field(response, "Numero contratto") == "84963/7"
    assert field(response, "Codice beneficiario") == "F12345"
    assert field(response, "Beneficiario") == "Concessionaria Auto Nord S.p.A."
    assert field(response, "IBAN") == "IT60X0542811101000000123456"
    # Date e scadenza
    assert field(response, "Data inizio") == format_date(contract.start_date)
    assert field(response, "Data termine") == format_date(contract.end_date)
    assert field(response, "Status") == "Attivo"
    # Prodotto
    assert field(response, "Prodotto") == "Leasing targato"
    assert field(response, "Tasso di riferimento") == "Euribor 3 m.l. (div.360)"
    assert field(response, "Agevolazione") == "Nessuna agevolazione"
    # Importi
    assert field(response, "Importo contratto") == "50.000,00 €"
    assert field(response, "Prima rata") == "Anticipo"
    assert field(response, "Importo anticipo") == "5.000,00 €"
    assert field(response, "Importo valore residuo") == "500,00 €"
    residual = residual_capital_on(contract, dt.date(2024, 4, 5))
    assert field(response, "Capitale residuo ad oggi") == format_money(residual, "it").replace(
        "\xa0", " "
    )
    # Rata
    assert field(response, "Periodicità rata") == "Mensile"
    assert field(response, "Numero rate") == "47"
    assert field(response, "Importo rata (imponibile)") == format_money(
        contract.instalment_amount, "it"
    ).replace("\xa0", " ")
    assert field(response, "Durata (mesi)") == "48"
    # The buttons
    html = response.content.decode()
    assert f'href="/contratti/{contract.pk}/documenti/">Vai a documenti' in html
    assert f'href="/contratti/{contract.pk}/piano/">Piano di ammortamento' in html
    assert f'?contract={contract.pk}">Fatture e pagamenti' in html
    assert f'href="/contratti/beni/?contract={contract.pk}">Lista beni' in html


def test_it_shows_the_contract_page_in_english(release: Tenant, contract: Contract) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    response = client.get(f"/contratti/{contract.pk}/")

    # The figures the English way; the new labels' English comes with the
    # catalogue (see the report's Translations list).
    page = text(response)
    assert '<html lang="en">' in response.content.decode()
    for word in ["Active", "Monthly", "Contracts"]:
        assert word in page, word
    assert "€50,000.00" in page


def test_it_takes_the_user_to_the_contract_chosen_in_the_selector(
    release: Tenant, contract: Contract
) -> None:
    other = leased_contract(release.customer, number="84964")
    client = release.logged_in_client()

    chosen = client.get(f"/contratti/seleziona/?contract={other.pk}")
    everything = client.get("/contratti/seleziona/?contract=")

    assert chosen["Location"] == f"/contratti/{other.pk}/"
    assert everything["Location"] == "/contratti/"
    listing = client.get("/contratti/").content.decode()
    assert 'action="/contratti/seleziona/"' in listing
    assert f'<option value="{other.pk}">84964 - Leasing targato - Attivo' in listing
    page = client.get(f"/contratti/{contract.pk}/").content.decode()
    assert f'<option value="{contract.pk}" selected>' in page
    assert 'action="/contratti/seleziona/"' in page
    assert "Seleziona contratto" in page


# -- residual capital today -----------------------------------------------------


def test_it_counts_the_financed_amount_before_the_first_instalment(contract: Contract) -> None:
    first_due = contract.plan.filter(kind=InstalmentKind.INSTALMENT).order_by("due_date")[0]

    before = residual_capital_on(contract, first_due.due_date - dt.timedelta(days=1))

    assert before == Decimal("45000.00") == contract.financed_amount


def test_it_takes_the_residual_capital_of_the_last_instalment_due(contract: Contract) -> None:
    tenth = contract.plan.get(kind=InstalmentKind.INSTALMENT, number=10)
    eleventh = contract.plan.get(kind=InstalmentKind.INSTALMENT, number=11)

    assert residual_capital_on(contract, tenth.due_date) == tenth.residual_capital
    assert residual_capital_on(contract, eleventh.due_date - dt.timedelta(days=1)) == (
        tenth.residual_capital
    )
    # An indexation row on the same date does not move the capital.
    assert contract.plan.filter(kind=InstalmentKind.INDEXATION).exists()


def test_it_keeps_the_residual_value_until_it_falls_due(contract: Contract) -> None:
    before_end = contract.end_date - dt.timedelta(days=1)
    after_end = contract.end_date + dt.timedelta(days=400)

    assert residual_capital_on(contract, before_end) == Decimal("500.00")
    # The residual-value row repays the last capital: nothing is owed after it.
    assert residual_capital_on(contract, after_end) == Decimal("0.00")


def test_it_owes_no_capital_on_an_extinct_contract_after_its_end(contract: Contract) -> None:
    # A contract closed early: the core system marks it extinct, its plan is not cut.
    contract.plan.filter(kind=InstalmentKind.RESIDUAL).delete()
    contract.status = ContractStatus.EXTINCT
    contract.save()

    assert residual_capital_on(contract, contract.end_date - dt.timedelta(days=1)) == Decimal(
        "500.00"
    )
    assert residual_capital_on(contract, contract.end_date) == Decimal("0.00")


def test_it_counts_the_whole_price_before_the_stipulation(contract: Contract) -> None:
    day_before = contract.stipulated_on - dt.timedelta(days=1)

    assert residual_capital_on(contract, day_before) == contract.amount
    assert residual_capital_on(contract, contract.stipulated_on) == contract.financed_amount


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.datetime(2022, 6, 20, 12, tzinfo=dt.UTC), "45.000,00 €"),
        (dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC), "0,00 €"),
    ],
)
def test_it_shows_the_residual_capital_of_the_day(
    release: Tenant, contract: Contract, today: dt.datetime, expected: str
) -> None:
    with time_machine.travel(today, tick=False):
        response = release.logged_in_client().get(f"/contratti/{contract.pk}/")

    assert field(response, "Capitale residuo ad oggi") == expected


def test_it_shows_the_residual_capital_mid_plan(release: Tenant, contract: Contract) -> None:
    twelfth = contract.plan.get(kind=InstalmentKind.INSTALMENT, number=12)
    noon = dt.datetime.combine(twelfth.due_date, dt.time(12), tzinfo=dt.UTC)

    with time_machine.travel(noon, tick=False):
        response = release.logged_in_client().get(f"/contratti/{contract.pk}/")

    assert field(response, "Capitale residuo ad oggi") == format_money(
        twelfth.residual_capital, "it"
    ).replace("\xa0", " ")


# -- who may see it ----------------------------------------------------------------


def test_it_shows_a_sub_user_the_same_contract(release: Tenant, contract: Contract) -> None:
    sub_user = make_sub_user(release.user)
    client = release.logged_in_client(sub_user)

    owner_page = release.logged_in_client().get(f"/contratti/{contract.pk}/")
    sub_page = client.get(f"/contratti/{contract.pk}/")

    assert sub_page.status_code == 200
    assert field(sub_page, "Capitale residuo ad oggi") == field(
        owner_page, "Capitale residuo ad oggi"
    )
    assert "84963" in text(client.get("/contratti/"))


def test_it_hides_a_contract_from_another_customer(release: Tenant, contract: Contract) -> None:
    neighbour = make_user(make_customer(release.company))
    client = release.logged_in_client(neighbour)

    for url in [f"/contratti/{contract.pk}/", f"/contratti/{contract.pk + 1000}/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "84963" not in response.content.decode()
    # The selector answers someone else's contract exactly like one that does not exist.
    foreign = client.get(f"/contratti/seleziona/?contract={contract.pk}", follow=True)
    for guess in [str(contract.pk + 1000), "abc"]:
        assert_same_answer(
            foreign, client.get(f"/contratti/seleziona/?contract={guess}", follow=True)
        )
    assert foreign.redirect_chain == [("/contratti/", 302)]
    assert CONTRACT_NOT_FOUND in foreign.content.decode()
    assert "84963" not in text(foreign)
    assert "84963" not in text(client.get("/contratti/"))


def test_it_hides_a_contract_from_another_company(
    release: Tenant, energia: Tenant, contract: Contract
) -> None:
    bpm = other_leasing_tenant()
    other = leased_contract(bpm.customer, number="99999")
    client = bpm.logged_in_client()

    assert client.get(f"/contratti/{contract.pk}/").status_code == 404
    assert_same_answer(
        client.get(f"/contratti/seleziona/?contract={contract.pk}", follow=True),
        client.get("/contratti/seleziona/?contract=999999", follow=True),
    )
    assert "84963" not in text(client.get("/contratti/"))
    assert "99999" in text(client.get("/contratti/"))
    # Nor does the Release customer reach the other company's contract by id.
    assert release.logged_in_client().get(f"/contratti/{other.pk}/").status_code == 404
    # A utility's portal has no contract pages at all.
    assert energia.logged_in_client().get("/contratti/").status_code == 404


def test_it_sends_a_visitor_to_the_login(release: Tenant, contract: Contract) -> None:
    response = release.client().get(f"/contratti/{contract.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/?next=")


# -- queries do not grow -------------------------------------------------------------


@pytest.mark.parametrize("url", ["/contratti/", "/contratti/?stato=estinti"])
def test_it_lists_contracts_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any, url: str
) -> None:
    small, large = small_and_large_customers(release)

    expected = count_queries(small, url)
    with django_assert_num_queries(expected):
        assert large.get(url).status_code == 200


def test_it_shows_a_contract_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    small, large = small_and_large_customers(release)
    small_contract = Contract.objects.filter(customer__users=small_user(small)).first()
    large_contract = Contract.objects.filter(customer__users=small_user(large)).first()
    assert small_contract is not None and large_contract is not None

    expected = count_queries(small, f"/contratti/{small_contract.pk}/")
    with django_assert_num_queries(expected):
        assert large.get(f"/contratti/{large_contract.pk}/").status_code == 200


def test_it_links_the_contract_to_its_transparency_statements(
    release: Tenant, contract: Contract
) -> None:
    link = f'href="/rendiconti/?contract={contract.pk}"'

    assert link in release.logged_in_client().get(f"/contratti/{contract.pk}/").content.decode()
    release.company.feature_transparency = False
    release.company.save()
    assert link not in release.logged_in_client().get(f"/contratti/{contract.pk}/").content.decode()
