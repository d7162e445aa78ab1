"""The pieces of the end-to-end harness; the fixtures that assemble them are in conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.test.testcases import QuietWSGIRequestHandler
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The settings the demo runs with: a landing page on the platform host.
E2E_SETTINGS: dict[str, Any] = {"DEMO": True, "PLATFORM_HOSTS": ["localhost"]}


def new_connection(settings_dict: dict[str, Any]) -> BaseDatabaseWrapper:
    """A connection of its own for this thread, to the database ``settings_dict`` names."""
    wrapper: BaseDatabaseWrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        dict(settings_dict), DEFAULT_DB_ALIAS
    )
    return wrapper


class E2EDatabase:
    """A database of the end-to-end tests, reachable by any thread."""

    def __init__(self, settings_dict: dict[str, Any]) -> None:
        self.settings_dict = settings_dict

    @contextmanager
    def active(self) -> Iterator[None]:
        """Run the ORM of this thread against the end-to-end database."""
        previous = connections[DEFAULT_DB_ALIAS]
        connection = new_connection(self.settings_dict)
        connections[DEFAULT_DB_ALIAS] = connection
        try:
            yield
        finally:
            connection.close()
            connections[DEFAULT_DB_ALIAS] = previous


class E2EServer(ThreadedWSGIServer):
    """Django's threaded development server, each request on its own connection."""

    def __init__(self, database: E2EDatabase) -> None:
        super().__init__(("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False)
        self.database = database
        self.set_app(StaticFilesHandler(WSGIHandler()))

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        # close_request() closes every connection of the thread after the response.
        connections[DEFAULT_DB_ALIAS] = new_connection(self.database.settings_dict)
        super().process_request_thread(request, client_address)


class Portal:
    """The running portal as a test sees it: addresses, and its database."""

    def __init__(self, server: E2EServer) -> None:
        self.server = server
        self.database = server.database

    def url(self, host: str, path: str = "/") -> str:
        """``url("release", "/accesso/")`` → ``http://release.localhost:<port>/accesso/``."""
        name = "localhost" if host == "localhost" else f"{host}.localhost"
        return f"http://{name}:{self.server.port}{path}"


#: What the portal promises (DESIGN.md, rule 6): WCAG 2.1 AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Zero axe-core violations of WCAG 2.0/2.1 A and AA on the page as it is now."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    if results.violations_count:
        pytest.fail(f"{page.url}\n{results.generate_report()}", pytrace=False)
