"""Invitation (A3): an operator invites customers; the credentials go to the PEC on file."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings
from tests.factories import Tenant, make_customer, make_operator, operator_client

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.customers.models import Customer

PERMISSIONS = ["customers.view_customer", "accounts.view_portaluser", "accounts.add_portaluser"]


@pytest.fixture
def back_office(settings: Settings) -> str:
    settings.PLATFORM_HOSTS = ["backoffice.test"]
    return "backoffice.test"


def back_office_client(back_office: str, *companies: Any, permissions: list[str]) -> Client:
    return operator_client(make_operator(*companies, permissions=permissions), back_office)


def invite(client: Client, *customers: Customer) -> Any:
    return client.post(
        "/admin/customers/customer/",
        {"action": "invite", "_selected_action": [str(c.pk) for c in customers]},
        follow=True,
    )


def emails_to(address: str) -> list[OutboxEmail]:
    return [email for email in OutboxEmail.objects.order_by("id") if address in email.to]


def test_it_invites_customers_to_their_pec(release: Tenant, back_office: str) -> None:
    first = make_customer(release.company, code="40001", pec="primo@pec.it")
    second = make_customer(release.company, code="40002", pec="secondo@legalmail.it")
    client = back_office_client(back_office, release.company, permissions=PERMISSIONS)

    response = invite(client, first, second)

    assert response.status_code == 200
    assert "Invito inviato alla PEC di 2 clienti." in response.content.decode()
    for customer, address in [(first, "primo@pec.it"), (second, "secondo@legalmail.it")]:
        user = PortalUser.objects.get(customer=customer)
        assert user.login == customer.code
        assert user.email == address
        assert user.must_change_password
        assert user.temporary_password_expires_at is not None
        (email,) = emails_to(address)
        assert "invito all'area clienti" in email.subject
        assert f"Username: {customer.code}" in email.body_text
        found = re.search(r"Password temporanea: (\S+)", email.body_text)
        assert found and user.check_password(found.group(1))
        assert "https://release.test/accesso/" in email.body_text
    events = AuditEvent.objects.filter(action="invitation")
    assert events.count() == 2
    assert all(event.company == release.company for event in events)
    assert all("Password" not in str(event.data) for event in events)
    # Paper invoices stop only when the customer adheres (first definitive password).
    assert Customer.objects.get(pk=first.pk).paper_invoices


def test_it_skips_customers_without_pec_or_with_a_user(release: Tenant, back_office: str) -> None:
    no_pec = make_customer(release.company, code="40003", pec="")
    client = back_office_client(back_office, release.company, permissions=PERMISSIONS)

    response = invite(client, no_pec, release.customer)

    page = response.content.decode()
    assert "Non invitati (senza PEC o già registrati): 40003" in page
    assert release.customer.code in page
    assert not PortalUser.objects.filter(customer=no_pec).exists()
    assert PortalUser.objects.filter(customer=release.customer).count() == 1
    assert not OutboxEmail.objects.exists()


def test_it_does_not_invite_another_companys_customers(
    release: Tenant, energia: Tenant, back_office: str
) -> None:
    other = make_customer(energia.company, code="40004", pec="altro@pec.it")
    client = back_office_client(back_office, release.company, permissions=PERMISSIONS)

    invite(client, other)

    assert not PortalUser.objects.filter(customer=other).exists()
    assert not OutboxEmail.objects.exists()


def test_it_offers_the_action_only_to_operators_who_may_add_users(
    release: Tenant, back_office: str
) -> None:
    customer = make_customer(release.company, code="40005", pec="quinto@pec.it")
    client = back_office_client(
        back_office, release.company, permissions=["customers.view_customer"]
    )

    page = client.get("/admin/customers/customer/").content.decode()
    invite(client, customer)

    assert "Invita all&#x27;area clienti" not in page
    assert not PortalUser.objects.filter(customer=customer).exists()


def test_it_lets_the_invited_customer_choose_the_password_and_go_paperless(
    release: Tenant, back_office: str
) -> None:
    customer = make_customer(release.company, code="40006", pec="sesto@pec.it")
    invite(back_office_client(back_office, release.company, permissions=PERMISSIONS), customer)
    user = PortalUser.objects.get(customer=customer)
    client = release.client()
    client.force_login(user, backend="sportello.accounts.backends.CompanyLoginBackend")

    response = client.post(
        "/accesso/password-definitiva/",
        {
            "new_password1": "fiume-lento-sotto-il-ponte",
            "new_password2": "fiume-lento-sotto-il-ponte",
        },
    )

    assert response.status_code == 302
    assert Customer.objects.get(pk=customer.pk).paper_invoices is False
    assert AuditEvent.objects.filter(action="customer.paper_invoices_revoked").count() == 1
