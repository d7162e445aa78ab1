"""The forms a visitor fills in before logging in (login, reset, unlock,
registration of a leasing and of a utility customer), posted with arbitrary
values: never a server error; an answer that is not the next step changed
nothing but the failure counters and the audit of the refusal."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import Tenant, make_contract

from .pages import fuzz_form, post_forms

PAGES = {
    "login": "/accesso/",
    "reset": "/accesso/password-dimenticata/",
    "unlock": "/accesso/sblocco/",
    "registration": "/accesso/registrazione/",
}


def fuzz(client: Client, page: str) -> None:
    forms = [form for form in post_forms(client, page) if "/lingua/" not in form.action]
    assert forms, page
    for form in forms:
        fuzz_form(client, form, 10)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_it_answers_any_post_to_a_leasing_visitors_form(release: Tenant, page: str) -> None:
    make_contract(release.customer)

    fuzz(release.client(), PAGES[page])


@pytest.mark.parametrize("page", ["unlock", "registration"])
def test_it_answers_any_post_to_a_utility_visitors_form(energia: Tenant, page: str) -> None:
    fuzz(energia.client(), PAGES[page])
