"""The audit log is kept at least 24 months, then a daily job deletes older events."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings
from tests.core.test_settings import manage
from tests.factories import Tenant

from sportello.core import audit, periodic
from sportello.core.models import AuditEvent

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def event_at(when: dt.datetime, tenant: Tenant) -> AuditEvent:
    with time_machine.travel(when, tick=False):
        return audit.record("login", actor=tenant.user, company=tenant.company)


def test_it_deletes_only_the_events_older_than_24_months(release: Tenant) -> None:
    expired = event_at(dt.datetime(2024, 3, 30, 23, 59, tzinfo=dt.UTC), release)
    kept = event_at(dt.datetime(2024, 3, 31, 12, 0, tzinfo=dt.UTC), release)
    recent = event_at(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), release)

    deleted = audit.purge_expired(NOW)

    assert deleted == 1
    assert set(AuditEvent.objects.all()) == {kept, recent}
    assert not AuditEvent.objects.filter(pk=expired.pk).exists()


def test_it_keeps_longer_when_the_setting_says_so(release: Tenant, settings: Settings) -> None:
    settings.AUDIT_RETENTION_MONTHS = 120
    event_at(dt.datetime(2018, 1, 1, tzinfo=dt.UTC), release)

    assert audit.purge_expired(NOW) == 0


def test_it_counts_calendar_months_at_the_end_of_a_month(settings: Settings) -> None:
    settings.AUDIT_RETENTION_MONTHS = 25

    assert audit.retention_cutoff(NOW) == dt.datetime(2024, 2, 29, 12, 0, tzinfo=dt.UTC)


def test_it_refuses_a_retention_shorter_than_24_months(db: None, settings: Settings) -> None:
    settings.AUDIT_RETENTION_MONTHS = 12

    with pytest.raises(ImproperlyConfigured, match="at least 24"):
        audit.purge_expired(NOW)


def test_it_refuses_to_start_with_a_retention_shorter_than_24_months() -> None:
    result = manage(
        "check",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="clienti.example.it",
        AUDIT_RETENTION_MONTHS="23",
    )

    assert result.returncode != 0
    assert "AUDIT_RETENTION_MONTHS must be at least 24" in result.stderr


def test_it_purges_once_a_day_from_the_periodic_jobs(release: Tenant) -> None:
    job = periodic.REGISTRY["core.jobs.purge_expired_audit_events"]
    event_at(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), release)
    recent = audit.record("login", actor=release.user, company=release.company)

    periodic.run_job(job.name)

    assert job.every == dt.timedelta(days=1)
    assert list(AuditEvent.objects.all()) == [recent]
