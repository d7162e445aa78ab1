"""The customer's registry data as «Dati anagrafici» shows it (G3).

The core system owns the registry: the portal shows it read-only, and a
customer who finds it wrong reports it ("Segnala una difformità") instead of
changing it. Only the contacts (phone, fax, e-mail) are the customer's to
edit (``services.update_contacts``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Customer

#: The read-only fields, in the page's order: key → label (seed 004's words where it has them).
REGISTRY_FIELDS: dict[str, Promise] = {
    "code": _("Codice cliente"),
    "name": _("Denominazione"),
    "codice_fiscale": _("Codice fiscale"),
    "partita_iva": _("Partita IVA"),
    "address": _("Residenza/Sede"),
    "pec": _("PEC"),
}


@dataclass(frozen=True)
class RegistryRow:
    key: str
    label: Promise
    value: str


def registry_value(customer: Customer, key: str) -> str:
    """What the registry holds for ``key`` (one of ``REGISTRY_FIELDS``)."""
    if key == "address":
        return customer.full_address
    return str(getattr(customer, key))


def registry_rows(customer: Customer) -> list[RegistryRow]:
    return [
        RegistryRow(key, label, registry_value(customer, key))
        for key, label in REGISTRY_FIELDS.items()
    ]
