"""Rate limits for the flows that can be abused: registration, unlock, reset, codes.

Each limit counts attempts in a fixed window, once per key: the account (or
what identifies it, e.g. a contract number) and the client address from
``core.http.client_ip`` (never a header the client controls). The counters
live in the cache, shared by every web process when the cache is Redis.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from sportello.core.http import client_ip


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` per ``window_seconds`` for each key of a ``scope``."""

    scope: str
    attempts: int
    window_seconds: int


REGISTRATION = Limit("registration", attempts=5, window_seconds=3600)
UNLOCK = Limit("unlock", attempts=5, window_seconds=3600)
RESET = Limit("reset", attempts=5, window_seconds=3600)
CODE = Limit("code", attempts=5, window_seconds=900)
LOGIN_ADDRESS = Limit("login-address", attempts=30, window_seconds=900)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{limit.scope}:{digest}"


def allow(limit: Limit, request: HttpRequest, *account_keys: str) -> bool:
    """Count one attempt against the client address and each account key.

    False when any of them is over its limit; the attempt is counted anyway,
    so hammering a limit keeps it closed.
    """
    company = getattr(request, "company", None)
    prefix = f"{company.pk}:" if company is not None else ""
    values = [f"ip:{client_ip(request) or '-'}"] + [
        f"{prefix}account:{key}" for key in account_keys if key
    ]
    allowed = True
    for value in values:
        key = _key(limit, value)
        cache.add(key, 0, limit.window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, limit.window_seconds)
            count = 1
        if count > limit.attempts:
            allowed = False
    return allowed


def reset(limit: Limit, request: HttpRequest, *account_keys: str) -> None:
    """Forget the account counters (e.g. after a successful step)."""
    company = getattr(request, "company", None)
    prefix = f"{company.pk}:" if company is not None else ""
    cache.delete_many([_key(limit, f"{prefix}account:{key}") for key in account_keys if key])
