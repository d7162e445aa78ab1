"""Outages under the portal: SMTP, a Celery worker, Redis and PostgreSQL fail and come back.

Each test runs the real thing (gunicorn, Celery workers on Redis, PostgreSQL,
an SMTP server) on private instances of its own (see conftest.py), breaks one
of them and checks what a customer and an operator would notice: pages keep
answering or say "try again" in the company's colours, and every e-mail and
every record arrives once, none lost and none twice.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from celery import Celery
from django.db import connection, transaction
from django.utils import timezone
from tests.conftest import Tenant
from tests.factories import make_customer, make_invoice, make_operator, make_user, partita_iva
from tests.faults.conftest import (
    PASSWORD,
    Browser,
    Portal,
    PrivatePostgres,
    PrivateRedis,
    Processes,
    SmtpSink,
    Workers,
    faults_database_name,
    login_code,
    set_real_password,
    wait_until,
)

from sportello.accounts.models import ThrottleCounter
from sportello.billing.models import Invoice
from sportello.core.audit import Origin
from sportello.core.models import OutboxEmail, PeriodicJobRun
from sportello.core.outbox import queue_email
from sportello.customers.models import Customer
from sportello.notices.models import Notification
from sportello.servicedesk import services as desk
from sportello.servicedesk.models import RequestKind, RequestMessage, RequestType, ServiceRequest

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

SEND_EMAIL = "sportello.core.tasks.send_outbox_email"
RUN_JOB = "sportello.core.tasks.run_periodic_job"
SEND_DUE_EMAILS = "core.jobs.send_due_emails"
NOTIFY_INVOICES = "billing.jobs.notify_published_invoices"


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
    url = portal.start()
    workers.start("w1", "w2")

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


# ------------------------------------------------------- a worker killed


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return bool(cursor.fetchone()[0])


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
    customer: Tenant,
    smtp_sink: SmtpSink,
    workers: Workers,
    broker: Celery,
    private_postgres: PrivatePostgres,
    web_publishes: None,
) -> None:
    workers.start("w1")

    # Killed in the middle of a send: the SMTP server has the message but has
    # not said 250 yet when the worker dies.
    smtp_sink.hold()
    with transaction.atomic():
        held = queue_email(to=["cliente@example.test"], subject="Avviso", body_text="Ciao.")
    assert smtp_sink.held.wait(60), "the worker never reached the SMTP server"
    workers.kill("w1")
    smtp_sink.release()
    held.refresh_from_db()
    assert held.sent_at is None and held.next_attempt_at > timezone.now()  # claimed, unsent

    # Killed in the middle of a periodic job: the invoice notices stop at the
    # third invoice, which the test holds locked.
    invoices = [make_invoice(customer.customer, published_at=timezone.now()) for _ in range(4)]
    blocker = psycopg.connect(private_postgres.url(faults_database_name()))
    try:
        blocker.execute("SELECT 1 FROM billing_invoice WHERE id = %s FOR UPDATE", [invoices[2].pk])
        workers.start("w2")
        broker.send_task(RUN_JOB, args=[NOTIFY_INVOICES])
        wait_until(
            lambda: (
                Invoice.objects.filter(notified_at__isnull=False).count() == 2
                and waiting_on_a_lock()
            ),
            60,
            "the job to stop at the locked invoice",
        )
        workers.kill("w2")
    finally:
        blocker.close()

    # A new worker. The redelivered send finds the row still claimed; once the
    # claim has lapsed (the clock moved five minutes) the periodic job sends it.
    workers.start("w3")
    broker.send_task(SEND_EMAIL, args=[held.pk])
    broker.send_task(RUN_JOB, args=[NOTIFY_INVOICES])
    wait_until(
        lambda: not Invoice.objects.filter(notified_at__isnull=True).exists(),
        60,
        "every invoice to be notified",
    )
    move_the_clock_past_every_retry()
    broker.send_task(RUN_JOB, args=[SEND_DUE_EMAILS])
    broker.send_task(RUN_JOB, args=[NOTIFY_INVOICES])
    wait_until(lambda: not unsent(), 60, "every e-mail to be sent")
    wait_until(
        lambda: PeriodicJobRun.objects.filter(
            name=NOTIFY_INVOICES, last_finished_at__isnull=False
        ).exists(),
        60,
        "the invoice job to finish",
    )

    notices = Counter(Notification.objects.values_list("invoice_id", flat=True))
    assert notices == {invoice.pk: 1 for invoice in invoices}
    invoice_emails = OutboxEmail.objects.exclude(pk=held.pk)
    assert invoice_emails.count() == len(invoices)
    assert_each_sent_once(smtp_sink)


# ------------------------------------------------------------- Redis down


def timed(call: Callable[[], requests.Response]) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def address_failures() -> int:
    return sum(
        ThrottleCounter.objects.filter(key__startswith="throttle:login-address:").values_list(
            "count", flat=True
        )
    )


def test_the_portal_serves_and_logs_in_while_redis_is_down(
    customer: Tenant,
    smtp_sink: SmtpSink,
    portal: Portal,
    workers: Workers,
    broker: Celery,
    private_redis: PrivateRedis,
    manage: Callable[..., Any],
    processes: Processes,
    web_publishes: None,
) -> None:
    url = portal.start()
    workers.start("w1")
    browser = start_login(url, customer)
    smtp_sink.wait_for(1)
    finish_login(browser, login_code(smtp_sink, customer.user.email))
    neighbour = make_user(make_customer(customer.company), "vrossi")
    set_real_password(neighbour)
    guesser = Browser(url, customer.host)
    for _ in range(2):
        refused = guesser.post("/accesso/", {"login": "vrossi", "password": "non-e-questa-123"})
        assert refused.status_code == 200
    assert address_failures() == 2

    private_redis.stop()

    # Pages keep coming, each within a second or two (no connect timeout per call).
    slowest = 0.0
    for path in ["/", "/fatture-e-pagamenti/", "/richieste/", "/", "/notifiche/"]:
        response, seconds = timed(lambda: browser.get(path))  # noqa: B023
        assert response.status_code == 200, (path, response.status_code)
        slowest = max(slowest, seconds)
    page, seconds = timed(lambda: Browser(url, customer.host).get("/accesso/"))
    assert page.status_code == 200
    assert max(slowest, seconds) < 3, f"a page took {max(slowest, seconds):.1f}s without Redis"

    # The third wrong password locks the account, Redis or not.
    guesser.post("/accesso/", {"login": "vrossi", "password": "non-e-questa-123"})
    # A login from the start: the code waits in the outbox, and the periodic
    # job run by cron (it needs no Redis) sends it.
    late, seconds = timed(lambda: start_login(url, customer))
    assert seconds < 5, f"the login took {seconds:.1f}s with the broker down"
    reset, seconds = timed(
        lambda: Browser(url, customer.host).post(
            "/accesso/password-dimenticata/", {"identifier": customer.user.login}
        )
    )
    assert reset.status_code in {200, 302} and seconds < 5
    manage("runperiodic", "--job", SEND_DUE_EMAILS)
    finish_login(late, login_code(smtp_sink, customer.user.email))
    assert any("password" in str(m["Subject"]).lower() for m in smtp_sink.messages[1:])

    # Redis is back, empty. Nothing a person relies on was in it.
    sends_before = processes.log("w1").count(f"Task {SEND_EMAIL}[")
    private_redis.start()
    assert browser.get("/").status_code == 200  # the session is in the database
    locked = guesser.post("/accesso/", {"login": "vrossi", "password": PASSWORD})
    assert locked.status_code == 200, "the locked account logged in after Redis restarted"
    assert address_failures() == 4  # the throttle counted on, from where it was
    # The worker is back on the broker: what is queued now goes out through it.
    with transaction.atomic():
        queue_email(to=["dopo@example.test"], subject="Dopo", body_text="Redis è tornato.")
    broker.send_task(RUN_JOB, args=[SEND_DUE_EMAILS])
    wait_until(lambda: not unsent(), 60, "the outbox to empty through the worker")
    assert_each_sent_once(smtp_sink)
    assert processes.log("w1").count(f"Task {SEND_EMAIL}[") > sends_before


# --------------------------------------------------------- PostgreSQL restarted


IMPORT_ROWS = 30_000


def customers_feed(path: Path) -> Path:
    lines = ["code;kind;name;codice_fiscale;partita_iva;address;postcode;city;province;email"]
    lines += [
        f"IMP{n:06d};legal;Impresa {n} S.r.l.;;{partita_iva(f'{1_000_000 + n:07d}001')};Via Roma {n};20121;"
        "Milano;MI;"
        for n in range(IMPORT_ROWS)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def import_in_progress() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'faults-import'"
            " AND xact_start IS NOT NULL AND now() - xact_start > interval '200 milliseconds'"
        )
        return bool(cursor.fetchone()[0])


class Load:
    """Customers on the portal, one thread each, until stopped: every answer is kept."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, requests.Response | Exception]] = []
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def run(self, name: str, step: Callable[[int], requests.Response]) -> None:
        def loop() -> None:
            n = 0
            while not self.stopping.is_set():
                n += 1
                try:
                    self.answers.append((f"{name}-{n}", step(n)))
                except Exception as exc:  # kept, and the test fails on it
                    self.answers.append((f"{name}-{n}", exc))

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(90)

    def statuses(self) -> Counter[int]:
        return Counter(
            answer.status_code
            for _, answer in self.answers
            if isinstance(answer, requests.Response)
        )


