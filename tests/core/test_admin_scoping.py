"""In the back office an operator sees and chooses only the rows of its own companies."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from pytest_django import Settings
from tests.factories import (
    Tenant,
    make_contract,
    make_invoice,
    make_operator,
    operator_client,
)

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.models import OutboxEmail
from sportello.customers.models import Customer
from sportello.leasing.models import Contract

OPERATOR_PERMISSIONS = [
    "core.view_company",
    "core.change_company",
    "core.view_auditevent",
    "core.view_outboxemail",
    "customers.view_customer",
    "customers.change_customer",
    "leasing.view_contract",
    "leasing.add_contract",
    "leasing.change_contract",
    "billing.view_invoice",
    "billing.add_invoice",
    "billing.change_invoice",
    "accounts.view_portaluser",
    "accounts.change_portaluser",
]


@dataclass
class BackOffice:
    own: Tenant
    other: Tenant
    own_contract: Contract
    other_contract: Contract
    operator: PortalUser

    def client(self, user: PortalUser | None = None) -> Client:
        return operator_client(user or self.operator)


@pytest.fixture
def back_office(release: Tenant, energia: Tenant, settings: Settings) -> BackOffice:
    """An operator of Release; Energia's rows exist next to Release's."""
    settings.PLATFORM_HOSTS = ["backoffice.test"]
    own_contract = make_contract(release.customer, number="REL-001")
    other_contract = make_contract(energia.customer, number="ENE-001")
    make_invoice(release.customer, number="F-REL-1")
    make_invoice(energia.customer, number="F-ENE-1")
    audit.record("login", actor=release.user, company=release.company, obj=release.user)
    audit.record("login", actor=energia.user, company=energia.company, obj=energia.user)
    operator = make_operator(release.company, permissions=OPERATOR_PERMISSIONS)
    return BackOffice(release, energia, own_contract, other_contract, operator)


def changelist_rows(client: Client, url: str) -> list[object]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("url", "own", "other"),
    [
        ("/admin/core/company/", "Release S.p.A.", "Energia Verde"),
        ("/admin/customers/customer/", "Rossi Mario", "Bianchi Anna"),
        ("/admin/leasing/contract/", "REL-001", "ENE-001"),
        ("/admin/billing/invoice/", "F-REL-1", "F-ENE-1"),
        ("/admin/core/auditevent/", "release/mrossi", "energia/mrossi"),
        ("/admin/accounts/portaluser/", "release/mrossi", "energia/mrossi"),
    ],
)
def test_it_shows_an_operator_only_its_companys_rows(
    back_office: BackOffice, url: str, own: str, other: str
) -> None:
    response = back_office.client().get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert own in page
    # Not in the rows, and not in the filters on the side either.
    assert other not in page
    assert "Energia" not in page


def test_it_shows_an_operator_no_other_staff(back_office: BackOffice) -> None:
    colleague = make_operator(back_office.own.company, permissions=[], username="collega")

    rows = changelist_rows(back_office.client(), "/admin/accounts/portaluser/")

    assert back_office.own.user in rows
    assert colleague not in rows
    assert back_office.operator not in rows


def test_it_does_not_open_another_companys_object(back_office: BackOffice) -> None:
    client = back_office.client()
    urls = [
        f"/admin/customers/customer/{back_office.other.customer.pk}/change/",
        f"/admin/leasing/contract/{back_office.other_contract.pk}/change/",
        f"/admin/core/company/{back_office.other.company.pk}/change/",
    ]
    for url in urls:
        response = client.get(url, follow=True)

        assert response.redirect_chain, url
        assert response.redirect_chain[-1][0] == "/admin/", url
        assert b"Bianchi Anna" not in response.content
        assert b"ENE-001" not in response.content
        assert b"Energia Verde" not in response.content


def test_it_does_not_change_another_companys_object(back_office: BackOffice) -> None:
    customer = back_office.other.customer

    back_office.client().post(
        f"/admin/customers/customer/{customer.pk}/change/", {"name": "Cambiato"}
    )

    customer.refresh_from_db()
    assert customer.name == "Bianchi Anna"


def test_it_offers_only_the_own_companys_choices(back_office: BackOffice) -> None:
    response = back_office.client().get("/admin/leasing/contract/add/")

    fields = response.context["adminform"].form.fields
    assert list(fields["company"].queryset) == [back_office.own.company]
    assert list(fields["customer"].queryset) == [back_office.own.customer]


def test_it_offers_only_the_own_companys_contracts_on_an_invoice(
    back_office: BackOffice,
) -> None:
    response = back_office.client().get("/admin/billing/invoice/add/")

    fields = response.context["adminform"].form.fields
    assert list(fields["customer"].queryset) == [back_office.own.customer]
    assert list(fields["contracts"].queryset) == [back_office.own_contract]
    assert b"ENE-001" not in response.content


def test_it_refuses_a_customer_of_another_company_in_a_form(back_office: BackOffice) -> None:
    contract = back_office.own_contract
    response = back_office.client().post(
        f"/admin/leasing/contract/{contract.pk}/change/",
        {"company": back_office.own.company.pk, "customer": back_office.other.customer.pk},
    )

    assert response.status_code == 200
    assert "customer" in response.context["adminform"].form.errors
    contract.refresh_from_db()
    assert contract.customer == back_office.own.customer


def test_it_shows_a_superuser_every_company(back_office: BackOffice) -> None:
    admin = PortalUser.objects.create_superuser("admin", password="x" * 12)
    client = back_office.client(admin)

    customers = changelist_rows(client, "/admin/customers/customer/")
    contracts = changelist_rows(client, "/admin/leasing/contract/")

    assert {back_office.own.customer, back_office.other.customer} <= set(customers)
    assert {back_office.own_contract, back_office.other_contract} <= set(contracts)
    response = client.get("/admin/leasing/contract/add/")
    assert set(response.context["adminform"].form.fields["customer"].queryset) == set(
        Customer.objects.all()
    )


def test_it_audits_a_change_in_the_back_office(back_office: BackOffice) -> None:
    customer = back_office.own.customer
    client = back_office.client()
    form = client.get(f"/admin/customers/customer/{customer.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(company=back_office.own.company.pk, phone="02 1234567")

    response = client.post(f"/admin/customers/customer/{customer.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = audit.AuditEvent.objects.filter(action="admin.change").get()
    assert event.actor == back_office.operator
    assert event.company == back_office.own.company
    assert event.data == {"fields": ["phone"]}


def test_it_never_shows_the_body_of_an_e_mail(back_office: BackOffice) -> None:
    email = OutboxEmail.objects.create(
        company=back_office.own.company,
        to=["mario.rossi@example.test"],
        subject="Il tuo codice di accesso",
        body_text="Codice: 918273",
        body_html="<p>Codice: 918273</p>",
    )
    admin = PortalUser.objects.create_superuser("admin", password="x" * 12)

    for user in [back_office.operator, admin]:
        client = back_office.client(user)
        listing = client.get("/admin/core/outboxemail/")
        detail = client.get(f"/admin/core/outboxemail/{email.pk}/change/")

        assert b"Il tuo codice di accesso" in listing.content
        assert detail.status_code == 200
        assert b"Il tuo codice di accesso" in detail.content
        assert b"918273" not in detail.content


def test_it_keeps_the_companys_identity_from_its_operator(back_office: BackOffice) -> None:
    response = back_office.client().get(f"/admin/core/company/{back_office.own.company.pk}/change/")

    form = response.context["adminform"].form
    assert "slug" not in form.fields
    assert "kind" not in form.fields
    assert "name" in form.fields


def test_it_does_not_let_an_operator_set_a_customers_password(back_office: BackOffice) -> None:
    user = back_office.own.user
    url = f"/admin/accounts/portaluser/{user.pk}/password/"
    before = user.password

    page = back_office.client().get(url)
    posted = back_office.client().post(
        url, {"password1": "una-nuova-password-1", "password2": "una-nuova-password-1"}
    )

    assert page.status_code == posted.status_code == 403
    user.refresh_from_db()
    assert user.password == before
    admin = PortalUser.objects.create_superuser("admin", password="x" * 12)
    assert back_office.client(admin).get(url).status_code == 200
