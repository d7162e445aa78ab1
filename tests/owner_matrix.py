"""One matrix for every customer URL: who gets what, and that nothing leaks.

A ``Case`` is one line: the URL name, how to build its arguments from the
world's objects, what the owner and a sub-user get and a query budget.
``tests/test_owner_matrix.py`` asks every case as six identities:

- ``owner``: the customer's main user (the case's status, its own data shown);
- ``sub_user``: a sub-user of the owner (the same as the owner, or the status
  the case names, e.g. 404 where sub-users are refused);
- ``neighbour``: another customer of the same company, with objects of its own;
- ``stranger``: a customer of another leasing company on its own host, asking
  for the owner's ids;
- ``cross_host``: the stranger's session on the owner's host, which
  ``CompanyUserMiddleware`` turns anonymous;
- ``visitor``: nobody logged in.

The last four never see anything of the owner's (``World.markers``: names,
numbers, amounts), whatever the status; a POST by them changes nothing.

The same test walks every URL pattern of the company site and fails when one
has no case and is not in ``PUBLIC``: a new customer page gets its matrix by
adding one line to ``CASES``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader
from tests.billing.helpers import entry, invoice_with_pdf, with_fatturapa
from tests.factories import (
    PASSWORD,
    Tenant,
    make_company,
    make_contract,
    make_customer,
    make_document,
    make_sub_user,
    make_supply_point,
    make_user,
)
from tests.leasing.contracts import leased_contract, other_leasing_tenant

from sportello.accounts.models import PortalUser
from sportello.billing.models import Invoice
from sportello.core.exports import XLSX_TYPE
from sportello.core.middleware import company_for_host
from sportello.core.models import CompanyKind
from sportello.customers.models import Customer
from sportello.documents.models import Document, DocumentCategory
from sportello.energy.models import Consumption, Measure, MeterReading, SupplyPoint
from sportello.leasing.models import Contract
from sportello.notices.models import (
    Category,
    Channel,
    Notification,
    NotificationPreference,
    NotificationRead,
)
from sportello.notices.unsubscribe import make_token
from sportello.portal.audience import audience_keys
from sportello.servicedesk.models import RequestAttachment, RequestMessage, ServiceRequest

#: The day the world is built and asked on (transparency years, overdue instalments).
TODAY = dt.datetime(2025, 3, 15, 10, 0, tzinfo=dt.UTC)

#: The sub-user gets what the owner gets (status and the owner's data).
SAME = "same"

#: In the order they ask: the owner last, as its POST may delete what the others ask for.
IDENTITIES = ["neighbour", "stranger", "cross_host", "visitor", "sub_user", "owner"]
#: Identities that must never see the owner's data.
OUTSIDERS = {"neighbour", "stranger", "cross_host", "visitor"}

#: The owner's data, each unlike anything else in any page (compared case-insensitively).
OWNER_NAME = "Zebedeo Quaglierini"
OWNER_CONTRACT = "7770001"
OWNER_INVOICE = "Q-7770001/2025"
OWNER_OVERDUE = "4321.87"  # "4.321,87 €" on pages, 4321.87 in a workbook
OWNER_REQUEST = "RIC-2025-777001"
OWNER_INVOICE_TOTAL = "3210.98"
OWNER_ASSET_VALUE = "12345.67"
OWNER_ATTACHMENT = b"%PDF-1.4 allegato Quaglierini"


def csv_amount(amount: str) -> str:
    """``1234.56`` as the CSV export writes it: ``1234,56``."""
    return amount.replace(".", ",")


def italian(amount: str) -> str:
    """``1234.56`` as an Italian page shows it: ``1.234,56``."""
    whole, cents = amount.split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


@dataclass(frozen=True)
class World:
    """The owner with one of everything, a sub-user, a neighbour and a stranger."""

    owner: Tenant
    sub_user: PortalUser
    contract: Contract
    invoice: Invoice
    document: Document
    company_document: Document
    statement_year: int
    request: ServiceRequest
    attachment: RequestAttachment
    notification: Notification
    neighbour: PortalUser
    stranger: Tenant

    @property
    def markers(self) -> list[str]:
        return [
            "quaglierini",  # customer, users, logins, e-mails, asset, document
            OWNER_CONTRACT,  # contract, module, asset codes, invoice number
            OWNER_REQUEST.casefold(),
            *[
                form
                for amount in (OWNER_OVERDUE, OWNER_INVOICE_TOTAL, OWNER_ASSET_VALUE)
                for form in (amount, italian(amount), csv_amount(amount))
            ],
        ]

    def client(self, identity: str) -> Client:
        if identity == "owner":
            return self.owner.logged_in_client()
        if identity == "sub_user":
            return self.owner.logged_in_client(self.sub_user)
        if identity == "neighbour":
            return self.owner.logged_in_client(self.neighbour)
        if identity == "stranger":
            return self.stranger.logged_in_client()
        if identity == "cross_host":
            client = self.stranger.logged_in_client()
            client.defaults["HTTP_HOST"] = self.owner.host
            return client
        assert identity == "visitor", identity
        return self.owner.client()


def _owner_and_sub_user(company_tenant: Tenant) -> tuple[Tenant, PortalUser]:
    """The owner, a new customer of ``company_tenant``'s company, and its sub-user.

    The sub-user sees only the requests it raised (J5): the owner's request,
    its files and a reply to it are a 404 for it, like for another customer.
    """
    company = company_tenant.company
    customer = make_customer(company, name=OWNER_NAME, email="zebedeo@quaglierini.test")
    user = make_user(
        customer,
        "zquaglierini",
        first_name="Zebedeo",
        last_name="Quaglierini",
        email="zebedeo@quaglierini.test",
    )
    sub_user = make_sub_user(
        user,
        first_name="Ugo",
        last_name="Quaglierini",
        email="ugo@quaglierini.test",
        sees_all_requests=False,
    )
    return Tenant(company, company_tenant.host, customer, user), sub_user


def _answered_request(owner: Tenant, **fields: Any) -> tuple[ServiceRequest, RequestAttachment]:
    """The owner's request ``OWNER_REQUEST``, answered by the desk with a PDF attached."""
    request = ServiceRequest.objects.create(
        company=owner.company,
        customer=owner.customer,
        author=owner.user,
        code=OWNER_REQUEST,
        last_activity_at=TODAY,
        **fields,
    )
    answer = RequestMessage.objects.create(
        request=request, from_service_desk=True, body="Risposta per Quaglierini"
    )
    attachment = RequestAttachment(
        message=answer,
        original_name="Allegato Quaglierini.pdf",
        content_type="application/pdf",
        size=len(OWNER_ATTACHMENT),
    )
    attachment.file.save(f"{attachment.uid.hex}.pdf", ContentFile(OWNER_ATTACHMENT), save=False)
    attachment.save()
    return request, attachment


