"""Nothing of a logged-in session stays in a cache, and no e-mailed token reaches a log
(item 5 of issue 7)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from pytest_django import Settings
from tests.factories import BACK_OFFICE_HOST, Tenant, make_contract, make_operator, operator_client

from sportello.core.models import OutboxEmail


def no_store(response: object) -> bool:
    return "no-store" in response["Cache-Control"]  # type: ignore[index]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accesso/profilo/",
        "/fatture-e-pagamenti/",
        "/fatture-e-pagamenti/esporta/",
        "/contratti/",
    ],
)
def test_it_tells_caches_to_keep_no_logged_in_page_or_export(release: Tenant, url: str) -> None:
    make_contract(release.customer)

    response = release.logged_in_client().get(url)

    assert response.status_code == 200, url
    assert no_store(response)


def test_it_tells_caches_to_keep_no_back_office_page(release: Tenant, settings: Settings) -> None:
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    operator = make_operator(release.company, permissions=["accounts.view_portaluser"])

    response = operator_client(operator).get("/admin/accounts/portaluser/")

    assert response.status_code == 200
    assert no_store(response)


def test_it_keeps_the_logo_cacheable_for_a_logged_in_customer(release: Tenant) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    release.company.logo.save("brand.svg", ContentFile(svg))

    response = release.logged_in_client().get("/brand/logo")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert not no_store(response)


def emailed_link(host: str) -> str:
    email = OutboxEmail.objects.order_by("-pk").first()
    assert email is not None
    match = re.search(rf"https://{re.escape(host)}(/accesso/\S+/)", email.body_text)
    assert match is not None
    return match.group(1)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def test_it_moves_the_reset_token_out_of_the_address(release: Tenant) -> None:
    release.client().post("/accesso/password-dimenticata/", {"identifier": "mrossi"})
    link = emailed_link(release.host)
    token = token_of(link)
    client = release.client()

    first = client.get(link)
    form = client.get(first["Location"])

    assert first.status_code == 302
    assert first["Location"].endswith("/imposta/")
    assert token not in first["Location"]
    assert first["Referrer-Policy"] == "no-referrer"
    assert form.status_code == 200
    # The form's own address holds no secret; a same-origin Referer keeps its POST's
    # Origin header, which the CSRF check needs.
    assert form["Referrer-Policy"] == "same-origin"
    assert "Scegli una nuova password" in form.content.decode()
    assert token not in form.content.decode()


def test_it_moves_the_welcome_token_out_of_the_address(release: Tenant) -> None:
    release.logged_in_client().post(
        "/accesso/profilo/sotto-utenti/nuovo/",
        {
            "first_name": "Luca",
            "last_name": "Rossi",
            "email": "luca@example.test",
            "secondary_email": "",
            "language": "it",
        },
    )
    link = emailed_link(release.host)
    client = release.client()

    first = client.get(link)
    form = client.get(first["Location"])

    assert first["Location"].endswith("/imposta/")
    assert first["Referrer-Policy"] == "no-referrer"
    assert token_of(link) not in form.content.decode()
    assert "Scegli la tua password" in form.content.decode()


def test_it_refuses_the_token_less_address_without_the_token(release: Tenant) -> None:
    release.client().post("/accesso/password-dimenticata/", {"identifier": "mrossi"})
    link = emailed_link(release.host)
    marker_only = link.rsplit("/", 2)[0] + "/imposta/"

    response = release.client().get(marker_only)

    assert "Il link è già stato usato oppure è scaduto" in response.content.decode()
