"""Who calls the API: a company's key in ``Authorization: Bearer spk_…``, nothing else.

There is no session authentication: a customer's or an operator's cookie
counts for nothing here (and, with no cookie auth, CSRF has nothing to guard).
A key works on its own company's hosts and on the platform's; on another
company's host it is unknown (401), as a session of another company is
anonymous there. Every object is then fetched through the key's company, so
another company's id is a 404.
"""

from __future__ import annotations

import datetime as dt
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from ..models import ApiKey, Scope
from .problems import Problem, unauthorized

#: ``last_used_at`` is written at most this often, to spare a write per request.
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)


def rate_limit() -> tuple[int, int]:
    """``API_RATE_LIMIT`` ("600/60"): requests allowed per window of seconds."""
    requests, seconds = str(settings.API_RATE_LIMIT).split("/")
    return int(requests), int(seconds)


def check_rate(key: ApiKey, now: float | None = None) -> None:
    """Count one request of ``key`` in the current fixed window; 429 beyond the limit."""
    allowed, seconds = rate_limit()
    now = time.time() if now is None else now
    window = int(now // seconds)
    counter = f"api-rate:{key.pk}:{window}"
    cache.add(counter, 0, seconds + 1)
    try:
        used = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, seconds + 1)
        used = 1
    if used > allowed:
        retry_after = max(1, math.ceil((window + 1) * seconds - now))
        raise Problem(
            429,
            "rate-limited",
            _("Limite di richieste superato: riprova tra qualche secondo."),
            headers={"Retry-After": str(retry_after)},
        )


def record_use(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USE_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def key_for(request: HttpRequest, token: str) -> ApiKey | None:
    """The active key ``token`` names, if it may be used on this host."""
    if not token.startswith("spk_"):
        return None
    key = (
        ApiKey.objects.select_related("company")
        .filter(key_hash=ApiKey.hash_key(token), revoked_at__isnull=True)
        .first()
    )
    host_company = getattr(request, "company", None)
    if key is None or (host_company is not None and key.company_id != host_company.pk):
        return None
    return key


class ApiKeyAuth(HttpBearer):
    """A Bearer API key allowed ``scope``; 401 without one, 403 without the scope."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = key_for(request, token.strip())
        if key is None:
            raise unauthorized()
        check_rate(key)
        record_use(key)
        if not key.allows(self.scope):
            raise Problem(
                403,
                "scope",
                _("La chiave non ha il permesso «%(scope)s».") % {"scope": self.scope.value},
            )
        return key


def key_of(request: HttpRequest) -> ApiKey:
    """The key ``ApiKeyAuth`` put on the request."""
    key = getattr(request, "auth", None)
    assert isinstance(key, ApiKey)
    return key