def build_world(company_tenant: Tenant) -> World:
    """The owner is a new customer of ``company_tenant``'s company, whose own
    customer becomes the neighbour; the stranger is a customer of another
    leasing company. Everybody has objects of their own, so a leak would show."""
    company = company_tenant.company
    owner, sub_user = _owner_and_sub_user(company_tenant)
    customer, user = owner.customer, owner.user
    contract = leased_contract(
        customer,
        number=OWNER_CONTRACT,
        module_number=f"M{OWNER_CONTRACT}",
        duration_months=36,
        assets=1,
        beneficiary_name="Concessionaria Quaglierini",
    )
    contract.assets.update(
        description="TRATTORE QUAGLIERINI", financial_value=Decimal(OWNER_ASSET_VALUE)
    )
    invoice = invoice_with_pdf(
        customer,
        b"%PDF-1.4 fattura Quaglierini " + OWNER_INVOICE.encode(),
        number=OWNER_INVOICE,
        taxable=Decimal("2631.95"),
        vat=Decimal("579.03"),
        total=Decimal(OWNER_INVOICE_TOTAL),
    )
    with_fatturapa(invoice)
    invoice.contracts.add(contract)
    entry(contract, dt.date(2025, 1, 31), OWNER_OVERDUE, number=31, invoice=invoice)
    entry(contract, dt.date(2025, 4, 30), "1000.00", number=32)
    document = make_document(
        company,
        f"Contratto Quaglierini {OWNER_CONTRACT}",
        customer=customer,
        contract=contract,
        content=b"%PDF-1.4 contratto Quaglierini",
    )
    request, attachment = _answered_request(owner, kind="free", title="Richiesta di Quaglierini")

    notification = Notification.objects.create(
        company=company,
        recipient=user,
        request=request,
        title="Risposta per Quaglierini",
        published_at=TODAY,
    )

    _own_objects(company_tenant, "8880001")
    stranger = other_leasing_tenant()
    _own_objects(stranger, "9990001")
    # Each company is looked up once per host and then cached: warm the cache so
    # that every budget counts what the page itself costs.
    company_for_host(owner.host)
    company_for_host(stranger.host)
    # So are the customer's broadcast segments (the bell in every page's header).
    for someone in (user, sub_user, company_tenant.user, stranger.user):
        audience_keys(someone)
    return World(
        owner=owner,
        sub_user=sub_user,
        contract=contract,
        invoice=invoice,
        document=document,
        company_document=make_document(
            company, "Informativa privacy", category=DocumentCategory.INFORMATION
        ),
        statement_year=2024,
        request=request,
        attachment=attachment,
        notification=notification,
        neighbour=company_tenant.user,
        stranger=stranger,
    )


def _own_objects(tenant: Tenant, number: str) -> None:
    """A contract, an instalment, an invoice and a document of ``tenant``'s customer."""
    contract = make_contract(tenant.customer, number=number)
    invoice = invoice_with_pdf(tenant.customer, number=f"N-{number}/2025")
    entry(contract, dt.date(2025, 1, 31), "100.00", number=1, invoice=invoice)
    make_document(tenant.company, f"Lettera {number}", customer=tenant.customer)


# -- the utility's world ---------------------------------------------------------------

#: The owner's supply points: every code carries OWNER_CONTRACT's digits, a marker.
OWNER_POD = f"IT001E{OWNER_CONTRACT}0"
OWNER_PDR = f"0{OWNER_CONTRACT}000001"


@dataclass(frozen=True)
class UtilityWorld(World):
    """The owner as a utility's customer with an electricity and a gas point."""

    electricity: SupplyPoint
    gas: SupplyPoint
    reading: MeterReading

    @property
    def markers(self) -> list[str]:
        return [*super().markers, OWNER_POD.casefold(), OWNER_PDR]


