"""The second login step: a 6-digit code e-mailed for this attempt, 5 minutes, once."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone
from tests.accounts.login_steps import code_emails, code_step, last_code, log_in, password_step
from tests.factories import PASSWORD, Tenant, make_sub_user

from sportello.accounts import throttle
from sportello.accounts.services.login import MAX_CODE_FAILURES
from sportello.core.models import AuditEvent

WRONG_CODE = "Il codice non è corretto o è scaduto"


def test_it_logs_in_with_the_emailed_code(release: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi")

    response = code_step(client, last_code(release.user.email))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == release.user


def test_it_logs_a_sub_user_in_with_a_code_to_its_own_address(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, email="figlio@example.test")
    client = release.client()

    log_in(client, sub_user.login)

    assert client.get("/").context["user"] == sub_user
    assert code_emails("figlio@example.test")
    assert not code_emails(release.user.email)


def test_it_refuses_a_wrong_code_in_italian(release: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi")
    right = last_code(release.user.email)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated
    event = AuditEvent.objects.get(action="otp.failed")
    assert event.actor == release.user
    assert wrong not in str(event.data) and right not in str(event.data)
    # A mistake does not void the attempt: the right code still works.
    assert code_step(client, right)["Location"] == "/"


def test_it_refuses_a_wrong_code_in_english_with_the_translated_message(release: Tenant) -> None:
    client = release.client()
    client.cookies["django_language"] = "en"
    password_step(client, "mrossi")

    response = code_step(client, "12345")

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert response.context["form"].errors["code"]


def test_it_accepts_the_code_until_five_minutes(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        password_step(client, "mrossi")
        clock.shift(dt.timedelta(minutes=4, seconds=59))

        assert code_step(client, last_code(release.user.email))["Location"] == "/"


def test_it_refuses_the_code_at_five_minutes_and_one_second(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        password_step(client, "mrossi")
        clock.shift(dt.timedelta(minutes=5, seconds=1))

        response = code_step(client, last_code(release.user.email))

    assert WRONG_CODE in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_it_refuses_a_code_used_once_already(release: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi")
    code = last_code(release.user.email)
    code_step(client, code)
    client.post("/accesso/esci/")

    # Another attempt: the used code is worth nothing, in this session or another.
    password_step(client, "mrossi")
    response = code_step(client, code)

    assert WRONG_CODE in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_it_refuses_the_code_of_an_earlier_attempt(release: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi")
    first = last_code(release.user.email)
    password_step(client, "mrossi")
    second = last_code(release.user.email)
    assert len(code_emails(release.user.email)) == 2

    if first != second:  # one chance in a million that they are the same
        assert WRONG_CODE in code_step(client, first).content.decode()
    assert code_step(client, second)["Location"] == "/"


def test_it_voids_the_earlier_attempt_of_another_browser(release: Tenant) -> None:
    earlier, later = release.client(), release.client()
    password_step(earlier, "mrossi")
    password_step(later, "mrossi")
    code = last_code(release.user.email)

    response = code_step(earlier, code)

    assert response["Location"] == "/accesso/"
    assert not earlier.get("/").context["user"].is_authenticated


def test_it_voids_the_attempt_after_five_wrong_codes(release: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi")
    right = last_code(release.user.email)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(4):
        assert WRONG_CODE in code_step(client, wrong).content.decode()

    response = code_step(client, wrong)

    assert response["Location"] == "/accesso/"
    page = client.get("/accesso/").content.decode()
    assert "Il codice non è più valido: inserisci di nuovo username e password." in page
    assert code_step(client, right)["Location"] == "/accesso/"
    assert not client.get("/").context["user"].is_authenticated
    assert AuditEvent.objects.filter(action="otp.failed").count() == 5


def test_it_throttles_codes_per_account_across_attempts(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    # At the start of a 15-minute window, so the wait it announces is the whole window.
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    client = release.client()
    for _attempt in range(throttle.CODE.per_account // MAX_CODE_FAILURES):
        password_step(client, "mrossi")
        for _ in range(MAX_CODE_FAILURES):
            code_step(client, "000000" if last_code(release.user.email) != "000000" else "111111")

    # A new attempt, the right code: the account has had its tries for now.
    password_step(client, "mrossi")
    response = code_step(client, last_code(release.user.email))

    assert response["Location"] == "/accesso/"
    page = client.get("/accesso/").content.decode()
    assert "Troppi tentativi: riprova tra 15 minuti." in page
    assert not client.get("/").context["user"].is_authenticated
    assert AuditEvent.objects.filter(action="otp.throttled").exists()


def test_it_sends_a_new_code_only_after_sixty_seconds(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        password_step(client, "mrossi")
        first = last_code(release.user.email)
        clock.shift(dt.timedelta(seconds=30))

        response = client.post("/accesso/codice/nuovo/", follow=True)

        assert "Puoi chiedere un nuovo codice tra 31 secondi." in response.content.decode()
        assert len(code_emails(release.user.email)) == 1

        clock.shift(dt.timedelta(seconds=31))
        response = client.post("/accesso/codice/nuovo/", follow=True)

        assert "Ti abbiamo inviato un nuovo codice." in response.content.decode()
        assert len(code_emails(release.user.email)) == 2
        second = last_code(release.user.email)
        if first != second:
            assert WRONG_CODE in code_step(client, first).content.decode()
        assert code_step(client, second)["Location"] == "/"


def test_it_sends_no_new_code_without_an_attempt(release: Tenant) -> None:
    client = release.client()

    response = client.post("/accesso/codice/nuovo/")

    assert response["Location"] == "/accesso/"
    assert not code_emails(release.user.email)


def test_it_sends_the_code_page_back_to_the_login_without_an_attempt(release: Tenant) -> None:
    response = release.client().get("/accesso/codice/")

    assert response.status_code == 302
    assert response["Location"] == "/accesso/"


def test_it_forgets_an_attempt_after_fifteen_minutes(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        password_step(client, "mrossi")
        clock.shift(dt.timedelta(minutes=15, seconds=1))

        response = client.get("/accesso/codice/", follow=True)

    assert "Il tempo per inserire il codice è scaduto: accedi di nuovo." in (
        response.content.decode()
    )


def test_it_keeps_the_attempt_on_its_companys_host(release: Tenant, energia: Tenant) -> None:
    client = release.client()
    password_step(client, "mrossi")
    code = last_code(release.user.email)
    # The same browser on another company's host: no attempt there.
    client.cookies["sessionid"] = client.cookies["sessionid"].value
    other = energia.client()
    other.cookies["sessionid"] = client.cookies["sessionid"].value

    response = code_step(other, code)

    assert response["Location"] == "/accesso/"
    assert not other.get("/").context["user"].is_authenticated


def test_it_goes_back_to_the_page_that_asked_for_the_login(release: Tenant) -> None:
    client = release.client()
    client.post(
        "/accesso/?next=/in-arrivo/notifications/", {"login": "mrossi", "password": PASSWORD}
    )

    response = code_step(client, last_code(release.user.email))

    assert response["Location"] == "/in-arrivo/notifications/"


def test_it_never_goes_to_another_site_after_the_login(release: Tenant) -> None:
    client = release.client()
    client.post("/accesso/?next=https://evil.example/", {"login": "mrossi", "password": PASSWORD})

    response = code_step(client, last_code(release.user.email))

    assert response["Location"] == "/"
