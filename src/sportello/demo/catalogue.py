"""What the landing page and ``make demo`` print: hosts, logins, registration data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sportello.accounts.models import PortalUser
from sportello.core.models import Company
from sportello.customers.models import Customer
from sportello.energy.models import SupplyPoint
from sportello.leasing.models import Contract

from .companies import COMPANIES

#: Every demo user's password (demo only; never used outside `make demo`).
DEMO_PASSWORD = "demo-Sportello-2026"


@dataclass
class DemoLogin:
    login: str
    name: str
    note: str


@dataclass
class DemoRegistration:
    customer: str
    fields: list[tuple[str, str]]


@dataclass
class DemoCompany:
    company: Company
    url: str
    logins: list[DemoLogin] = field(default_factory=list)
    #: The company's operators, for the back office (``/back-office/`` on the platform host).
    operators: list[DemoLogin] = field(default_factory=list)
    registrations: list[DemoRegistration] = field(default_factory=list)


def points_note(user: PortalUser) -> str:
    """What a utility login's supply points are, so a visitor picks the one with several."""
    points = list(SupplyPoint.objects.filter(customer=user.customer).order_by("number"))
    if not points:
        return ""
    kinds = []
    for point in points:
        if point.is_electricity:
            kinds.append(_("luce a fasce orarie") if point.has_time_bands else _("luce"))
        else:
            kinds.append(_("gas con correttore") if point.has_corrector else _("gas"))
    count = ngettext(
        "%(count)d punto di fornitura", "%(count)d punti di fornitura", len(points)
    ) % {"count": len(points)}
    return f"{count}: {', '.join(str(kind) for kind in kinds)}"


def fleet_note(company: Company, customer: Customer) -> str:
    """What makes a big account big: its contracts or its supply points."""
    if company.is_utility:
        count = SupplyPoint.objects.filter(customer=customer).count()
        return ngettext(
            "cliente multi-sito: %(count)d punto di fornitura",
            "cliente multi-sito: %(count)d punti di fornitura",
            count,
        ) % {"count": count}
    count = Contract.objects.filter(customer=customer).count()
    return ngettext("flotta: %(count)d contratto", "flotta: %(count)d contratti", count) % {
        "count": count
    }


def demo_catalogue(scheme: str = "http", port_suffix: str = ":8000") -> list[DemoCompany]:
    """For each company: its address, ready logins, and customers not yet registered."""
    result = []
    companies = Company.objects.prefetch_related("hosts").order_by("pk")
    for company in companies:
        entry = DemoCompany(company, f"{scheme}://{company.primary_host}{port_suffix}/")
        customer_users = PortalUser.objects.filter(
            company=company, customer__isnull=False
        ).select_related("customer", "parent")
        fleet_codes = [spec.fleet_code for spec in COMPANIES if spec.slug == company.slug]
        # The big account (a fleet, a multi-site customer) after the others.
        main_users = (
            customer_users.filter(parent__isnull=True)
            .exclude(customer__code__in=fleet_codes)
            .order_by("login")[:3]
        )
        sub_users = customer_users.filter(parent__isnull=False).order_by("login")[:1]
        fleets = customer_users.filter(
            parent__isnull=True, customer__code__in=fleet_codes
        ).order_by("login")
        for user in [*main_users, *sub_users]:
            if user.parent:
                note = f"sotto-utente di {user.parent.login}"
            else:
                note = user.customer.get_kind_display().lower() if user.customer else ""
                if company.is_utility:
                    note = "; ".join(filter(None, [note, points_note(user)]))
            entry.logins.append(DemoLogin(user.login, user.get_full_name(), note))
        for user in fleets:
            assert user.customer is not None
            note = fleet_note(company, user.customer)
            entry.logins.append(DemoLogin(user.login, user.get_full_name(), note))
        for operator in company.operators.filter(is_superuser=False).order_by("login"):
            entry.operators.append(DemoLogin(operator.login, operator.get_full_name(), ""))
        unregistered = Customer.objects.filter(company=company, users__isnull=True).order_by("code")
        for customer in unregistered[:2]:
            if company.is_utility:
                tax_id = customer.partita_iva or customer.codice_fiscale
                fields = [("codice cliente", customer.code), ("P.IVA / C.F.", tax_id)]
            else:
                contract = Contract.objects.filter(customer=customer).order_by("number").first()
                if contract is None:
                    continue
                fields = [
                    ("numero contratto", contract.number),
                    ("numero modulo", contract.module_number),
                    ("codice fiscale", customer.codice_fiscale or customer.partita_iva),
                ]
                if customer.is_legal_person:
                    fields.append(("PEC", customer.pec))
            entry.registrations.append(DemoRegistration(customer.name, fields))
        result.append(entry)
    return result
