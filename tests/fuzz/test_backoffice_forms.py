"""Every form of the back office (request desk, broadcasts, imports, API keys,
filters), posted through HTTP with arbitrary values by an operator: never a
server error, and a form sent back with errors has changed nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from tests.backoffice import conftest as back_office
from tests.backoffice.helpers import open_request
from tests.factories import Tenant

from sportello.servicedesk.models import ServiceRequest

from .pages import fuzz_form, post_forms
from .strategies import examples, field_value

# The back office's own fixtures: its platform host (no scanner), Giulia Verdi and her desk.
back_office_host = back_office.back_office_host
operator = back_office.operator
desk = back_office.desk


@pytest.fixture
def request_(release: Tenant) -> ServiceRequest:
    return open_request(release)


def page_url(desk: Client, name: str, release: Tenant, request: ServiceRequest) -> str:
    from django.urls import reverse

    slug = release.company.slug
    if name == "request":
        return reverse("backoffice:request", args=[slug, request.code])
    return reverse(f"backoffice:{name}", args=[slug])


@pytest.mark.parametrize("name", ["request", "new_broadcast", "imports", "api_keys"])
def test_it_answers_any_post_to_a_back_office_form(
    desk: Client, release: Tenant, request_: ServiceRequest, name: str
) -> None:
    page = page_url(desk, name, release, request_)
    forms = [form for form in post_forms(desk, page) if "/lingua/" not in form.action]
    assert forms, page

    for form in forms:
        fuzz_form(desk, form, 8)


@pytest.mark.parametrize("name", ["queue", "complaints", "broadcasts", "imports"])
def test_it_answers_any_filter_of_a_back_office_list(
    desk: Client, release: Tenant, name: str
) -> None:
    page = page_url(desk, name, release, None)  # type: ignore[arg-type]

    @examples(15)
    @given(
        query=st.dictionaries(
            st.sampled_from(
                ["status", "kind", "assignee", "deadline", "year", "page", "sort", "q"]
            ),
            field_value,
            max_size=4,
        )
    )
    def get(query: dict[str, str]) -> None:
        response = desk.get(page, query)
        assert response.status_code < 500, (page, query)

    get()
