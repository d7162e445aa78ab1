"""The one way to write to the audit log."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from .http import client_ip
from .models import AuditEvent, Company


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    company: Company | None = None,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event. ``data`` must hold no secret (password, code, token, full IBAN)."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if company is None and request is not None:
        company = getattr(request, "company", None)
    return AuditEvent.objects.create(
        company=company,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(getattr(actor, "username", "") or "system"),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        data=data,
        ip_address=client_ip(request) if request is not None else None,
    )


def record_customer_read(
    customer: Any,
    *,
    request: HttpRequest,
    page: str,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """An operator read a customer's records in the back office (``page``: change, list…).

    The event names the operator, the client address and the customer (id and code);
    ``created_at`` is the time in UTC.
    """
    return record(
        "admin.read",
        request=request,
        company=getattr(customer, "company", None),
        obj=obj if obj is not None else customer,
        customer_id=customer.pk,
        customer_code=str(getattr(customer, "code", "")),
        page=page,
        **data,
    )


# The Garante per la protezione dei dati personali (provvedimento n. 192 of 12 May
# 2011, on the circulation of customer information in banks) asks that the log of
# operators' access to customers' data be kept for at least 24 months; leasing
# companies of banking groups fall under it. Shorter is refused.
MINIMUM_RETENTION_MONTHS = 24


def retention_months() -> int:
    """How many months audit events are kept (``AUDIT_RETENTION_MONTHS``, at least 24)."""
    months = int(getattr(settings, "AUDIT_RETENTION_MONTHS", MINIMUM_RETENTION_MONTHS))
    if months < MINIMUM_RETENTION_MONTHS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_MONTHS must be at least {MINIMUM_RETENTION_MONTHS}, not {months}."
        )
    return months


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """The instant before which events may go: ``retention_months()`` calendar months ago."""
    now = now or timezone.now()
    months = now.year * 12 + now.month - 1 - retention_months()
    year, month = divmod(months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the events older than the retention period; the only deletion there is.

    The audit log's queryset refuses ``delete()`` so that nothing else removes
    events; the purge calls the plain QuerySet's on purpose.
    """
    expired = AuditEvent.objects.filter(created_at__lt=retention_cutoff(now))
    deleted, _ = models.QuerySet.delete(expired)
    return deleted
