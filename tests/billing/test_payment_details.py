"""What is overdue stands out, and the customer is told how to pay it (company settings)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from tests.billing.helpers import entry
from tests.factories import Tenant, make_contract

from sportello.core.models import Company

IBAN = "IT60X0542811101000000123456"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen() -> object:
    with time_machine.travel(dt.datetime(2024, 4, 5, 10, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def paying(release: Tenant) -> Tenant:
    release.company.payment_beneficiary = "Release S.p.A."
    release.company.payment_iban = IBAN
    release.company.payment_bank = "Banco BPM S.p.A."
    release.company.payment_contact = "incassi@release.test"
    release.company.save()
    return release


def overdue(tenant: Tenant) -> None:
    contract = make_contract(tenant.customer, number="84963")
    entry(contract, dt.date(2024, 3, 31), "2414.25", number=2)  # unpaid, past: overdue
    entry(contract, dt.date(2024, 4, 30), "514.11", number=3)


@pytest.mark.parametrize("path", ["/", "/fatture-e-pagamenti/"])
def test_it_shows_how_to_pay_when_something_is_overdue(paying: Tenant, path: str) -> None:
    overdue(paying)

    page = html.unescape(paying.logged_in_client().get(path).content.decode())

    assert 'id="how-to-pay"' in page
    assert "Come pagare quanto è scaduto" in page
    assert "Release S.p.A." in page and "IT60 X054 2811 1010 0000 0123 456" in page
    assert "Banco BPM S.p.A." in page and "incassi@release.test" in page
    assert "il numero del contratto" in page
    # Not by colour alone: the amount is marked in words and with an icon.
    assert "2.414,25\xa0€" in page and "scaduto, da pagare" in page and "⚠" in page


@pytest.mark.parametrize("path", ["/", "/fatture-e-pagamenti/"])
def test_it_says_nothing_about_paying_when_nothing_is_overdue(paying: Tenant, path: str) -> None:
    contract = make_contract(paying.customer)
    entry(contract, dt.date(2024, 4, 30), "514.11", number=3)

    page = paying.logged_in_client().get(path).content.decode()

    assert 'id="how-to-pay"' not in page and "scaduto, da pagare" not in page


def test_it_shows_the_payment_details_in_english(paying: Tenant) -> None:
    overdue(paying)
    client = paying.logged_in_client()
    client.cookies["django_language"] = "en"

    page = html.unescape(client.get("/").content.decode())

    assert "How to pay what is overdue" in page and "overdue, to be paid" in page


def test_it_refuses_a_wrong_payment_iban(release: Tenant) -> None:
    company: Company = release.company
    company.payment_iban = "IT60X0542811101000000123457"

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert "payment_iban" in error.value.message_dict
