"""The daily digest: at 07:00 Rome, grouped by category, never twice, never empty."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests.factories import Tenant
from tests.notices.helpers import broadcast, choose, desk_answers, open_request

from sportello.core.models import OutboxEmail
from sportello.notices import digest
from sportello.notices.models import (
    Category,
    Channel,
    DigestCursor,
    Notification,
    NotificationRead,
)

ROME = ZoneInfo("Europe/Rome")


def rome(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ROME)


@pytest.fixture
def joined_long_ago(release: Tenant) -> Tenant:
    release.user.date_joined = rome(2026, 1, 1, 9, 0)
    release.user.save()
    return release


def test_it_sends_one_digest_grouped_by_category_and_never_repeats_it(
    joined_long_ago: Tenant,
) -> None:
    release = joined_long_ago
    choose(release.user, Category.REQUESTS, Channel.DIGEST)
    with time_machine.travel(rome(2026, 5, 4, 15, 0), tick=False):
        broadcast(release, "Uffici chiusi")
        broadcast(release, "Nuova app")
        request = open_request(release)
        OutboxEmail.objects.all().delete()
        desk_answers(release, request)
    assert not OutboxEmail.objects.exists()  # the answer waits for the digest

    with time_machine.travel(rome(2026, 5, 5, 7, 0), tick=False):
        assert digest.send_digests() == 1
        assert digest.send_digests() == 0  # safe to run twice

    mail = OutboxEmail.objects.get()
    assert mail.to == [release.user.email]
    assert mail.subject == "Release S.p.A. – riepilogo delle notifiche del 05/05/2026"
    text = mail.body_text
    requests_at = text.index("Risposte alle richieste")
    broadcasts_at = text.index("Comunicazioni della società")
    assert requests_at < text.index(request.code) < broadcasts_at
    assert broadcasts_at < text.index("Release S.p.A. – Uffici chiusi")
    assert f"Apri la richiesta {request.code}" in text
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The next morning: nothing new, nothing sent.
    with time_machine.travel(rome(2026, 5, 6, 7, 5), tick=False):
        assert digest.send_digests() == 0
    assert OutboxEmail.objects.count() == 1
    # What arrived after the cut goes in the following digest, and only that.
    with time_machine.travel(rome(2026, 5, 6, 18, 0), tick=False):
        broadcast(release, "Manutenzione del portale")
    with time_machine.travel(rome(2026, 5, 7, 7, 1), tick=False):
        assert digest.send_digests() == 1
    latest = OutboxEmail.objects.order_by("-pk").first()
    assert latest is not None
    assert "Manutenzione del portale" in latest.body_text
    assert "Uffici chiusi" not in latest.body_text


def test_it_sends_nothing_when_there_is_nothing_new(joined_long_ago: Tenant) -> None:
    with time_machine.travel(rome(2026, 5, 5, 7, 0), tick=False):
        assert digest.send_digests() == 0

    assert not OutboxEmail.objects.exists()
    # The day is covered all the same: tomorrow starts from this morning.
    assert DigestCursor.objects.get(user=joined_long_ago.user).sent_until == rome(2026, 5, 5, 7, 0)


def test_it_leaves_out_what_the_user_already_read_and_what_goes_by_email(
    joined_long_ago: Tenant,
) -> None:
    release = joined_long_ago
    choose(release.user, Category.DOCUMENTS, Channel.EMAIL)
    with time_machine.travel(rome(2026, 5, 4, 15, 0), tick=False):
        read = broadcast(release, "Già letta")
        NotificationRead.objects.create(notification=read, user=release.user)
        broadcast(release, "Nuova fattura", category=Category.DOCUMENTS)
        broadcast(release, "Da leggere")

    with time_machine.travel(rome(2026, 5, 5, 7, 0), tick=False):
        digest.send_digests()

    text = OutboxEmail.objects.get().body_text
    assert "Da leggere" in text
    assert "Già letta" not in text
    assert "Nuova fattura" not in text


def test_it_leaves_out_broadcasts_for_segments_the_user_is_not_in(
    joined_long_ago: Tenant,
) -> None:
    with time_machine.travel(rome(2026, 5, 4, 15, 0), tick=False):
        broadcast(joined_long_ago, "Solo Roma", audience="province:RM")  # the customer is in MI

    with time_machine.travel(rome(2026, 5, 5, 7, 0), tick=False):
        assert digest.send_digests() == 0


def test_it_waits_for_seven_before_sending(joined_long_ago: Tenant) -> None:
    with time_machine.travel(rome(2026, 5, 4, 15, 0), tick=False):
        broadcast(joined_long_ago, "Uffici chiusi")

    with time_machine.travel(rome(2026, 5, 5, 6, 59), tick=False):
        assert digest.send_digests() == 0
    with time_machine.travel(rome(2026, 5, 5, 7, 0), tick=False):
        assert digest.send_digests() == 1


@pytest.mark.parametrize(
    ("day_before", "day"),
    [
        # Winter to summer time: 07:00 Rome is 06:00 UTC, then 05:00 UTC.
        ((2026, 3, 28), (2026, 3, 29)),
        # Summer to winter time: 05:00 UTC, then 06:00 UTC.
        ((2026, 10, 24), (2026, 10, 25)),
    ],
)
def test_it_sends_at_seven_in_rome_across_a_dst_change(
    joined_long_ago: Tenant, day_before: tuple[int, int, int], day: tuple[int, int, int]
) -> None:
    release = joined_long_ago
    with time_machine.travel(rome(*day_before, 7, 0), tick=False):
        digest.send_digests()  # the cursor is at 07:00 of the day before
    with time_machine.travel(rome(*day_before, 20, 0), tick=False):
        broadcast(release, "Uffici chiusi")

    seven = rome(*day, 7, 0)
    with time_machine.travel(seven - dt.timedelta(minutes=1), tick=False):
        assert digest.send_digests() == 0
    with time_machine.travel(seven, tick=False):
        assert digest.send_digests() == 1
        assert digest.send_digests() == 0
    assert DigestCursor.objects.get(user=release.user).sent_until == seven
    assert seven.astimezone(dt.UTC).hour == (5 if day[1] == 3 else 6)


def test_it_computes_the_cut_as_the_last_seven_in_rome() -> None:
    assert digest.digest_cut(rome(2026, 3, 29, 6, 30)) == rome(2026, 3, 28, 7, 0)
    assert digest.digest_cut(rome(2026, 3, 29, 7, 30)) == rome(2026, 3, 29, 7, 0)
    assert digest.digest_cut(rome(2026, 10, 25, 23, 59)) == rome(2026, 10, 25, 7, 0)


def test_it_covers_the_days_a_missed_run_left_out_in_one_digest(
    joined_long_ago: Tenant,
) -> None:
    release = joined_long_ago
    with time_machine.travel(rome(2026, 5, 4, 7, 0), tick=False):
        digest.send_digests()
    with time_machine.travel(rome(2026, 5, 4, 12, 0), tick=False):
        broadcast(release, "Lunedì")
    with time_machine.travel(rome(2026, 5, 5, 12, 0), tick=False):
        broadcast(release, "Martedì")

    with time_machine.travel(rome(2026, 5, 6, 9, 0), tick=False):
        assert digest.send_digests() == 1

    text = OutboxEmail.objects.get().body_text
    assert "Lunedì" in text and "Martedì" in text


def test_it_runs_in_a_fixed_number_of_queries_when_everybody_had_theirs(
    joined_long_ago: Tenant, django_assert_num_queries: object
) -> None:
    with time_machine.travel(rome(2026, 5, 5, 7, 0), tick=False):
        digest.send_digests()
        with django_assert_num_queries(1):  # type: ignore[operator]
            assert digest.send_digests() == 0
    assert Notification.objects.count() == 0
