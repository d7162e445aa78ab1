"""«Dati anagrafici» of a utility's customer (G3): the registry read-only with
«Segnala una difformità», and phone, fax and e-mail edited by the main user, audited."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from tests.factories import Tenant, make_company, make_customer, make_sub_user, make_user

from sportello.core.audit import Origin
from sportello.core.models import AuditEvent, CompanyKind
from sportello.customers.models import Customer
from sportello.customers.services import Contacts, update_contacts

URL = "/accesso/dati-anagrafici/"


@pytest.fixture
def customer(energia: Tenant) -> Customer:
    Customer.objects.filter(pk=energia.customer.pk).update(
        phone="055 1234567", fax="055 7654321", email="anna@bianchi.test", pec=""
    )
    energia.customer.refresh_from_db()
    return energia.customer


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def contacts(customer: Customer) -> tuple[str, str, str]:
    customer.refresh_from_db()
    return customer.phone, customer.fax, customer.email


def test_it_shows_the_registry_read_only_with_a_report_link_per_field(
    energia: Tenant, customer: Customer
) -> None:
    response = energia.logged_in_client().get(URL)

    assert response.status_code == 200
    page = text(response)
    assert f"Codice cliente {customer.code} Segnala una difformità" in page
    assert "Denominazione Bianchi Anna Segnala una difformità" in page
    assert f"Codice fiscale {customer.codice_fiscale}" in page
    assert "Partita IVA – Segnala" in page  # a natural person has none
    assert "Residenza/Sede Via Garibaldi 10 - 20121 Milano (MI)" in page
    assert "PEC – Segnala" in page
    raw = response.content.decode()
    for key in ("code", "name", "codice_fiscale", "partita_iva", "address", "pec"):
        assert f'href="/richieste/nuova/difformita/?campo={key}"' in raw
    # Only the contacts are a form; the registry has no input to change.
    assert re.findall(r'<input type="(?:tel|email)" name="(\w+)"', raw) == ["phone", "fax", "email"]
    assert 'value="055 1234567"' in raw and 'value="anna@bianchi.test"' in raw


def test_it_has_its_entry_in_the_utility_menu(energia: Tenant, customer: Customer) -> None:
    page = energia.logged_in_client().get(URL).content.decode()

    assert f'<a href="{URL}" aria-current="page">Dati anagrafici</a>' in page


def test_it_saves_the_contacts_and_audits_the_change(energia: Tenant, customer: Customer) -> None:
    client = energia.logged_in_client()

    response = client.post(URL, {"phone": " +39  333 1234567 ", "fax": "", "email": "a@b.it"})

    assert response.status_code == 302 and response["Location"] == URL
    assert contacts(customer) == ("+39 333 1234567", "", "a@b.it")
    event = AuditEvent.objects.get(action="customer.contacts_changed")
    assert (event.actor, event.company, event.object_id) == (
        energia.user,
        energia.company,
        str(customer.pk),
    )
    assert event.data == {
        "fields": ["phone", "fax", "email"],
        "old": {"phone": "055 1234567", "fax": "055 7654321", "email": "anna@bianchi.test"},
        "new": {"phone": "+39 333 1234567", "fax": "", "email": "a@b.it"},
    }
    assert "Recapiti aggiornati." in text(client.get(URL))


def test_it_says_when_nothing_changed_and_audits_nothing(
    energia: Tenant, customer: Customer
) -> None:
    client = energia.logged_in_client()

    client.post(URL, {"phone": "055 1234567", "fax": "055 7654321", "email": "anna@bianchi.test"})

    assert not AuditEvent.objects.filter(action="customer.contacts_changed").exists()
    assert "Nessuna modifica: i recapiti erano già questi." in text(client.get(URL))


@pytest.mark.parametrize(
    "phone", ["055 1234567", "+39 055 1234567", "055/1234567", "333-123-4567", "0039 06.123456"]
)
def test_it_takes_phone_numbers_as_people_write_them(
    energia: Tenant, customer: Customer, phone: str
) -> None:
    response = energia.logged_in_client().post(URL, {"phone": phone, "fax": phone, "email": ""})

    assert response.status_code == 302
    assert contacts(customer) == (phone, phone, "")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("phone", "telefono", "Inserisci un numero valido: da 6 a 15 cifre"),
        ("phone", "12345", "Inserisci un numero valido: da 6 a 15 cifre"),
        ("phone", "+39 055 1234567 1234567", "Inserisci un numero valido: da 6 a 15 cifre"),
        ("phone", "055--1234567", "Inserisci un numero valido: da 6 a 15 cifre"),
        ("fax", "++39 055 123456", "Inserisci un numero valido: da 6 a 15 cifre"),
        ("fax", "055 123456 int. 2", "Inserisci un numero valido: da 6 a 15 cifre"),
        ("phone", "1" * 31, "Al massimo 30 caratteri."),
        ("email", "anna@", "Inserisci un indirizzo e-mail valido"),
        ("email", "anna bianchi@example.it", "Inserisci un indirizzo e-mail valido"),
    ],
)
def test_it_refuses_a_wrong_contact_and_changes_nothing(
    energia: Tenant, customer: Customer, field: str, value: str, error: str
) -> None:
    data = {"phone": "055 1111111", "fax": "", "email": "nuova@example.it"} | {field: value}

    response = energia.logged_in_client().post(URL, data)

    assert response.status_code == 200
    page = text(response)
    assert error in page
    assert f'id="id_{field}_error"' in response.content.decode()
    assert contacts(customer) == ("055 1234567", "055 7654321", "anna@bianchi.test")
    assert not AuditEvent.objects.filter(action="customer.contacts_changed").exists()


def test_it_refuses_a_long_wrong_number_at_once(energia: Tenant, customer: Customer) -> None:
    # A pattern that could split digits two ways would take exponential time here.
    response = energia.logged_in_client().post(URL, {"phone": "1" * 29 + "x", "email": ""})

    assert "Inserisci un numero valido" in text(response)


def test_it_shows_a_sub_user_the_data_without_a_form(energia: Tenant, customer: Customer) -> None:
    client = energia.logged_in_client(make_sub_user(energia.user))

    response = client.get(URL)

    page = text(response)
    assert "Telefono 055 1234567 Fax 055 7654321 E-mail anna@bianchi.test" in page
    assert "Solo l'utente principale del cliente può modificare i recapiti." in page
    assert '<form method="post" action="/accesso/dati-anagrafici/"' not in response.content.decode()
    # The sub-user may still report a wrong registry field.
    assert "Segnala una difformità" in page


def test_it_refuses_a_sub_users_change(energia: Tenant, customer: Customer) -> None:
    client = energia.logged_in_client(make_sub_user(energia.user))

    response = client.post(URL, {"phone": "055 9999999", "fax": "", "email": "x@y.it"})

    assert response.status_code == 403
    assert contacts(customer) == ("055 1234567", "055 7654321", "anna@bianchi.test")
    assert not AuditEvent.objects.filter(action="customer.contacts_changed").exists()


def test_it_offers_the_contacts_page_where_the_company_takes_no_requests(
    energia: Tenant, customer: Customer
) -> None:
    energia.company.feature_requests = False
    energia.company.save()

    response = energia.logged_in_client().get(URL)

    assert "Segnala una difformità" not in text(response)
    assert 'href="/contatti/"' in response.content.decode()


def test_it_has_no_personal_data_page_on_a_leasing_portal(release: Tenant) -> None:
    assert release.logged_in_client().get(URL).status_code == 404


def test_it_sends_a_visitor_to_the_login(energia: Tenant) -> None:
    response = energia.client().get(URL)

    assert response.status_code == 302 and response["Location"].startswith("/accesso/?next=")


def test_it_shows_the_page_in_a_fixed_number_of_queries(
    energia: Tenant, customer: Customer, django_assert_num_queries: Any
) -> None:
    client = energia.logged_in_client()
    client.get(URL)

    # Session, user, its customer, the bell, the header's supply points (an
    # unchanged session is written at most once a minute: not here).
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200


# -- the service ----------------------------------------------------------------------

NEW = Contacts(phone="055 2222222", fax="", email="nuova@example.it")


def test_the_service_refuses_anyone_but_the_main_user(energia: Tenant, customer: Customer) -> None:
    neighbour = make_user(make_customer(energia.company))
    other_utility = make_company("acquagas", kind=CompanyKind.UTILITY)
    refused = [
        Origin(energia.company, make_sub_user(energia.user)),
        Origin(energia.company, neighbour),
        Origin(energia.company, None),
        Origin(other_utility, energia.user),
        Origin(None, energia.user),
    ]

    for origin in refused:
        with pytest.raises(PermissionDenied):
            update_contacts(origin, customer, NEW)

    assert contacts(customer) == ("055 1234567", "055 7654321", "anna@bianchi.test")
    assert update_contacts(Origin(energia.company, energia.user), customer, NEW) == [
        "phone",
        "fax",
        "email",
    ]