def build_utility_world(company_tenant: Tenant) -> UtilityWorld:
    """``build_world`` for a utility: the owner has an electricity point (invoice,
    consumption, measures) and a gas point with a corrector (a pending reading);
    the neighbour and the stranger (another utility) have points of their own."""
    company = company_tenant.company
    owner, sub_user = _owner_and_sub_user(company_tenant)
    customer, user = owner.customer, owner.user
    electricity = make_supply_point(
        customer,
        number=f"PR{OWNER_CONTRACT}",
        code=OWNER_POD,
        address="VIA QUAGLIERINI 1 - 57014 COLLESALVETTI (LI)",
        meter_number=f"M{OWNER_CONTRACT}",
        has_time_bands=True,
        offer="Luce Quaglierini",
    )
    gas = make_supply_point(
        customer,
        "gas",
        number=f"PR{OWNER_CONTRACT}G",
        code=OWNER_PDR,
        address="VIA QUAGLIERINI 2 - 57014 COLLESALVETTI (LI)",
        meter_number=f"G{OWNER_CONTRACT}",
        has_corrector=True,
        corrector_number=f"C{OWNER_CONTRACT}",
        meter_class="G4",
    )
    Consumption.objects.create(
        supply_point=electricity,
        year=2025,
        month=1,
        energy=Decimal(OWNER_OVERDUE),
        energy_f1=Decimal("2000.00"),
        energy_f2=Decimal("1321.87"),
        energy_f3=Decimal("1000.00"),
        power=Decimal("3.000"),
    )
    Consumption.objects.create(supply_point=gas, year=2025, month=1, energy=Decimal("321.000"))
    for quarter in range(4):
        Measure.objects.create(
            supply_point=electricity,
            measured_at=dt.datetime(2025, 3, 10, 23, 15 * quarter, tzinfo=dt.UTC),
            active_energy=Decimal("0.777"),
            reactive_energy=Decimal("0.100"),
        )
    reading = MeterReading.objects.create(
        supply_point=gas,
        reading_date=dt.date(2025, 3, 1),
        meter_value=7770001,
        corrector_value=7770002,
        entered_by=user,
    )
    invoice = invoice_with_pdf(
        customer,
        b"%PDF-1.4 fattura Quaglierini " + OWNER_INVOICE.encode(),
        number=OWNER_INVOICE,
        taxable=Decimal("2631.95"),
        vat=Decimal("579.03"),
        total=Decimal(OWNER_INVOICE_TOTAL),
        supply_point=electricity,
    )
    with_fatturapa(invoice)
    document = make_document(
        company,
        "Contratto di fornitura Quaglierini",
        customer=customer,
        content=b"%PDF-1.4 contratto Quaglierini",
    )
    request, attachment = _answered_request(
        owner, kind="utility_ticket", supply_point=gas, title="Ticket di Quaglierini"
    )
    notification = Notification.objects.create(
        company=company,
        recipient=user,
        request=request,
        title="Risposta per Quaglierini",
        published_at=TODAY,
    )
    _own_points(company_tenant, "8880001")
    stranger_company = make_company("acquagas", kind=CompanyKind.UTILITY, name="Acqua e Gas S.p.A.")
    stranger_customer = make_customer(stranger_company, name="Verdi Luca")
    stranger = Tenant(
        stranger_company,
        "acquagas.test",
        stranger_customer,
        make_user(stranger_customer, "lverdi"),
    )
    _own_points(stranger, "9990001")
    company_for_host(owner.host)
    company_for_host(stranger.host)
    for someone in (user, sub_user, company_tenant.user, stranger.user):
        audience_keys(someone)
    return UtilityWorld(
        owner=owner,
        sub_user=sub_user,
        contract=None,  # type: ignore[arg-type]  # a utility has no leases
        invoice=invoice,
        document=document,
        company_document=make_document(
            company, "Modulo di voltura", category=DocumentCategory.FORMS
        ),
        statement_year=2024,
        request=request,
        attachment=attachment,
        notification=notification,
        neighbour=company_tenant.user,
        stranger=stranger,
        electricity=electricity,
        gas=gas,
        reading=reading,
    )


def _own_points(tenant: Tenant, number: str) -> None:
    """An electricity and a gas point, an invoice and a document of ``tenant``'s customer."""
    electricity = make_supply_point(tenant.customer, number=f"PR{number}")
    make_supply_point(tenant.customer, "gas", number=f"PR{number}G", has_corrector=True)
    invoice_with_pdf(tenant.customer, number=f"N-{number}/2025", supply_point=electricity)
    make_document(tenant.company, f"Lettera {number}", customer=tenant.customer)


# -- the cases -----------------------------------------------------------------------


