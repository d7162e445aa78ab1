"""What the page benchmarks share: a scratch database, logged-in in-process
requests through Django's whole WSGI handler, interleaved medians, the floor.

Import it before anything of Django's, then call ``setup()``::

    import pagebench

    pagebench.setup("mybench")          # scratch PostgreSQL database, migrated
    from sportello.demo.builder import build_demo   # Django is ready from here
    build_demo()
    browser = pagebench.Browser.logged_in(user, host)
    sample = browser.get("/")            # a Sample: status, seconds, queries
    floor = pagebench.floor_path()       # the near-empty page every figure is set against
    medians = pagebench.interleaved({"floor": lambda: browser.get(floor)}, runs=31)
    pagebench.drop()                      # at the end

The floor: ``/__bench__/floor/``, a view of the bench's own URLs (added to the
product's, never among them) that asks for a logged-in customer of the host's
company, as every customer page does, and renders a template that extends
``base.html`` with nothing in it: the whole middleware stack, the session, the
user, the header, menu and bell of the base template, and no page of its own.
The bare view, ``/__bench__/bare/``, answers a fixed ``HttpResponse`` through a
handler built with no middleware at all, in the same process.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
#: Where the server's PostgreSQL answers; the scratch database is made beside the others.
ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
FLOOR_PATH = "/__bench__/floor/"
BARE_PATH = "/__bench__/bare/"

_scratch: str | None = None


def setup(database: str, *, keep: bool = False, reuse: bool = False) -> str:
    """Create the scratch PostgreSQL database ``database`` (dropped first if it exists),
    point Django at it, set Django up and migrate. Returns the database URL.

    Settings are production-like (DEBUG off), with persistent connections, as a
    deployment runs them; the cache is the in-process one unless REDIS_URL is set.
    """
    global _scratch
    import psycopg

    for path in (ROOT / "src", BENCH):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    if not reuse:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{database}"')
    _scratch = None if keep or reuse else database
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    var = os.path.join(tempfile.gettempdir(), f"sportello-bench-{database}")
    os.makedirs(os.path.join(var, "static"), exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sportello.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "s" * 50,
            "ALLOWED_HOSTS": ".localhost,bench.test",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            "SPORTELLO_VAR_DIR": var,
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "600",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The product's URLs plus the floor and the bare view (bench_urls.py).
    settings.ROOT_URLCONF = "bench_urls"
    # Production's hashed static names (the manifest), as a deployment serves them.
    call_command("collectstatic", interactive=False, verbosity=0)
    if not reuse:
        call_command("migrate", verbosity=0)
    return url


def drop() -> None:
    """Drop the scratch database (unless ``setup(keep=True)``)."""
    if _scratch is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{_scratch}" WITH (FORCE)')


@dataclass(frozen=True)
class Sample:
    status: int
    seconds: float
    queries: int
    body: bytes


class Browser:
    """One person's in-process requests: cookies kept, each request through Django's
    full WSGI handler (every middleware, as gunicorn would call it)."""

    def __init__(self, host: str, *, middleware: bool = True) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.test.utils import override_settings

        self.host = host
        self.cookies: dict[str, str] = {}
        if middleware:
            self.handler = WSGIHandler()
        else:
            with override_settings(MIDDLEWARE=[]):
                self.handler = WSGIHandler()

    @classmethod
    def logged_in(cls, user: Any, host: str) -> Browser:
        """A browser holding ``user``'s session, made as a full login leaves it."""
        from django.test import Client

        client = Client(HTTP_HOST=host)
        client.force_login(user)
        browser = cls(host)
        browser.cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        return browser

    def environ(self, path: str) -> dict[str, Any]:
        route, _, query = path.partition("?")
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": self.host,
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https",
            "wsgi.input": BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    def get(self, path: str, *, count_queries: bool = False) -> Sample:
        """One GET; the time is the handler's, from the call to the last byte."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        state: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            state["status"] = int(status.split()[0])
            state["headers"] = headers

        capture = CaptureQueriesContext(connection) if count_queries else None
        if capture is not None:
            capture.__enter__()
        began = time.perf_counter()
        result = self.handler(self.environ(path), start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        seconds = time.perf_counter() - began
        queries = 0
        if capture is not None:
            capture.__exit__(None, None, None)
            queries = len(capture.captured_queries)
        for name, value in state["headers"]:
            if name.lower() == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip('"')
        return Sample(state["status"], seconds, queries, body)


def floor_path() -> str:
    return FLOOR_PATH


def bare_browser(host: str) -> Browser:
    """A handler with no middleware at all, for the bare view (which renders the floor's
    page from what the host's first floor request kept: request the floor first)."""
    return Browser(host, middleware=False)


def interleaved(
    actions: Mapping[str, Callable[[], Sample]], runs: int, warmup: int = 2
) -> dict[str, float]:
    """Median seconds of each action over ``runs`` rounds; each round runs every action
    once, so a busy moment of a shared machine hits every figure alike."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            samples[name].append(action().seconds)
    return {name: statistics.median(times) for name, times in samples.items()}
