"""The temporary password (A4): 24 hours, one login, then only the definitive password page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from tests.accounts.login_steps import WRONG, log_in, password_step
from tests.factories import Tenant, make_customer, make_sub_user, make_user

from sportello.accounts.models import PortalUser
from sportello.accounts.services.registration import issue_temporary_password
from sportello.core.models import AuditEvent, Company
from sportello.customers.models import Customer

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
CHOOSE = "/accesso/password-definitiva/"
DEFINITIVE = "fiume-lento-sotto-il-ponte"


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def newcomer(release: Tenant, clock: time_machine.TimeMachineFixture) -> tuple[PortalUser, str]:
    """A just-registered user of Release and the temporary password it was e-mailed."""
    customer = make_customer(release.company, code="30001", name="NERI ANNA")
    user = make_user(customer, "30001", email="anna.neri@example.test")
    password, _expires = issue_temporary_password(user)
    user.registered_at = dt.datetime.now(dt.UTC)
    user.save()
    return user, password


def check(company: Company, login: str, password: str) -> Any:
    request = RequestFactory().post("/accesso/")
    request.company = company  # type: ignore[attr-defined]
    return authenticate(request, login=login, password=password)


def choose(client: Client, first: str, second: str | None = None) -> Any:
    return client.post(CHOOSE, {"new_password1": first, "new_password2": second or first})


def logged_in(tenant: Tenant, user: PortalUser) -> Client:
    client = tenant.client()
    client.force_login(user, backend="sportello.accounts.backends.CompanyLoginBackend")
    return client


def in_english(message: str) -> str:
    with translation.override("en"):
        return gettext(message)


def test_it_accepts_the_temporary_password_for_24_hours(
    release: Tenant, newcomer: tuple[PortalUser, str], clock: time_machine.TimeMachineFixture
) -> None:
    user, password = newcomer
    clock.shift(dt.timedelta(hours=24) - dt.timedelta(seconds=1))

    assert check(release.company, "30001", password) == user


def test_it_refuses_the_temporary_password_after_24_hours(
    release: Tenant, newcomer: tuple[PortalUser, str], clock: time_machine.TimeMachineFixture
) -> None:
    _user, password = newcomer
    clock.shift(dt.timedelta(hours=24, seconds=1))

    assert check(release.company, "30001", password) is None
    response = password_step(release.client(), "30001", password)
    assert response.status_code == 200
    assert WRONG in response.content.decode()


def test_it_forces_the_definitive_password_after_the_first_login(
    release: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    client = release.client()

    response = log_in(client, "30001", newcomer[1])

    assert response.status_code == 302
    for path in ["/", "/contatti/", "/in-arrivo/profile/", "/accesso/registrazione/"]:
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"] == CHOOSE
    assert client.post("/in-arrivo/profile/")["Location"] == CHOOSE
    page = client.get(CHOOSE)
    assert page.status_code == 200
    assert "Scegli la password definitiva" in page.content.decode()


def test_it_keeps_logout_language_and_static_files_open(
    release: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    client = logged_in(release, newcomer[0])

    # Not redirected (the tests serve no static files, hence a 404 instead of the file).
    assert "Location" not in client.get("/static/sportello/sportello.css")
    assert client.post("/lingua/", {"language": "en", "next": CHOOSE})["Location"] == CHOOSE
    assert client.get("/accesso/esci/").status_code == 200
    assert client.post("/accesso/esci/")["Location"] == "/accesso/"
    assert client.get(CHOOSE)["Location"].startswith("/accesso/")


def test_it_accepts_the_temporary_password_only_once(
    release: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    user, password = newcomer
    log_in(release.client(), "30001", password)  # …and the customer walks away

    assert check(release.company, "30001", password) is None
    response = password_step(release.client(), "30001", password)
    assert WRONG in response.content.decode()
    assert PortalUser.objects.get(pk=user.pk).must_change_password


def test_it_sets_the_definitive_password(release: Tenant, newcomer: tuple[PortalUser, str]) -> None:
    user, password = newcomer
    client = release.client()
    log_in(client, "30001", password)
    session_before = client.cookies["sessionid"].value

    response = choose(client, DEFINITIVE)

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Password definitiva impostata" in home.content.decode()
    assert client.cookies["sessionid"].value != session_before
    user.refresh_from_db()
    assert user.check_password(DEFINITIVE)
    assert not user.must_change_password
    assert user.temporary_password_expires_at is None
    event = AuditEvent.objects.get(action="password.first_set")
    assert event.actor == user and event.company == release.company
    assert DEFINITIVE not in str(event.data) and password not in str(event.data)
    assert check(release.company, "30001", DEFINITIVE) == user
    assert check(release.company, "30001", password) is None
    assert client.get(CHOOSE)["Location"] == "/"


def test_it_ends_the_other_sessions_when_the_password_is_set(
    release: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    user, _password = newcomer
    other = logged_in(release, user)
    client = logged_in(release, user)

    choose(client, DEFINITIVE)

    # The other session's password hash no longer matches: it is anonymous now.
    assert not other.get("/").context["user"].is_authenticated
    assert client.get("/").context["user"] == user


@pytest.mark.parametrize(
    ("first", "second", "italian", "english"),
    [
        (
            "corta-123",
            None,
            "La password è troppo corta: deve avere almeno 12 caratteri.",
            "The password is too short: it must have at least 12 characters.",
        ),
        ("password1234", None, "Questa password è troppo comune.", "This password is too common."),
        (DEFINITIVE, DEFINITIVE + "x", "Le due password non coincidono.", None),
        ("a" * 129, None, "non contenga più di 128 caratteri", "at most 128 characters"),
        # The login three times: Django's similarity rule lets it through.
        (
            "300013000130001",
            None,
            "La password non può contenere il tuo nome utente.",
            "The password cannot contain your username.",
        ),
    ],
)
def test_it_explains_a_refused_password_and_changes_nothing(
    release: Tenant,
    newcomer: tuple[PortalUser, str],
    first: str,
    second: str | None,
    italian: str,
    english: str | None,
) -> None:
    user, password = newcomer
    client = logged_in(release, user)

    response = choose(client, first, second)
    client.cookies["django_language"] = "en"
    english_response = choose(client, first, second)

    assert response.status_code == english_response.status_code == 200
    assert italian in response.content.decode()
    assert (english or in_english(italian)) in english_response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password(password)
    assert not AuditEvent.objects.filter(action="password.first_set").exists()


def test_it_accepts_a_64_character_password(
    release: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    client = logged_in(release, newcomer[0])

    assert choose(client, "una frase lunga " * 4).status_code == 302


def test_it_refuses_the_temporary_password_as_the_definitive_one(
    release: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    user, password = newcomer
    client = logged_in(release, user)

    response = choose(client, password)

    assert "deve essere diversa da quella temporanea" in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login(release: Tenant) -> None:
    response = release.client().get(CHOOSE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/?next=")


def test_it_lets_a_user_with_a_definitive_password_go_home(release: Tenant) -> None:
    assert release.logged_in_client().get(CHOOSE)["Location"] == "/"
    assert release.logged_in_client().get("/").status_code == 200


def test_it_does_not_follow_a_session_to_another_company(
    release: Tenant, energia: Tenant, newcomer: tuple[PortalUser, str]
) -> None:
    client = logged_in(release, newcomer[0])

    response = client.get(CHOOSE, HTTP_HOST=energia.host)

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/?next=")


def test_it_forces_a_sub_user_with_a_temporary_password_too(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    issue_temporary_password(sub_user)
    sub_user.save()
    client = logged_in(release, sub_user)

    assert client.get("/")["Location"] == CHOOSE
    assert choose(client, DEFINITIVE).status_code == 302
    # A sub-user's first password does not change the customer's paper choice.
    assert Customer.objects.get(pk=release.customer.pk).paper_invoices


def test_it_leaves_other_users_alone(release: Tenant) -> None:
    client = release.logged_in_client()

    assert client.get("/").status_code == 200
    assert client.get("/contatti/").status_code == 200