def _no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    """One customer URL asked by every identity.

    ``others`` is what another customer gets (same company, or another company
    on its own host): 404 for an URL naming the owner's objects, 200 for a page
    that shows each customer its own; ``neighbour`` overrides it for another
    customer of the same company (a company-wide document). ``anonymous`` is what the visitor and a
    session on another company's host get. ``shows`` is owner's data that the
    owner's response contains, proving the page is about the owner at all.
    With ``post`` the case POSTs that data; ``state`` reads what the POST would
    change, which must stay the same for everyone but the owner.
    """

    name: str
    kwargs: Callable[[World], dict[str, Any]] = _no_kwargs
    query: Callable[[World], str] | str = ""
    owner: int = 200
    sub_user: int | str = SAME
    others: int = 404
    neighbour: int | None = None
    anonymous: int = 302
    budget: int = 12
    shows: str | None = None
    post: Callable[[World], dict[str, Any]] | None = None
    state: Callable[[World], Any] | None = None
    label: str = ""

    @property
    def id(self) -> str:
        method = "POST " if self.post else ""
        return f"{method}{self.name}{self.label}"

    def url(self, world: World) -> str:
        query = self.query(world) if callable(self.query) else self.query
        return reverse(self.name, kwargs=self.kwargs(world)) + query

    def expected(self, identity: str) -> int:
        if identity == "owner" or (identity == "sub_user" and self.sub_user == SAME):
            return self.owner
        if identity == "sub_user":
            assert isinstance(self.sub_user, int)
            return self.sub_user
        if identity == "neighbour" and self.neighbour is not None:
            return self.neighbour
        if identity in {"neighbour", "stranger"}:
            return self.others
        return self.anonymous


def _contract(world: World) -> dict[str, Any]:
    return {"pk": world.contract.pk}


def _chosen_contract(world: World) -> str:
    return f"?contract={world.contract.pk}"


def _statement(world: World) -> dict[str, Any]:
    return {"contract_id": world.contract.pk, "year": world.statement_year}


def _sub_user(world: World) -> dict[str, Any]:
    return {"pk": world.sub_user.pk}


def _sub_user_state(world: World) -> Any:
    return (
        PortalUser.objects.filter(pk=world.sub_user.pk).values_list("first_name", "email").first()
    )


def _sub_user_change(world: World) -> dict[str, Any]:
    return {
        "first_name": "Preso",
        "last_name": "Da altri",
        "email": "preso@example.test",
        "secondary_email": "",
        "language": "it",
    }


def _request(world: World) -> dict[str, Any]:
    return {"code": world.request.code}


def _attachment(world: World) -> dict[str, Any]:
    return {"code": world.request.code, "uid": world.attachment.uid}


def _request_state(world: World) -> Any:
    """What a reply could change on the owner's request."""
    request = ServiceRequest.objects.get(pk=world.request.pk)
    return (request.status, request.last_activity_at, request.messages.count())


def _reply(world: World) -> dict[str, Any]:
    return {"message": "Risposta di chi non dovrebbe"}


def _empty_post(world: World) -> dict[str, Any]:
    return {}


def _owner_state(world: World) -> Any:
    """The owner's settings, password and sub-users: what a profile POST could change."""
    user = PortalUser.objects.select_related("customer").get(pk=world.owner.user.pk)
    assert user.customer is not None
    sub_users = sorted(user.sub_users.values_list("login", flat=True))
    return (user.secondary_email, user.customer.paper_invoices, user.password, sub_users)


def _profile_change(world: World) -> dict[str, Any]:
    return {
        "language": "it",
        "email": "nuovo@example.test",
        "secondary_email": "secondo@example.test",
        "current_password": PASSWORD,
    }


def _owner_preferences(world: World) -> Any:
    return sorted(
        NotificationPreference.objects.filter(user=world.owner.user).values_list(
            "category", "channel"
        )
    )


def _preferences_change(world: World) -> dict[str, Any]:
    return {category.value: Channel.OFF.value for category in Category}


def _unsubscribe_token(world: World) -> dict[str, Any]:
    return {"token": make_token(world.owner.user, [Category.BROADCASTS])}


def _password_change(world: World) -> dict[str, Any]:
    new = "una-nuova-password-lunga-2025"
    return {"current_password": PASSWORD, "new_password1": new, "new_password2": new}


def _iban_kind(world: World) -> dict[str, Any]:
    return {"kind": "iban"}


def _iban_change(world: World) -> dict[str, Any]:
    """The owner's contract, a new IBAN and the password (the sub-user's is the same)."""
    return {
        "contract": world.contract.pk,
        "new_iban": "IT42L1234512345123456789012",
        "effective_from": "2025-04-01",
        "password": PASSWORD,
    }


def _owners_requests(world: World) -> Any:
    """The requests the owner opened (a sub-user's are its own: it may open them too)."""
    return sorted(
        ServiceRequest.objects.filter(author=world.owner.user).values_list("code", flat=True)
    )


def _list_and_chosen(name: str, shows: str, budget: int, also: str = "") -> list[Case]:
    """A page of every contract and of the owner's one, each with the query
    parameters ``also`` (e.g. ``format=csv``). Others get 200 on both: another
    customer's ``?contract=`` falls back to their own contracts, exactly like a
    missing id (``tests/answers.py`` proves the sameness), showing nothing of the owner's."""
    extra = f"&{also}" if also else ""
    return [
        Case(
            name,
            query=f"?{also}" if also else "",
            others=200,
            shows=shows,
            budget=budget,
            label=f"?{also}" if also else "",
        ),
        Case(
            name,
            query=lambda w: f"?contract={w.contract.pk}{extra}",
            others=200,
            shows=shows,
            budget=budget,
            label=f"?contract={extra}",
        ),
    ]


