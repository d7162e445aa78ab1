"""Choosing a password: the one way every flow asks for a new one.

First access (A4), reset and unlock links (A7, A8), a sub-user's welcome link
and the profile's change (A9, A12) all use these fields and this check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm

from ..models import PortalUser

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MISMATCH = _("Le due password non coincidono.")


def password_field(label: str | _StrPromise, autocomplete: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


def new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        password_field(
            _("Nuova password"),
            "new-password",
            help_text=_(
                "Almeno 12 caratteri; una frase facile da ricordare va benissimo, "
                "purché non sia una password comune o simile ai tuoi dati."
            ),
        ),
        password_field(_("Conferma la nuova password"), "new-password"),
    )


def check_new_passwords(form: forms.Form, user: PortalUser) -> None:
    """Two equal new passwords that pass the project's validators, else field errors."""
    first = form.cleaned_data.get("new_password1")
    second = form.cleaned_data.get("new_password2")
    if not first or not second:
        return
    if first != second:
        form.add_error("new_password2", forms.ValidationError(MISMATCH, code="password_mismatch"))
        return
    try:
        password_validation.validate_password(first, user)
    except forms.ValidationError as error:
        form.add_error("new_password1", error)


class NewPasswordForm(StyledForm):
    """A new password, typed twice, for ``user`` (no current password asked)."""

    new_password1, new_password2 = new_password_fields()

    def __init__(self, user: PortalUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_new_passwords(self, self.user)
        return data
