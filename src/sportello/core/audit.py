"""The one way to write to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

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
