"""Forms of the registration (A1, A2) and of the first definitive password (A4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm

from .identification import (
    TaxIdField,
    contract_number_field,
    customer_code_field,
    module_number_field,
)
from .passwords import NewPasswordForm


class RegistrationEmailField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("E-mail"))
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "email"})


class ContractRegistrationForm(StyledForm):
    """A1: the data printed on the leasing contract and the last invoice."""

    contract_number = contract_number_field()
    module_number = module_number_field()
    tax_id = TaxIdField(
        help_text=_("Il codice fiscale; per le società anche la partita IVA (11 cifre).")
    )
    email = RegistrationEmailField(
        help_text=_(
            "Riceverà le credenziali e le comunicazioni. Per le persone giuridiche è "
            "obbligatorio un indirizzo PEC."
        )
    )


class CustomerCodeRegistrationForm(StyledForm):
    """A2, first step: the customer code printed on the invoice and a tax id."""

    code = customer_code_field(_("Codice cliente presente in fattura"))
    tax_id = TaxIdField()


class ConfirmRegistrationForm(StyledForm):
    """A2, second step: the e-mail that receives the first-access password."""

    email = RegistrationEmailField(
        label=_("E-Mail"),
        help_text=_("Le credenziali di accesso saranno inviate alla e-mail indicata."),
    )


class ChoosePasswordForm(NewPasswordForm):
    """A4: the definitive password that replaces the temporary one."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        second = data.get("new_password2")
        if "new_password2" not in self.errors and second and self.user.check_password(second):
            self.add_error(
                "new_password2",
                ValidationError(
                    _("La password definitiva deve essere diversa da quella temporanea."),
                    code="password_unchanged",
                ),
            )
        return data
