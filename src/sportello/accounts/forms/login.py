from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.core.validators import RegexValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm
from sportello.core.models import Company

from .. import throttle
from ..models import PortalUser
from .identification import (
    TaxIdField,
    contract_number_field,
    customer_code_field,
    module_number_field,
)


class LoginForm(StyledForm):
    login = forms.CharField(
        label=_("Username"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        # A locked account gets this very message too (see backends.LockoutBackend).
        "invalid_login": _("Username o password non corretti."),
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: PortalUser | None = None
        self.refused = False
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        user = authenticate(self.request, login=data["login"], password=data["password"])
        if user is None or not isinstance(user, PortalUser) or user.customer_id is None:
            self.refused = True
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.user = user
        return data

    def refuse_for_address(self, wait_seconds: int) -> None:
        """Too many wrong passwords from the client's address: no password is checked."""
        self.add_error(None, forms.ValidationError(throttle.wait_message(wait_seconds)))


class CodeForm(StyledForm):
    code = forms.CharField(
        label=_("Codice"),
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Il codice è formato da 6 cifre."))],
        error_messages={"min_length": _("Il codice è formato da 6 cifre.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    error_messages = {
        "wrong": _(
            "Il codice non è corretto o è scaduto: controlla l'ultima e-mail ricevuta "
            "o chiedi un nuovo codice."
        ),
    }

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()

    def wrong_code(self) -> None:
        self.add_error("code", forms.ValidationError(self.error_messages["wrong"]))


class ResetRequestForm(StyledForm):
    identifier = forms.CharField(
        label=_("Username o e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def refuse_throttled(self, wait_seconds: int) -> None:
        self.add_error(None, forms.ValidationError(throttle.wait_message(wait_seconds)))


class UnlockForm(StyledForm):
    """Seed 000 (leasing): contract and module number and codice fiscale; seed 004
    (utility): customer code and partita IVA or codice fiscale."""

    contract_number = contract_number_field()
    module_number = module_number_field()
    customer_code = customer_code_field(_("Codice cliente"))
    tax_id = TaxIdField()

    def __init__(self, company: Company, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if company.is_leasing:
            del self.fields["customer_code"]
        else:
            del self.fields["contract_number"]
            del self.fields["module_number"]
            self.fields["tax_id"].label = _("Partita IVA o codice fiscale")

    def refuse_throttled(self, wait_seconds: int) -> None:
        self.add_error(None, forms.ValidationError(throttle.wait_message(wait_seconds)))
