"""The end-to-end harness: the app on a loopback port, driven by Debian's Chromium.

The server has a database of its own, separate from the one the other tests
roll back or flush: a copy of the migrated test database (a SQLite file, or a
PostgreSQL clone) into which the demo data is loaded once per session. Each
request thread of the server opens its own connection to it.

Pages are opened as ``http://<company>.localhost:<port>/``: Chromium resolves
every ``*.localhost`` name to the loopback address by itself.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django import DjangoDbBlocker, Settings
from tests.e2e.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    E2E_SETTINGS,
    E2EDatabase,
    E2EServer,
    Portal,
)


@pytest.fixture(scope="session")
def e2e_database(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[E2EDatabase]:
    """A copy of the migrated test database with the demo data, made once."""
    with django_db_blocker.unblock():
        source = connections[DEFAULT_DB_ALIAS]
        name = str(source.settings_dict["NAME"])
        if not (name.startswith("test_") or source.is_in_memory_db()):
            raise RuntimeError(f"Refusing to copy {name!r}: it is not a test database.")
        if source.vendor == "sqlite":
            path = tmp_path_factory.mktemp("e2e") / "sportello.sqlite3"
            source.ensure_connection()
            with sqlite3.connect(path) as target:
                source.connection.backup(target)
            target.close()
            database = E2EDatabase({**source.settings_dict, "NAME": str(path)})
            cleanup: Callable[[], None] = lambda: None  # noqa: E731
        else:
            # A clone needs the template database to have no other session.
            source.close()
            source.creation.clone_test_db(suffix="e2e", verbosity=0)
            database = E2EDatabase(source.creation.get_test_db_clone_settings("e2e"))

            def cleanup() -> None:
                source.creation.destroy_test_db(verbosity=0, suffix="e2e")

        with database.active(), override_settings(**E2E_SETTINGS):
            call_command("demo", quiet=True)
        try:
            yield database
        finally:
            cleanup()


@pytest.fixture(scope="session")
def e2e_server(e2e_database: E2EDatabase) -> Iterator[E2EServer]:
    server = E2EServer(e2e_database)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def portal(e2e_server: E2EServer, db: None, settings: Settings) -> Portal:
    """The running portal. ``db`` makes pytest-django create the test database
    (copied above) and opens database access to the server's threads."""
    for name, value in E2E_SETTINGS.items():
        setattr(settings, name, value)
    return Portal(e2e_server)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module.

    Playwright's synchronous API keeps an event loop running in this thread.
    Django then refuses the ORM here (it guards async code) and keeps this
    thread's connections apart from the ones it had before. The tests are
    synchronous, so the guard is lifted while the browser lives, and the
    connections opened meanwhile are closed before it goes.
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            connections.close_all()
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookies) in Italian, as most customers have it.

    Reduced motion turns Bootstrap's fades off, so a dialog is checked as it
    finally looks and not half-faded into the page.
    """
    context = browser.new_context(
        locale="it-IT", timezone_id="Europe/Rome", reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def operator_page(browser: Browser) -> Iterator[Page]:
    """A second browser profile, for an operator working beside a customer."""
    context = browser.new_context(locale="it-IT", timezone_id="Europe/Rome")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
