"""The Host header picks the company; nothing crosses from one company to another."""

from __future__ import annotations

from django.test import Client
from pytest_django import Settings
from tests.factories import Tenant

from sportello.core.models import CompanyHost


def test_it_serves_the_company_portal_on_its_host(release: Tenant) -> None:
    response = release.client().get("/")

    assert response.status_code == 200
    assert response.context["company"] == release.company
    page = response.content.decode()
    assert "Release S.p.A." in page
    assert "--sp-primary: #00529b" in page


def test_it_shows_each_company_its_own_brand(release: Tenant, energia: Tenant) -> None:
    page = energia.client().get("/").content.decode()

    assert "Energia Verde S.r.l." in page
    assert "--sp-primary: #1b5e20" in page
    assert "Release" not in page


def test_it_answers_an_unknown_host_with_a_plain_404(release: Tenant) -> None:
    response = Client(HTTP_HOST="sconosciuto.test").get("/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert b"<html" not in response.content.lower()
    assert b"Release" not in response.content


def test_it_ignores_the_port_in_the_host_header(release: Tenant) -> None:
    response = Client(HTTP_HOST="release.test:8443").get("/")

    assert response.status_code == 200
    assert b"Release S.p.A." in response.content


def test_it_matches_the_host_whatever_its_case(release: Tenant) -> None:
    response = Client(HTTP_HOST="RELEASE.Test").get("/")

    assert response.status_code == 200
    assert b"Release S.p.A." in response.content


def test_it_shows_the_landing_page_on_the_platform_host_in_the_demo(
    release: Tenant, settings: Settings
) -> None:
    settings.DEMO = True
    settings.PLATFORM_HOSTS = ["localhost"]

    response = Client(HTTP_HOST="localhost").get("/")

    assert response.status_code == 200
    assert response.context["company"] is None
    assert "demo/landing.html" in [t.name for t in response.templates]
    # The landing page lists the demo companies with their addresses.
    assert b"Release S.p.A." in response.content


def test_it_has_no_landing_page_on_the_platform_host_outside_the_demo(
    release: Tenant, settings: Settings
) -> None:
    settings.DEMO = False
    settings.PLATFORM_HOSTS = ["localhost"]

    response = Client(HTTP_HOST="localhost").get("/")

    assert response.status_code == 404
    assert b"Release" not in response.content


def test_it_keeps_a_customer_session_on_its_own_company(release: Tenant, energia: Tenant) -> None:
    client = release.logged_in_client()
    assert client.get("/", HTTP_HOST=release.host).context["user"] == release.user

    # The same session cookie on the other company's host counts for nothing.
    response = client.get("/", HTTP_HOST=energia.host)

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert b"Rossi Mario" not in response.content
    assert "portal/public_home.html" in [t.name for t in response.templates]


def test_it_applies_a_new_host_name_at_once(release: Tenant) -> None:
    client = Client(HTTP_HOST="clienti.release.test")
    assert client.get("/").status_code == 404  # cached as unknown

    CompanyHost.objects.create(company=release.company, host="clienti.release.test")

    assert client.get("/").status_code == 200


def test_it_forgets_a_renamed_host_at_once(release: Tenant) -> None:
    assert release.client().get("/").status_code == 200  # cached as Release

    host = release.company.hosts.get()
    host.host = "nuovo.release.test"
    host.save()

    assert release.client().get("/").status_code == 404
    assert Client(HTTP_HOST="nuovo.release.test").get("/").status_code == 200


def test_it_shows_a_renamed_company_at_once(release: Tenant) -> None:
    assert b"Release S.p.A." in release.client().get("/").content

    release.company.name = "Release Leasing S.p.A."
    release.company.save()

    assert b"Release Leasing S.p.A." in release.client().get("/").content


def test_it_forgets_a_deleted_host_at_once(release: Tenant) -> None:
    CompanyHost.objects.create(company=release.company, host="vecchio.release.test")
    client = Client(HTTP_HOST="vecchio.release.test")
    assert client.get("/").status_code == 200

    CompanyHost.objects.filter(host="vecchio.release.test").get().delete()

    assert client.get("/").status_code == 404
