"""Reading requests, changes and readings back: the key's company only, a stable
cursor order, ``updated_since``, fixed query counts; readings acknowledged once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.factories import Tenant, make_contract, make_supply_point

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.energy.models import MeterReading, ReadingStatus
from sportello.integration.models import ApiKey
from sportello.servicedesk.models import RequestKind, RequestMessage, ServiceRequest

from .api_support import (
    acquired_reading,
    key_client,
    post,
)

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def make_request(tenant: Tenant, n: int, kind: str = RequestKind.FREE, **fields: Any) -> Any:
    found = ServiceRequest.objects.create(
        company=tenant.company,
        customer=tenant.customer,
        author=tenant.user,
        code=f"RIC-2026-{n:05d}",
        kind=kind,
        title=f"Richiesta {n}",
        last_activity_at=fields.pop("at", T0 + dt.timedelta(minutes=n)),
        **fields,
    )
    RequestMessage.objects.create(request=found, author=tenant.user, body=f"Messaggio {n}")
    return found


def every_page(client: Client, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        body = client.get(path, query).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_it_lists_requests_with_their_messages(release: Tenant, api: Client) -> None:
    make_request(release, 1)
    body = api.get("/api/v1/requests").json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert item["code"] == "RIC-2026-00001"
    assert item["customer_code"] == release.customer.code
    assert [m["body"] for m in item["messages"]] == ["Messaggio 1"]


def test_it_pages_with_a_stable_complete_cursor(release: Tenant, api: Client) -> None:
    # Three share a timestamp: the id breaks the tie, so none is lost or repeated.
    for n in range(1, 8):
        make_request(release, n, at=T0 if n <= 3 else T0 + dt.timedelta(minutes=n))
    codes = [item["code"] for item in every_page(api, "/api/v1/requests", limit=2)]
    assert codes == [f"RIC-2026-{n:05d}" for n in range(1, 8)]


def test_it_filters_by_updated_since(release: Tenant, api: Client) -> None:
    for n in range(1, 4):
        make_request(release, n)
    since = (T0 + dt.timedelta(minutes=2)).isoformat()
    items = api.get("/api/v1/requests", {"updated_since": since}).json()["items"]
    assert [item["code"] for item in items] == ["RIC-2026-00002", "RIC-2026-00003"]


@pytest.mark.parametrize(
    ("since", "status"),
    [
        # Found by schemathesis: PostgreSQL takes no offset beyond ±15:59.
        ("0407-11-24T22:52:13.87944+18:51", 200),
        ("0001-01-01T00:00:00+18:00", 422),
    ],
)
def test_it_takes_any_offset_and_refuses_a_moment_out_of_range(
    release: Tenant, api: Client, since: str, status: int
) -> None:
    make_request(release, 1)
    response = api.get("/api/v1/requests", {"updated_since": since})
    assert response.status_code == status
    if status == 200:
        assert [item["code"] for item in response.json()["items"]] == ["RIC-2026-00001"]


def test_it_lists_iban_and_address_changes_with_their_payload(release: Tenant, api: Client) -> None:
    contract = make_contract(release.customer)
    iban = {
        "current_iban": "IT60X0542811101000000123456",
        "new_iban": "IT02L1234512345123456789012",
    }
    make_request(
        release,
        1,
        RequestKind.IBAN_CHANGE,
        contract=contract,
        payload=iban | {"foreign": False, "effective_from": "2026-04-01"},
    )
    make_request(
        release,
        2,
        RequestKind.ADDRESS_CHANGE,
        payload={
            "current_address": "Via A 1",
            "new_address": "Via B 2",
            "effective_from": "2026-04-01",
        },
    )
    make_request(release, 3)
    [change] = api.get("/api/v1/iban-changes").json()["items"]
    assert change["new_iban"] == iban["new_iban"]
    assert change["contract_number"] == contract.number
    [moved] = api.get("/api/v1/address-changes").json()["items"]
    assert (moved["code"], moved["new_address"]) == ("RIC-2026-00002", "Via B 2")


def test_it_lists_contact_changes_from_the_audit_log(release: Tenant, api: Client) -> None:
    audit.record(
        "customer.contacts_changed",
        origin=Origin(release.company, release.user),
        obj=release.customer,
        fields=["phone"],
        old={"phone": "06 1"},
        new={"phone": "06 2"},
    )
    audit.record("login", actor=release.user, company=release.company, obj=release.customer)
    [change] = api.get("/api/v1/contact-changes").json()["items"]
    assert change["customer_code"] == release.customer.code
    assert (change["old"], change["new"]) == ({"phone": "06 1"}, {"phone": "06 2"})


def test_it_shows_nothing_of_another_company(
    release: Tenant, energia: Tenant, energia_key: tuple[ApiKey, str]
) -> None:
    make_request(release, 1, RequestKind.IBAN_CHANGE)
    make_request(release, 2, RequestKind.ADDRESS_CHANGE)
    reading = acquired_reading(release, 1)
    audit.record(
        "customer.contacts_changed", company=release.company, obj=release.customer, fields=[]
    )
    rival = key_client(energia, energia_key[1])
    for path in ("requests", "iban-changes", "address-changes", "contact-changes", "readings"):
        assert rival.get(f"/api/v1/{path}").json()["items"] == [], path
    response = post(rival, "/api/v1/readings/acknowledge", {"ids": [reading.pk]})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    reading.refresh_from_db()
    assert reading.exported_at is None


def test_it_lists_acquired_readings_not_yet_exported(release: Tenant, api: Client) -> None:
    point = make_supply_point(release.customer)
    first = acquired_reading(release, 1, T0, point)
    second = acquired_reading(release, 2, T0 + dt.timedelta(minutes=1), point)
    MeterReading.objects.create(supply_point=point, reading_date=dt.date(2026, 1, 3), meter_value=9)
    items = api.get("/api/v1/readings").json()["items"]
    assert [item["id"] for item in items] == [first.pk, second.pk]
    assert items[0]["supply_point_code"] == point.code


def test_it_acknowledges_readings_once(release: Tenant, api: Client) -> None:
    first, second = acquired_reading(release, 1, T0), acquired_reading(release, 2, T0)
    response = post(api, "/api/v1/readings/acknowledge", {"ids": [first.pk]}, key="a")
    assert response.json() == {"acknowledged": [first.pk], "already_exported": []}
    first.refresh_from_db()
    exported_at = first.exported_at
    assert exported_at is not None
    assert [i["id"] for i in api.get("/api/v1/readings").json()["items"]] == [second.pk]
    everything = api.get("/api/v1/readings", {"include_exported": "true"}).json()["items"]
    assert [i["id"] for i in everything] == [first.pk, second.pk]
    again = post(api, "/api/v1/readings/acknowledge", {"ids": [first.pk, second.pk]}, key="b")
    assert again.json() == {"acknowledged": [second.pk], "already_exported": [first.pk]}
    first.refresh_from_db()
    assert first.exported_at == exported_at


def test_it_refuses_to_acknowledge_a_pending_reading(release: Tenant, api: Client) -> None:
    point = make_supply_point(release.customer)
    pending = MeterReading.objects.create(
        supply_point=point, reading_date=dt.date(2026, 1, 3), meter_value=9
    )
    assert pending.status == ReadingStatus.PENDING
    response = post(api, "/api/v1/readings/acknowledge", {"ids": [pending.pk]})
    assert response.status_code == 404
    assert response.json()["missing"] == [pending.pk]


LISTS = ["requests", "iban-changes", "address-changes", "contact-changes", "readings"]


@pytest.mark.parametrize("path", LISTS)
def test_it_reads_a_list_in_fixed_queries(
    release: Tenant, api: Client, release_key: tuple[ApiKey, str], path: str
) -> None:
    def fill(count: int) -> None:
        for _ in range(count):
            n = ServiceRequest.objects.count() + 1
            for kind in (RequestKind.FREE, RequestKind.IBAN_CHANGE, RequestKind.ADDRESS_CHANGE):
                make_request(release, n, kind, contract=make_contract(release.customer))
                n += 100
            acquired_reading(release, 1 + MeterReading.objects.count() % 28)
            audit.record("customer.contacts_changed", company=release.company, obj=release.customer)

    def queries() -> int:
        api.get(f"/api/v1/{path}")  # the key's last use is written once a minute
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"/api/v1/{path}").status_code == 200
        return len(captured)

    fill(1)
    one = queries()
    fill(4)
    assert queries() == one
    assert one <= 3


def test_it_reads_one_request_and_one_reading_of_its_company_only(
    release: Tenant, energia: Tenant, api: Client, energia_key: tuple[ApiKey, str]
) -> None:
    make_request(release, 1)
    reading = acquired_reading(release, 1)
    assert api.get("/api/v1/requests/RIC-2026-00001").json()["messages"][0]["body"]
    assert api.get(f"/api/v1/readings/{reading.pk}").json()["id"] == reading.pk
    rival = key_client(energia, energia_key[1])
    for path in ("requests/RIC-2026-00001", f"readings/{reading.pk}"):
        response = rival.get(f"/api/v1/{path}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
