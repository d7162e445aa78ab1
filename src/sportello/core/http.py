"""Facts about a request that several apps need."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import Company


class SiteRequest(HttpRequest):
    """A request as ``CompanyMiddleware`` leaves it (for type checking only).

    The portal's user model is the accounts app's business; its views use
    ``sportello.accounts.http``, which narrows ``user`` to it.
    """

    company: Company | None


class CompanySiteRequest(SiteRequest):
    """A request on a company's host (views under ``company_required``)."""

    company: Company


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting exactly ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it received the request from, so
    the client is the n-th entry from the right; anything further left was
    written by the client and is ignored.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return str(forwarded[-count])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
