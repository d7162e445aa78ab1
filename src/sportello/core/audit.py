"""The one way to write to the audit log, and who acts from where."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from .http import client_ip
from .models import AuditEvent, Company


@dataclass(frozen=True)
class Origin:
    """Who acts, for which company, from which address.

    Views build it from the request and hand it to services, so services
    never see the request or its session. ``user`` is the acting customer or
    operator (None for a visitor or the system); ``ip_address`` comes from
    ``core.http.client_ip`` only.
    """

    company: Company | None = None
    user: Any = None
    ip_address: str | None = None

    @classmethod
    def of(cls, request: HttpRequest | Origin) -> Origin:
        """The origin of a request (an Origin is returned as it is)."""
        if isinstance(request, Origin):
            return request
        user = request.user if request.user.is_authenticated else None
        return cls(getattr(request, "company", None), user, client_ip(request))

    @property
    def company_id(self) -> int | None:
        return self.company.pk if self.company is not None else None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    origin: Origin | None = None,
    actor: Any = None,
    company: Company | None = None,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event. ``data`` must hold no secret (password, code, token, full IBAN).

    Who and where come from ``origin`` (or, for older callers, ``request``);
    ``actor`` and ``company`` override them.
    """
    if origin is None and request is not None:
        origin = Origin.of(request)
    origin = origin or Origin()
    actor = actor if actor is not None else origin.user
    company = company if company is not None else origin.company
    return AuditEvent.objects.create(
        company=company,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(getattr(actor, "username", "") or "system"),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        data=data,
        ip_address=origin.ip_address,
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
