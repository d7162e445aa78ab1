"""The contacts of «Dati anagrafici» (G3): the only registry data a customer edits."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm
from sportello.customers.models import Customer
from sportello.customers.services import Contacts

#: Digits, with one space (or / . -) between groups and an optional leading "+".
#: The separator is not optional: a pattern that could split digits two ways would
#: backtrack exponentially on a long wrong input.
PHONE_SHAPE = re.compile(r"\+?\d+(?:[ ./-]\d+)*")
#: ITU-T E.164: at most 15 digits; no Italian number, landline or mobile, has fewer than 6.
PHONE_DIGITS = range(6, 16)
PHONE_MAX_LENGTH = 30  # Customer.phone / Customer.fax


def phone_field(label: Any, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PHONE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": autocomplete}
        ),
        help_text=_("Cifre e spazi, con + e il prefisso del paese se estero: es. 055 1234567."),
        error_messages={
            "max_length": _("Al massimo %(limit_value)d caratteri."),
        },
    )


def clean_phone_number(value: str) -> str:
    """The number with its spaces tidied, or "" to clear it; a ``ValidationError`` if it
    is not a phone number."""
    text = " ".join(value.split())
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    if not PHONE_SHAPE.fullmatch(text) or len(digits) not in PHONE_DIGITS:
        raise forms.ValidationError(ContactsForm.error_messages["phone"], code="phone")
    return text


class ContactsForm(StyledForm):
    """Phone, fax and e-mail of the customer; empty clears one."""

    phone = phone_field(_("Telefono"), "tel")
    fax = phone_field(_("Fax"), "off")
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Il recapito del cliente per la società. Le e-mail del portale vanno "
            "all'indirizzo del Profilo utente."
        ),
        error_messages={"invalid": _("Inserisci un indirizzo e-mail valido, es. nome@esempio.it.")},
    )

    error_messages = {
        "phone": _(
            "Inserisci un numero valido: da 6 a 15 cifre, es. 055 1234567 o +39 333 1234567."
        ),
    }

    def __init__(self, customer: Customer, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"phone": customer.phone, "fax": customer.fax, "email": customer.email}
        )
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_fax(self) -> str:
        return clean_phone_number(self.cleaned_data["fax"])

    def contacts(self) -> Contacts:
        data = self.cleaned_data
        return Contacts(phone=data["phone"], fax=data["fax"], email=data["email"])
