"""The profile (A13, A14) and the password change (A9): who may see and change what,
re-authentication, e-mail notices, other sessions ended, audit without secrets."""

from __future__ import annotations

from typing import Any

from django.test import Client
from tests.factories import PASSWORD, Tenant, make_sub_user

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, OutboxEmail

PROFILE = "/accesso/profilo/"
PASSWORD_CHANGE = "/accesso/profilo/password/"
NEW_PASSWORD = "un-altra-frase-molto-lunga"


def profile_data(user: PortalUser, **changes: Any) -> dict[str, Any]:
    assert user.customer is not None
    data: dict[str, Any] = {
        "language": user.language,
        "email": user.email,
        "secondary_email": user.secondary_email,
    }
    if user.customer.paper_invoices:
        data["paper_invoices"] = "on"
    return {**data, **changes}


def fresh(user: PortalUser) -> PortalUser:
    return PortalUser.objects.select_related("customer").get(pk=user.pk)


def assert_no_secret_in_audit(*secrets: str) -> None:
    for event in AuditEvent.objects.all():
        for secret in secrets:
            assert secret not in str(event.data)


# -- who sees the profile ---------------------------------------------------------


def test_it_shows_the_main_users_profile(release: Tenant) -> None:
    make_sub_user(release.user, first_name="Luigi", last_name="Verdi")

    response = release.logged_in_client().get(PROFILE)

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Profilo utente",
        "Informazioni anagrafiche",
        "Impostazioni",
        "Rossi Mario",  # the denomination
        'value="mrossi"',
        "Ricevi anche le fatture cartacee per posta",
        "Sotto utenti",
        "Aggiungi sotto utente",
        "mrossi.1",
        "Luigi",
        # The PEC on file is changed by a self-service request (seed 003, answer 4).
        'fai una <a href="/richieste/nuova/pec/">richiesta di modifica PEC</a>',
        'aria-describedby="id_paper_invoices_helptext"',
    ):
        assert text in page, text


def test_it_shows_a_sub_user_its_settings_but_not_the_customers(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)

    response = release.logged_in_client(sub_user).get(PROFILE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rossi Mario" in page
    assert 'name="email"' in page
    assert "paper_invoices" not in page
    assert "Sotto utenti" not in page
    assert "/sotto-utenti/nuovo/" not in page


def test_it_links_the_menu_and_the_initials_to_the_profile(release: Tenant) -> None:
    page = release.logged_in_client().get("/").content.decode()

    assert page.count(f'href="{PROFILE}"') >= 2


# -- settings -------------------------------------------------------------------


def test_it_saves_the_language_and_the_secondary_email(release: Tenant) -> None:
    client = release.logged_in_client()

    response = client.post(
        PROFILE, profile_data(release.user, language="en", secondary_email="mario@example.org")
    )

    assert response.status_code == 302
    user = fresh(release.user)
    assert user.language == "en"
    assert user.secondary_email == "mario@example.org"
    # The pages follow the choice at once, also where the header's switch had said otherwise.
    assert response.cookies["django_language"].value == "en"
    page = client.get(PROFILE).content.decode()
    assert '<html lang="en">' in page
    assert "User profile" in page
    event = AuditEvent.objects.get(action="profile.updated")
    assert event.actor == release.user
    assert sorted(event.data["fields"]) == ["language", "secondary_email"]
    assert not OutboxEmail.objects.exists()


def test_it_confirms_the_update_in_italian(release: Tenant) -> None:
    client = release.logged_in_client()

    client.post(PROFILE, profile_data(release.user, secondary_email="mario@example.org"))

    assert "Profilo aggiornato." in client.get(PROFILE).content.decode()


def test_it_changes_the_primary_email_with_the_current_password(release: Tenant) -> None:
    old = release.user.email

    response = release.logged_in_client().post(
        PROFILE,
        profile_data(release.user, email="nuova@pec.example.it", current_password=PASSWORD),
    )

    assert response.status_code == 302
    assert fresh(release.user).email == "nuova@pec.example.it"
    notice = OutboxEmail.objects.get()
    assert notice.to == [old]
    assert "email principale modificata" in notice.subject
    assert "PEC" in notice.body_text
    assert AuditEvent.objects.filter(action="email.changed").count() == 1
    assert_no_secret_in_audit(PASSWORD)


def test_it_writes_the_notice_in_the_users_language(release: Tenant) -> None:
    release.user.language = "en"
    release.user.save()

    release.logged_in_client().post(
        PROFILE,
        profile_data(release.user, email="new@example.org", current_password=PASSWORD),
    )

    notice = OutboxEmail.objects.get()
    assert 'lang="en"' in notice.body_html


def test_it_asks_for_the_current_password_to_change_the_primary_email(release: Tenant) -> None:
    old = release.user.email

    response = release.logged_in_client().post(
        PROFILE, profile_data(release.user, email="nuova@example.org")
    )

    assert response.status_code == 200
    assert "Inserisci la password attuale." in response.content.decode()
    assert fresh(release.user).email == old
    assert not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["email.changed", "profile.updated"]).exists()


