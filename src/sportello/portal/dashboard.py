"""The homes' panels: leasing (B1-B4), composed from billing, leasing and the service
desk; utility (G1), composed from the chosen supply point's bills, readings and tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce

from sportello.billing.models import Invoice
from sportello.billing.services import Situation, published_invoices, situation
from sportello.core.models import Company
from sportello.energy.models import MeterReading, ReadingWindow, SupplyPoint
from sportello.energy.readings import next_window, open_window, readings_of
from sportello.leasing.models import Asset, Contract
from sportello.servicedesk.customer_forms import SelfServiceKind, self_service_kinds
from sportello.servicedesk.models import RequestStatus, ServiceRequest

from .menu import menu_for

LATEST_REQUESTS = 5
#: How many active contracts the home lists (the most recent); the badge counts them all.
HOME_CONTRACTS = 5


@dataclass(frozen=True)
class Dashboard:
    """Everything the leasing home shows."""

    situation: Situation
    #: The most recent active contracts (``HOME_CONTRACTS``), with their asset counts.
    contracts: list[Contract]
    requests: list[ServiceRequest]
    #: How many contracts are active in all.
    active_contracts: int = 0
    links: dict[str, str] = field(default_factory=dict)
    #: The self-service panel's kinds (B4): none when the company offers no requests.
    self_service: list[SelfServiceKind] = field(default_factory=list)


def dashboard(user: Any, company: Company, today: dt.date) -> Dashboard:
    """The leasing home (B1-B4) in a fixed number of queries."""
    # A fleet has hundreds: the home lists the latest and counts all, in one query.
    assets = (
        Asset.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    contracts = list(
        Contract.objects.for_user(user)
        .active()
        .annotate(
            asset_count=Coalesce(Subquery(assets), 0),
            active_total=Window(Count("pk")),
        )
        .order_by("-stipulated_on", "number")[:HOME_CONTRACTS]
    )
    requests = list(
        ServiceRequest.objects.for_user(user)
        .select_related("request_type")
        .order_by("-last_activity_at", "-pk")[:LATEST_REQUESTS]
    )
    # The panels link where the menu does (a section switched off has no link).
    links = {entry.key: entry.url for entry in menu_for(company)}
    return Dashboard(
        situation=situation(user.customer_id, today),
        contracts=contracts,
        requests=requests,
        active_contracts=getattr(contracts[0], "active_total", 0) if contracts else 0,
        links=links,
        self_service=list(self_service_kinds(company).values()),
    )


@dataclass(frozen=True)
class UtilityDashboard:
    """What the utility home shows about the supply point chosen in the header."""

    point: SupplyPoint
    latest_invoice: Invoice | None
    open_window: ReadingWindow | None
    next_window: ReadingWindow | None
    last_reading: MeterReading | None
    open_requests: int
    links: dict[str, str] = field(default_factory=dict)


def utility_dashboard(
    user: Any, company: Company, point: SupplyPoint | None, now: dt.datetime
) -> UtilityDashboard | None:
    """The chosen point's latest bill, self-reading window and reading, and the open
    tickets, in a fixed number of queries; None for a customer with no point."""
    if point is None:
        return None
    window = open_window(company, point.commodity, now) if company.feature_self_reading else None
    coming = (
        next_window(company, point.commodity, now)
        if company.feature_self_reading and window is None
        else None
    )
    return UtilityDashboard(
        point=point,
        latest_invoice=published_invoices(user, company, now)
        .filter(supply_point=point)
        .order_by("-date", "-number")
        .first(),
        open_window=window,
        next_window=coming,
        last_reading=readings_of(user, point).first(),
        open_requests=ServiceRequest.objects.for_user(user)
        .exclude(status=RequestStatus.CLOSED)
        .count(),
        # Template keys: "self-reading" is not a name a template can look up.
        links={entry.key.replace("-", "_"): entry.url for entry in menu_for(company)},
    )
