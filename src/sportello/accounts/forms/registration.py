"""Forms of the registration (A1, A2) and of the first definitive password (A4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm
from sportello.customers import identifiers

from .passwords import NewPasswordForm


def clean_tax_id(value: str) -> str:
    """An 11-digit partita IVA or a 16-character codice fiscale (omocodia included)."""
    compact = "".join(value.split()).upper()
    if compact.isdigit():
        return identifiers.clean_partita_iva(compact)
    return identifiers.clean_codice_fiscale(compact)


class TaxIdField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Codice fiscale o partita IVA"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        cleaned = super().clean(value)
        return clean_tax_id(cleaned) if cleaned else cleaned


class RegistrationEmailField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("E-mail"))
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "email"})


class ContractRegistrationForm(StyledForm):
    """A1: the data printed on the leasing contract and the last invoice."""

    contract_number = forms.CharField(
        label=_("Numero contratto"),
        max_length=20,
        help_text=_("Rilevabile dall'ultima fattura."),
    )
    module_number = forms.CharField(
        label=_("Numero modulo"),
        max_length=20,
        help_text=_("Indicato a fianco del numero contratto dopo il segno «/»."),
    )
    tax_id = TaxIdField(
        help_text=_("Il codice fiscale; per le società anche la partita IVA (11 cifre).")
    )
    email = RegistrationEmailField(
        help_text=_(
            "Riceverà le credenziali e le comunicazioni. Per le persone giuridiche è "
            "obbligatorio un indirizzo PEC."
        )
    )

    def clean_contract_number(self) -> str:
        return "".join(str(self.cleaned_data["contract_number"]).split())

    def clean_module_number(self) -> str:
        return "".join(str(self.cleaned_data["module_number"]).split()).lstrip("/")


class CustomerCodeRegistrationForm(StyledForm):
    """A2, first step: the customer code printed on the invoice and a tax id."""

    code = forms.RegexField(
        label=_("Codice cliente presente in fattura"),
        regex=r"^\d{6}$",
        max_length=6,
        help_text=_("Sei cifre, nella prima pagina della fattura sotto numero e data."),
        error_messages={"invalid": _("Il codice cliente è di sei cifre.")},
    )
    tax_id = TaxIdField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


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
