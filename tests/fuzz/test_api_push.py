"""The REST API's push endpoints, sent arbitrary bodies, headers and query
strings by a core system with a valid key: never a server error, always a
JSON answer, and a refused push leaves the data as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import Tenant
from tests.integration.api_support import key_client

from sportello.integration.feeds.kinds import TABULAR
from sportello.integration.models import ApiKey

from .pages import snapshot
from .strategies import any_text, examples, field_value

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(any_text, children, max_size=3)
    ),
    max_leaves=8,
)
kinds = st.one_of(st.sampled_from([kind.name for kind in TABULAR]), st.just("documents"), any_text)


def columns_of(kind: str) -> list[str]:
    found = next((k for k in TABULAR if k.name == kind), None)
    return [column.name for column in found.columns()] if found else ["code"]


@pytest.fixture
def api(release: Tenant) -> Client:
    return key_client(release, ApiKey.issue(release.company, "Sistema centrale")[1])


def assert_answered(response: Any, before: dict[str, Any]) -> None:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith(("application/json", "application/problem+json"))
    if response.status_code != 200 or response.json().get("status") != "done":
        # The run itself is recorded, and the key notes when it was last used.
        after = snapshot()
        changed = [
            label
            for label in before
            if before[label] != after[label]
            and label not in {"integration.ImportRun", "integration.ApiKey"}
        ]
        assert not changed, changed


@examples(25)
@given(
    kind=kinds,
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"rows": st.lists(st.dictionaries(any_text, json_values, max_size=3), max_size=3)},
            optional={"dry_run": json_values},
        ),
    ),
    idempotency_key=st.one_of(st.none(), any_text, st.just("k" * 300)),
)
def test_it_answers_any_json_pushed_to_an_import(
    api: Client, kind: str, body: Any, idempotency_key: str | None
) -> None:
    headers = {} if idempotency_key is None else {"HTTP_IDEMPOTENCY_KEY": idempotency_key}
    before = snapshot()

    response = api.post(
        f"/api/v1/import/{kind}", json.dumps(body), content_type="application/json", **headers
    )

    assert_answered(response, before)


@examples(20)
@given(data=st.data(), kind=st.sampled_from([kind.name for kind in TABULAR]))
def test_it_answers_any_rows_of_a_kind_pushed(api: Client, data: Any, kind: str) -> None:
    names = columns_of(kind)
    rows = data.draw(
        st.lists(
            st.dictionaries(
                st.sampled_from(names), st.one_of(field_value, json_values), max_size=len(names)
            ),
            min_size=1,
            max_size=3,
        )
    )
    before = snapshot()

    response = api.post(
        f"/api/v1/import/{kind}",
        json.dumps({"rows": rows}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=data.draw(st.uuids()).hex,
    )

    assert_answered(response, before)


@examples(20)
@given(
    body=st.binary(max_size=300),
    media=st.sampled_from(["application/xml", "text/xml", "application/pkcs7-mime", "text/plain"]),
    file_name=st.one_of(any_text, st.sampled_from(["IT01234567890_00001.xml", "a.xml.p7m"])),
    dry_run=st.sampled_from(["true", "false", "x", ""]),
)
def test_it_answers_any_file_pushed_as_fatturapa(
    api: Client, body: bytes, media: str, file_name: str, dry_run: str
) -> None:
    before = snapshot()

    response = api.post(
        "/api/v1/fatturapa?" + _query({"file_name": file_name, "dry_run": dry_run}),
        body,
        content_type=media,
        HTTP_IDEMPOTENCY_KEY="k-" + str(abs(hash((body, media, file_name, dry_run)))),
    )

    assert_answered(response, before)


def _query(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
