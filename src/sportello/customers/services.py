"""Changes a customer makes to its own registry data: only its contacts (G3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sportello.core import audit
from sportello.core.audit import Origin

from .models import Customer

#: The contacts a customer edits in «Dati anagrafici», in the form's order.
CONTACT_FIELDS = ("phone", "fax", "email")


@dataclass(frozen=True)
class Contacts:
    """Phone, fax and e-mail as the form cleaned them ("" clears one)."""

    phone: str
    fax: str
    email: str


@transaction.atomic
def update_contacts(origin: Origin, customer: Customer, contacts: Contacts) -> list[str]:
    """Save the customer's phone, fax and e-mail; returns the names of what changed.

    Only the customer's main user (``origin.user``) changes them, on the
    customer's company: its settings are the main user's, as the paper-invoice
    choice is. Every change is audited with the old and the new value.
    """
    user = origin.user
    if origin.company is None or customer.company_id != origin.company.pk:
        raise PermissionDenied("The customer belongs to another company.")
    if getattr(user, "customer_id", None) != customer.pk or getattr(user, "parent_id", None):
        raise PermissionDenied("Only the customer's main user changes its contacts.")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = [
        name for name in CONTACT_FIELDS if getattr(customer, name) != getattr(contacts, name)
    ]
    if not changed:
        return changed
    old = {name: getattr(customer, name) for name in changed}
    for name in changed:
        setattr(customer, name, getattr(contacts, name))
    customer.save(update_fields=changed)
    audit.record(
        "customer.contacts_changed",
        origin=origin,
        obj=customer,
        fields=changed,
        old=old,
        new={name: getattr(customer, name) for name in changed},
    )
    return changed
