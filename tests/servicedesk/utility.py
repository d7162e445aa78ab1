"""An energy seller's customer with an electricity and a gas point, for the E6 tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from tests.factories import Tenant, make_supply_point

from sportello.energy.models import SupplyPoint
from sportello.energy.selection import SESSION_KEY
from sportello.servicedesk.models import RequestType

NEW = "/richieste/nuova/"
TICKET = "/richieste/nuova/ticket/"
COMPLAINT = "/richieste/nuova/reclamo/"
#: What a PDF starts with: enough for the content check.
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


@dataclass(frozen=True)
class UtilityCustomer:
    """``energia``'s customer with two points and the company's request types."""

    tenant: Tenant
    electricity: SupplyPoint
    gas: SupplyPoint
    types: list[RequestType]

    def client(self, point: SupplyPoint | None = None) -> Client:
        """The customer's browser, with ``point`` chosen in the header (else the first)."""
        client = self.tenant.logged_in_client()
        if point is not None:
            session = client.session
            session[SESSION_KEY] = point.pk
            session.save()
        return client


def utility_customer(energia: Tenant) -> UtilityCustomer:
    customer = energia.customer
    electricity = make_supply_point(
        customer,
        number="PR002873",
        code="IT001E12345678",
        address="VIA PROVA 5 - 48124 RAVENNA (RA)",
    )
    gas = make_supply_point(
        customer,
        "gas",
        number="PR002874",
        code="03340009749021",
        address="VIA DEI POGGI 5 - 57014 COLLESALVETTI (LI)",
    )
    types = [
        RequestType.objects.create(
            company=energia.company, label_it=it, label_en=en, position=position
        )
        for position, (it, en) in enumerate(
            [("Voltura", "Change of account holder"), ("Verifica del contatore", "Meter check")]
        )
    ]
    return UtilityCustomer(energia, electricity, gas, types)


def complaint_post(point: SupplyPoint | None, **changes: Any) -> dict[str, Any]:
    """What a customer sends for a complaint about ``point``, as the form prefills it."""
    data = {
        "supply_point": point.pk if point else "",
        "name": "Bianchi Anna",
        "supply_address": point.address if point else "VIA ROMA 1 - 10100 TORINO (TO)",
        "reply_address": "anna.bianchi@example.test",
        "service": point.commodity if point else "electricity",
        "point_code": point.code if point else "",
        "subject": "Bolletta di gennaio",
        "description": "La bolletta di gennaio fattura consumi stimati già conguagliati.",
    }
    return data | changes
