"""Sub-users who see every request of the customer or only their own (J5).

The main user chooses it in the sub-user dialog of the profile; the list,
the detail, the files, the replies and the home's panel all follow it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.factories import Tenant, make_sub_user
from tests.servicedesk.history import add_file, add_message, make_request

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent
from sportello.servicedesk.models import RequestAttachment, ServiceRequest

PROFILE = "/accesso/profilo/"
ADD = "/accesso/profilo/sotto-utenti/nuovo/"


def edit_url(sub_user: PortalUser) -> str:
    return f"/accesso/profilo/sotto-utenti/{sub_user.pk}/modifica/"


def sub_user_data(**changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Luigi",
        "last_name": "Verdi",
        "email": "luigi.verdi@example.org",
        "secondary_email": "",
        "language": "it",
        **changes,
    }


def pages(client: Client, request: ServiceRequest, attachment: RequestAttachment) -> list[int]:
    """The statuses of the request's detail, its file and a reply to it."""
    return [
        client.get(f"/richieste/{request.code}/").status_code,
        client.get(f"/richieste/{request.code}/allegati/{attachment.uid}/").status_code,
        client.post(f"/richieste/{request.code}/rispondi/", {"message": "Eccomi"}).status_code,
    ]


@pytest.fixture
def requests(release: Tenant) -> dict[str, Any]:
    """A request of the main user and one of a sub-user, each with a file."""
    sub_user = make_sub_user(release.user, first_name="Anna", last_name="Neri")
    main = make_request(release.customer, release.user, title="Richiesta del titolare")
    own = make_request(release.customer, sub_user, title="Richiesta di Anna")
    return {
        "sub_user": sub_user,
        "main": main,
        "own": own,
        "main_file": add_file(add_message(main, "Ecco", from_desk=True), "titolare.pdf"),
        "own_file": add_file(add_message(own, "Ecco", from_desk=True), "anna.pdf"),
    }


def test_it_shows_a_sub_user_every_request_of_the_customer_by_default(
    release: Tenant, requests: dict[str, Any]
) -> None:
    client = release.logged_in_client(requests["sub_user"])

    listed = client.get("/richieste/").content.decode()
    home = client.get("/").content.decode()

    assert "Richiesta del titolare" in listed and "Richiesta di Anna" in listed
    assert requests["main"].code in home and requests["own"].code in home
    assert pages(client, requests["main"], requests["main_file"]) == [200, 200, 302]


def test_it_shows_an_own_only_sub_user_only_its_requests(
    release: Tenant, requests: dict[str, Any]
) -> None:
    sub_user = requests["sub_user"]
    sub_user.sees_all_requests = False
    sub_user.save()
    client = release.logged_in_client(sub_user)
    before = requests["main"].messages.count()

    listed = client.get("/richieste/").content.decode()
    home = client.get("/").content.decode()

    assert "Richiesta di Anna" in listed and "Richiesta del titolare" not in listed
    assert requests["own"].code in home and requests["main"].code not in home
    assert pages(client, requests["main"], requests["main_file"]) == [404, 404, 404]
    assert requests["main"].messages.count() == before
    assert pages(client, requests["own"], requests["own_file"]) == [200, 200, 302]


def test_it_shows_the_main_user_the_sub_users_requests(
    release: Tenant, requests: dict[str, Any]
) -> None:
    sub_user = requests["sub_user"]
    sub_user.sees_all_requests = False
    sub_user.save()
    client = release.logged_in_client()

    listed = client.get("/richieste/").content.decode()

    assert "Richiesta di Anna" in listed and "Anna Neri" in listed
    assert pages(client, requests["own"], requests["own_file"]) == [200, 200, 302]


def test_it_lets_the_main_user_choose_what_a_sub_user_sees(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    client = release.logged_in_client()

    dialog = client.get(PROFILE).content.decode()
    response = client.post(edit_url(sub_user), sub_user_data(requests_seen="own"))

    assert "Vede tutte le richieste del cliente" in dialog
    assert "Vede solo le proprie richieste" in dialog
    assert response.status_code == 302
    sub_user.refresh_from_db()
    assert sub_user.sees_all_requests is False
    event = AuditEvent.objects.get(action="sub_user.updated")
    assert "sees_all_requests" in event.data["fields"]
    table = client.get(PROFILE).content.decode().split("<tbody>", 1)[1]
    assert "Solo le proprie richieste" in table

    client.post(edit_url(sub_user), sub_user_data(requests_seen="all"))
    sub_user.refresh_from_db()
    assert sub_user.sees_all_requests is True


def test_it_sets_the_choice_when_adding_a_sub_user(release: Tenant) -> None:
    client = release.logged_in_client()

    client.post(ADD, sub_user_data(requests_seen="own"))

    added = release.user.sub_users.get()
    assert added.sees_all_requests is False
    event = AuditEvent.objects.get(action="sub_user.created")
    assert event.data["sees_all_requests"] is False


def test_it_keeps_the_choice_when_the_form_does_not_send_it(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, sees_all_requests=False)

    release.logged_in_client().post(edit_url(sub_user), sub_user_data(last_name="Bianchi"))

    sub_user.refresh_from_db()
    assert (sub_user.last_name, sub_user.sees_all_requests) == ("Bianchi", False)


def test_it_does_not_let_a_sub_user_change_what_it_sees(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, sees_all_requests=False)
    client = release.logged_in_client(sub_user)

    edit = client.post(edit_url(sub_user), sub_user_data(requests_seen="all"))
    client.post(
        PROFILE,
        {
            "language": "it",
            "email": sub_user.email,
            "secondary_email": "",
            "requests_seen": "all",
            "sees_all_requests": "on",
        },
    )
    profile = client.get(PROFILE).content.decode()

    assert edit.status_code == 404
    sub_user.refresh_from_db()
    assert sub_user.sees_all_requests is False
    assert "Vede tutte le richieste del cliente" not in profile
