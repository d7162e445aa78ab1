"""Every customer URL asked by the owner, a sub-user, another customer, another
company and a visitor (see ``tests/owner_matrix.py``), and no customer URL
without its line in the matrix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from tests.factories import Tenant
from tests.owner_matrix import (
    CASES,
    PUBLIC,
    TODAY,
    UTILITY_CASES,
    Case,
    UtilityWorld,
    World,
    ask_everyone,
    build_utility_world,
    build_world,
    company_site_urls,
    uncovered,
)


@pytest.fixture
def world(release: Tenant) -> Iterator[World]:
    with time_machine.travel(TODAY):
        yield build_world(release)


@pytest.fixture
def utility_world(energia: Tenant) -> Iterator[UtilityWorld]:
    with time_machine.travel(TODAY):
        yield build_utility_world(energia)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_it_answers_every_identity_as_the_matrix_says(
    world: World, case: Case, django_assert_max_num_queries: Any
) -> None:
    failures = ask_everyone(world, case, django_assert_max_num_queries)

    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("case", UTILITY_CASES, ids=[case.id for case in UTILITY_CASES])
def test_it_answers_every_identity_of_a_utility_as_the_matrix_says(
    utility_world: UtilityWorld, case: Case, django_assert_max_num_queries: Any
) -> None:
    failures = ask_everyone(utility_world, case, django_assert_max_num_queries)

    assert not failures, "\n\n".join(failures)


def test_it_has_a_case_for_every_customer_url() -> None:
    assert uncovered(CASES + UTILITY_CASES) == set(), (
        "These customer URLs have no line in tests/owner_matrix.py CASES "
        "(or belong in PUBLIC if they show nobody's data)"
    )
    assert company_site_urls().unnamed == []


def test_it_names_only_urls_that_exist() -> None:
    names = company_site_urls().names

    assert {case.name for case in CASES + UTILITY_CASES} - names == set()
    assert PUBLIC - names == set()


def test_it_fails_when_a_customer_url_has_no_case() -> None:
    without_plan = [case for case in CASES + UTILITY_CASES if case.name != "leasing:plan"]

    assert uncovered(without_plan) == {"leasing:plan"}