#: Budgets of pages with the portal's header count the bell's badge (one query: the
#: customer's segments are cached, warmed in ``build_world`` like the company).
CASES: list[Case] = [
    # The home's dashboard; a visitor gets the public home.
    Case("portal:home", others=200, anonymous=200, shows=italian(OWNER_OVERDUE), budget=11),
    # Billing and invoices.
    *_list_and_chosen("billing:schedule", shows=italian(OWNER_OVERDUE), budget=10),
    *_list_and_chosen("billing:schedule_export", shows=OWNER_OVERDUE, budget=7),
    *_list_and_chosen(
        "billing:schedule_export", shows=csv_amount(OWNER_OVERDUE), budget=7, also="format=csv"
    ),
    Case("billing:invoices", others=200, shows=italian(OWNER_INVOICE_TOTAL), budget=9),
    Case(
        "billing:invoice_pdf",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=7,
    ),
    # An e-invoice: its page, the official rendering in the page's frame, the XML.
    Case(
        "billing:invoice_detail",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=8,
    ),
    Case(
        "billing:invoice_rendering",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=7,
    ),
    Case(
        "billing:invoice_xml",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=7,
    ),
    Case(
        "billing:invoice_pdf",
        kwargs=lambda w: {"uid": w.invoice.uid},
        query="?download=1",
        shows=OWNER_INVOICE,
        budget=7,
        label="?download=1",
    ),
    # Contracts, plan, assets and their exports.
    *_list_and_chosen("leasing:contracts", shows=OWNER_CONTRACT, budget=10),
    Case("leasing:contract_select", query=_chosen_contract, owner=302, others=302, budget=6),
    Case("leasing:contract", kwargs=_contract, shows=OWNER_CONTRACT, budget=9),
    Case("leasing:plan", kwargs=_contract, shows=OWNER_CONTRACT, budget=9),
    Case("leasing:plan", kwargs=_contract, query="?page=2", budget=9, label="?page=2"),
    Case("leasing:plan_export", kwargs=_contract, shows=OWNER_CONTRACT, budget=7),
    Case(
        "leasing:plan_export",
        kwargs=_contract,
        query="?format=csv",
        shows=OWNER_CONTRACT,
        budget=7,
        label="?format=csv",
    ),
    Case("leasing:contract_documents", kwargs=_contract, shows=OWNER_CONTRACT, budget=8),
    *_list_and_chosen("leasing:assets", shows=italian(OWNER_ASSET_VALUE), budget=9),
    *_list_and_chosen("leasing:assets_export", shows="trattore quaglierini", budget=7),
    *_list_and_chosen(
        "leasing:assets_export", shows="trattore quaglierini", budget=7, also="format=csv"
    ),
    # Transparency statements: list, page and PDF.
    *_list_and_chosen("transparency:list", shows=OWNER_CONTRACT, budget=9),
    Case("transparency:detail", kwargs=_statement, shows=OWNER_CONTRACT, budget=11),
    Case("transparency:pdf", kwargs=_statement, shows=OWNER_CONTRACT, budget=11),
    # Documents.
    # The customer's own a page at a time (their count), then the company's.
    Case("documents:documents", others=200, shows="contratto quaglierini", budget=9),
    Case(
        "documents:download",
        kwargs=lambda w: {"uid": w.document.uid},
        shows="contratto quaglierini",
        budget=7,
    ),
    Case(
        "documents:download",
        kwargs=lambda w: {"uid": w.company_document.uid},
        neighbour=200,
        shows="informativa-privacy",
        budget=7,
        label="(company-wide)",
    ),
    Case(
        "documents:category",
        kwargs=lambda w: {"slug": "miei"},
        others=200,
        shows="contratto quaglierini",
        budget=8,
    ),
    # The utility's «Dati anagrafici» and its reports do not exist on a leasing portal.
    Case("accounts:personal_data", owner=404, others=404, budget=6),
    Case("servicedesk:discrepancy", owner=404, others=404, budget=6),
    # Self-service requests: the area, a form (its contracts are the customer's own) and
    # E4's figures; another customer's contract posted or asked for is no choice, or a 404.
    Case("servicedesk:new", others=200, budget=6),
    Case("servicedesk:create", kwargs=_iban_kind, others=200, shows=OWNER_CONTRACT, budget=9),
    Case(
        "servicedesk:create",
        kwargs=_iban_kind,
        owner=302,
        others=200,
        post=_iban_change,
        state=_owners_requests,
        budget=26,
    ),
    Case(
        "servicedesk:termination_quote",
        query=_chosen_contract,
        shows=OWNER_CONTRACT,
        budget=9,
    ),
    # Profile and sub-users: each user's own profile; sub-users managed by the main user only.
    # A change asking for the password again checks and clears its throttle's
    # counters, which live in the database (accounts.ThrottleCounter): 2 queries.
    Case("accounts:profile", sub_user=200, others=200, shows="zebedeo@quaglierini.test", budget=8),
    Case(
        "accounts:profile",
        owner=302,
        sub_user=302,
        others=302,
        post=_profile_change,
        state=_owner_state,
        budget=19,
    ),
    # Notification preferences: each user's own channels.
    Case("accounts:notification_preferences", others=200, budget=7),
    Case(
        "accounts:notification_preferences",
        owner=302,
        sub_user=302,
        others=302,
        post=_preferences_change,
        state=_owner_preferences,
        budget=14,
    ),
    # One-click unsubscribe: the token is the proof, no login (RFC 8058); the page
    # names no one. Another company's host refuses the token. (Its POST changes the
    # token's user's preferences whoever sends it: tests/notices/test_unsubscribe.py.)
    Case(
        "notifications_unsubscribe",
        kwargs=_unsubscribe_token,
        others=400,
        neighbour=200,
        anonymous=200,
        budget=7,
    ),
    Case("accounts:password_change", others=200, budget=6),
    Case(
        "accounts:password_change",
        owner=302,
        sub_user=302,
        others=302,
        post=_password_change,
        state=_owner_state,
        budget=21,
    ),
    Case("accounts:choose_password", owner=302, others=302, budget=5),
    Case("accounts:sub_user_add", sub_user=404, others=200, budget=6),
    Case(
        "accounts:sub_user_add",
        owner=302,
        sub_user=404,
        others=302,
        post=lambda w: _sub_user_change(w) | {"email": "nuovo@example.test"},
        state=_owner_state,
        budget=17,
    ),
    Case(
        "accounts:sub_user_edit",
        kwargs=_sub_user,
        sub_user=404,
        shows="ugo@quaglierini.test",
        budget=7,
    ),
    Case(
        "accounts:sub_user_edit",
        kwargs=_sub_user,
        owner=302,
        sub_user=404,
        post=_sub_user_change,
        state=_sub_user_state,
        budget=11,
    ),
    Case(
        "accounts:sub_user_delete",
        kwargs=_sub_user,
        sub_user=404,
        shows="zquaglierini.1",
        budget=7,
    ),
    Case(
        "accounts:sub_user_delete",
        kwargs=_sub_user,
        owner=302,
        sub_user=404,
        post=_empty_post,
        state=_sub_user_state,
        # Django's delete collector asks each table that points at a user.
        budget=28,  # +2: notification preferences and the digest cursor; +2: API keys and import runs (author)
    ),
    # The request history (E5): the sub-user sees only its own requests (J5).
    Case("servicedesk:list", sub_user=200, others=200, shows=OWNER_REQUEST, budget=8),
    Case(
        "servicedesk:detail",
        kwargs=_request,
        sub_user=404,
        shows="allegato quaglierini.pdf",
        budget=10,
    ),
    Case(
        "servicedesk:reply",
        kwargs=_request,
        owner=302,
        sub_user=404,
        post=_reply,
        state=_request_state,
        # The message, the request, its audit entry and the desk's e-mail.
        budget=16,
    ),
    Case(
        "servicedesk:attachment",
        kwargs=_attachment,
        sub_user=404,
        shows="allegato quaglierini",
        budget=7,
    ),
]


