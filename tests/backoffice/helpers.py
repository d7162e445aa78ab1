"""Requests and files for the back office's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import Tenant

from sportello.core.audit import Origin
from sportello.servicedesk import services
from sportello.servicedesk.models import RequestKind, ServiceRequest

PDF = b"%PDF-1.4\n% allegato\n"


def open_request(tenant: Tenant, kind: str = RequestKind.FREE, **kwargs: Any) -> ServiceRequest:
    """A request of ``tenant``'s customer opened through the customer's service."""
    kwargs.setdefault("title", "Copia del contratto")
    kwargs.setdefault("message", "Vorrei una copia del contratto.")
    return services.open_request(
        Origin(tenant.company, tenant.user, "192.0.2.1"),
        tenant.customer,
        RequestKind(kind),
        **kwargs,
    )


def pdf(name: str = "lettera.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def at_noon(day: dt.date) -> dt.datetime:
    """Noon in Rome on ``day`` (no day boundary near in UTC or local time)."""
    return dt.datetime(day.year, day.month, day.day, 11, tzinfo=dt.UTC)
