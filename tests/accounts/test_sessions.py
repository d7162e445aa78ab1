"""Sessions: a new id at each login step, 30 minutes idle, 12 hours at most."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone
from tests.accounts.login_steps import code_step, last_code, log_in, password_step
from tests.factories import Tenant


def test_it_changes_the_session_id_at_each_login_step(release: Tenant) -> None:
    client = release.client()
    planted = client.session  # an anonymous session, as an attacker could plant it
    planted["seen"] = True
    planted.save()
    anonymous = planted.session_key

    password_step(client, "mrossi")
    after_password = client.cookies["sessionid"].value
    code_step(client, last_code(release.user.email))
    after_code = client.cookies["sessionid"].value

    assert len({anonymous, after_password, after_code}) == 3
    assert not Session.objects.filter(session_key__in=[anonymous, after_password]).exists()
    assert client.get("/").context["user"] == release.user


def test_it_keeps_an_active_session_for_thirty_minutes_of_silence(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")
        clock.shift(dt.timedelta(minutes=29, seconds=59))

        assert client.get("/").context["user"] == release.user


def test_it_ends_the_session_after_thirty_minutes_and_one_second_idle(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")
        clock.shift(dt.timedelta(minutes=30, seconds=1))

        assert not client.get("/").context["user"].is_authenticated


def test_it_ends_the_session_after_twelve_hours_even_with_activity(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")
        session_key = client.cookies["sessionid"].value
        for _ in range(36):  # a request every 20 minutes: 12 hours
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/").context["user"] == release.user
        clock.shift(dt.timedelta(seconds=1))

        response = client.get("/")

    assert not response.context["user"].is_authenticated
    assert not Session.objects.filter(session_key=session_key).exists()


def test_it_sends_an_expired_session_to_the_login_page(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")
        for _ in range(37):
            clock.shift(dt.timedelta(minutes=20))
            response = client.get("/notifiche/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accesso/")


def expiry(client: object) -> dt.datetime:
    key = client.cookies["sessionid"].value  # type: ignore[attr-defined]
    return Session.objects.get(session_key=key).expire_date


def test_it_writes_an_unchanged_session_at_most_once_a_minute(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")  # a change: written at once
        written = expiry(client)
        clock.shift(dt.timedelta(seconds=30))
        client.get("/")
        unchanged = expiry(client)
        clock.shift(dt.timedelta(seconds=31))
        client.get("/")

        assert unchanged == written
        assert expiry(client) == written + dt.timedelta(seconds=61)


def test_it_still_slides_the_idle_limit_with_activity(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")
        for _ in range(4):  # a request every 20 minutes: 80 minutes logged in
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/").context["user"] == release.user
        clock.shift(dt.timedelta(minutes=29, seconds=59))

        assert client.get("/").context["user"] == release.user


def test_it_still_ends_the_session_thirty_minutes_after_the_last_write(release: Tenant) -> None:
    client = release.client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "mrossi")
        clock.shift(dt.timedelta(minutes=10))
        client.get("/")  # written: the idle limit slides to 40 minutes
        clock.shift(dt.timedelta(seconds=50))
        client.get("/")  # within the minute: not written
        clock.shift(dt.timedelta(minutes=29, seconds=11))  # 30 min 1 s after the write

        assert not client.get("/").context["user"].is_authenticated