def _owner_reads(world: World) -> Any:
    return NotificationRead.objects.filter(user=world.owner.user).count()


CASES += [
    # Notifications (F1, F2): each user its own; the owner's notice is nobody else's,
    # not even the sub-user's (it is addressed to the owner).
    Case("notices:list", sub_user=200, others=200, shows="risposta per quaglierini", budget=12),
    Case("notices:latest", sub_user=200, others=200, shows=OWNER_REQUEST, budget=10),
    # The first ask computes the customer's audience; the cached 3-query budget is
    # proven in tests/notices/test_bell.py.
    Case("notices:badge", sub_user=200, others=200, budget=9),
    Case(
        "notices:open",
        kwargs=lambda w: {"pk": w.notification.pk},
        owner=302,
        sub_user=404,
        budget=12,
    ),
    Case(
        "notices:mark_all_read",
        owner=302,
        sub_user=302,
        others=302,
        post=_empty_post,
        state=_owner_reads,
        budget=12,
    ),
]


def _gas_point(world: UtilityWorld) -> dict[str, Any]:
    return {"point": world.gas.pk, "next": reverse("portal:home")}


def _utility_kind(kind: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"kind": kind}


def _gas_ticket(world: UtilityWorld) -> dict[str, Any]:
    """A ticket about the owner's gas point: another customer's is refused, nothing saved."""
    return {"supply_point": world.gas.pk, "subject": "Lettura", "message": "Ticket di altri"}


def _gas_complaint(world: UtilityWorld) -> dict[str, Any]:
    """A TIQV complaint about the owner's gas point (the codes typed are nobody's)."""
    return {
        "supply_point": world.gas.pk,
        "name": "Chi scrive",
        "supply_address": "VIA ROMA 1 - 10100 TORINO (TO)",
        "reply_address": "chi@example.test",
        "service": "gas",
        "point_code": "",
        "description": "Reclamo di altri",
    }


def _owner_reading(world: UtilityWorld) -> dict[str, Any]:
    return {"pk": world.reading.pk}


def _fresh_owner_reading(world: UtilityWorld) -> dict[str, Any]:
    """A new pending reading of the owner's gas point, a day after the last one."""
    last = world.gas.readings.order_by("-reading_date").first()
    assert last is not None
    fresh = MeterReading.objects.create(
        supply_point=world.gas,
        reading_date=last.reading_date + dt.timedelta(days=1),
        meter_value=last.meter_value + 1,
        corrector_value=last.meter_value + 1,
    )
    return {"pk": fresh.pk}


