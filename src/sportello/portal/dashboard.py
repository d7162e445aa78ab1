"""The leasing home's panels (B1-B4), composed from billing, leasing and the service desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from sportello.billing.services import Situation, situation
from sportello.core.models import Company
from sportello.leasing.models import Contract
from sportello.servicedesk.customer_forms import SelfServiceKind, self_service_kinds
from sportello.servicedesk.models import ServiceRequest

from .menu import menu_for

LATEST_REQUESTS = 5


@dataclass(frozen=True)
class Dashboard:
    """Everything the leasing home shows."""

    situation: Situation
    contracts: list[Contract]
    requests: list[ServiceRequest]
    links: dict[str, str] = field(default_factory=dict)
    built: frozenset[str] = frozenset()
    #: The self-service panel's kinds (B4): none when the company offers no requests.
    self_service: list[SelfServiceKind] = field(default_factory=list)


def dashboard(user: Any, company: Company, today: dt.date) -> Dashboard:
    """The leasing home (B1-B4) in a fixed number of queries."""
    contracts = list(
        Contract.objects.for_user(user)
        .active()
        .annotate(asset_count=Count("assets"))
        .order_by("-stipulated_on", "number")
    )
    requests = list(
        ServiceRequest.objects.for_user(user)
        .select_related("request_type")
        .order_by("-last_activity_at", "-pk")[:LATEST_REQUESTS]
    )
    # The panels link where the menu does; a section not built yet says it is
    # coming instead of offering a link that leads nowhere useful.
    menu = menu_for(company)
    links = {entry.key: entry.url for entry in menu}
    return Dashboard(
        situation=situation(user.customer_id, today),
        contracts=contracts,
        requests=requests,
        links=links,
        built=frozenset(entry.key for entry in menu if entry.is_built),
        self_service=list(self_service_kinds(company).values()),
    )
