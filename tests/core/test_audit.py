"""The audit log records who did what, from where, and can never be rewritten."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import HttpRequest
from django.test import RequestFactory
from pytest_django import Settings
from tests.factories import BACK_OFFICE_HOST, Tenant, make_operator, operator_client

from sportello.core import audit
from sportello.core.http import client_ip
from sportello.core.models import AuditEvent


def request_from(tenant: Tenant, remote_addr: str = "203.0.113.7", **meta: str) -> HttpRequest:
    request = RequestFactory().post("/profilo/", REMOTE_ADDR=remote_addr, **meta)
    request.user = tenant.user
    request.company = tenant.company
    return request


def test_it_records_who_did_what_to_which_object_from_where(release: Tenant) -> None:
    event = audit.record(
        "contract.viewed", request=request_from(release), obj=release.customer, page=2
    )

    event.refresh_from_db()
    assert event.actor == release.user
    assert event.actor_label == "release/mrossi"
    assert event.action == "contract.viewed"
    assert event.company == release.company
    assert event.object_type == "customers.Customer"
    assert event.object_id == str(release.customer.pk)
    assert event.object_label == str(release.customer)
    assert event.ip_address == "203.0.113.7"
    assert event.data == {"page": 2}
    assert event.created_at is not None


def test_it_records_the_system_when_nobody_acted(release: Tenant) -> None:
    event = audit.record("import.finished", company=release.company, rows=12)

    assert event.actor is None
    assert event.actor_label == "system"
    assert event.ip_address is None
    assert event.company == release.company


def test_it_keeps_an_explicit_actor_and_company(release: Tenant, energia: Tenant) -> None:
    event = audit.record(
        "login", request=request_from(release), actor=energia.user, company=energia.company
    )

    assert event.actor == energia.user
    assert event.company == energia.company


def test_it_refuses_to_change_an_event(release: Tenant) -> None:
    event = audit.record("login", request=request_from(release))

    event.action = "nothing happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="nothing happened")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing happened")

    assert AuditEvent.objects.get().action == "login"


def test_it_refuses_to_delete_an_event(release: Tenant) -> None:
    event = audit.record("login", request=request_from(release))

    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.count() == 1


def test_it_ignores_a_forwarded_for_header_without_a_trusted_proxy(
    release: Tenant, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    request = request_from(release, "203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == "203.0.113.7"
    assert audit.record("login", request=request).ip_address == "203.0.113.7"


def test_it_takes_the_address_the_trusted_proxy_saw(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote the first entry itself; the proxy appended the real address.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7"
    )

    assert client_ip(request) == "203.0.113.7"


def test_it_counts_proxies_from_the_right(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 10.0.0.2"
    )

    assert client_ip(request) == "203.0.113.7"


def test_it_falls_back_to_the_socket_when_the_proxy_chain_is_short(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="")

    assert client_ip(request) == "10.0.0.3"


def test_it_shows_operators_each_events_time_with_its_zone(
    release: Tenant, settings: Settings
) -> None:
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, 56, tzinfo=dt.UTC), tick=False):
        audit.record("login", company=release.company, actor=release.user)
    operator = make_operator(release.company, permissions=["core.view_auditevent"])

    page = operator_client(operator).get("/admin/core/auditevent/").content.decode()

    # 01:56 UTC is 02:56 in Rome in winter; the column says which it is.
    assert "01/12/2026 02:56:00 CET" in page
    assert "(UTC)" not in page