def test_a_postgresql_restart_gives_the_branded_page_then_recovers_with_nothing_half_written(
    customer: Tenant,
    portal: Portal,
    processes: Processes,
    private_postgres: PrivatePostgres,
    server_env: dict[str, str],
    tmp_path: Path,
) -> None:
    request_type = RequestType.objects.create(
        company=customer.company, label_it="Copia", label_en="Copy"
    )
    url = portal.start()
    session = customer.logged_in_client().cookies["sessionid"].value
    reader, writer = Browser(url, customer.host), Browser(url, customer.host)
    for person in (reader, writer):
        person.session.cookies.set("sessionid", session)
    assert reader.get("/").status_code == 200
    booted = processes.log("portal").count("Booting worker")

    load = Load()
    load.run("home", lambda n: reader.get("/"))
    load.run("login-page", lambda n: Browser(url, customer.host).get("/accesso/"))

    def submit_request(n: int) -> requests.Response:
        form = writer.get("/richieste/nuova/altre/")
        if form.status_code != 200:
            return form
        return writer.post(
            "/richieste/nuova/altre/",
            {"request_type": str(request_type.pk), "message": f"Richiesta di carico n. {n}"},
            page=form,
        )

    load.run("request", submit_request)
    importer = processes.spawn(
        "import",
        [
            sys.executable,
            "manage.py",
            "import",
            "customers",
            str(customers_feed(tmp_path / "clienti.csv")),
            "--company",
            customer.company.slug,
        ],
        env={"PGAPPNAME": "faults-import"},
    )
    try:
        wait_until(import_in_progress, 60, "the import to be writing")
        connection.close()
        private_postgres.stop()
        wait_until(lambda: load.statuses()[503] >= 3, 30, "requests to meet the outage")
        private_postgres.start()
        wait_until(lambda: reader.get("/").status_code == 200, 30, "the portal to answer again")
        settled = len(load.answers)
        wait_until(lambda: len(load.answers) > settled + 6, 30, "more requests after the restart")
    finally:
        load.stop()
    assert importer.wait(60) != 0, "the import should have failed with its connection"
    assert "Rifiutata" not in processes.log("import"), processes.log("import")[-2000:]

    # Requests in the gap got the company's error page, never a stack trace.
    statuses = load.statuses()
    assert set(statuses) <= {200, 302, 503}, (statuses, load.answers[-3:])
    for _name, answer in load.answers:
        assert isinstance(answer, requests.Response), answer
        if answer.status_code == 503:
            assert int(answer.headers["Retry-After"]) > 0
            assert "Release S.p.A." in answer.text and "Si è verificato un errore" in answer.text
            assert "Traceback" not in answer.text and "OperationalError" not in answer.text
    # The service recovered by itself: the same gunicorn workers, no restart.
    assert processes.log("portal").count("Booting worker") == booted
    assert statuses[200] > 0

    # Nothing half-written: every request saved has its message, none twice,
    # and every one the customer was told about exists.
    connection.close()
    saved = Counter(
        RequestMessage.objects.filter(request__customer=customer.customer).values_list(
            "body", flat=True
        )
    )
    assert all(count == 1 for count in saved.values()), saved
    assert ServiceRequest.objects.count() == len(saved)
    confirmed = [
        name
        for name, answer in load.answers
        if name.startswith("request") and answer.status_code == 302  # type: ignore[union-attr]
    ]
    for name in confirmed:
        assert f"Richiesta di carico n. {name.split('-')[1]}" in saved
    # The import was rolled back whole; run again, it loads every row.
    assert not Customer.objects.filter(code__startswith="IMP").exists()
    processes.spawn(
        "import-again",
        [
            sys.executable,
            "manage.py",
            "import",
            "customers",
            str(tmp_path / "clienti.csv"),
            "--company",
            customer.company.slug,
        ],
    )
    assert processes.started["import-again"].wait(120) == 0, processes.log("import-again")
    assert Customer.objects.filter(code__startswith="IMP").count() == IMPORT_ROWS
