"""Django's Redis cache, degrading instead of failing when Redis is away.

The cache only saves work: the company of a host name, a customer's notice
segments, the API's request counters. When Redis stops, a page should cost a
query more, not answer 500. Each call that fails on the connection is logged
and answered as a miss (``get`` gives the default, ``set`` stores nothing,
``add`` says it stored, so a "first run" guard lets the work through rather
than lose it). After a failure the cache stays *open* (every call a miss
without touching the network) for ``CIRCUIT_SECONDS``, so a dead Redis costs
one connect timeout per process and interval, not one per call.

Nothing that must survive lives in this cache: sessions, lockouts and the
login throttle are in the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: What a dead or unreachable Redis raises (redis-py wraps socket errors, and
#: BusyLoadingError, a server still loading, is a ConnectionError too).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose calls turn into misses while Redis cannot be reached.

    OPTIONS: ``CIRCUIT_SECONDS`` (default 5) besides RedisCache's own; give
    ``socket_connect_timeout`` and ``socket_timeout`` short values too (the
    settings do), so the one call that finds Redis dead fails fast.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.circuit_seconds = float(options.pop("CIRCUIT_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._open_until = 0.0
        self._lock = threading.Lock()

    def _guard(self, call: Callable[[], T], degraded: T) -> T:
        if time.monotonic() < self._open_until:
            return degraded
        try:
            return call()
        except UNAVAILABLE as exc:
            with self._lock:
                first = time.monotonic() >= self._open_until
                self._open_until = time.monotonic() + self.circuit_seconds
            if first:
                logger.warning(
                    "Cache unavailable, answering misses for %ss: %r", self.circuit_seconds, exc
                )
            return degraded

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._guard(lambda: RedisCache.add(self, key, value, timeout, version=version), True)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(lambda: RedisCache.get(self, key, default, version), default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._guard(lambda: RedisCache.set(self, key, value, timeout, version=version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guard(lambda: RedisCache.touch(self, key, timeout, version=version), False)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard(lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        return self._guard(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guard(lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        # A missing counter raises ValueError, which callers already handle
        # by setting it: while Redis is away that is a miss as well.
        value = self._guard(lambda: RedisCache.incr(self, key, delta, version), None)
        if value is None:
            raise ValueError(f"Key {key!r} not found (cache unavailable).")
        return value

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._guard(lambda: RedisCache.set_many(self, data, timeout, version=version), [])

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._guard(lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self) -> None:
        self._guard(lambda: RedisCache.clear(self), None)
