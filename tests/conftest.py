"""Shared fixtures: two companies with a customer and a user each, and clean state.

The environment the settings read (DEBUG off, a SECRET_KEY, ALLOWED_HOSTS…)
is set earlier, in ``tests/environment.py``: pytest-django loads the settings
before any conftest is imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation
from tests.factories import Tenant, make_company, make_customer, make_user

from sportello.core.models import CompanyKind

# A real clamd for every test that uploads (``clamd``, ``clamd_socket``, ``eicar``).
pytest_plugins = ["tests.clamav"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Argon2 is deliberately slow; tests hash many passwords and prove nothing about it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # With DEBUG off the manifest storage needs `collectstatic`; the tests serve
    # static files from the source tree instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    """No cached host or language leaks from one test into the next."""
    cache.clear()
    translation.activate("it")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def release(db: None) -> Tenant:
    """A leasing company on ``release.test`` with customer user ``mrossi``."""
    company = make_company(
        "release",
        name="Release S.p.A.",
        primary_colour="#00529b",
        legal_footer="Release S.p.A. - Sede legale Milano - P.IVA 12345678901",
    )
    customer = make_customer(company, name="Rossi Mario")
    user = make_user(customer, "mrossi", first_name="Mario", last_name="Rossi")
    return Tenant(company, "release.test", customer, user)


@pytest.fixture
def energia(db: None) -> Tenant:
    """A utility on ``energia.test`` whose customer user has the *same* login ``mrossi``."""
    company = make_company(
        "energia",
        kind=CompanyKind.UTILITY,
        name="Energia Verde S.r.l.",
        primary_colour="#1b5e20",
        legal_footer="Energia Verde S.r.l. - Sede legale Torino",
    )
    customer = make_customer(company, name="Bianchi Anna")
    user = make_user(customer, "mrossi", first_name="Anna", last_name="Bianchi")
    return Tenant(company, "energia.test", customer, user)


@pytest.fixture
def fixed_window(time_machine: time_machine.TimeMachineFixture) -> None:
    """A stopped clock just inside one throttle window.

    The throttles count in windows aligned to the clock (accounts/throttle.py);
    a test that fills a limit on a running clock fails when it straddles the
    turn of a window (as one did in CI at 03:00:00).
    """
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, 30, tzinfo=dt.UTC), tick=False)
