"""English pages name the core system's reference data in English.

Causali, plan kinds, products, reference rates, subsidies and request titles
come from the company's data; a customer who reads the portal in English must
not meet them in Italian. The demo is built once for the module.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from pypdf import PdfReader
from tests.factories import CUSTOMER_BACKEND

from sportello.accounts.models import PortalUser
from sportello.demo.builder import PRODUCTS, REFERENCE_RATES, SUBSIDIES, build_demo
from sportello.demo.companies import LEASING_REQUEST_TYPES
from sportello.leasing.models import Contract, PaymentReason

TODAY = dt.date(2026, 11, 22)
NOON = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)

#: Every Italian name of the demo's reference data that differs from its English one.
ITALIAN = sorted(
    {p.name for p in PRODUCTS}
    | {it for _, it, _ in REFERENCE_RATES}
    | {it for _, it, _ in SUBSIDIES}
    | {it for it, _ in LEASING_REQUEST_TYPES}
    | {"Canone", "Valore residuo", "Anticipo", "Indicizzazione", "Rata anticipata"}
    | {"Variazione indirizzo"}
)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_demo(seed=2026, today=TODAY)
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo", "db")


def english_client(user: PortalUser) -> Client:
    client = Client(HTTP_HOST=f"{user.company.slug}.localhost")
    client.force_login(user, backend=CUSTOMER_BACKEND)
    client.cookies["django_language"] = "en"
    return client


def visible_text(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def italian_in(text: str) -> list[str]:
    return [name for name in ITALIAN if re.search(rf"\b{re.escape(name)}\b", text)]


def test_it_shows_no_italian_reference_value_on_english_pages() -> None:
    # The first customer of Release has requests, contracts of every kind and a schedule.
    user = PortalUser.objects.get(company__slug="release", login="10001")
    contracts = list(Contract.objects.filter(customer=user.customer).order_by("pk"))
    contract = contracts[0]
    paths = [
        "/",
        "/contratti/",
        "/contratti/?stato=estinti",
        f"/contratti/{contract.pk}/",
        f"/contratti/{contract.pk}/piano/",
        "/fatture-e-pagamenti/",
        "/rendiconti/",
        f"/rendiconti/{contract.pk}/{contract.stipulated_on.year}/",
    ]
    client = english_client(user)

    with time_machine.travel(NOON, tick=False):
        found = {}
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert '<html lang="en">' in response.content.decode(), path
            if italian := italian_in(visible_text(response.content.decode())):
                found[path] = italian

    assert found == {}
    assert PaymentReason.INSTALMENT.value == "instalment"  # the stored code is stable


def test_it_names_the_reference_data_in_english_on_the_contract_page() -> None:
    user = PortalUser.objects.get(company__slug="release", login="10001")
    contract = Contract.objects.filter(customer=user.customer).order_by("pk")[0]

    with time_machine.travel(NOON, tick=False):
        text = visible_text(english_client(user).get(f"/contratti/{contract.pk}/").content.decode())

    assert contract.product.name_en in text
    assert contract.subsidy is not None and "No subsidy" in text
    assert contract.reference_rate is not None and contract.reference_rate.name_en in text
    assert "Advance" in text  # the first instalment's causale


def test_it_writes_the_statement_pdf_in_the_language_on_screen() -> None:
    user = PortalUser.objects.get(company__slug="claris", login="10093")
    assert user.language == "it"  # the profile says Italian; the switch says English
    contract = Contract.objects.filter(customer=user.customer).order_by("pk")[0]

    with time_machine.travel(NOON, tick=False):
        response = english_client(user).get(
            f"/rendiconti/{contract.pk}/{contract.stipulated_on.year}/pdf/"
        )

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Annual transparency statement" in text
    assert "Rendiconto annuale" not in text
    assert italian_in(text) == []
