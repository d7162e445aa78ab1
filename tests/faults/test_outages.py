"""Outages under the portal: SMTP, a Celery worker, Redis and PostgreSQL fail and come back.

Each test runs the real thing (gunicorn, Celery workers on Redis, PostgreSQL,
an SMTP server) on private instances of its own (see conftest.py), breaks one
of them and checks what a customer and an operator would notice: pages keep
answering or say "try again" in the company's colours, and every e-mail and
every record arrives once, none lost and none twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from celery import Celery
from django.utils import timezone
from tests.conftest import Tenant
from tests.factories import make_operator
from tests.faults.conftest import (
    PASSWORD,
    Browser,
    Portal,
    PrivateRedis,
    SmtpSink,
    Workers,
    login_code,
    set_real_password,
    wait_until,
)

from sportello.core.audit import Origin
from sportello.core.models import OutboxEmail
from sportello.servicedesk import services as desk
from sportello.servicedesk.models import RequestKind, RequestType

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

SEND_EMAIL = "sportello.core.tasks.send_outbox_email"
RUN_JOB = "sportello.core.tasks.run_periodic_job"
SEND_DUE_EMAILS = "core.jobs.send_due_emails"


@pytest.fixture
def broker(private_redis: PrivateRedis) -> Iterator[Celery]:
    """A producer on the private broker, as a web process has."""
    client = Celery("faults-producer", broker=private_redis.url(0))
    client.conf.broker_connection_retry_on_startup = True
    yield client
    client.close()


@pytest.fixture
def web_publishes(monkeypatch: pytest.MonkeyPatch, broker: Celery) -> None:
    """E-mails queued by this process go to the broker, as a web process's do
    (the test settings would send them in-process, with the test mailer)."""
    from sportello.core.tasks import send_outbox_email

    monkeypatch.setattr(
        send_outbox_email, "delay", lambda pk: broker.send_task(SEND_EMAIL, args=[pk])
    )


@pytest.fixture
def customer(release: Tenant) -> Tenant:
    """Release's customer user ``mrossi``, with a password the portal processes can check."""
    set_real_password(release.user)
    return release


def move_the_clock_past_every_retry() -> int:
    """As if the minutes of the retry delays (and of a dead sender's claim) had passed."""
    return OutboxEmail.objects.filter(sent_at__isnull=True).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def queue_is_drained(redis_url: str) -> bool:
    """Nothing waiting in the broker and nothing taken but not acknowledged."""
    import redis

    client = redis.Redis.from_url(redis_url)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def start_login(portal_url: str, tenant: Tenant) -> Browser:
    browser = Browser(portal_url, tenant.host)
    response = browser.post("/accesso/", {"login": tenant.user.login, "password": PASSWORD})
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"].endswith("/accesso/codice/")
    return browser


def finish_login(browser: Browser, code: str) -> None:
    response = browser.post("/accesso/codice/", {"code": code})
    assert response.status_code == 302, response.text[:500]
    assert browser.get("/").status_code == 200


def unsent() -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(sent_at__isnull=True))


def assert_each_sent_once(sink: SmtpSink) -> None:
    """Every outbox row was sent, and the sink got each Message-ID exactly once."""
    rows = list(OutboxEmail.objects.all())
    assert rows and all(row.sent_at for row in rows), [(r.pk, r.last_error) for r in rows]
    received = Counter(sink.message_ids())
    assert received == Counter(row.message_id for row in rows)


# ------------------------------------------------------------------- SMTP down


def test_it_delivers_every_email_once_after_smtp_was_down(
    customer: Tenant,
    smtp_sink: SmtpSink,
    portal: Portal,
    workers: Workers,
    broker: Celery,
    private_redis: PrivateRedis,
    web_publishes: None,
) -> None:
    smtp_sink.stop()
    workers.start("w1")
    workers.start("w2")
    url = portal.start()

    # A login code, a reset link and an operator's reply, all while SMTP is down.
    browser = start_login(url, customer)
    reset = Browser(url, customer.host).post(
        "/accesso/password-dimenticata/", {"identifier": customer.user.login}
    )
    assert reset.status_code in {200, 302}
    operator = make_operator(customer.company, permissions=["servicedesk.view_servicerequest"])
    origin = Origin(company=customer.company, user=customer.user, ip_address="127.0.0.1")
    request = desk.open_request(
        origin,
        customer.customer,
        RequestKind.FREE,
        message="Mi serve una copia del contratto.",
        request_type=RequestType.objects.create(
            company=customer.company, label_it="Copia", label_en="Copy"
        ),
    )
    desk.desk_reply(
        Origin(company=customer.company, user=operator, ip_address="127.0.0.1"),
        request,
        "Gliela mandiamo oggi.",
    )
    wait_until(
        lambda: (
            OutboxEmail.objects.count() >= 3 and not OutboxEmail.objects.filter(attempts=0).exists()
        ),
        30,
        "every queued e-mail to be tried once",
    )
    queued = OutboxEmail.objects.count()

    # Minutes of outage: every retry that comes due fails again, nothing is lost.
    for tries in range(2, 5):
        move_the_clock_past_every_retry()
        broker.send_task(RUN_JOB, args=[SEND_DUE_EMAILS])
        wait_until(
            lambda: not OutboxEmail.objects.filter(attempts__lt=tries).exists(),  # noqa: B023
            30,
            f"attempt {tries} of every e-mail",
        )
    assert not smtp_sink.messages
    assert all("Connection refused" in row.last_error for row in unsent())

    # SMTP is back. Two workers race over every row: the periodic job on
    # both, and each row's own task twice over.
    smtp_sink.start()
    move_the_clock_past_every_retry()
    for pk in OutboxEmail.objects.values_list("pk", flat=True):
        broker.send_task(SEND_EMAIL, args=[pk])
        broker.send_task(SEND_EMAIL, args=[pk])
    for _ in range(4):
        broker.send_task(RUN_JOB, args=[SEND_DUE_EMAILS])
    wait_until(lambda: not unsent(), 60, "every e-mail to be sent")
    wait_until(lambda: queue_is_drained(private_redis.url(0)), 60, "the workers to be idle")

    assert len(smtp_sink.messages) == queued
    assert_each_sent_once(smtp_sink)
    # The code that waited out the outage still logs the customer in.
    finish_login(browser, login_code(smtp_sink, customer.user.email))
