"""Every e-mail leaves through the outbox: once, after commit, retried when SMTP fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import translation
from tests.factories import Tenant

from sportello.core import outbox, periodic, tasks
from sportello.core.models import OutboxEmail

START = dt.datetime(2024, 4, 30, 8, 0, tzinfo=dt.UTC)
SEND_DUE_EMAILS = "core.jobs.send_due_emails"
DASH = "\u2013"

type CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


class FlakySmtp:
    """Makes the e-mail backend fail the next ``failures`` times, then work again."""

    def __init__(self) -> None:
        self.failures = 0
        self.calls = 0
        self._send = EmailBackend.send_messages

    def __call__(self, backend: EmailBackend, messages: Any) -> int:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return self._send(backend, messages)


@pytest.fixture
def smtp() -> Iterator[FlakySmtp]:
    flaky = FlakySmtp()
    with mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=flaky):
        yield flaky


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


def queue(tenant: Tenant | None = None, subject: str = "La tua fattura") -> OutboxEmail:
    return outbox.queue_email(
        to=["mario.rossi@example.test"],
        subject=subject,
        body_text="È disponibile una nuova fattura.",
        body_html="<p>È disponibile una nuova fattura.</p>",
        company=tenant.company if tenant else None,
    )


def test_it_writes_nothing_and_sends_nothing_when_the_transaction_rolls_back(
    db: None, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        queue()
        1 / 0  # noqa: B018

    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_it_sends_nothing_before_the_commit(
    db: None, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue()
        assert mail.outbox == []

    assert len(mail.outbox) == 1


def test_it_sends_one_e_mail_after_the_commit(
    release: Tenant, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(release)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mario.rossi@example.test"]
    assert message.subject == "La tua fattura"
    assert message.body == "È disponibile una nuova fattura."
    assert message.alternatives[0][1] == "text/html"
    # The company's name is the sender's, replies go to its support address.
    assert message.from_email.startswith('"Release S.p.A." <')
    assert message.reply_to == ["assistenza@release.test"]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.status == "inviata"


def test_it_keeps_the_change_and_the_e_mail_when_the_broker_is_down(
    db: None, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    broker_down = OSError(111, "Connection refused")
    with (
        mock.patch.object(tasks.send_outbox_email, "delay", side_effect=broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = queue()

    assert mail.outbox == []
    periodic.run_job(SEND_DUE_EMAILS)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None


def test_it_uses_the_row_as_message_id(
    db: None, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()

    assert mail.outbox[0].extra_headers["Message-ID"] == f"<outbox-{email.pk}@sportello>"
    assert email.message_id in mail.outbox[0].message().as_string()


def test_it_sends_a_row_once_however_often_it_is_delivered(db: None) -> None:
    email = queue()

    assert outbox.deliver(email.pk) is True
    assert outbox.deliver(email.pk) is False
    assert outbox.deliver_due() == 0

    assert len(mail.outbox) == 1


def test_it_retries_after_a_failure_when_the_backoff_has_passed(
    db: None, smtp: FlakySmtp, clock: time_machine.TimeMachineFixture
) -> None:
    smtp.failures = 1
    email = queue()

    assert outbox.deliver(email.pk) is False

    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "Connection refused" in email.last_error
    assert email.status == "in attesa"
    assert email.next_attempt_at == START + dt.timedelta(minutes=1)
    assert mail.outbox == []

    clock.shift(dt.timedelta(seconds=59))
    periodic.run_job(SEND_DUE_EMAILS)
    assert mail.outbox == []

    clock.shift(dt.timedelta(seconds=1))
    periodic.run_job(SEND_DUE_EMAILS)
    assert len(mail.outbox) == 1

    clock.shift(dt.timedelta(hours=1))
    periodic.run_job(SEND_DUE_EMAILS)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at == START + dt.timedelta(minutes=1)
    assert email.attempts == 2
    assert email.last_error == ""


def test_it_waits_longer_after_each_failure(
    db: None, smtp: FlakySmtp, clock: time_machine.TimeMachineFixture
) -> None:
    smtp.failures = 3
    email = queue()
    waits = []
    for _ in range(3):
        before = dt.datetime.now(dt.UTC)
        outbox.deliver_due()
        email.refresh_from_db()
        assert email.next_attempt_at is not None
        waits.append(email.next_attempt_at - before)
        clock.move_to(email.next_attempt_at, tick=False)

    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    assert outbox.deliver_due() == 1


def test_it_gives_up_after_the_last_attempt(
    db: None, smtp: FlakySmtp, clock: time_machine.TimeMachineFixture
) -> None:
    smtp.failures = 1000
    email = queue()

    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_due()
        clock.shift(dt.timedelta(hours=1))

    email.refresh_from_db()
    assert email.attempts == outbox.MAX_ATTEMPTS
    assert email.next_attempt_at is None
    assert email.sent_at is None
    assert email.status == "fallita"

    smtp.failures = 0
    clock.shift(dt.timedelta(days=7))
    assert outbox.deliver_due() == 0
    assert smtp.calls == outbox.MAX_ATTEMPTS
    assert mail.outbox == []


def test_it_does_not_send_a_row_another_sender_holds(
    db: None, clock: time_machine.TimeMachineFixture
) -> None:
    email = queue()
    # Another worker claimed the row and is sending it right now.
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=START + outbox.CLAIM_LEASE)

    assert outbox.deliver_due() == 0
    assert mail.outbox == []


def test_it_renders_a_templated_e_mail_for_its_recipient(
    release: Tenant, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox.queue_templated_email(
            "test",
            to=["assistenza@release.test"],
            context={"operator": "operatore1"},
            company=release.company,
        )

    assert email.subject == f"Release S.p.A. {DASH} e-mail di prova"
    assert "Richiesta da: operatore1" in email.body_text
    assert "https://release.test/" in email.body_text
    assert 'lang="it"' in email.body_html
    assert "Release S.p.A." in email.body_html
    assert len(mail.outbox) == 1


def test_it_renders_a_templated_e_mail_in_the_recipients_language(release: Tenant) -> None:
    email = outbox.queue_templated_email(
        "test",
        to=["assistenza@release.test"],
        context={"operator": "operatore1"},
        company=release.company,
        language="en",
    )

    assert email.subject == f"Release S.p.A. {DASH} test e-mail"
    assert "Requested by: operatore1" in email.body_text
    assert "Requested by: operatore1" in email.body_html
    assert 'lang="en"' in email.body_html
    # The person who caused the e-mail keeps reading the portal in their own language.
    assert translation.get_language() == "it"


def test_it_drops_the_e_mails_queued_inside_dropped(
    db: None, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with outbox.dropped():
            queue(subject="Richiesta ricevuta")
        queue(subject="La tua fattura")

    assert list(OutboxEmail.objects.values_list("subject", flat=True)) == ["La tua fattura"]
    assert len(callbacks) == 1
    assert [message.subject for message in mail.outbox] == ["La tua fattura"]
