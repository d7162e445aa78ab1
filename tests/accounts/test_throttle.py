"""Login attempts are limited per client address, which comes only from the
trusted proxies (TRUSTED_PROXY_COUNT), never from a header the client sets."""

from __future__ import annotations

from pytest_django import Settings
from tests.accounts.login_steps import password_step
from tests.factories import Tenant

from sportello.core.models import AuditEvent

TOO_MANY = "Troppi tentativi da questo indirizzo: riprova tra qualche minuto."


def test_it_limits_login_attempts_per_address(release: Tenant) -> None:
    for n in range(30):
        password_step(release.client(), f"utente{n}", "password-sbagliata")

    response = password_step(release.client(), "mrossi")

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert not AuditEvent.objects.filter(action="login.code_sent").exists()


def test_it_ignores_a_spoofed_x_forwarded_for(release: Tenant) -> None:
    for n in range(30):
        password_step(
            release.client(), f"utente{n}", "password-sbagliata", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}"
        )

    response = password_step(release.client(), "mrossi", HTTP_X_FORWARDED_FOR="10.8.8.8")

    assert response.status_code == 429
    # The audit log has the socket's address, not the one the client wrote.
    assert set(
        AuditEvent.objects.filter(action="login.failed").values_list("ip_address", flat=True)
    ) == {"127.0.0.1"}


def test_it_takes_the_address_from_a_trusted_proxy(release: Tenant, settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(30):
        password_step(
            release.client(), f"utente{n}", "password-sbagliata", HTTP_X_FORWARDED_FOR="10.9.9.9"
        )

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
