"""The one way to write to the audit log, and who acts from where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest

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
