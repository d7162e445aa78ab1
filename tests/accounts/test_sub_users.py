"""Sub-users (A12): the main user adds, edits and deletes them; nobody else can.

Another customer, another company and a visitor are refused by the owner
matrix (tests/owner_matrix.py); here a sub-user is refused its siblings too, and
the welcome link sets the first password once, within its validity.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from tests.factories import (
    Tenant,
    make_customer,
    make_sub_user,
    make_user,
)

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, CompanyHost, OutboxEmail

ADD = "/accesso/profilo/sotto-utenti/nuovo/"
NEW_PASSWORD = "la-mia-password-da-sotto-utente"


def edit_url(sub_user: PortalUser) -> str:
    return f"/accesso/profilo/sotto-utenti/{sub_user.pk}/modifica/"


def delete_url(sub_user: PortalUser) -> str:
    return f"/accesso/profilo/sotto-utenti/{sub_user.pk}/elimina/"


def sub_user_data(**changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Luigi",
        "last_name": "Verdi",
        "email": "luigi.verdi@example.org",
        "secondary_email": "",
        "language": "it",
        **changes,
    }


def welcome_link(email: OutboxEmail) -> str:
    match = re.search(r"https?://\S+/accesso/benvenuto/\S+/", email.body_text)
    assert match is not None, email.body_text
    return match.group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


# -- adding ---------------------------------------------------------------------


def test_it_adds_a_sub_user_numbered_after_its_parent(release: Tenant) -> None:
    client = release.logged_in_client()

    first = client.post(ADD, sub_user_data())
    client.post(ADD, sub_user_data(first_name="Anna", email="anna@example.org"))

    assert first.status_code == 302
    assert first["Location"] == "/accesso/profilo/"
    logins = list(release.user.sub_users.order_by("login").values_list("login", flat=True))
    assert logins == ["mrossi.1", "mrossi.2"]
    sub_user = PortalUser.objects.get(login="mrossi.1")
    assert sub_user.parent == release.user
    assert sub_user.customer == release.customer
    assert sub_user.company == release.company
    assert sub_user.first_name == "Luigi"
    assert not sub_user.has_usable_password()
    page = client.get("/accesso/profilo/").content.decode()
    assert "mrossi.2" in page


def test_it_numbers_after_the_highest_sub_user(release: Tenant) -> None:
    make_sub_user(release.user, "mrossi.1")
    make_sub_user(release.user, "mrossi.7")
    # Another customer's similar logins, and another company's, do not count.
    other = make_user(make_customer(release.company), "mrossi2")
    make_sub_user(other, "mrossi2.9")

    release.logged_in_client().post(ADD, sub_user_data())

    assert release.user.sub_users.filter(login="mrossi.8").exists()


def test_it_sends_the_welcome_link_from_the_companys_configured_host(release: Tenant) -> None:
    CompanyHost.objects.create(company=release.company, host="alias.release.test")
    client = Client(HTTP_HOST="alias.release.test")
    client.force_login(release.user, backend="sportello.accounts.backends.CompanyLoginBackend")

    client.post(ADD, sub_user_data(language="en"))

    email = OutboxEmail.objects.get()
    assert email.to == ["luigi.verdi@example.org"]
    assert welcome_link(email).startswith("https://release.test/accesso/benvenuto/")
    assert "mrossi.1" in email.body_text
    assert 'lang="en"' in email.body_html
    event = AuditEvent.objects.get(action="sub_user.created")
    assert event.actor == release.user
    assert event.object_label == "mrossi.1"
    assert "benvenuto" not in str(event.data)


def test_it_never_takes_the_parent_or_customer_from_the_form(release: Tenant) -> None:
    other = make_user(make_customer(release.company), "altro")

    release.logged_in_client().post(
        ADD,
        sub_user_data(
            parent=other.pk,
            customer=other.customer_id,
            company=999,
            login="altro.5",
            username="release/altro.5",
            is_staff="on",
        ),
    )

    sub_user = PortalUser.objects.get(first_name="Luigi")
    assert sub_user.parent == release.user
    assert sub_user.customer == release.customer
    assert sub_user.login == "mrossi.1"
    assert not sub_user.is_staff
    assert not other.sub_users.exists()


def test_it_shows_the_add_form_without_javascript(release: Tenant) -> None:
    response = release.logged_in_client().get(ADD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Aggiungi sotto utente" in page
    assert "Username padre" in page
    assert 'value="mrossi"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Questo campo è obbligatorio."),
        ({"last_name": "x" * 151}, "last_name", "non contenga più di 150 caratteri"),
        ({"email": "non-una-mail"}, "email", "Inserisci un indirizzo email valido."),
        ({"secondary_email": "a@b@c"}, "secondary_email", "Inserisci un indirizzo email valido."),
        ({"language": "fr"}, "language", "Scegli un'opzione valida."),
    ],
)
def test_it_refuses_bad_data_and_adds_nobody(
    release: Tenant, changes: dict[str, str], field: str, message: str
) -> None:
    response = release.logged_in_client().post(ADD, sub_user_data(**changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.context["form"].errors[field][0]
    assert not release.user.sub_users.exists()
    assert not OutboxEmail.objects.exists()


def test_it_refuses_bad_data_in_english(release: Tenant) -> None:
    client = release.logged_in_client()
    client.cookies["django_language"] = "en"

    response = client.post(ADD, sub_user_data(email="non-una-mail", first_name="x" * 151))

    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "at most 150 characters" in page
    assert not release.user.sub_users.exists()


# -- editing and deleting ---------------------------------------------------------------


def test_it_edits_a_sub_user(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    client = release.logged_in_client()

    assert client.get(edit_url(sub_user)).status_code == 200
    response = client.post(edit_url(sub_user), sub_user_data(last_name="Bianchi", language="en"))

    assert response.status_code == 302
    sub_user.refresh_from_db()
    assert (sub_user.first_name, sub_user.last_name, sub_user.language) == (
        "Luigi",
        "Bianchi",
        "en",
    )
    assert sub_user.login == "mrossi.1"
    event = AuditEvent.objects.get(action="sub_user.updated")
    assert "last_name" in event.data["fields"]
    # Its password was set, so no new welcome e-mail.
    assert not OutboxEmail.objects.exists()


def test_it_sends_a_new_welcome_when_a_waiting_sub_users_email_changes(release: Tenant) -> None:
    client = release.logged_in_client()
    client.post(ADD, sub_user_data())
    sub_user = PortalUser.objects.get(login="mrossi.1")
    old_link = welcome_link(OutboxEmail.objects.get())

    client.post(edit_url(sub_user), sub_user_data(email="giusto@example.org"))

    new_email = OutboxEmail.objects.latest("pk")
    assert new_email.to == ["giusto@example.org"]
    # The first link, sent to the wrong address, no longer works.
    anonymous = release.client()
    page = anonymous.get(path_of(old_link), follow=True).content.decode()
    assert "Il link non è valido" in page


def test_it_asks_before_deleting_without_javascript(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)

    response = release.logged_in_client().get(delete_url(sub_user))

    assert "Sicuro di voler eliminare gli elementi selezionati?" in response.content.decode()
    assert PortalUser.objects.filter(pk=sub_user.pk).exists()


def test_it_deletes_a_sub_user_and_ends_its_sessions(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    sub_users_client = release.logged_in_client(sub_user)
    assert sub_users_client.get("/accesso/profilo/").status_code == 200

    response = release.logged_in_client().post(delete_url(sub_user))

    assert response.status_code == 302
    assert not PortalUser.objects.filter(pk=sub_user.pk).exists()
    after = sub_users_client.get("/accesso/profilo/")
    assert after.status_code == 302
    assert after["Location"].startswith("/accesso/")
    assert not sub_users_client.get("/").context["user"].is_authenticated
    event = AuditEvent.objects.get(action="sub_user.deleted")
    assert event.actor == release.user
    assert event.object_label == "mrossi.1"


# -- who may ---------------------------------------------------------------------------


def all_sub_user_requests(target: PortalUser) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("get", ADD, {}),
        ("post", ADD, sub_user_data()),
        ("get", edit_url(target), {}),
        ("post", edit_url(target), sub_user_data(first_name="Preso")),
        ("get", delete_url(target), {}),
        ("post", delete_url(target), {}),
    ]


def test_it_hides_sub_user_management_from_a_sub_user(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    sibling = make_sub_user(release.user)
    client = release.logged_in_client(sub_user)

    for method, url, data in all_sub_user_requests(sibling):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)

    assert sorted(release.user.sub_users.values_list("first_name", flat=True)) == [
        "Mario",
        "Mario",
    ]
    assert not PortalUser.objects.filter(parent=sub_user).exists()


# -- the welcome link ------------------------------------------------------------------


def add_and_get_link(release: Tenant) -> str:
    release.logged_in_client().post(ADD, sub_user_data())
    return path_of(welcome_link(OutboxEmail.objects.get()))


def set_password(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    page = client.get(link)
    assert page.status_code == 302  # the token leaves the address bar
    return client.post(page["Location"], {"new_password1": password, "new_password2": password})


def test_it_lets_the_sub_user_set_its_password_once(release: Tenant) -> None:
    link = add_and_get_link(release)
    client = release.client()

    form_page = client.get(link, follow=True)
    assert "Scegli la tua password" in form_page.content.decode()
    assert "mrossi.1" in form_page.content.decode()
    response = set_password(client, link)

    assert response.status_code == 302
    assert response["Location"] == "/accesso/"
    sub_user = PortalUser.objects.get(login="mrossi.1")
    assert sub_user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="sub_user.password_set").exists()
    assert NEW_PASSWORD not in str(list(AuditEvent.objects.values_list("data", flat=True)))
    # The same link a second time, in any browser.
    again = release.client().get(link, follow=True).content.decode()
    assert "Il link non è valido" in again
    assert PortalUser.objects.get(login="mrossi.1").check_password(NEW_PASSWORD)


def test_it_refuses_an_expired_link(release: Tenant) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        link = add_and_get_link(release)
    later = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC) + dt.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 1
    )

    with time_machine.travel(later, tick=False):
        client = release.client()
        page = client.get(link, follow=True).content.decode()
        response = set_password(client, link)

    assert "Il link non è valido" in page
    assert response.status_code == 200
    assert not PortalUser.objects.get(login="mrossi.1").has_usable_password()


def test_it_refuses_the_link_on_another_companys_host(release: Tenant, energia: Tenant) -> None:
    link = add_and_get_link(release)

    page = energia.client().get(link, follow=True).content.decode()

    assert "Il link non è valido" in page


def test_it_refuses_a_tampered_link(release: Tenant) -> None:
    link = add_and_get_link(release)

    page = release.client().get(link[:-3] + "xx/", follow=True).content.decode()

    assert "Il link non è valido" in page


def test_it_refuses_a_short_or_common_password_from_the_link(release: Tenant) -> None:
    link = add_and_get_link(release)
    client = release.client()

    short = set_password(client, link, "corta12")
    common = client.post(
        client.get(link)["Location"],
        {"new_password1": "password1234", "new_password2": "password1234"},
    )

    assert "almeno 12 caratteri" in short.content.decode()
    assert "Questa password è troppo comune." in common.content.decode()
    assert not PortalUser.objects.get(login="mrossi.1").has_usable_password()


def test_it_refuses_a_password_reset_token_as_a_welcome_link(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    uidb64 = urlsafe_base64_encode(force_bytes(sub_user.pk))
    reset_token = default_token_generator.make_token(sub_user)

    page = (
        release.client()
        .get(f"/accesso/benvenuto/{uidb64}/{reset_token}/", follow=True)
        .content.decode()
    )

    assert "Il link non è valido" in page


def test_it_shows_the_sub_users_in_a_fixed_number_of_queries(
    release: Tenant, django_assert_num_queries: Any
) -> None:
    client = release.logged_in_client()
    make_sub_user(release.user)
    client.get("/accesso/profilo/")  # warm the company cache
    with CaptureQueriesContext(connection) as one_sub_user:
        client.get("/accesso/profilo/")
    for _ in range(5):
        make_sub_user(release.user)

    with django_assert_num_queries(len(one_sub_user.captured_queries)):
        response = client.get("/accesso/profilo/")

    assert response.content.decode().count("/modifica/") >= 6