#: The utility's pages, asked in ``UtilityWorld`` (the owner with two supply points).
UTILITY_CASES: list[Case] = [
    # The home shows the chosen point in the header (G1) and its latest bill, reading
    # window, last reading and open tickets; a visitor gets the public home.
    Case("portal:home", others=200, anonymous=200, shows=OWNER_POD, budget=13),
    # The header's selector: one of the user's own points, else a 404.
    Case("energy:choose", owner=302, post=_gas_point, budget=8),
    # E6: tickets and TIQV complaints, each about one of the customer's own points (the
    # header's first, the electricity one); another customer's point posted is refused.
    Case("servicedesk:list", sub_user=200, others=200, shows=OWNER_REQUEST, budget=9),
    Case("servicedesk:new", others=200, budget=7),
    Case(
        "servicedesk:create",
        kwargs=_utility_kind("ticket"),
        others=200,
        shows=OWNER_POD,
        budget=9,
        label=" ticket",
    ),
    Case(
        "servicedesk:create",
        kwargs=_utility_kind("ticket"),
        owner=302,
        others=200,
        post=_gas_ticket,
        state=_owners_requests,
        budget=25,
        label=" ticket",
    ),
    Case(
        "servicedesk:create",
        kwargs=_utility_kind("reclamo"),
        others=200,
        shows=OWNER_POD,
        budget=8,
        label=" reclamo",
    ),
    Case(
        "servicedesk:create",
        kwargs=_utility_kind("reclamo"),
        owner=302,
        others=200,
        post=_gas_complaint,
        state=_owners_requests,
        budget=25,
        label=" reclamo",
    ),
    # A leasing form is no page of a utility's.
    Case("servicedesk:create", kwargs=_iban_kind, owner=404, others=404, budget=8, label=" iban"),
    Case("servicedesk:termination_quote", owner=404, others=404, budget=8),
    # The history (E5 for E6): the sub-user sees only its own requests (J5).
    Case(
        "servicedesk:detail",
        kwargs=_request,
        sub_user=404,
        shows="allegato quaglierini.pdf",
        budget=11,
    ),
    Case(
        "servicedesk:reply",
        kwargs=_request,
        owner=302,
        sub_user=404,
        post=_reply,
        state=_request_state,
        budget=16,
    ),
    Case(
        "servicedesk:attachment",
        kwargs=_attachment,
        sub_user=404,
        shows="allegato quaglierini",
        budget=8,
    ),
    # G7: each customer sees its own chosen point's readings and windows.
    Case("energy:readings", others=200, shows=OWNER_POD, budget=12),
    # Deleting the owner's pending reading: asked (the page without JavaScript), then done.
    Case("energy:reading_delete", kwargs=_owner_reading, shows=OWNER_POD, budget=10),
    # Each identity posts against a reading of its own ask: the sub-user may delete the
    # customer's reading too, so the owner's would be gone by its turn.
    Case(
        "energy:reading_delete",
        kwargs=_fresh_owner_reading,
        owner=302,
        post=_empty_post,
        budget=10,
    ),
    # G4-G6: each customer sees its own chosen point's data; the owner's first is electric.
    Case("energy:consumption", others=200, shows=italian(OWNER_OVERDUE), budget=9),
    Case("energy:technical", others=200, shows=f"M{OWNER_CONTRACT}", budget=7),
    Case("energy:contract", others=200, shows="Luce Quaglierini", budget=7),
    Case("energy:measures", others=200, shows="3,108", budget=11),
    # Others have no measures: their download goes back to the page that says so.
    Case("energy:measures_export", others=302, shows=OWNER_POD, budget=9),
    Case(
        "energy:measures_export",
        query="?format=csv",
        others=302,
        shows=f"Pod: {OWNER_POD}",
        budget=7,  # the rows are read while the file streams, after the view
        label=" CSV",
    ),
]


def _point_param(world: UtilityWorld) -> str:
    """A notice's link to a bill of the gas point (``?punto=``)."""
    return f"?punto={world.gas.pk}&number=2025"


def _owner_contacts(world: UtilityWorld) -> Any:
    return Customer.objects.filter(pk=world.owner.customer.pk).values_list("phone", "fax", "email")[
        0
    ]


def _contacts_change(world: UtilityWorld) -> dict[str, Any]:
    return {"phone": "+39 055 7770001", "fax": "", "email": "preso@example.test"}


def _discrepancy(world: UtilityWorld) -> dict[str, Any]:
    # Not a "RSSMRA…" code: the factories give those, and the form refuses the value
    # already registered (the matrix was flaky when the counter hit the owner's).
    return {"field": "codice_fiscale", "correct_value": "QGLZBD70A41G702N"}


def _category(slug: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"slug": slug}


#: G2 (invoices of the chosen point), G3 (personal data) and G8 (documents by category).
UTILITY_CASES += [
    Case("billing:invoices", others=200, shows=italian(OWNER_INVOICE_TOTAL), budget=9),
    # A notice's link chooses the bill's point: the owner's own only.
    Case(
        "billing:invoices",
        query=_point_param,
        owner=302,
        budget=8,
        label="?punto=",
    ),
    Case(
        "billing:invoice_pdf",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        # A refusal is the 404 page, with the header's supply point.
        budget=8,
    ),
    Case(
        "billing:invoice_detail",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=9,
    ),
    Case(
        "billing:invoice_rendering",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=8,
    ),
    Case(
        "billing:invoice_xml",
        kwargs=lambda w: {"uid": w.invoice.uid},
        shows=OWNER_INVOICE,
        budget=8,
    ),
    # A utility has no page of all documents: it leads to «I miei documenti».
    Case("documents:documents", owner=302, others=302, budget=6),
    Case(
        "documents:category",
        kwargs=_category("miei"),
        others=200,
        shows="contratto di fornitura quaglierini",
        budget=9,
    ),
    Case(
        "documents:category",
        kwargs=_category("modulistica"),
        others=200,
        shows="modulo di voltura",
        budget=9,
        label="(company-wide)",
    ),
    Case(
        "documents:download",
        kwargs=lambda w: {"uid": w.document.uid},
        shows="contratto quaglierini",
        budget=8,
    ),
    # «Dati anagrafici»: every user sees its customer's; only the main user edits.
    Case(
        "accounts:personal_data",
        others=200,
        shows="zebedeo@quaglierini.test",
        budget=8,
    ),
    Case(
        "accounts:personal_data",
        owner=302,
        sub_user=403,
        others=302,
        post=_contacts_change,
        state=_owner_contacts,
        budget=12,
    ),
    # «Segnala una difformità»: a request of the asker's own customer, sub-users too.
    Case("servicedesk:discrepancy", others=200, shows=OWNER_NAME, budget=8),
    Case(
        "servicedesk:discrepancy",
        owner=302,
        sub_user=302,
        others=302,
        post=_discrepancy,
        state=_owners_requests,
        # The request, its counter, message, audit entry and the desk's e-mail.
        budget=22,
    ),
]


