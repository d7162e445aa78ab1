"""«Password dimenticata?» (A8): the same answer for everybody, a single-use
link valid one hour on the company's configured host, then a normal login."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone
from tests.accounts.login_steps import WRONG, log_in, open_link, password_step, visible_page
from tests.factories import Tenant, make_sub_user, make_user

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, CompanyHost, OutboxEmail

NEW_PASSWORD = "una nuova frase segreta 2026"
SAME_ANSWER = (
    "Se i dati corrispondono a un cliente registrato, riceverai una e-mail con le istruzioni."
)
INVALID_LINK = "Il link è già stato usato oppure è scaduto"


def ask(client: Client, identifier: str) -> Any:
    return client.post("/accesso/password-dimenticata/", {"identifier": identifier})


def emailed_path(tenant: Tenant) -> str:
    email = OutboxEmail.objects.order_by("-pk").first()
    assert email is not None
    match = re.search(r"https://([^/\s]+)(/accesso/nuova-password/\S+/)", email.body_text)
    assert match is not None
    assert match.group(1) == tenant.company.primary_host
    return match.group(2)


def choose(
    client: Client, path: str, password: str = NEW_PASSWORD, again: str | None = None
) -> Any:
    data = {"new_password1": password, "new_password2": again or password}
    return client.post(open_link(client, path), data)


def test_it_is_linked_from_the_login_page(release: Tenant) -> None:
    response = release.client().get("/accesso/password-dimenticata/")

    assert response.status_code == 200
    assert "Password dimenticata?" in response.content.decode()


def test_it_emails_a_link_for_the_username(release: Tenant) -> None:
    response = ask(release.client(), "mrossi")

    assert response.status_code == 200
    assert SAME_ANSWER in response.content.decode()
    email = OutboxEmail.objects.get()
    assert email.to == [release.user.email]
    assert email.subject == "Release S.p.A. – nuova password"
    emailed_path(release)
    event = AuditEvent.objects.get(action="password.reset_requested")
    assert event.object_id == str(release.user.pk)
    assert "nuova-password" not in str(event.data)


def test_it_emails_a_link_for_the_email_address(release: Tenant) -> None:
    ask(release.client(), release.user.email.upper())

    assert OutboxEmail.objects.get().to == [release.user.email]


def test_it_answers_unknown_data_like_known_data(release: Tenant, energia: Tenant) -> None:
    make_user(energia.customer, "solo-energia")
    known = ask(release.client(), "mrossi")
    OutboxEmail.objects.all().delete()

    for identifier in ["nessuno", "nessuno@example.test", "solo-energia"]:
        other = ask(release.client(), identifier)

        assert other.status_code == known.status_code
        assert visible_page(other) == visible_page(known)
    assert not OutboxEmail.objects.exists()


def test_it_builds_the_link_from_the_configured_host_not_the_request(release: Tenant) -> None:
    CompanyHost.objects.create(company=release.company, host="alias.release.test")
    client = Client(HTTP_HOST="alias.release.test")

    ask(client, "mrossi")

    assert "https://release.test/accesso/nuova-password/" in OutboxEmail.objects.get().body_text
    assert "alias" not in OutboxEmail.objects.get().body_text


def test_it_sets_the_new_password_then_asks_for_a_normal_login(release: Tenant) -> None:
    ask(release.client(), "mrossi")
    path = emailed_path(release)
    client = release.client()

    form = client.get(path, follow=True)
    assert form.status_code == 200
    assert "Scegli una nuova password" in form.content.decode()
    response = choose(client, path)

    assert response["Location"] == "/accesso/"
    page = client.get("/accesso/").content.decode()
    assert "La password è stata aggiornata: accedi con la nuova password." in page
    assert not client.get("/").context["user"].is_authenticated
    assert WRONG in password_step(release.client(), "mrossi").content.decode()
    assert log_in(release.client(), "mrossi", NEW_PASSWORD)["Location"] == "/"
    event = AuditEvent.objects.get(action="password.reset")
    assert NEW_PASSWORD not in str(event.data)


def test_it_refuses_a_link_used_once_already(release: Tenant) -> None:
    ask(release.client(), "mrossi")
    path = emailed_path(release)
    choose(release.client(), path)

    again = release.client().get(path, follow=True)
    post = choose(release.client(), path, "ancora un'altra frase 2026")

    assert INVALID_LINK in again.content.decode()
    assert 'href="/accesso/password-dimenticata/"' in again.content.decode()
    assert INVALID_LINK in post.content.decode()
    assert log_in(release.client(), "mrossi", NEW_PASSWORD)["Location"] == "/"


def test_it_accepts_the_link_until_one_hour(release: Tenant) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ask(release.client(), "mrossi")
        clock.shift(dt.timedelta(minutes=59, seconds=59))

        assert choose(release.client(), emailed_path(release))["Location"] == "/accesso/"


def test_it_refuses_the_link_after_one_hour_and_one_second(release: Tenant) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ask(release.client(), "mrossi")
        clock.shift(dt.timedelta(hours=1, seconds=1))

        response = choose(release.client(), emailed_path(release))

    assert INVALID_LINK in response.content.decode()
    assert log_in(release.client(), "mrossi")["Location"] == "/"


def test_it_refuses_a_link_on_another_companys_host(release: Tenant, energia: Tenant) -> None:
    ask(release.client(), "mrossi")

    response = energia.client().get(emailed_path(release), follow=True)

    assert INVALID_LINK in response.content.decode()


def test_it_refuses_a_tampered_link(release: Tenant) -> None:
    response = release.client().get("/accesso/nuova-password/MQ/abc-123/", follow=True)

    assert INVALID_LINK in response.content.decode()


def test_it_refuses_a_short_or_common_password(release: Tenant) -> None:
    ask(release.client(), "mrossi")
    path = emailed_path(release)
    client = release.client()

    short = choose(client, path, "corta12")
    common = choose(client, path, "password1234")
    different = choose(client, path, NEW_PASSWORD, "un'altra frase ancora 2026")

    # Django's message (its Italian plural is not picked up yet: see the lead's notes).
    assert "12" in short.context["form"].errors["new_password1"][0]
    assert "troppo comune" in common.content.decode()
    assert "Le due password non coincidono" in different.content.decode()
    # Nothing changed: the old password and the link still work.
    assert password_step(release.client(), "mrossi").status_code == 302
    assert choose(client, path)["Location"] == "/accesso/"


def test_it_ends_every_session_of_the_user(release: Tenant) -> None:
    other_browser = release.client()
    log_in(other_browser, "mrossi")
    assert other_browser.get("/").context["user"] == release.user
    ask(release.client(), "mrossi")

    choose(release.client(), emailed_path(release))

    assert not other_browser.get("/").context["user"].is_authenticated


def test_it_lifts_the_lockout_and_the_temporary_password(release: Tenant) -> None:
    release.user.must_change_password = True
    release.user.save()
    for _ in range(3):
        password_step(release.client(), "mrossi", "password-sbagliata")
    ask(release.client(), "mrossi")

    choose(release.client(), emailed_path(release))

    user = PortalUser.objects.get(pk=release.user.pk)
    assert not user.must_change_password
    assert log_in(release.client(), "mrossi", NEW_PASSWORD)["Location"] == "/"


def test_it_resets_a_sub_users_password_with_its_own_login(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, email="figlio@example.test")

    ask(release.client(), sub_user.login)

    assert OutboxEmail.objects.get().to == ["figlio@example.test"]


def test_it_throttles_requests_for_one_account(
    release: Tenant, time_machine: time_machine.TimeMachineFixture
) -> None:
    # At the start of an hour's window: the answer says the whole hour.
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    for n in range(5):
        ask(release.client(REMOTE_ADDR=f"10.0.0.{n}"), "mrossi")

    response = ask(release.client(REMOTE_ADDR="10.0.1.1"), "mrossi")

    assert response.status_code == 429
    assert "Troppi tentativi: riprova tra 60 minuti." in response.content.decode()
    assert OutboxEmail.objects.count() == 5


def test_it_asks_for_the_username_or_email(release: Tenant) -> None:
    response = ask(release.client(), "")

    assert response.context["form"].errors["identifier"]
    assert not OutboxEmail.objects.exists()


def test_it_says_what_is_missing_when_the_post_carries_no_field(release: Tenant) -> None:
    """Found by fuzzing: an empty POST was read as a GET and the form came back
    without a word (the same held for every form built with ``request.POST or None``)."""
    response = release.client().post("/accesso/password-dimenticata/", {})

    assert response.status_code == 200
    assert "Questo campo è obbligatorio." in response.content.decode()
    assert not AuditEvent.objects.filter(action="password.reset_requested").exists()
