"""Issuing and revoking a company's API keys (the back office's «Chiavi API» page)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company

from .models import ApiKey, Scope


def company_keys(company: Company) -> QuerySet[ApiKey]:
    """``company``'s keys, the active ones first, the newest first."""
    return ApiKey.objects.filter(company=company).order_by("revoked_at", "-created_at", "-pk")


@transaction.atomic
def issue_key(origin: Origin, company: Company, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key of ``company``; the clear key is returned once and never stored."""
    allowed = [scope for scope in Scope.values if scope in scopes]
    key, clear = ApiKey.issue(company, name, allowed)
    key.created_by = origin.user
    key.save(update_fields=["created_by"])
    audit.record(
        "integration.api_key_created",
        origin=origin,
        company=company,
        obj=key,
        prefix=key.prefix,
        scopes=allowed,
    )
    return key, clear


@transaction.atomic
def revoke_key(origin: Origin, key: ApiKey) -> None:
    """The key stops working now; revoking it again changes nothing."""
    if key.revoked_at is not None:
        return
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit.record(
        "integration.api_key_revoked",
        origin=origin,
        company=key.company,
        obj=key,
        prefix=key.prefix,
    )
