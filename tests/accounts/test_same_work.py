"""Reset and unlock do the same work in the request whoever the data name (item 2 of issue 7).

The request validates the form, counts the throttle and sends a task; the
task looks the account up and e-mails. Here the task is sent to a broker (a
mock), as in production, so the requests are compared as production runs them.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.accounts.login_steps import visible_page
from tests.factories import Tenant, make_contract

from sportello.accounts import tasks
from sportello.core.models import OutboxEmail

THROTTLE_KEY = re.compile(r"throttle:[a-z-]+:[0-9]+:[0-9a-f]{32}")


def queries_and_page(tenant: Tenant, url: str, data: dict[str, str], n: int) -> tuple[Any, ...]:
    client = tenant.client(REMOTE_ADDR=f"10.1.0.{n}")
    client.get(url)  # warm the company cache and the session, as a browser does
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    # The throttle's counters are rows keyed by a hash of the data: the same
    # query, with another key.
    return [THROTTLE_KEY.sub("throttle-key", query["sql"]) for query in queries.captured_queries], (
        response
    )


@pytest.fixture
def broker() -> Any:
    with (
        mock.patch.object(tasks.send_reset_link, "delay") as reset,
        mock.patch.object(tasks.send_unlock_link, "delay") as unlock,
    ):
        yield {"reset": reset, "unlock": unlock}


def test_it_runs_the_same_queries_for_a_known_and_an_unknown_reset(
    release: Tenant, broker: Any
) -> None:
    url = "/accesso/password-dimenticata/"
    known, known_page = queries_and_page(release, url, {"identifier": "mrossi"}, 1)
    unknown, unknown_page = queries_and_page(release, url, {"identifier": "nessuno"}, 2)

    assert known == unknown
    assert visible_page(known_page) == visible_page(unknown_page)
    assert broker["reset"].call_count == 2
    assert not OutboxEmail.objects.exists()  # the request itself e-mails nobody


def test_it_runs_the_same_queries_for_a_matching_and_a_mismatching_unlock(
    release: Tenant, broker: Any
) -> None:
    contract = make_contract(release.customer)
    data = {
        "contract_number": contract.number,
        "module_number": contract.module_number,
        "tax_id": release.customer.codice_fiscale,
    }
    url = "/accesso/sblocco/"
    matching, matching_page = queries_and_page(release, url, data, 1)
    mismatching, mismatching_page = queries_and_page(
        release, url, {**data, "module_number": "X999"}, 2
    )

    assert matching == mismatching
    assert visible_page(matching_page) == visible_page(mismatching_page)
    assert broker["unlock"].call_count == 2
    assert not OutboxEmail.objects.exists()


def test_it_e_mails_from_the_task_the_known_account_only(release: Tenant) -> None:
    common = {"company_id": release.company.pk, "ip_address": "10.1.0.1"}
    tasks.send_reset_link(request_id="a", identifier="nessuno", **common)
    assert not OutboxEmail.objects.exists()

    tasks.send_reset_link(request_id="b", identifier="mrossi", **common)
    # Run twice (a redelivery): one e-mail.
    tasks.send_reset_link(request_id="b", identifier="mrossi", **common)

    assert OutboxEmail.objects.get().to == [release.user.email]
