"""Rate limits count failures only, per company, per client address and per account.

The address comes only from the trusted proxies (TRUSTED_PROXY_COUNT), never
from a header the client sets; many customers behind one address (an office,
a carrier's NAT) log in all day without holding each other up.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from pytest_django import Settings
from tests.accounts.login_steps import code_step, last_code, log_in, password_step
from tests.factories import Tenant, make_customer, make_user

from sportello.accounts import throttle
from sportello.accounts.models import ThrottleCounter
from sportello.core.audit import Origin
from sportello.core.models import AuditEvent

# Every test here fills a window of the clock-aligned throttles: none may straddle two.
pytestmark = pytest.mark.usefixtures("fixed_window")

#: The start of a 15-minute window: a throttled answer announces all 15 minutes.
WINDOW_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TOO_MANY_15 = "Troppi tentativi: riprova tra 15 minuti."


def fail_passwords(tenant: Tenant, times: int, **extra: str) -> None:
    for n in range(times):
        password_step(tenant.client(), f"utente{n}", "password-sbagliata", **extra)


def test_it_lets_fifty_customers_log_in_from_one_address_within_a_minute(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(WINDOW_START, tick=False)
    users = [
        make_user(make_customer(release.company), f"ufficio{n}", email=f"ufficio{n}@example.test")
        for n in range(50)
    ]

    for n, user in enumerate(users):
        time_machine.move_to(WINDOW_START + dt.timedelta(seconds=n), tick=False)
        client = release.client()
        assert log_in(client, user.login)["Location"] == "/", user.login
        assert client.get("/").context["user"] == user

    assert AuditEvent.objects.filter(action="login").count() == 50
    assert not AuditEvent.objects.filter(action="otp.throttled").exists()


def test_it_limits_wrong_passwords_per_address_and_says_how_long_to_wait(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(WINDOW_START, tick=False)
    fail_passwords(release, throttle.LOGIN_ADDRESS.per_address)

    response = password_step(release.client(), "mrossi")

    assert response.status_code == 429
    assert TOO_MANY_15 in response.content.decode()
    assert not AuditEvent.objects.filter(action="login.code_sent").exists()


def test_it_opens_the_address_again_when_the_window_ends(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(WINDOW_START + dt.timedelta(minutes=10), tick=False)
    fail_passwords(release, throttle.LOGIN_ADDRESS.per_address)
    held_up = password_step(release.client(), "mrossi")
    assert "Troppi tentativi: riprova tra 5 minuti." in held_up.content.decode()

    time_machine.move_to(WINDOW_START + dt.timedelta(minutes=15), tick=False)

    assert password_step(release.client(), "mrossi").status_code == 302


def test_it_does_not_count_right_passwords(release: Tenant) -> None:
    for _ in range(throttle.LOGIN_ADDRESS.per_address + 5):
        assert password_step(release.client(), "mrossi").status_code == 302


def test_it_keeps_one_companys_failures_from_throttling_another(
    release: Tenant, energia: Tenant
) -> None:
    fail_passwords(release, throttle.LOGIN_ADDRESS.per_address)
    assert password_step(release.client(), "mrossi").status_code == 429

    # The same address, on another company's portal.
    assert log_in(energia.client(), "mrossi")["Location"] == "/"


def test_it_keeps_one_companys_wrong_codes_from_throttling_another(
    release: Tenant, energia: Tenant
) -> None:
    for n in range(throttle.CODE.per_address // 5):
        user = make_user(make_customer(release.company), f"codici{n}")
        client = release.client()
        password_step(client, user.login)
        for _ in range(5):
            code_step(client, "000000" if last_code(user.email) != "000000" else "111111")
    held_up = release.client()
    password_step(held_up, "mrossi")
    assert code_step(held_up, last_code(release.user.email))["Location"] == "/accesso/"

    assert log_in(energia.client(), "mrossi")["Location"] == "/"


def test_it_ignores_a_spoofed_x_forwarded_for(release: Tenant) -> None:
    for n in range(throttle.LOGIN_ADDRESS.per_address):
        password_step(
            release.client(), f"utente{n}", "password-sbagliata", HTTP_X_FORWARDED_FOR=f"10.9.{n}.9"
        )

    response = password_step(release.client(), "mrossi", HTTP_X_FORWARDED_FOR="10.8.8.8")

    assert response.status_code == 429
    # The audit log has the socket's address, not the one the client wrote.
    assert set(
        AuditEvent.objects.filter(action="login.failed").values_list("ip_address", flat=True)
    ) == {"127.0.0.1"}


def test_it_takes_the_address_from_a_trusted_proxy(release: Tenant, settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    fail_passwords(release, throttle.LOGIN_ADDRESS.per_address, HTTP_X_FORWARDED_FOR="10.9.9.9")

    # Another client behind the same proxy is not held up by the first one.
    response = password_step(release.client(), "mrossi", HTTP_X_FORWARDED_FOR="10.8.8.8")

    assert response.status_code == 302


def test_it_counts_lockout_failures_on_the_account_whatever_the_address(
    release: Tenant,
) -> None:
    for n in range(3):
        password_step(
            release.client(REMOTE_ADDR=f"10.0.0.{n}"),
            "mrossi",
            "password-sbagliata",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )

    response = password_step(release.client(REMOTE_ADDR="10.0.0.9"), "mrossi")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="account.locked").exists()


def test_it_keeps_its_counts_when_the_cache_restarts_empty(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(WINDOW_START, tick=False)
    origin = Origin(company=release.company, ip_address="10.9.9.9")
    for _ in range(throttle.CODE.per_account):
        throttle.count(throttle.CODE, origin, "account:mrossi")

    cache.clear()  # Redis keeps nothing on disk: a restart empties it

    assert throttle.wait_seconds(throttle.CODE, origin, "account:mrossi") == 15 * 60


def test_it_purges_the_counts_of_ended_windows(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(WINDOW_START, tick=False)
    origin = Origin(company=release.company, ip_address="10.9.9.9")
    throttle.count(throttle.CODE, origin, "account:mrossi")
    assert throttle.purge_expired() == 0

    time_machine.move_to(WINDOW_START + dt.timedelta(minutes=15), tick=False)

    assert throttle.purge_expired() == 2  # the account's count and the address's
    assert not ThrottleCounter.objects.exists()
