"""Every operator's read of a customer's records in the back office is in the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.test import Client
from django.urls import reverse
from pytest_django import Settings
from tests.factories import (
    BACK_OFFICE_HOST,
    Tenant,
    make_contract,
    make_customer,
    make_one_of_each,
    make_operator,
    operator_client,
)

from sportello.accounts.models import PortalUser
from sportello.core.admin import CompanyScopedAdmin, customer_of, customer_paths_for
from sportello.core.models import AuditEvent

# Every scoped admin of a model with a path to a customer, from the registry.
CUSTOMER_ADMINS = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CompanyScopedAdmin) and customer_paths_for(model)
    ),
    key=lambda model: model._meta.label_lower,
)


@dataclass
class Office:
    rows: dict[str, Any]
    operator: PortalUser

    def client(self) -> Client:
        return operator_client(self.operator)


@pytest.fixture
def office(release: Tenant, settings: Settings) -> Office:
    """A Release operator with every back-office permission, and one row of each model."""
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    rows = make_one_of_each(release, "LETTO")
    apps = {model._meta.app_label for model in admin.site._registry}
    permissions = [
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=apps).select_related(
            "content_type"
        )
    ]
    return Office(rows, make_operator(release.company, permissions=permissions))


def url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="admin.read").order_by("id"))


def test_it_covers_every_model_that_belongs_to_a_customer() -> None:
    labels = {model._meta.label_lower for model in CUSTOMER_ADMINS}

    assert {
        "customers.customer",
        "accounts.portaluser",
        "leasing.contract",
        "leasing.asset",
        "leasing.planinstalment",
        "leasing.transparencystatement",
        "billing.invoice",
        "billing.scheduleentry",
        "servicedesk.servicerequest",
        "notices.notification",
        "energy.supplypoint",
        "energy.meterreading",
        "energy.consumption",
        "documents.document",
    } <= labels


@pytest.mark.parametrize("model", CUSTOMER_ADMINS, ids=lambda model: model.__name__)
def test_it_records_who_opened_which_customers_record_and_from_where(
    office: Office, model: type[models.Model]
) -> None:
    obj = office.rows[model._meta.label_lower]
    customer = office.rows["customers.customer"]
    assert customer_of(obj) == customer

    response = office.client().get(url(model, "change", obj.pk), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    [event] = reads()
    assert event.actor == office.operator
    assert event.actor_label == office.operator.username
    assert event.company == customer.company
    assert event.ip_address == "203.0.113.7"
    assert event.created_at.utcoffset() == dt.timedelta(0)
    assert (event.object_type, event.object_id) == (model._meta.label, str(obj.pk))
    assert event.data == {
        "customer_id": customer.pk,
        "customer_code": customer.code,
        "page": "change",
    }


@pytest.mark.parametrize("view", ["history", "delete"])
def test_it_records_the_history_and_delete_pages_too(office: Office, view: str) -> None:
    contract = office.rows["leasing.contract"]

    office.client().get(url(type(contract), view, contract.pk))

    [event] = reads()
    assert event.data["page"] == view
    assert event.data["customer_code"] == contract.customer.code


def test_it_records_nothing_for_pages_without_a_customer(office: Office) -> None:
    client = office.client()
    company = office.rows["core.company"]
    faq = office.rows["core.faqentry"]

    client.get(url(type(company), "change", company.pk))
    client.get(url(type(faq), "change", faq.pk))
    client.get(url(type(company), "changelist"))

    assert reads() == []


def test_it_does_not_record_a_change_page_it_did_not_show(office: Office, energia: Tenant) -> None:
    other = make_contract(energia.customer)

    office.client().get(url(type(other), "change", other.pk))

    assert reads() == []


def test_it_records_a_list_filtered_to_one_customer(office: Office) -> None:
    customer = office.rows["customers.customer"]
    contract = office.rows["leasing.contract"]
    make_contract(make_customer(customer.company))
    changelist = url(type(contract), "changelist")

    response = office.client().get(changelist, {"customer__id__exact": customer.pk})

    assert list(response.context["cl"].result_list) == [contract]
    [event] = reads()
    assert event.actor == office.operator
    assert (event.object_type, event.object_id) == ("customers.Customer", str(customer.pk))
    assert event.data == {
        "customer_id": customer.pk,
        "customer_code": customer.code,
        "page": "changelist",
        "model": "leasing.Contract",
        "query": f"customer__id__exact={customer.pk}",
    }


def test_it_records_a_search_that_narrows_to_one_customer(office: Office) -> None:
    customer = office.rows["customers.customer"]
    make_customer(customer.company, name="Verdi Luigi")

    office.client().get(url(type(customer), "changelist"), {"q": customer.code})

    [event] = reads()
    assert event.data["customer_code"] == customer.code


def test_it_does_not_record_a_list_of_several_customers(office: Office) -> None:
    customer = office.rows["customers.customer"]
    make_contract(make_customer(customer.company))
    changelist = url(type(office.rows["leasing.contract"]), "changelist")

    office.client().get(changelist)
    office.client().get(changelist, {"status__exact": "active"})

    assert reads() == []


def test_it_keeps_the_audit_log_read_only_even_for_a_superuser(office: Office) -> None:
    event = office.rows["core.auditevent"]
    superuser = PortalUser.objects.create_superuser("admin", password="x" * 12)
    client = operator_client(superuser)

    page = client.get(url(AuditEvent, "change", event.pk))
    changed = client.post(url(AuditEvent, "change", event.pk), {"action": "altro"})
    deleted = client.post(url(AuditEvent, "delete", event.pk), {"post": "yes"})
    listing = client.get(url(AuditEvent, "changelist"))

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert changed.status_code == deleted.status_code == 403
    assert client.get(url(AuditEvent, "add")).status_code == 403
    assert listing.context["action_form"] is None  # no "delete selected" either
    assert AuditEvent.objects.filter(pk=event.pk, action="login").exists()
