"""Who may call the API: keys (hashed, shown once, revocable, scoped, rate-limited),
never a session; and every error as an RFC 9457 problem document in Italian or English."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pytest_django import Settings
from tests.factories import Tenant

from sportello.integration.models import ApiKey, Scope

from .api_support import key_client

pytestmark = pytest.mark.django_db
READINGS = "/api/v1/readings"


def problem(response: object) -> dict[str, object]:
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    document: dict[str, object] = json.loads(response.content)  # type: ignore[attr-defined]
    assert set(document) >= {"type", "title", "status", "detail", "instance"}
    assert document["status"] == response.status_code  # type: ignore[attr-defined]
    return document


def test_it_stores_only_a_hash_of_the_key(release: Tenant) -> None:
    row, key = ApiKey.issue(release.company, "Sistema centrale")
    assert key.startswith("spk_") and len(key) > 40
    row.refresh_from_db()
    assert row.key_hash == ApiKey.hash_key(key) != key
    assert key not in json.dumps(list(ApiKey.objects.values()), default=str)
    assert row.prefix == key[4:12]


def test_it_answers_a_valid_key(api: Client) -> None:
    response = api.get(READINGS)
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


def test_it_refuses_no_key_a_wrong_key_and_a_revoked_key(
    release: Tenant, release_key: tuple[ApiKey, str]
) -> None:
    row, key = release_key
    assert problem(release.client().get(READINGS))["status"] == 401
    wrong = key_client(release, key[:-2] + "xx").get(READINGS)
    assert problem(wrong)["type"] == "urn:sportello:problem:unauthorized"
    assert wrong["WWW-Authenticate"].startswith("Bearer")
    row.revoked_at = timezone.now()
    row.save()
    assert key_client(release, key).get(READINGS).status_code == 401


def test_it_accepts_several_active_keys_for_rotation(release: Tenant) -> None:
    _old, old_key = ApiKey.issue(release.company, "Vecchia")
    _new, new_key = ApiKey.issue(release.company, "Nuova")
    assert key_client(release, old_key).get(READINGS).status_code == 200
    assert key_client(release, new_key).get(READINGS).status_code == 200


def test_it_refuses_an_endpoint_outside_the_key_scopes(release: Tenant) -> None:
    _row, key = ApiKey.issue(release.company, "Solo letture", [Scope.READ_READINGS])
    client = key_client(release, key)
    assert client.get(READINGS).status_code == 200
    refused = client.get("/api/v1/requests")
    assert problem(refused)["type"] == "urn:sportello:problem:scope"
    assert refused.status_code == 403
    pushed = client.post(
        "/api/v1/import/customers", "{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY="a"
    )
    assert pushed.status_code in (403, 422)  # the body is checked before the key's scope


def test_it_refuses_a_key_on_another_company_host(
    energia: Tenant, release_key: tuple[ApiKey, str]
) -> None:
    response = key_client(energia, release_key[1]).get(READINGS)
    assert problem(response)["status"] == 401


def test_it_takes_the_company_from_the_key_on_a_platform_host(
    settings: Settings, release: Tenant, release_key: tuple[ApiKey, str]
) -> None:
    settings.PLATFORM_HOSTS = ["api.platform.test"]
    client = Client(HTTP_HOST="api.platform.test", HTTP_AUTHORIZATION=f"Bearer {release_key[1]}")
    assert client.get(READINGS).status_code == 200


def test_it_refuses_a_customer_session(release: Tenant) -> None:
    response = release.logged_in_client().get(READINGS)
    assert problem(response)["status"] == 401


def test_it_does_not_log_in_a_portal_page_with_a_key(
    release: Tenant, release_key: tuple[ApiKey, str]
) -> None:
    client = key_client(release, release_key[1])
    response = client.get(reverse("billing:schedule"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not client.get(reverse("portal:home")).wsgi_request.user.is_authenticated


def test_it_records_the_last_use_at_most_once_a_minute(
    api: Client, release_key: tuple[ApiKey, str], time_machine: time_machine.TimeMachineFixture
) -> None:
    row = release_key[0]
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    api.get(READINGS)
    row.refresh_from_db()
    assert row.last_used_at == start
    time_machine.move_to(start + dt.timedelta(seconds=30), tick=False)
    api.get(READINGS)
    row.refresh_from_db()
    assert row.last_used_at == start
    time_machine.move_to(start + dt.timedelta(seconds=61), tick=False)
    api.get(READINGS)
    row.refresh_from_db()
    assert row.last_used_at == start + dt.timedelta(seconds=61)


def test_it_limits_the_rate_per_key_with_retry_after(
    settings: Settings,
    release: Tenant,
    api: Client,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    settings.API_RATE_LIMIT = "3/60"
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, 15, tzinfo=dt.UTC), tick=False)
    assert [api.get(READINGS).status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get(READINGS)
    assert problem(limited)["status"] == 429
    assert limited["Retry-After"] == "45"
    _other, other_key = ApiKey.issue(release.company, "Altra")
    assert key_client(release, other_key).get(READINGS).status_code == 200
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 1, 0, tzinfo=dt.UTC), tick=False)
    assert api.get(READINGS).status_code == 200


@pytest.mark.parametrize(
    ("accept", "language", "title"),
    [
        ("", "it", "Autenticazione richiesta"),
        ("en-GB,en;q=0.9", "en", "Autenticazione richiesta"),
        ("de, it;q=0.5", "it", "Autenticazione richiesta"),
    ],
)
def test_it_titles_problems_in_italian_or_english(
    release: Tenant, accept: str, language: str, title: str
) -> None:
    response = release.client().get(READINGS, HTTP_ACCEPT_LANGUAGE=accept)
    document = problem(response)
    # The English titles come from the catalogue (tr-api.json until it is compiled).
    with translation.override(language):
        assert document["title"] == gettext(title)
    assert document["instance"] == READINGS
    assert response["Content-Language"] == language


def test_it_says_every_detail_in_english_when_asked(release: Tenant) -> None:
    """The detail is translated where it is raised (here in the auth), so the whole request
    runs in the client's language, not only the making of the problem document."""
    _key, clear = ApiKey.issue(release.company, "Gestionale", [Scope.READ_REQUESTS])
    english = key_client(release, clear, HTTP_ACCEPT_LANGUAGE="en")
    document = problem(english.get(READINGS))
    assert document["detail"] == "The key does not have the “read_readings” permission."
    assert problem(release.client().get(READINGS, HTTP_ACCEPT_LANGUAGE="en"))["detail"] == (
        "A valid API key is needed: Authorization: Bearer spk_…"
    )
    italian = key_client(release, clear, HTTP_ACCEPT_LANGUAGE="de")
    assert problem(italian.get(READINGS))["detail"] == (
        "La chiave non ha il permesso «read_readings»."
    )


def test_it_leaves_the_portal_pages_in_italian(release: Tenant) -> None:
    page = release.client().get("/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert page["Content-Language"] == "it"


def test_it_answers_unknown_addresses_and_methods_with_problems(api: Client) -> None:
    assert problem(api.get("/api/v1/nothing-here"))["status"] == 404
    not_allowed = api.delete(READINGS)
    assert problem(not_allowed)["status"] == 405
    assert "GET" in not_allowed["Allow"]


def test_it_answers_invalid_parameters_with_a_validation_problem(api: Client) -> None:
    response = api.get(READINGS, {"limit": "0"})
    document = problem(response)
    assert response.status_code == 422
    assert document["errors"][0]["loc"] == ["query", "limit"]  # type: ignore[index]
    assert problem(api.get(READINGS, {"cursor": "not-a-cursor"}))["status"] == 400


def test_it_publishes_openapi_3_1_and_docs_without_a_cdn(release: Tenant) -> None:
    schema = release.client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/readings/acknowledge" in schema["paths"]
    errors = schema["paths"]["/api/v1/readings"]["get"]["responses"]["401"]["content"]
    assert list(errors) == ["application/problem+json"]
    docs = release.client().get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