def test_it_refuses_a_wrong_current_password_for_the_email(release: Tenant) -> None:
    data = profile_data(release.user, email="nuova@example.org", current_password="sbagliata")

    response = release.logged_in_client().post(PROFILE, data)

    assert "La password attuale non è corretta." in response.content.decode()
    assert response.context["form"].errors["current_password"]
    assert fresh(release.user).email == release.user.email


def test_it_stops_guessing_the_current_password(release: Tenant) -> None:
    client = release.logged_in_client()
    data = profile_data(release.user, email="nuova@example.org", current_password="sbagliata")
    for _ in range(5):
        client.post(PROFILE, data)

    response = client.post(PROFILE, {**data, "current_password": PASSWORD})

    assert "Troppi tentativi" in response.content.decode()
    assert fresh(release.user).email == release.user.email


def test_it_refuses_an_address_that_is_not_an_email_in_italian_and_english(
    release: Tenant,
) -> None:
    client = release.logged_in_client()
    data = profile_data(
        release.user, email="non-una-mail", secondary_email="x@", current_password=PASSWORD
    )

    response = client.post(PROFILE, data)
    client.cookies["django_language"] = "en"
    english = client.post(PROFILE, data).content.decode()

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "secondary_email"}
    assert "Inserisci un indirizzo email valido." in response.content.decode()
    assert "Enter a valid email address." in english
    assert fresh(release.user).email == release.user.email


def test_it_refuses_a_pec_as_secondary_email(release: Tenant) -> None:
    release.company.pec_domains = "pec.it\nlegalmail.it"
    release.company.save()

    response = release.logged_in_client().post(
        PROFILE, profile_data(release.user, secondary_email="mario@pec.it")
    )

    assert "L&#x27;email secondaria non deve essere un indirizzo PEC." in response.content.decode()
    assert fresh(release.user).secondary_email == ""


def test_it_refuses_an_unknown_language(release: Tenant) -> None:
    response = release.logged_in_client().post(PROFILE, profile_data(release.user, language="de"))

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert fresh(release.user).language == "it"


# -- paper invoices (A14) -----------------------------------------------------------


def test_it_lets_the_main_user_turn_paper_invoices_back_on(release: Tenant) -> None:
    release.customer.paper_invoices = False
    release.customer.save()

    release.logged_in_client().post(PROFILE, profile_data(release.user, paper_invoices="on"))

    assert fresh(release.user).customer.paper_invoices is True
    event = AuditEvent.objects.get(action="paper_invoices.changed")
    assert event.data == {"paper_invoices": True}
    assert event.object_id == str(release.customer.pk)


def test_it_lets_the_main_user_turn_paper_invoices_off(release: Tenant) -> None:
    data = profile_data(release.user)
    del data["paper_invoices"]

    release.logged_in_client().post(PROFILE, data)

    assert fresh(release.user).customer.paper_invoices is False


def test_it_ignores_paper_invoices_posted_by_a_sub_user(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)
    data = profile_data(sub_user, language="en")
    data.pop("paper_invoices")  # the sub-user "turns paper off"

    response = release.logged_in_client(sub_user).post(PROFILE, data)

    assert response.status_code == 302
    assert fresh(sub_user).language == "en"
    assert fresh(release.user).customer.paper_invoices is True
    assert not AuditEvent.objects.filter(action="paper_invoices.changed").exists()


