"""Every form of the customer pages, posted through HTTP with arbitrary values
by the owner of a customer with one of everything (``tests/owner_matrix.py``):
never a server error, and a form sent back with errors has changed nothing and
shows a message. The forms are read from the pages, so a new field is fuzzed too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from pytest_django import Settings
from tests.factories import Tenant
from tests.owner_matrix import (
    TODAY,
    UtilityWorld,
    World,
    build_utility_world,
    build_world,
)

from sportello.energy.models import ReadingWindow

from .pages import PostForm, filled, post_and_check, post_forms
from .strategies import examples, field_value

PASSWORD = "una-password-lunga-2024"

#: The pages with forms, and the paths of their forms (the language switch is on every page).
LEASING_PAGES: dict[str, tuple[Callable[[World], str], tuple[str, ...]]] = {
    "profile": (lambda w: "/accesso/profilo/", ("/accesso/profilo/", "/sotto-utenti/")),
    "password": (lambda w: "/accesso/profilo/password/", ("/password/",)),
    "notifications": (lambda w: "/accesso/profilo/notifiche/", ("/notifiche/",)),
    "language": (lambda w: "/accesso/profilo/", ("/lingua/",)),
    "reply": (lambda w: f"/richieste/{w.request.code}/", ("/rispondi/",)),
    **{
        f"request {slug}": (lambda w, slug=slug: f"/richieste/nuova/{slug}/", (f"/{slug}/",))
        for slug in ("iban", "indirizzo", "altre", "estinzione", "reclamo", "pec")
    },
}
UTILITY_PAGES: dict[str, tuple[Callable[[UtilityWorld], str], tuple[str, ...]]] = {
    "contacts": (lambda w: "/accesso/dati-anagrafici/", ("/dati-anagrafici/",)),
    "point": (lambda w: "/", ("/fornitura/punto/",)),
    "readings": (lambda w: "/fornitura/autoletture/?aggiungi=1", ("/autoletture/",)),
    "discrepancy": (lambda w: "/richieste/nuova/difformita/", ("/difformita/",)),
    "reply": (lambda w: f"/richieste/{w.request.code}/", ("/rispondi/",)),
    "ticket": (lambda w: "/richieste/nuova/ticket/", ("/ticket/",)),
    "complaint": (lambda w: "/richieste/nuova/reclamo/", ("/reclamo/",)),
}


@pytest.fixture(autouse=True)
def unscanned_uploads(settings: Settings) -> None:
    """Files are accepted unscanned, so that valid uploads get through to the
    service (tests/core proves the scanning with a real clamd)."""
    settings.CLAMAV_REQUIRED = False
    settings.CLAMAV_SOCKET = "/nonexistent"
    settings.CLAMAV_TCP = ""


@pytest.fixture
def world(release: Tenant) -> Iterator[World]:
    with time_machine.travel(TODAY, tick=False):
        yield build_world(release)


@pytest.fixture
def utility_world(energia: Tenant) -> Iterator[UtilityWorld]:
    with time_machine.travel(TODAY, tick=False):
        world = build_utility_world(energia)
        for commodity in ("gas", "electricity"):
            ReadingWindow.objects.create(
                company=energia.company,
                commodity=commodity,
                opens_at=TODAY - dt.timedelta(days=5),
                closes_at=TODAY + dt.timedelta(days=5),
            )
        yield world


def forms_of(client: Client, page: str, paths: tuple[str, ...]) -> list[PostForm]:
    found = [
        form
        for form in post_forms(client, page)
        if any(path in form.action for path in paths) and "/elimina/" not in form.action
    ]
    assert found, f"no form {paths} on {page}"
    return found


def fuzz(client: Client, form: PostForm, count: int) -> None:
    valid = {"password": PASSWORD, "current_password": PASSWORD}

    @examples(count)
    @given(data=filled(form, valid), htmx=st.booleans())
    def post(data: dict[str, object], htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        client.defaults.update(
            {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        )
        try:
            post_and_check(client, form.action, data)
        finally:
            client.defaults.pop("HTTP_HX_REQUEST", None)

    post()


@pytest.mark.parametrize("page", sorted(LEASING_PAGES))
def test_it_answers_any_post_to_a_leasing_customers_form(world: World, page: str) -> None:
    url, paths = LEASING_PAGES[page]
    client = world.client("owner")

    for form in forms_of(client, url(world), paths):
        fuzz(client, form, 8)


@pytest.mark.parametrize("page", sorted(UTILITY_PAGES))
def test_it_answers_any_post_to_a_utility_customers_form(
    utility_world: UtilityWorld, page: str
) -> None:
    url, paths = UTILITY_PAGES[page]
    client = utility_world.client("owner")
    # The gas point (with a corrector, a reading window open) is the one in use.
    client.post("/fornitura/punto/", {"point": utility_world.gas.pk, "next": "/"})

    for form in forms_of(client, url(utility_world), paths):
        fuzz(client, form, 8)


#: The customer's lists and the names of their filters (the forms' own fields).
LEASING_FILTERS = {
    "/fatture-e-pagamenti/": [
        "status",
        "date_from",
        "date_to",
        "order",
        "contract",
        "page",
        "format",
    ],
    "/fatture-e-pagamenti/fatture/": [
        "number",
        "date_from",
        "date_to",
        "amount_min",
        "amount_max",
        "contract",
        "page",
    ],
    "/richieste/": ["status", "page"],
    "/notifiche/": ["unread", "kind", "page"],
    "/contratti/": ["contract", "page"],
    "/contratti/beni/": ["contract", "page", "format"],
    "/rendiconti/": ["contract", "year"],
}
UTILITY_FILTERS = {
    "/fornitura/misure/": ["dal", "al", "point"],
    "/fornitura/prelievi/": ["year", "point"],
}


def fuzz_filters(client: Client, filters: dict[str, list[str]]) -> None:
    @examples(15)
    @given(
        page=st.sampled_from(sorted(filters)),
        data=st.data(),
    )
    def get(page: str, data: st.DataObject) -> None:
        query = data.draw(
            st.dictionaries(st.sampled_from(filters[page]), field_value, max_size=4),
        )
        response = client.get(page, query)
        assert response.status_code < 500, (page, query)

    get()


def test_it_answers_any_filter_of_a_leasing_customers_list(world: World) -> None:
    fuzz_filters(world.client("owner"), LEASING_FILTERS)


def test_it_answers_any_filter_of_a_utility_customers_list(utility_world: UtilityWorld) -> None:
    fuzz_filters(utility_world.client("owner"), UTILITY_FILTERS)
