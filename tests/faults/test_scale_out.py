"""Two web processes that share nothing but PostgreSQL, Redis and the file storage.

Each gunicorn has its own port and its own local directory (as if on two
machines); the private files go to one S3 bucket (moto in server mode), the
cache to one Redis database, sessions, the lockout and the throttles' counters
to PostgreSQL. A person moving from one process to the other, as a load balancer
may send them, notices nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.faults.processes import (
    Browser,
    S3Server,
    Site,
    WebProcess,
    drop_database,
    flush_redis,
    query,
    s3_server,
    start_webs,
)

from sportello.demo.catalogue import DEMO_PASSWORD

pytestmark = pytest.mark.faults

HOST = "release.localhost"
REQUEST_CODE = re.compile(r"RIC-\d{4}-\d{6}")


@dataclass
class Fleet:
    """The site, its bucket and its two web processes, each with a local directory of its own."""

    site: Site
    bucket: S3Server
    first: WebProcess
    second: WebProcess


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, clamd_socket: Path) -> Iterator[Fleet]:
    logs = tmp_path_factory.mktemp("scale-out")
    flush_redis()
    with s3_server(logs) as bucket:
        # The demo's own files stay in the builder's directory: what is proven here
        # is what one process stores and the other reads.
        site = Site(
            "scaleout_faults_web",
            logs / "files-of-the-builder",
            {**bucket.settings(), "CLAMAV_SOCKET": str(clamd_socket), "CLAMAV_TCP": ""},
        )
        site.build_demo()
        webs: list[WebProcess] = []
        try:
            webs = start_webs(
                site,
                logs,
                {"PRIVATE_FILES_ROOT": str(logs / "files-of-first")},
                {"PRIVATE_FILES_ROOT": str(logs / "files-of-second")},
            )
            yield Fleet(site, bucket, *webs)
        finally:
            for web in webs:
                web.stop()
            drop_database(site.database)
            flush_redis()


def test_it_finishes_on_one_process_a_login_started_on_the_other(fleet: Fleet) -> None:
    browser = Browser(HOST)

    done = browser.log_in(fleet.site, fleet.first, fleet.second, "10001")

    assert done.status == 302, done.text()[:2000]
    for web in (fleet.first, fleet.second):
        home = browser.get(web, "/")
        assert home.status == 200
        assert "Paolo Colombo" in home.text()


def test_it_locks_on_one_process_an_account_that_failed_on_the_other(fleet: Fleet) -> None:
    browser = Browser(HOST, address="203.0.113.20")
    for web in (fleet.first, fleet.second, fleet.first):
        wrong = browser.post(web, "/accesso/", {"login": "10002", "password": "not-the-password"})
        assert wrong.status == 200

    # The right password, on the other process: locked all the same (the answer
    # looks like any failed login, and no code is e-mailed).
    since = fleet.site.last_outbox_id()
    right = browser.post(fleet.second, "/accesso/", {"login": "10002", "password": DEMO_PASSWORD})

    assert right.status == 200
    assert fleet.site.last_outbox_id() == since
    assert "accesso/codice" not in right.text()


def test_it_holds_on_one_process_a_throttle_counted_on_the_other(fleet: Fleet) -> None:
    browser = Browser(HOST, address="203.0.113.30")
    # Reset links: 5 an hour per account, counted in the shared database.
    for web in (fleet.first, fleet.second) * 2 + (fleet.first,):
        taken = browser.post(web, "/accesso/password-dimenticata/", {"identifier": "10003"})
        assert taken.status == 200

    refused = browser.post(fleet.second, "/accesso/password-dimenticata/", {"identifier": "10003"})

    assert refused.status == 429
    assert "Troppi tentativi" in refused.text()
    counted = query(
        fleet.site.database_url,
        "SELECT max(count) FROM accounts_throttlecounter WHERE key LIKE %s",
        "throttle:reset:%",
    )
    assert counted[0][0] >= 5, "the reset throttle is not counted in the shared database"


def test_it_downloads_from_one_process_what_was_uploaded_through_the_other(
    fleet: Fleet,
) -> None:
    browser = Browser(HOST, address="203.0.113.40")
    assert browser.log_in(fleet.site, fleet.second, fleet.first, "10001").status == 302
    requests = browser.get(fleet.first, "/richieste/")
    code = REQUEST_CODE.search(requests.text())
    assert code, "the customer has no request to reply to"
    reply = f"/richieste/{code.group()}/rispondi/"
    content = b"%PDF-1.4\n% ricevuta del bonifico, caricata sul primo processo\n%%EOF\n"

    sent = browser.post(
        fleet.first,
        reply,
        {"message": "Allego la ricevuta."},
        {"attachments": ("ricevuta.pdf", content, "application/pdf")},
        form_page=f"/richieste/{code.group()}/",
    )

    assert sent.status == 302, sent.text()[:3000]
    detail = browser.get(fleet.second, sent.location)
    links = re.findall(r'href="(/richieste/RIC-[^"]+/allegati/[0-9a-f-]+/)"', detail.text())
    downloads = [browser.get(fleet.second, link) for link in links]
    assert content in [download.body for download in downloads]
    stored = fleet.bucket.keys()
    assert content in stored.values(), "the upload is not in the shared bucket"
    for web in (fleet.first, fleet.second):
        assert not web.files.exists() or not any(web.files.rglob("*.pdf"))
