"""A back office on a platform host, an operator of Release and one of Energia."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import Settings
from tests.factories import BACK_OFFICE_HOST, Tenant, make_operator, operator_client

from sportello.accounts.models import PortalUser


@pytest.fixture(autouse=True)
def back_office_host(settings: Settings) -> None:
    """The back office answers on a platform host; no scanner (files are accepted unscanned:
    tests/core proves the scanning with a real clamd)."""
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    settings.ADMIN_ON_COMPANY_HOSTS = False
    settings.CLAMAV_REQUIRED = False
    settings.CLAMAV_SOCKET = "/nonexistent"
    settings.CLAMAV_TCP = ""


@pytest.fixture
def operator(release: Tenant) -> PortalUser:
    """Giulia Verdi, an operator of Release."""
    user = make_operator(release.company, permissions=[], username="gverdi")
    user.first_name, user.last_name, user.email = "Giulia", "Verdi", "gverdi@release.test"
    user.save()
    return user


@pytest.fixture
def rival(energia: Tenant) -> PortalUser:
    """An operator of Energia only: Release's requests are none of its business."""
    return make_operator(energia.company, permissions=[], username="rival")


@pytest.fixture
def desk(operator: PortalUser) -> Client:
    return operator_client(operator)
