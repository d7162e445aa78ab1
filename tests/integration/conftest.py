"""Fixtures of the REST API's tests: keys, a core system's client, fake import kinds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from tests.factories import Tenant

from sportello.integration.feeds import KINDS
from sportello.integration.models import ApiKey
from sportello.integration.services import FeedKind

from .api_support import key_client, load_fake_file, load_fake_rows


@pytest.fixture
def release_key(release: Tenant) -> tuple[ApiKey, str]:
    return ApiKey.issue(release.company, "Sistema centrale")


@pytest.fixture
def energia_key(energia: Tenant) -> tuple[ApiKey, str]:
    return ApiKey.issue(energia.company, "Sistema centrale")


@pytest.fixture
def api(release: Tenant, release_key: tuple[ApiKey, str]) -> Client:
    """Release's core system, with a key allowed everything."""
    return key_client(release, release_key[1])


@pytest.fixture
def fake_kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A tabular kind ``fake`` and a file kind ``fatturapa`` that write nothing."""
    monkeypatch.setitem(KINDS, "fake", FeedKind("fake", "Fake", load_fake_file, load_fake_rows))
    monkeypatch.setitem(KINDS, "fatturapa", FeedKind("fatturapa", "FatturaPA", load_fake_file))
    yield
