"""Forms and the services they call, without HTTP: arbitrary values either get a
message on a field (and the service is not called, nothing changes) or are
stored exactly as the form cleaned them."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.factories import Tenant

from sportello.accounts.forms.personal_data import ContactsForm
from sportello.core.audit import Origin
from sportello.core.models import AuditEvent
from sportello.customers.models import Customer
from sportello.customers.services import update_contacts

from .strategies import emails, examples, field_value

phones = st.one_of(
    field_value,
    st.from_regex(r"\+?[0-9 ./-]{4,24}", fullmatch=True),
    st.sampled_from(["055 1234567", "+39 333 1234567", "  055  123 4567  ", "0039-055-123456"]),
)


@examples(40)
@given(phone=phones, fax=phones, email=st.one_of(emails, field_value))
def test_it_stores_the_contacts_as_cleaned_or_changes_nothing(
    energia: Tenant, phone: str, fax: str, email: str
) -> None:
    customer = Customer.objects.get(pk=energia.customer.pk)
    before = Customer.objects.filter(pk=customer.pk).values().get()
    audited = AuditEvent.objects.count()
    form = ContactsForm(customer, {"phone": phone, "fax": fax, "email": email})

    if not form.is_valid():
        assert all(form.errors[name] for name in form.errors)
        assert set(form.errors) <= {"phone", "fax", "email", "__all__"}
        assert Customer.objects.filter(pk=customer.pk).values().get() == before
        assert AuditEvent.objects.count() == audited
        return
    changed = update_contacts(
        Origin(energia.company, energia.user, "192.0.2.1"), customer, form.contacts()
    )

    stored: Any = Customer.objects.get(pk=customer.pk)
    cleaned = form.cleaned_data
    assert (stored.phone, stored.fax, stored.email) == (
        cleaned["phone"],
        cleaned["fax"],
        cleaned["email"],
    )
    # Every change is audited; saving the same contacts again records nothing.
    assert (AuditEvent.objects.count() > audited) == bool(changed)
