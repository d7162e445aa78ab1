"""The Redis cache degrades to misses when Redis is away, and does not keep knocking."""

from __future__ import annotations

import socket
import time
from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache

from sportello.core.cache import ResilientRedisCache


@pytest.fixture
def dead_redis() -> ResilientRedisCache:
    """A cache pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "CIRCUIT_SECONDS": 30}
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})


def test_it_answers_misses_instead_of_raising(dead_redis: ResilientRedisCache) -> None:
    assert dead_redis.get("company-for-host:release.test", "miss") == "miss"
    assert dead_redis.get_many(["a", "b"]) == {}
    dead_redis.set("a", 1)
    dead_redis.delete_many(["a"])
    assert dead_redis.get_or_set("b", 2) == 2


def test_it_lets_a_first_run_guard_through_rather_than_lose_the_work(
    dead_redis: ResilientRedisCache,
) -> None:
    assert dead_redis.add("accounts-task:reset:abc", 1) is True


def test_a_counter_is_missing_so_callers_start_it_again(dead_redis: ResilientRedisCache) -> None:
    with pytest.raises(ValueError):
        dead_redis.incr("api-rate:1:2")


def test_it_stops_calling_redis_for_a_while_after_a_failure(
    dead_redis: ResilientRedisCache,
) -> None:
    dead_redis.get("a")
    with mock.patch.object(RedisCache, "get") as get:
        started = time.monotonic()
        for _ in range(100):
            assert dead_redis.get("a", "miss") == "miss"
    assert not get.called
    assert time.monotonic() - started < 0.5


def test_it_tries_again_once_the_circuit_has_closed(dead_redis: ResilientRedisCache) -> None:
    dead_redis.get("a")
    dead_redis._open_until = time.monotonic() - 1
    with mock.patch.object(RedisCache, "get", return_value="back") as get:
        assert dead_redis.get("a") == "back"
    assert get.called
