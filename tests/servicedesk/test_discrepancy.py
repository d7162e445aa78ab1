"""«Segnala una difformità» (G3): a utility customer reports a wrong registry field as a
service-desk request, prefilled from «Dati anagrafici»; wrong input opens nothing."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from tests.factories import Tenant, make_sub_user

from sportello.core.models import AuditEvent
from sportello.servicedesk.models import RequestKind, ServiceRequest
from sportello.servicedesk.payloads import typed_fields

URL = "/richieste/nuova/difformita/"
CORRECT_CF = "BNCNNA80A41H501X"


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_it_opens_the_form_with_the_field_chosen_next_to_it(energia: Tenant) -> None:
    response = energia.logged_in_client().get(f"{URL}?campo=codice_fiscale")

    assert response.status_code == 200
    raw = response.content.decode()
    assert '<option value="codice_fiscale" selected>Codice fiscale</option>' in raw
    page = text(response)
    assert "Segnala una difformità" in page
    # What is registered now, beside the form, without JavaScript.
    assert f"Codice fiscale {energia.customer.codice_fiscale}" in page
    assert "Residenza/Sede Via Garibaldi 10 - 20121 Milano (MI)" in page
    # The form posts to this page; «Annulla» goes back to «Dati anagrafici».
    assert f'action="{URL}"' in raw
    assert 'href="/accesso/dati-anagrafici/"' in raw


def test_it_ignores_a_field_it_does_not_know_in_the_address(energia: Tenant) -> None:
    raw = energia.logged_in_client().get(f"{URL}?campo=iban").content.decode()

    assert " selected>" not in raw.split('name="field"', 1)[1].split("</select>", 1)[0]


def test_it_opens_a_request_with_the_registered_and_the_correct_value(energia: Tenant) -> None:
    client = energia.logged_in_client()

    response = client.post(
        URL,
        {
            "field": "codice_fiscale",
            "correct_value": f" {CORRECT_CF} ",
            "message": "Errore nel nome",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/accesso/dati-anagrafici/"
    request = ServiceRequest.objects.get()
    assert (request.kind, request.customer, request.author, request.company) == (
        RequestKind.DATA_DISCREPANCY,
        energia.customer,
        energia.user,
        energia.company,
    )
    assert request.payload == {
        "field": "codice_fiscale",
        "current_value": energia.customer.codice_fiscale,
        "correct_value": CORRECT_CF,
    }
    assert request.messages.get().body == "Errore nel nome"
    assert request.display_title == "Segnalazione difformità dati anagrafici"
    assert typed_fields(request) == [
        ("Dato da correggere", "Codice fiscale"),
        ("Valore registrato", energia.customer.codice_fiscale),
        ("Valore corretto", CORRECT_CF),
    ]
    assert AuditEvent.objects.filter(action="request.opened", object_id=str(request.pk)).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Segnalazione {request.code} inviata: il servizio clienti verificherà il dato."
    ]


def test_it_reports_the_address_as_the_page_shows_it(energia: Tenant) -> None:
    energia.logged_in_client().post(
        URL, {"field": "address", "correct_value": "Via Garibaldi 12 - 20121 Milano (MI)"}
    )

    assert ServiceRequest.objects.get().payload["current_value"] == (
        "Via Garibaldi 10 - 20121 Milano (MI)"
    )


def test_it_lets_a_sub_user_report_for_its_customer(energia: Tenant) -> None:
    sub_user = make_sub_user(energia.user)

    energia.logged_in_client(sub_user).post(
        URL, {"field": "name", "correct_value": "Bianchi Anna Maria"}
    )

    request = ServiceRequest.objects.get()
    assert (request.customer, request.author) == (energia.customer, sub_user)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"correct_value": CORRECT_CF}, "Scegli il dato da correggere."),
        ({"field": "iban", "correct_value": "IT60X"}, "Scegli uno dei dati dell'elenco."),
        ({"field": "name"}, "Scrivi come dovrebbe essere il dato."),
        ({"field": "name", "correct_value": "x" * 201}, "200"),
        ({"field": "name", "correct_value": " bianchi  ANNA "}, "È il valore già registrato"),
        (
            {"field": "name", "correct_value": "Bianchi Anna Maria", "message": "m" * 501},
            "500",
        ),
    ],
)
def test_it_refuses_an_incomplete_report_and_opens_nothing(
    energia: Tenant, data: dict[str, str], error: str
) -> None:
    response = energia.logged_in_client().post(URL, data)

    assert response.status_code == 200
    assert error in text(response)
    assert not ServiceRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="request.opened").exists()


def test_it_has_no_report_where_the_company_takes_no_requests(energia: Tenant) -> None:
    energia.company.feature_requests = False
    energia.company.save()
    client = energia.logged_in_client()

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"field": "name", "correct_value": "X"}).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_it_has_no_report_on_a_leasing_portal(release: Tenant) -> None:
    assert release.logged_in_client().get(URL).status_code == 404
    assert release.client().get(URL).status_code == 302
