"""Customers log in with their company's login and password, and log out for good."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from pytest_django import Settings
from tests.factories import PASSWORD, Tenant, make_sub_user, make_user

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent

WRONG = "Username o password non corretti."


def log_in(client: Client, login: str, password: str = PASSWORD) -> Any:
    return client.post("/accesso/", {"login": login, "password": password})


def test_it_shows_the_login_form(release: Tenant) -> None:
    response = release.client().get("/accesso/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="login"' in page
    assert 'autocomplete="current-password"' in page
    assert "Release S.p.A." in page


def test_it_logs_a_customer_in(release: Tenant) -> None:
    client = release.client()

    response = log_in(client, "mrossi")

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.context["user"] == release.user
    assert "Benvenuto, Rossi Mario" in home.content.decode()


def test_it_accepts_the_login_with_surrounding_spaces(release: Tenant) -> None:
    client = release.client()

    assert log_in(client, "  mrossi ").status_code == 302


def test_it_starts_a_new_session_at_login(release: Tenant) -> None:
    client = release.client()
    session = client.session  # an anonymous session, as an attacker could plant it
    session["seen"] = True
    session.save()
    anonymous_key = session.session_key

    log_in(client, "mrossi")

    assert client.cookies["sessionid"].value != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


def test_it_remembers_the_previous_access_and_audits_the_login(release: Tenant) -> None:
    client = release.client()
    log_in(client, "mrossi")
    first_login = PortalUser.objects.get(pk=release.user.pk).last_login

    log_in(release.client(), "mrossi")

    user = PortalUser.objects.get(pk=release.user.pk)
    assert user.previous_login == first_login
    events = AuditEvent.objects.filter(action="login", actor=user)
    assert events.count() == 2
    assert events.first().company == release.company


def test_it_logs_a_sub_user_in(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    client = release.client()

    log_in(client, sub_user.login)

    assert client.get("/").context["user"] == sub_user


def test_it_refuses_a_wrong_password_in_italian(release: Tenant) -> None:
    client = release.client()

    response = log_in(client, "mrossi", "password-sbagliata")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_it_refuses_a_wrong_password_in_english(release: Tenant) -> None:
    client = release.client()
    client.cookies["django_language"] = "en"

    response = log_in(client, "mrossi", "password-sbagliata")

    page = response.content.decode()
    assert "Incorrect username or password." in page
    assert WRONG not in page


def test_it_answers_an_unknown_login_like_a_wrong_password(release: Tenant) -> None:
    response = log_in(release.client(), "nessuno")

    assert WRONG in response.content.decode()


def test_it_asks_for_both_fields(release: Tenant) -> None:
    response = log_in(release.client(), "", "")

    form = response.context["form"]
    assert set(form.errors) == {"login", "password"}
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_finds_a_login_only_in_the_hosts_company(release: Tenant, energia: Tenant) -> None:
    # Both companies have a user "mrossi", with different passwords.
    energia.user.set_password("la-password-di-energia")
    energia.user.save()

    response = log_in(energia.client(), "mrossi", PASSWORD)
    assert WRONG in response.content.decode()

    energia_client = energia.client()
    log_in(energia_client, "mrossi", "la-password-di-energia")
    assert energia_client.get("/").context["user"] == energia.user


def test_it_does_not_log_a_customer_in_on_another_companys_host(
    release: Tenant, energia: Tenant
) -> None:
    make_user(release.customer, "solo-release")

    response = log_in(energia.client(), "solo-release")

    assert WRONG in response.content.decode()


def test_it_refuses_a_disabled_user(release: Tenant) -> None:
    release.user.is_active = False
    release.user.save()

    response = log_in(release.client(), "mrossi")

    assert WRONG in response.content.decode()


def test_it_does_not_log_an_operator_into_the_customer_area(release: Tenant) -> None:
    operator = PortalUser.objects.create_user(
        "operatore", password=PASSWORD, is_staff=True, company=release.company
    )
    operator.operator_companies.add(release.company)

    response = log_in(release.client(), "operatore")

    assert WRONG in response.content.decode()


def test_it_has_no_login_page_on_the_platform_host(settings: Settings, db: None) -> None:
    settings.PLATFORM_HOSTS = ["localhost"]

    assert Client(HTTP_HOST="localhost").get("/accesso/").status_code == 404


def test_it_asks_for_confirmation_before_logging_out(release: Tenant) -> None:
    client = release.logged_in_client()

    response = client.get("/accesso/esci/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Conferma logout" in page
    assert "Sei sicuro di voler uscire dall'area clienti?" in page
    assert 'method="post"' in page
    assert client.get("/").context["user"] == release.user


def test_it_ends_the_session_on_the_server_at_logout(release: Tenant) -> None:
    client = release.client()
    log_in(client, "mrossi")
    session_key = client.cookies["sessionid"].value

    response = client.post("/accesso/esci/")

    assert response.status_code == 302
    assert response["Location"] == "/accesso/"
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not client.get("/").context["user"].is_authenticated
    # An old copy of the cookie is worth nothing either.
    stolen = release.client()
    stolen.cookies["sessionid"] = session_key
    assert not stolen.get("/").context["user"].is_authenticated
    assert AuditEvent.objects.filter(action="logout", actor=release.user).exists()


def test_it_tells_a_visitor_who_is_not_logged_in(release: Tenant) -> None:
    response = release.client().get("/accesso/esci/")

    assert "Non sei collegato." in response.content.decode()
