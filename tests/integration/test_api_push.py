"""Pushing rows and FatturaPA files through the import service, under an Idempotency-Key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from pytest_django import Settings
from tests.factories import Tenant

from sportello.core.periodic import REGISTRY
from sportello.integration.api import idempotency
from sportello.integration.models import (
    ApiKey,
    IdempotencyRecord,
    IdempotencyState,
    ImportRun,
    ImportSource,
)

from .api_support import key_client, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_kinds")]
PUSH = "/api/v1/import/fake"
ROWS = {"rows": [{"code": "A1"}, {"code": "A2"}]}


def test_it_pushes_rows_through_the_import_service(
    api: Client, release: Tenant, release_key: tuple[ApiKey, str]
) -> None:
    response = post(api, PUSH, ROWS)
    assert response.status_code == 200
    body = response.json()
    assert body | {"id": 0} == {
        "id": 0,
        "kind": "fake",
        "status": "done",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    run = ImportRun.objects.get(pk=body["id"])
    assert (run.company, run.source, run.api_key) == (
        release.company,
        ImportSource.API,
        release_key[0],
    )


def test_it_answers_a_dry_run(api: Client) -> None:
    assert post(api, PUSH, ROWS | {"dry_run": True}).json()["status"] == "dry_run"


def test_it_rejects_a_batch_with_every_row_error(api: Client) -> None:
    rows = {"rows": [{"code": "A1"}, {"bad": "x"}, {"bad": "y"}]}
    response = post(api, PUSH, rows)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    document = response.json()
    assert document["type"] == "urn:sportello:problem:rows-rejected"
    assert [error["row"] for error in document["errors"]] == [2, 3]
    assert document["run"]["status"] == "rejected"


def test_it_refuses_an_unknown_kind_and_a_file_only_kind(api: Client) -> None:
    assert post(api, "/api/v1/import/nothing", ROWS, key="a").status_code == 404
    assert post(api, "/api/v1/import/fatturapa", ROWS, key="b").status_code == 404


def test_it_limits_the_rows_of_a_batch(settings: Settings, api: Client) -> None:
    from sportello.integration.api.schemas import RowsIn

    limit = RowsIn.model_fields["rows"].metadata
    assert any(getattr(m, "max_length", None) == settings.API_IMPORT_MAX_ROWS for m in limit)
    too_many = {"rows": [{"code": str(n)} for n in range(settings.API_IMPORT_MAX_ROWS + 1)]}
    assert post(api, PUSH, too_many).status_code == 422
    assert post(api, PUSH, {"rows": []}, key="other").status_code == 422


def test_it_refuses_decimals_as_json_numbers(api: Client) -> None:
    response = post(api, PUSH, {"rows": [{"amount": 12.5}]})
    assert response.status_code == 422


# Idempotency-Key (draft-ietf-httpapi-idempotency-key-header-07)


def test_it_needs_an_idempotency_key(api: Client) -> None:
    response = post(api, PUSH, ROWS, key=None)
    assert response.status_code == 400
    assert response.json()["type"] == "urn:sportello:problem:idempotency-key-missing"
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("key", ["", '""', "x" * 256, '"' + "x" * 256 + '"'])
def test_it_answers_400_to_a_malformed_idempotency_key(api: Client, key: str) -> None:
    response = post(api, PUSH, ROWS, key=key)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:sportello:problem:idempotency-key-invalid"
    assert not ImportRun.objects.exists()


def test_it_takes_a_key_of_255_characters_quoted_or_bare(api: Client) -> None:
    assert post(api, PUSH, ROWS, key="x" * 255).status_code == 200
    again = post(api, PUSH, ROWS, key='"' + "x" * 255 + '"')
    assert again[idempotency.REPLAYED] == "true"


def test_it_says_the_key_is_missing_in_english_when_asked(api: Client) -> None:
    response = post(api, PUSH, ROWS, key=None, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    document = response.json()
    assert (response.status_code, response["Content-Language"]) == (400, "en")
    assert document["title"] == "Bad request"
    assert document["detail"] == "The Idempotency-Key header is missing."
    italian = post(api, PUSH, ROWS, key=None).json()
    assert italian["detail"] == "Manca l'intestazione Idempotency-Key."


def test_it_replays_the_first_answer_to_the_same_request(api: Client) -> None:
    first = post(api, PUSH, ROWS, key='"8e03978e-40d5"')
    again = post(api, PUSH, ROWS, key="8e03978e-40d5")
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again[idempotency.REPLAYED] == "true"
    assert ImportRun.objects.count() == 1


def test_it_replays_a_rejection_too(api: Client) -> None:
    rows = {"rows": [{"bad": "x"}]}
    first = post(api, PUSH, rows)
    again = post(api, PUSH, rows)
    assert again.status_code == first.status_code == 422
    assert again.content == first.content
    assert ImportRun.objects.count() == 1


def test_it_refuses_the_same_key_with_another_body(api: Client) -> None:
    post(api, PUSH, ROWS)
    response = post(api, PUSH, {"rows": [{"code": "B"}]})
    assert response.status_code == 422
    assert response.json()["type"] == "urn:sportello:problem:idempotency-key-reused"
    assert ImportRun.objects.count() == 1


def test_it_answers_409_while_the_first_request_runs(
    api: Client, release_key: tuple[ApiKey, str]
) -> None:
    fingerprint_of_rows = _fingerprint_of(api, ROWS)
    IdempotencyRecord.objects.create(
        api_key=release_key[0], key="k-1", fingerprint=fingerprint_of_rows
    )
    response = post(api, PUSH, ROWS)
    assert response.status_code == 409
    assert response.json()["type"] == "urn:sportello:problem:idempotency-key-busy"
    assert not ImportRun.objects.exists()


def _fingerprint_of(api: Client, data: Any) -> str:
    """The fingerprint the API gives ``data`` posted to PUSH (from a first, stored request)."""
    post(api, PUSH, data, key="probe")
    record = IdempotencyRecord.objects.get(key="probe")
    assert record.state == IdempotencyState.DONE
    ImportRun.objects.all().delete()
    return record.fingerprint


def test_it_scopes_keys_to_the_api_key(release: Tenant, api: Client) -> None:
    post(api, PUSH, ROWS)
    _other, other_key = ApiKey.issue(release.company, "Altra")
    response = post(key_client(release, other_key), PUSH, ROWS)
    assert response.status_code == 200
    assert idempotency.REPLAYED not in response
    assert ImportRun.objects.count() == 2


def test_it_forgets_keys_after_the_hours_set(
    settings: Settings, api: Client, time_machine: time_machine.TimeMachineFixture
) -> None:
    settings.IDEMPOTENCY_KEY_HOURS = 2
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    post(api, PUSH, ROWS)
    time_machine.move_to(start + dt.timedelta(hours=1), tick=False)
    assert idempotency.REPLAYED in post(api, PUSH, ROWS)
    time_machine.move_to(start + dt.timedelta(hours=2, seconds=1), tick=False)
    assert idempotency.REPLAYED not in post(api, PUSH, ROWS)
    assert ImportRun.objects.count() == 2


def test_it_purges_expired_keys_periodically(
    settings: Settings, api: Client, time_machine: time_machine.TimeMachineFixture
) -> None:
    settings.IDEMPOTENCY_KEY_HOURS = 24
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    post(api, PUSH, ROWS, key="old")
    time_machine.move_to(start + dt.timedelta(hours=23), tick=False)
    post(api, PUSH, ROWS, key="new")
    time_machine.move_to(start + dt.timedelta(hours=24, seconds=1), tick=False)
    REGISTRY["integration.jobs.purge_idempotency_records"].func()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_it_does_not_keep_server_errors(
    api: Client, monkeypatch: pytest.MonkeyPatch, release_key: tuple[ApiKey, str]
) -> None:
    from sportello.integration.api import imports

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(imports, "import_rows", broken)
    response = post(api, PUSH, ROWS)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.undo()
    # undo() removed the fake kinds too: the retry runs again (and finds no kind).
    assert post(api, PUSH, ROWS).status_code == 404


# FatturaPA

XML = b'<?xml version="1.0"?><p:FatturaElettronica versione="FPR12"/>'


def push_file(api: Client, body: bytes, key: str = "f-1", **params: str) -> Any:
    query = "&".join(f"{k}={v}" for k, v in ({"file_name": "IT1_00001.xml"} | params).items())
    return api.post(
        f"/api/v1/fatturapa?{query}",
        body,
        content_type="application/xml",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_it_imports_a_fatturapa_file(api: Client) -> None:
    response = push_file(api, XML)
    assert response.status_code == 200, response.content
    run = ImportRun.objects.get()
    assert (run.kind, run.file_name, run.created) == ("fatturapa", "IT1_00001.xml", 1)
    assert push_file(api, XML).content == response.content
    assert ImportRun.objects.count() == 1


def test_it_rejects_a_file_that_is_not_fatturapa(api: Client) -> None:
    response = push_file(api, b"<html/>")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "xml"


def test_it_refuses_other_media_types_and_large_files(settings: Settings, api: Client) -> None:
    wrong = api.post(
        "/api/v1/fatturapa?file_name=a.xml",
        b"{}",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert wrong.status_code == 415
    settings.FILE_UPLOAD_MAX_BYTES = 10
    assert push_file(api, XML, key="big").status_code == 413
