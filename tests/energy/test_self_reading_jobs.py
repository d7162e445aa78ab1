"""G7's periodic work: pending readings become "Acquisita", and customers hear when a
window opens and two days before it closes; each once, however often the jobs run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from tests.energy.self_reading import (
    CLOSES,
    NOW,
    OPENS,
    TODAY,
    gas_point,
    reading,
    window,
)
from tests.factories import Tenant, make_customer, make_sub_user, make_supply_point, make_user

from sportello.core import periodic
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.energy import jobs
from sportello.energy.models import MeterReading, ReadingStatus, ReadingWindow
from sportello.energy.readings import (
    CLOSING_NOTICE,
    acquire_pending_readings,
    notify_reading_windows,
)
from sportello.notices.models import Category, Channel, Notification, NotificationPreference

# -- acquisition ------------------------------------------------------------------------


def test_it_is_registered_to_run_every_half_hour() -> None:
    job = periodic.REGISTRY["energy.jobs.acquire_pending_readings"]

    assert job.every == dt.timedelta(minutes=30)
    assert periodic.REGISTRY["energy.jobs.notify_reading_windows"].every <= dt.timedelta(hours=1)


def test_it_acquires_pending_readings_once(energia: Tenant, release: Tenant) -> None:
    point = gas_point(energia)
    old = reading(point, day=TODAY - dt.timedelta(days=30), acquired_at=NOW - dt.timedelta(days=29))
    pending = [
        reading(point, day=TODAY - dt.timedelta(days=n), status=ReadingStatus.PENDING)
        for n in range(3)
    ]

    with time_machine.travel(NOW, tick=False):
        assert acquire_pending_readings() == 3
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        assert acquire_pending_readings() == 0

    for item in pending:
        item.refresh_from_db()
        assert (item.status, item.acquired_at) == (ReadingStatus.ACQUIRED, NOW)
    old.refresh_from_db()
    assert old.acquired_at == NOW - dt.timedelta(days=29)
    event = AuditEvent.objects.get(action="readings.acquired")
    assert (event.company, event.data) == (energia.company, {"count": 3})


def test_it_acquires_in_batches(energia: Tenant) -> None:
    point = gas_point(energia)
    for n in range(5):
        reading(point, day=TODAY - dt.timedelta(days=n), status=ReadingStatus.PENDING)

    assert acquire_pending_readings(batch=2) == 5
    assert not MeterReading.objects.filter(status=ReadingStatus.PENDING).exists()


def test_the_job_function_acquires(energia: Tenant) -> None:
    item = reading(gas_point(energia), status=ReadingStatus.PENDING)

    jobs.acquire_pending_readings()
    jobs.acquire_pending_readings()

    item.refresh_from_db()
    assert item.status == ReadingStatus.ACQUIRED


# -- window notices ----------------------------------------------------------------------


@pytest.fixture
def customers(energia: Tenant) -> dict[str, Any]:
    """A gas customer with a sub-user, an electricity-only customer, a customer without
    points; the window is for gas."""
    gas_point(energia)
    sub_user = make_sub_user(energia.user)
    electric = make_customer(energia.company)
    make_supply_point(electric, "electricity")
    return {
        "sub_user": sub_user,
        "electric_user": make_user(electric),
        "no_point_user": make_user(make_customer(energia.company)),
        "window": window(energia),
    }


def notices() -> list[tuple[int | None, str]]:
    return list(
        Notification.objects.order_by("recipient_id", "pk").values_list("recipient_id", "title")
    )


def test_it_tells_the_gas_customers_users_when_the_window_opens_once(
    energia: Tenant, customers: dict[str, Any]
) -> None:
    with time_machine.travel(OPENS + dt.timedelta(minutes=10), tick=False):
        assert notify_reading_windows() == 2
        assert notify_reading_windows() == 0

    title = "Autolettura gas: periodo aperto fino al 15/03/2026"
    assert notices() == [(energia.user.pk, title), (customers["sub_user"].pk, title)]
    notice = Notification.objects.filter(recipient=energia.user).get()
    assert notice.category == Category.SELF_READING
    assert notice.title_en  # the English text is written beside the Italian one
    assert notice.body == (
        "Fino al 15/03/2026 alle ore 22:00 puoi inserire l'autolettura del contatore (gas) "
        "in Autolettura contatore."
    )
    assert notice.link.endswith("/fornitura/autoletture/")
    window_ = ReadingWindow.objects.get()
    assert window_.opening_notified_at == OPENS + dt.timedelta(minutes=10)
    assert window_.closing_notified_at is None


def test_it_tells_them_again_two_days_before_the_close_once(
    energia: Tenant, customers: dict[str, Any]
) -> None:
    with time_machine.travel(OPENS + dt.timedelta(minutes=10), tick=False):
        notify_reading_windows()
    with time_machine.travel(CLOSES - CLOSING_NOTICE - dt.timedelta(minutes=1), tick=False):
        assert notify_reading_windows() == 0  # not yet
    with time_machine.travel(CLOSES - CLOSING_NOTICE, tick=False):
        assert notify_reading_windows() == 2
        assert notify_reading_windows() == 0
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
        assert notify_reading_windows() == 0

    closing = Notification.objects.filter(recipient=energia.user).order_by("pk").last()
    assert closing is not None
    assert closing.title == "Autolettura gas: il periodo chiude il 15/03/2026"
    assert closing.body.startswith("Hai tempo fino al 15/03/2026 alle ore 22:00")


def test_it_sends_only_the_closing_notice_for_a_window_first_seen_near_its_close(
    energia: Tenant, customers: dict[str, Any]
) -> None:
    with time_machine.travel(CLOSES - dt.timedelta(hours=3), tick=False):
        assert notify_reading_windows() == 2
        assert notify_reading_windows() == 0

    assert {title for _user, title in notices()} == {
        "Autolettura gas: il periodo chiude il 15/03/2026"
    }


def test_it_says_nothing_of_a_window_that_closed_or_has_not_opened(
    energia: Tenant, customers: dict[str, Any]
) -> None:
    with time_machine.travel(OPENS - dt.timedelta(minutes=1), tick=False):
        assert notify_reading_windows() == 0
    with time_machine.travel(CLOSES, tick=False):
        assert notify_reading_windows() == 0

    assert not Notification.objects.exists()


def test_it_says_nothing_where_the_company_turned_self_reading_off(
    energia: Tenant, customers: dict[str, Any]
) -> None:
    energia.company.feature_self_reading = False
    energia.company.save()

    with time_machine.travel(OPENS + dt.timedelta(minutes=10), tick=False):
        assert notify_reading_windows() == 0


def test_it_e_mails_as_each_user_chose(energia: Tenant, customers: dict[str, Any]) -> None:
    NotificationPreference.objects.create(
        user=customers["sub_user"], category=Category.SELF_READING, channel=Channel.OFF
    )

    with time_machine.travel(OPENS + dt.timedelta(minutes=10), tick=False):
        notify_reading_windows()

    # Both see it in the bell; only the main user (e-mail by default) gets an e-mail.
    assert len(notices()) == 2
    emails = list(OutboxEmail.objects.values_list("to", flat=True))
    assert emails == [[energia.user.email]]


def test_it_audits_each_notice_round(energia: Tenant, customers: dict[str, Any]) -> None:
    with time_machine.travel(OPENS + dt.timedelta(minutes=10), tick=False):
        notify_reading_windows()

    event = AuditEvent.objects.get(action="reading_window.notified")
    assert event.data == {"notice": "opening", "recipients": 2}


def test_it_reaches_the_customers_of_the_windows_company_only(
    energia: Tenant, release: Tenant, customers: dict[str, Any]
) -> None:
    with time_machine.travel(NOW, tick=False):
        notify_reading_windows()

    assert not Notification.objects.filter(company=release.company).exists()
    assert not Notification.objects.filter(
        recipient__in=[customers["electric_user"], customers["no_point_user"]]
    ).exists()
