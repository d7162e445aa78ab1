"""Operators reach the back office with a password *and* the e-mailed code (item 4a
of issue 7), and /admin/ answers only on platform hosts in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings
from tests.accounts.login_steps import last_code
from tests.factories import (
    BACK_OFFICE_HOST,
    OPERATOR_BACKEND,
    PASSWORD,
    Tenant,
    make_operator,
    operator_client,
)

from sportello.accounts import throttle
from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent

PERMISSIONS = ["accounts.view_portaluser"]


@pytest.fixture
def operator(release: Tenant, settings: Settings) -> PortalUser:
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    operator = make_operator(release.company, permissions=PERMISSIONS, username="operatore")
    operator.email = "operatore@release.test"
    operator.save()
    return operator


def back_office() -> Client:
    return Client(HTTP_HOST=BACK_OFFICE_HOST)


def password_step(client: Client, username: str = "operatore", password: str = PASSWORD) -> Any:
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def code_step(client: Client, code: str) -> Any:
    return client.post("/admin/login/codice/", {"code": code})


def test_it_asks_an_operator_for_the_e_mailed_code(operator: PortalUser) -> None:
    client = back_office()

    response = password_step(client)

    assert response["Location"] == "/admin/login/codice/"
    # The password alone opens nothing.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    page = client.get("/admin/login/codice/").content.decode()
    assert "o•••@release.test" in page
    response = code_step(client, last_code(operator.email))

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=operator).exists()


def test_it_refuses_a_wrong_code(operator: PortalUser) -> None:
    client = back_office()
    password_step(client)
    wrong = "000000" if last_code(operator.email) != "000000" else "111111"

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert "Il codice non è corretto" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert AuditEvent.objects.filter(action="otp.failed", actor=operator).exists()


def test_it_refuses_a_wrong_password_like_an_unknown_user(operator: PortalUser) -> None:
    wrong = password_step(back_office(), password="password-sbagliata")
    unknown = password_step(back_office(), username="nessuno")

    assert wrong.status_code == unknown.status_code == 200
    assert not wrong.context["form"].is_valid()
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert AuditEvent.objects.filter(action="login.failed").count() == 2


def test_it_refuses_a_customer_at_the_operators_login(release: Tenant, operator: Any) -> None:
    response = password_step(back_office(), username=release.user.username)

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="login.code_sent").exists()


def test_it_keeps_out_a_staff_session_that_did_not_pass_the_code(operator: PortalUser) -> None:
    client = back_office()
    client.force_login(operator, backend=OPERATOR_BACKEND)

    response = client.get("/admin/accounts/portaluser/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lets_in_a_session_verified_by_the_code(operator: PortalUser) -> None:
    assert operator_client(operator).get("/admin/accounts/portaluser/").status_code == 200


def test_it_ends_the_verification_when_the_operator_logs_in_elsewhere(
    operator: PortalUser,
) -> None:
    first = back_office()
    password_step(first)
    code_step(first, last_code(operator.email))

    password_step(back_office())

    assert first.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.usefixtures("fixed_window")
def test_it_throttles_wrong_operator_passwords_per_address(operator: PortalUser) -> None:
    for n in range(throttle.LOGIN_ADDRESS.per_address):
        password_step(back_office(), username=f"nessuno{n}")

    response = password_step(back_office())

    assert response.status_code == 429
    assert "Troppi tentativi: riprova tra" in response.content.decode()


def test_it_hides_the_admin_on_a_company_host(release: Tenant, operator: PortalUser) -> None:
    client = operator_client(operator, host=release.host)

    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_it_shows_the_admin_on_a_company_host_when_allowed(
    release: Tenant, operator: PortalUser, settings: Settings
) -> None:
    settings.ADMIN_ON_COMPANY_HOSTS = True

    assert operator_client(operator, host=release.host).get("/admin/").status_code == 200
