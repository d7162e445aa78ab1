"""Italian identifiers, checked with python-stdnum: codice fiscale, partita IVA, IBAN."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva


def clean_codice_fiscale(value: str) -> str:
    """A valid codice fiscale (omocodia variants included) in canonical form.

    An 11-digit company codice fiscale is a partita IVA number and is checked
    (and explained, when wrong) as such.
    """
    compact = codicefiscale.compact(value)
    if len(compact) == 11 and compact.isdigit():
        return clean_partita_iva(compact)
    try:
        return str(codicefiscale.validate(compact))
    except StdnumError:
        raise ValidationError(
            _("Il codice fiscale non è valido: controllare i caratteri inseriti."),
            code="invalid_codice_fiscale",
        ) from None


def clean_partita_iva(value: str) -> str:
    try:
        return str(iva.validate(value))
    except StdnumError:
        raise ValidationError(
            _("La partita IVA non è valida: deve avere 11 cifre con la cifra di controllo esatta."),
            code="invalid_partita_iva",
        ) from None


def clean_iban(value: str) -> str:
    try:
        return str(iban.validate(value))
    except StdnumError:
        raise ValidationError(
            _("L'IBAN non è valido: controllare paese, cifre di controllo e lunghezza."),
            code="invalid_iban",
        ) from None


def format_iban(value: str) -> str:
    """``IT60 X054 2811 1010 0000 0123 456``: in groups of four, as people copy it."""
    return str(iban.format(value)) if value else ""


def mask_iban(value: str) -> str:
    """``IT60 **** **** 0123``: enough to recognise it, not enough to reuse it."""
    compact = iban.compact(value) if value else ""
    if len(compact) < 8:
        return compact
    return f"{compact[:4]} **** **** {compact[-4:]}"