# -- password change (A9) -----------------------------------------------------------


def change_password(client: Client, current: str = PASSWORD, new: str = NEW_PASSWORD) -> Any:
    return client.post(
        PASSWORD_CHANGE,
        {"current_password": current, "new_password1": new, "new_password2": new},
    )


def test_it_shows_the_password_change_form(release: Tenant) -> None:
    response = release.logged_in_client().get(PASSWORD_CHANGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in page
    assert 'autocomplete="new-password"' in page


def test_it_changes_the_password_and_ends_the_other_sessions(release: Tenant) -> None:
    client = release.logged_in_client()
    other_device = release.logged_in_client()
    session_before = client.cookies["sessionid"].value

    response = change_password(client)

    assert response.status_code == 302
    assert fresh(release.user).check_password(NEW_PASSWORD)
    # This session goes on, under a new id; the other one is over.
    assert client.get(PROFILE).status_code == 200
    assert client.cookies["sessionid"].value != session_before
    assert other_device.get(PROFILE).status_code == 302
    notice = OutboxEmail.objects.get()
    assert notice.to == [release.user.email]
    assert "password modificata" in notice.subject
    assert AuditEvent.objects.filter(action="password.changed", actor=release.user).exists()
    assert_no_secret_in_audit(PASSWORD, NEW_PASSWORD)


def test_it_refuses_a_wrong_current_password(release: Tenant) -> None:
    client = release.logged_in_client()

    response = change_password(client, current="non-e-la-mia")

    assert response.status_code == 200
    assert "La password attuale non è corretta." in response.content.decode()
    assert fresh(release.user).check_password(PASSWORD)
    assert not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(action="password.changed").exists()


def test_it_refuses_a_short_password_in_italian_and_english(release: Tenant) -> None:
    client = release.logged_in_client()

    italian = change_password(client, new="abc1234").content.decode()
    client.cookies["django_language"] = "en"
    english = change_password(client, new="abc1234")

    assert "La password è troppo corta: deve avere almeno 12 caratteri." in italian
    assert "The password is too short: it must have at least 12 characters." in (
        english.content.decode()
    )
    assert '<html lang="en">' in english.content.decode()
    assert fresh(release.user).check_password(PASSWORD)


def test_it_refuses_a_common_password_in_italian_and_english(release: Tenant) -> None:
    client = release.logged_in_client()

    response = change_password(client, new="password1234")
    client.cookies["django_language"] = "en"
    english = change_password(client, new="password1234").content.decode()

    assert "Questa password è troppo comune." in response.content.decode()
    assert "This password is too common." in english
    assert fresh(release.user).check_password(PASSWORD)


def test_it_refuses_two_different_new_passwords(release: Tenant) -> None:
    response = release.logged_in_client().post(
        PASSWORD_CHANGE,
        {
            "current_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD + "x",
        },
    )

    assert "Le due password non coincidono." in response.content.decode()
    assert fresh(release.user).check_password(PASSWORD)


def test_it_accepts_a_long_passphrase(release: Tenant) -> None:
    passphrase = "una frase lunga " * 6  # 96 characters, spaces kept

    assert change_password(release.logged_in_client(), new=passphrase).status_code == 302
    assert fresh(release.user).check_password(passphrase)


def test_it_lets_a_sub_user_change_its_own_password(release: Tenant) -> None:
    sub_user = make_sub_user(release.user)

    response = change_password(release.logged_in_client(sub_user))

    assert response.status_code == 302
    assert fresh(sub_user).check_password(NEW_PASSWORD)
    assert fresh(release.user).check_password(PASSWORD)


def test_it_sends_a_utility_customer_to_the_contacts_for_the_pec(energia: Tenant) -> None:
    page = energia.logged_in_client().get(PROFILE).content.decode()

    assert 'i recapiti sono nella pagina <a href="/contatti/">Contatti</a>' in page
    assert "/richieste/nuova/pec/" not in page
