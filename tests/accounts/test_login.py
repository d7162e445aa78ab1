"""Customers log in with their company's login, password and an e-mailed code,
and log out for good."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from pytest_django import Settings
from tests.accounts.login_steps import WRONG, code_emails, last_code, log_in, password_step
from tests.factories import PASSWORD, Tenant, make_sub_user, make_user

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, OutboxEmail


def refused(client: Client, login: str, password: str = PASSWORD) -> Any:
    """A password step that must not reach the code step."""
    response = password_step(client, login, password)
    assert response.status_code == 200
    return response


def test_it_shows_the_login_form(release: Tenant) -> None:
    response = release.client().get("/accesso/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="login"' in page
    assert 'autocomplete="current-password"' in page
    assert "Release S.p.A." in page
    assert 'href="/accesso/password-dimenticata/"' in page
    assert 'href="/accesso/sblocco/"' in page


def test_it_asks_for_the_code_after_a_right_password(release: Tenant) -> None:
    client = release.client()

    response = password_step(client, "mrossi")

    assert response.status_code == 302
    assert response["Location"] == "/accesso/codice/"
    assert not client.get("/").context["user"].is_authenticated
    page = client.get("/accesso/codice/").content.decode()
    assert "Inserisci il codice" in page
    assert "Invia un nuovo codice" in page
    assert 'autocomplete="one-time-code"' in page
    email = OutboxEmail.objects.get()
    assert email.to == [release.user.email]
    assert email.subject == "Release S.p.A. – codice di accesso"
    assert len(last_code(release.user.email)) == 6
    # The session keeps who is logging in, never the password.
    assert PASSWORD not in str(dict(client.session.items()))
    assert AuditEvent.objects.filter(action="login.code_sent", actor=release.user).exists()


def test_it_logs_a_customer_in(release: Tenant) -> None:
    client = release.client()

    response = log_in(client, "mrossi")

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.context["user"] == release.user
    assert "Benvenuto, Rossi Mario" in home.content.decode()
    assert AuditEvent.objects.filter(action="login", actor=release.user).count() == 1


def test_it_accepts_the_login_with_surrounding_spaces(release: Tenant) -> None:
    client = release.client()

    assert password_step(client, "  mrossi ").status_code == 302


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

    client = release.client()
    log_in(client, "mrossi")

    user = PortalUser.objects.get(pk=release.user.pk)
    assert user.previous_login == first_login
    assert first_login is not None
    assert "Ultimo accesso" in client.get("/").content.decode()
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

    response = refused(client, "mrossi", "password-sbagliata")

    assert WRONG in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated
    assert not code_emails(release.user.email)
    failed = AuditEvent.objects.get(action="login.failed")
    assert failed.data == {"login": "mrossi"}
    assert "password-sbagliata" not in str(failed.data)


def test_it_refuses_a_wrong_password_in_english(release: Tenant) -> None:
    client = release.client()
    client.cookies["django_language"] = "en"

    response = refused(client, "mrossi", "password-sbagliata")

    page = response.content.decode()
    assert "Incorrect username or password." in page
    assert WRONG not in page


def test_it_answers_an_unknown_login_like_a_wrong_password(release: Tenant) -> None:
    response = refused(release.client(), "nessuno")

    assert WRONG in response.content.decode()


def test_it_asks_for_both_fields(release: Tenant) -> None:
    response = password_step(release.client(), "", "")

    form = response.context["form"]
    assert set(form.errors) == {"login", "password"}
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_finds_a_login_only_in_the_hosts_company(release: Tenant, energia: Tenant) -> None:
    # Both companies have a user "mrossi", with different passwords.
    energia.user.set_password("la-password-di-energia")
    energia.user.save()

    response = refused(energia.client(), "mrossi", PASSWORD)
    assert WRONG in response.content.decode()

    energia_client = energia.client()
    log_in(energia_client, "mrossi", "la-password-di-energia")
    assert energia_client.get("/").context["user"] == energia.user


def test_it_does_not_log_a_customer_in_on_another_companys_host(
    release: Tenant, energia: Tenant
) -> None:
    make_user(release.customer, "solo-release")

    response = refused(energia.client(), "solo-release")

    assert WRONG in response.content.decode()


def test_it_refuses_a_disabled_user(release: Tenant) -> None:
    release.user.is_active = False
    release.user.save()

    response = refused(release.client(), "mrossi")

    assert WRONG in response.content.decode()


def test_it_does_not_log_an_operator_into_the_customer_area(release: Tenant) -> None:
    operator = PortalUser.objects.create_user(
        "operatore", password=PASSWORD, is_staff=True, company=release.company
    )
    operator.operator_companies.add(release.company)

    response = refused(release.client(), "operatore")

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


def test_it_writes_no_secret_in_the_audit_log(release: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi", "password-sbagliata")
    password_step(client, "mrossi")
    code = last_code(release.user.email)
    client.post("/accesso/codice/", {"code": "000000" if code != "000000" else "111111"})
    client.post("/accesso/codice/", {"code": code})
    client.post("/accesso/esci/")
    client.post("/accesso/password-dimenticata/", {"identifier": "mrossi"})
    link = OutboxEmail.objects.order_by("-pk").first()
    assert link is not None
    token = link.body_text.split("/accesso/nuova-password/")[1].split()[0]

    logged = " ".join(f"{event.data} {event.object_label}" for event in AuditEvent.objects.all())

    assert {"login.failed", "login.code_sent", "otp.failed", "login", "logout"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    for secret in [PASSWORD, "password-sbagliata", code, token.split("/")[1]]:
        assert secret not in logged