#: Company-site URLs that show nobody's data: the way in, the public pages.
PUBLIC = {
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:otp",
    "accounts:otp_resend",
    "accounts:reset",
    "accounts:reset_confirm",
    "accounts:unlock",
    "accounts:registration",
    "accounts:registration_confirm",
    "accounts:registration_done",
    "accounts:sub_user_set_password",
    "core:guide",
    "core:contacts",
    "core:faq",
    "core:logo",
    "core:accessibility",
}

#: Route prefixes outside the customer site: the back office, the demo's tools, files,
#: and the REST API (keys, not sessions: its company and scope checks are proved in
#: tests/integration/test_api_*.py and by schemathesis with another company's key).
OUTSIDE = ("admin/", "back-office/", "demo/", "static/", "media/", "^static/", "^media/", "api/")


# -- the URL walk ----------------------------------------------------------------------


@dataclass
class UrlWalk:
    """The named and unnamed routes of the company site, outside ``OUTSIDE``."""

    names: set[str] = field(default_factory=set)
    unnamed: list[str] = field(default_factory=list)


def company_site_urls() -> UrlWalk:
    walk = UrlWalk()

    def visit(patterns: Iterable[URLPattern | URLResolver], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(OUTSIDE):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                visit(pattern.url_patterns, inner, route)
            elif pattern.name is None:
                walk.unnamed.append(route)
            else:
                walk.names.add(namespace + pattern.name)

    visit(get_resolver(settings.ROOT_URLCONF).url_patterns, "", "")
    return walk


def uncovered(cases: Iterable[Case]) -> set[str]:
    """Customer URL names with no case and not public."""
    return company_site_urls().names - PUBLIC - {case.name for case in cases}


# -- asking ----------------------------------------------------------------------------


def body_text(response: Any) -> str:
    """Everything a person could read in the response, case-folded: the page, the
    cells of a workbook, the text of a PDF (and its raw bytes)."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith(XLSX_TYPE):
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        text = "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    elif content_type.startswith("application/pdf"):
        text = raw.decode("latin-1")
        # A stored test PDF is not a real one: its raw bytes are its text.
        with contextlib.suppress(Exception):
            text += "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    else:
        text = raw.decode("utf-8", errors="replace")
    # The file name a download is saved under is read too.
    return (response.get("Content-Disposition", "") + "\n" + text).casefold()


def check(world: World, case: Case, identity: str, max_queries: Any) -> None:
    """Ask ``case`` as ``identity``: status, the owner's data shown or hidden,
    the query budget and, for a POST, nothing changed unless the owner posted."""
    client = world.client(identity)
    url = case.url(world)
    before = case.state(world) if case.state else None
    with max_queries(case.budget):
        response = client.post(url, case.post(world)) if case.post else client.get(url)
    expected = case.expected(identity)
    where = f"{identity} {'POST' if case.post else 'GET'} {url}"
    assert response.status_code == expected, f"{where}: {response.status_code}, not {expected}"
    if expected == 302 and identity in {"cross_host", "visitor"}:
        assert response["Location"].startswith(reverse("accounts:login")), where
    text = body_text(response)
    if identity in OUTSIDERS:
        # A page may repeat the address it was asked for (the language switch's
        # "next"): a request code there is what the asker typed, not a leak.
        unechoed = text.replace(url.casefold(), "")
        leaked = [marker for marker in world.markers if marker.casefold() in unechoed]
        assert not leaked, f"{where} shows the owner's {leaked}"
    elif (
        case.shows
        and response.status_code == 200
        and (identity == "owner" or case.sub_user == SAME)
    ):
        assert case.shows.casefold() in text, f"{where} lacks the owner's {case.shows!r}"
    if case.state:
        after = case.state(world)
        if identity == "owner":
            assert after != before, f"{where} changed nothing: the case proves nothing"
        else:
            assert after == before, f"{where} changed the owner's data"


def ask_everyone(world: World, case: Case, max_queries: Any) -> list[str]:
    """Every identity's failures of ``case``, so that one report shows them all."""
    failures = []
    for identity in IDENTITIES:
        try:
            check(world, case, identity, max_queries)
        except (AssertionError, pytest.fail.Exception) as error:
            failures.append(str(error))
    return failures
