"""Three failed passwords lock the account (A7); the self-service unlock and the
operators lift the lock; a locked account looks like any failed login."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings
from tests.accounts.login_steps import (
    WRONG,
    code_emails,
    last_code,
    log_in,
    open_link,
    password_step,
    visible_page,
)
from tests.factories import (
    PASSWORD,
    Tenant,
    codice_fiscale,
    make_contract,
    make_customer,
    make_operator,
    make_sub_user,
    make_user,
    operator_client,
    partita_iva,
)

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.customers.models import PersonKind

NEW_PASSWORD = "una nuova frase segreta 2026"
SAME_ANSWER = (
    "Se i dati corrispondono a un cliente registrato, riceverai una e-mail con le istruzioni."
)


def fail(client: Client, login: str = "mrossi") -> Any:
    response = password_step(client, login, "password-sbagliata")
    assert response.status_code == 200
    return response


def lock(tenant: Tenant, login: str = "mrossi") -> None:
    for _ in range(3):
        fail(tenant.client(), login)


def test_it_locks_the_account_at_the_third_failure(release: Tenant) -> None:
    client = release.client()
    fail(client)
    fail(client)
    assert not AuditEvent.objects.filter(action="account.locked").exists()

    third = fail(client)

    assert WRONG in third.content.decode()
    locked = AuditEvent.objects.get(action="account.locked")
    assert locked.object_id == str(release.user.pk)
    assert locked.company == release.company


def test_it_answers_a_locked_account_exactly_like_a_wrong_password(release: Tenant) -> None:
    lock(release)

    right = password_step(release.client(), "mrossi", PASSWORD)
    wrong = password_step(release.client(), "mrossi", "password-sbagliata")
    unknown = password_step(release.client(), "nessuno", PASSWORD)

    assert right.status_code == wrong.status_code == unknown.status_code == 200
    assert right.context["form"].errors == wrong.context["form"].errors
    assert right.context["form"].errors == unknown.context["form"].errors
    assert WRONG in right.content.decode()
    assert not code_emails(release.user.email)


def test_it_answers_a_locked_account_in_english_too(release: Tenant) -> None:
    lock(release)
    client = release.client()
    client.cookies["django_language"] = "en"

    response = password_step(client, "mrossi", PASSWORD)

    assert response.status_code == 200
    assert "Incorrect username or password." in response.content.decode()


def test_it_counts_only_consecutive_failures(release: Tenant) -> None:
    fail(release.client())
    fail(release.client())
    password_step(release.client(), "mrossi")  # the right password starts the count again
    fail(release.client())
    fail(release.client())

    assert password_step(release.client(), "mrossi").status_code == 302


def test_it_locks_one_account_of_one_company(release: Tenant, energia: Tenant) -> None:
    other = make_user(release.customer, "altro")
    lock(release)

    # The same login at another company, and another login here, still work.
    assert password_step(energia.client(), "mrossi").status_code == 302
    assert password_step(release.client(), other.login).status_code == 302


def test_it_unlocks_with_the_link_and_the_new_password(release: Tenant) -> None:
    contract = make_contract(release.customer)
    lock(release)
    client = release.client()

    response = client.post(
        "/accesso/sblocco/",
        {
            "contract_number": contract.number,
            "module_number": contract.module_number,
            "tax_id": release.customer.codice_fiscale.lower(),
        },
    )

    assert response.status_code == 200
    assert SAME_ANSWER in response.content.decode()
    email = OutboxEmail.objects.get()
    assert email.to == [release.user.email]
    assert email.subject == "Release S.p.A. – sblocco dell'accesso"
    link = next(line for line in email.body_text.splitlines() if "/nuova-password/" in line)
    assert link.startswith("https://release.test/accesso/nuova-password/")
    path = link.removeprefix("https://release.test")
    # Still locked until the new password is chosen.
    assert password_step(release.client(), "mrossi").status_code == 200

    response = client.post(
        open_link(client, path), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == "/accesso/"
    client = release.client()
    assert log_in(client, "mrossi", NEW_PASSWORD)["Location"] == "/"
    assert AuditEvent.objects.filter(action="account.unlocked", actor=release.user).exists()
    assert AuditEvent.objects.filter(action="unlock.requested").get().object_id == str(
        release.user.pk
    )


def test_it_unlocks_a_utility_customer_with_code_and_partita_iva(energia: Tenant) -> None:
    vat = partita_iva()
    customer = make_customer(
        energia.company,
        code="000123",
        kind=PersonKind.LEGAL,
        codice_fiscale=vat,
        partita_iva=vat,
        pec="amministrazione@pec.example.test",
    )
    user = make_user(customer, "000123", email="amministrazione@pec.example.test")
    lock(energia, "000123")

    response = energia.client().post(
        "/accesso/sblocco/", {"customer_code": "000123", "tax_id": vat}
    )

    assert SAME_ANSWER in response.content.decode()
    email = OutboxEmail.objects.get()
    assert email.to == [user.email]
    assert "https://energia.test/accesso/nuova-password/" in email.body_text


def test_it_sends_the_unlock_link_to_the_main_user_only(release: Tenant) -> None:
    contract = make_contract(release.customer)
    make_sub_user(release.user, email="figlio@example.test")

    release.client().post(
        "/accesso/sblocco/",
        {
            "contract_number": contract.number,
            "module_number": contract.module_number,
            "tax_id": release.customer.codice_fiscale,
        },
    )

    assert [email.to for email in OutboxEmail.objects.all()] == [[release.user.email]]


@pytest.mark.parametrize(
    "change",
    [
        {"contract_number": "999999"},  # unknown contract
        {"module_number": "M0"},  # wrong module
        {"tax_id": codice_fiscale(9999)},  # another (valid) codice fiscale
    ],
)
def test_it_answers_unknown_and_mismatching_unlock_data_the_same(
    release: Tenant, change: dict[str, str]
) -> None:
    contract = make_contract(release.customer)
    right = {
        "contract_number": contract.number,
        "module_number": contract.module_number,
        "tax_id": release.customer.codice_fiscale,
    }
    matching = release.client().post("/accesso/sblocco/", right)
    OutboxEmail.objects.all().delete()

    other = release.client().post("/accesso/sblocco/", {**right, **change})

    assert other.status_code == matching.status_code == 200
    assert visible_page(other) == visible_page(matching)
    assert not OutboxEmail.objects.exists()


def test_it_answers_a_customer_without_a_portal_user_the_same(release: Tenant) -> None:
    stranger = make_customer(release.company)
    contract = make_contract(stranger)

    response = release.client().post(
        "/accesso/sblocco/",
        {
            "contract_number": contract.number,
            "module_number": contract.module_number,
            "tax_id": stranger.codice_fiscale,
        },
    )

    assert SAME_ANSWER in response.content.decode()
    assert not OutboxEmail.objects.exists()


def test_it_does_not_unlock_with_another_companys_contract(
    release: Tenant, energia: Tenant
) -> None:
    contract = make_contract(release.customer)

    response = energia.client().post(
        "/accesso/sblocco/",
        {"customer_code": release.customer.code[-6:], "tax_id": release.customer.codice_fiscale},
    )
    release_form = release.client().get("/accesso/sblocco/").context["form"]
    energia_form = energia.client().get("/accesso/sblocco/").context["form"]

    assert set(release_form.fields) == {"contract_number", "module_number", "tax_id"}
    assert set(energia_form.fields) == {"customer_code", "tax_id"}
    assert response.status_code == 200
    assert not OutboxEmail.objects.exists()
    assert contract.company == release.company


def test_it_explains_a_malformed_codice_fiscale(release: Tenant) -> None:
    response = release.client().post(
        "/accesso/sblocco/",
        {"contract_number": "1", "module_number": "2", "tax_id": "RSSMRA80A01H501A"},
    )

    assert response.status_code == 200
    assert "Il codice fiscale non è valido" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_explains_a_customer_code_that_is_not_six_digits(energia: Tenant) -> None:
    response = energia.client().post(
        "/accesso/sblocco/", {"customer_code": "12", "tax_id": partita_iva()}
    )

    assert "Il codice cliente è formato da 6 cifre." in response.content.decode()


@pytest.mark.usefixtures("fixed_window")
def test_it_throttles_the_unlock_per_contract(release: Tenant) -> None:
    data = {"contract_number": "123", "module_number": "4", "tax_id": codice_fiscale(9999)}
    for _ in range(5):
        release.client(REMOTE_ADDR=f"10.0.0.{_}").post("/accesso/sblocco/", data)

    response = release.client(REMOTE_ADDR="10.0.1.1").post("/accesso/sblocco/", data)

    assert response.status_code == 429
    assert "Troppi tentativi: riprova tra" in response.content.decode()


def test_it_lets_an_operator_unlock_from_the_admin(release: Tenant, settings: Settings) -> None:
    settings.PLATFORM_HOSTS = ["backoffice.test"]
    lock(release)
    operator = make_operator(
        release.company,
        permissions=["accounts.view_portaluser", "accounts.change_portaluser"],
    )
    back_office = operator_client(operator)

    response = back_office.post(
        "/admin/accounts/portaluser/",
        {"action": "unlock_access", "_selected_action": [release.user.pk]},
        follow=True,
    )

    assert "1 utente sbloccato." in response.content.decode()
    assert password_step(release.client(), "mrossi").status_code == 302
    event = AuditEvent.objects.get(action="account.unlocked")
    assert event.actor == operator
    assert event.company == release.company


def test_it_hides_other_companies_users_from_the_unlock_action(
    release: Tenant, energia: Tenant, settings: Settings
) -> None:
    settings.PLATFORM_HOSTS = ["backoffice.test"]
    lock(energia)
    operator = make_operator(
        release.company,
        permissions=["accounts.view_portaluser", "accounts.change_portaluser"],
    )
    back_office = operator_client(operator)

    back_office.post(
        "/admin/accounts/portaluser/",
        {"action": "unlock_access", "_selected_action": [energia.user.pk]},
    )

    assert password_step(energia.client(), "mrossi").status_code == 200
    assert not AuditEvent.objects.filter(action="account.unlocked").exists()


def test_it_keeps_the_code_e_mails_out_of_a_locked_account(release: Tenant) -> None:
    lock(release)

    password_step(release.client(), "mrossi")

    assert PortalUser.objects.get(pk=release.user.pk).last_login is None
    assert not OutboxEmail.objects.exists()
    assert last_code  # the helper is shared with the other login tests
