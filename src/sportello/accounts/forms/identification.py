"""The data a customer proves who they are with, as printed on contract and invoice.

Registration (A1, A2) and the self-service unlock (A7) ask for the same
things; these fields give them one wording and one validation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from sportello.customers import identifiers

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class CompactField(forms.CharField):
    """A code typed with stray spaces (and, for the module number, the "/" before it)."""

    def __init__(self, *, strip_chars: str = "", **kwargs: Any) -> None:
        self.strip_chars = strip_chars
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value: Any) -> str:
        text = "".join(str(super().to_python(value)).split())
        return text.lstrip(self.strip_chars)


def contract_number_field() -> CompactField:
    return CompactField(label=_("Numero contratto"), help_text=_("Rilevabile dall'ultima fattura."))


def module_number_field() -> CompactField:
    return CompactField(
        label=_("Numero modulo"),
        help_text=_("Indicato a fianco del numero contratto dopo il segno «/»."),
        strip_chars="/",
    )


def customer_code_field(label: str | _StrPromise) -> CompactField:
    field = CompactField(
        label=label,
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Il codice cliente è formato da 6 cifre."))],
        help_text=_("Sei cifre, nella prima pagina della fattura sotto numero e data."),
    )
    field.widget.attrs["inputmode"] = "numeric"
    return field


class TaxIdField(forms.CharField):
    """A 16-character codice fiscale (omocodia included) or an 11-digit partita IVA."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Codice fiscale o partita IVA"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        cleaned = str(super().clean(value) or "")
        return identifiers.clean_codice_fiscale(cleaned) if cleaned else cleaned
