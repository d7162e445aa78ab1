"""The back office's «Chiavi API»: create (shown once), list, revoke; audited; the company's only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import Tenant

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent
from sportello.integration.models import ApiKey, Scope

pytestmark = pytest.mark.django_db


def page(tenant: Tenant) -> str:
    return reverse("backoffice:api_keys", args=[tenant.company.slug])


def test_it_creates_a_key_and_shows_it_once(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    response = desk.post(page(release), {"name": "Gestionale", "scopes": [Scope.READ_READINGS]})
    # POST → redirect → GET: reloading the page cannot create a second key.
    assert (response.status_code, response["Location"]) == (302, page(release))
    key = ApiKey.objects.get()
    shown = desk.get(page(release))
    assert "no-store" in shown["Cache-Control"]
    clear = shown.context["new_key"]
    assert clear.startswith("spk_") and ApiKey.hash_key(clear) == key.key_hash
    assert clear in shown.content.decode()
    assert (key.company, key.scopes, key.created_by) == (
        release.company,
        [Scope.READ_READINGS],
        operator,
    )
    event = AuditEvent.objects.get(action="integration.api_key_created")
    assert clear not in str(event.data)
    listed = desk.get(page(release)).content.decode()
    assert clear not in listed
    assert key.prefix in listed and "Gestionale" in listed
    assert ApiKey.objects.count() == 1


def test_it_keeps_the_new_key_for_a_get_not_a_head(desk: Client, release: Tenant) -> None:
    desk.post(page(release), {"name": "Gestionale", "scopes": [Scope.READ_READINGS]})
    assert desk.head(page(release)).status_code == 200
    assert desk.get(page(release)).context["new_key"].startswith("spk_")


def test_it_says_which_keys_are_active(desk: Client, release: Tenant) -> None:
    ApiKey.issue(release.company, "Viva")
    old, _clear = ApiKey.issue(release.company, "Vecchia")
    old.revoked_at = old.created_at
    old.save(update_fields=["revoked_at"])
    rows = desk.get(page(release)).content.decode().split("<tr>")
    viva = next(row for row in rows if "Viva" in row)
    vecchia = next(row for row in rows if "Vecchia" in row)
    assert "Attiva" in viva and "Revoca" in viva
    assert "Attiva" not in vecchia and "Revocata il" in vecchia


def test_it_needs_a_name_and_a_scope(desk: Client, release: Tenant) -> None:
    response = desk.post(page(release), {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "scopes"}
    assert not ApiKey.objects.exists()


def test_it_revokes_a_key(desk: Client, release: Tenant) -> None:
    key, clear = ApiKey.issue(release.company, "Vecchia")
    url = reverse("backoffice:revoke_api_key", args=[release.company.slug, key.pk])
    question = desk.get(url)
    assert (
        question.status_code == 200 and "Revocare la chiave «Vecchia»" in question.content.decode()
    )
    key.refresh_from_db()
    assert key.revoked_at is None  # asking revokes nothing
    assert desk.post(url).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action="integration.api_key_revoked").count() == 1
    api = Client(HTTP_HOST=release.host, HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert api.get("/api/v1/readings").status_code == 401


def test_it_keeps_other_companies_keys_out_of_reach(
    desk: Client, release: Tenant, energia: Tenant
) -> None:
    theirs, _clear = ApiKey.issue(energia.company, "Loro")
    assert desk.get(page(energia)).status_code == 404
    assert "Loro" not in desk.get(page(release)).content.decode()
    url = reverse("backoffice:revoke_api_key", args=[release.company.slug, theirs.pk])
    assert desk.get(url).status_code == 404
    assert desk.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_it_is_for_operators_only(release: Tenant) -> None:
    response = release.logged_in_client().get(page(release))
    assert response.status_code in (302, 404)


def test_it_lists_keys_in_fixed_queries(desk: Client, release: Tenant) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert desk.get(page(release)).status_code == 200
        return len(captured)

    ApiKey.issue(release.company, "Una")
    queries()  # the first request of the session writes it
    one = queries()
    for n in range(4):
        ApiKey.issue(release.company, f"Altra {n}")
    assert queries() == one
