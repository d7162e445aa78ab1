"""Request codes: RIC-<year>-<number>, numbered per company and year."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from tests.factories import Tenant, make_customer

from sportello.servicedesk.models import RequestKind, ServiceRequest
from sportello.servicedesk.services import next_request_code


def test_it_numbers_the_requests_of_a_company_in_order(release: Tenant) -> None:
    codes = [next_request_code(release.company, 2026) for _ in range(3)]

    assert codes == ["RIC-2026-000001", "RIC-2026-000002", "RIC-2026-000003"]


def test_it_starts_again_each_year_and_for_each_company(release: Tenant, energia: Tenant) -> None:
    next_request_code(release.company, 2026)

    assert next_request_code(release.company, 2027) == "RIC-2027-000001"
    assert next_request_code(energia.company, 2026) == "RIC-2026-000001"
    assert next_request_code(release.company, 2026) == "RIC-2026-000002"


def test_it_gives_the_number_back_when_the_request_is_not_saved(release: Tenant) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        next_request_code(release.company, 2026)
        raise RuntimeError("the request failed")

    assert next_request_code(release.company, 2026) == "RIC-2026-000001"


def test_it_lets_two_companies_use_the_same_code_but_not_one_twice(
    release: Tenant, energia: Tenant
) -> None:
    def open_request(tenant: Tenant) -> ServiceRequest:
        return ServiceRequest.objects.create(
            company=tenant.company,
            customer=make_customer(tenant.company),
            code="RIC-2026-000001",
            kind=RequestKind.FREE,
            title="Richiesta",
            last_activity_at="2026-01-02T10:00:00Z",
        )

    open_request(release)
    open_request(energia)
    with pytest.raises(IntegrityError), transaction.atomic():
        open_request(release)


@pytest.mark.django_db(transaction=True)
def test_it_never_gives_two_concurrent_requests_the_same_code(release: Tenant) -> None:
    if connection.vendor != "postgresql":
        # SQLite lets one writer at a time: there is no race to lose. CI runs
        # the suite on PostgreSQL too, where this test runs.
        pytest.skip("concurrent writers need PostgreSQL")
    start = threading.Barrier(4)
    codes: list[str] = []

    def open_requests() -> None:
        try:
            start.wait()
            for _ in range(10):
                codes.append(next_request_code(release.company, 2026))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_requests) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [f"RIC-2026-{n:06d}" for n in range(1, 41)]
