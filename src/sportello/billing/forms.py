"""Filters of the billing pages: all in the URL (GET), so a view can be linked and exported."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sportello.core.forms import StyledForm

from .models import EntryStatus
from .services import NEWEST_FIRST, InvoiceSearch


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AmountField(forms.Field):
    """An amount as people type it: ``1.220,00`` in Italian, ``1,220.00`` in English, ``1220``."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "20"})

    def to_python(self, value: Any) -> Decimal | None:
        text = re.sub(r"[\s€]", "", str(value or ""))
        if not text:
            return None
        if (translation.get_language() or "it").startswith("en"):
            text = text.replace(",", "")
        else:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Inserire un importo valido, ad esempio 1.220,00.")) from None
        if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
            raise ValidationError(_("Inserire un importo valido, ad esempio 1.220,00."))
        return amount.quantize(Decimal("0.01"))


def check_period(form: StyledForm, start: str, end: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and first > last:
        form.add_error(end, _("La data finale precede quella iniziale."))


class OrderField(forms.ChoiceField):
    """An order the page does not know is the default order.

    Unlike a filter, an order cannot make the list read as something it is not
    (the rows are the same), and the page has no field to show an error next to.
    """

    def clean(self, value: Any) -> str:
        text = self.to_python(value)
        return text if self.valid_value(text) else ""


class ScheduleFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Stato"),
        required=False,
        choices=[("", _("Tutti")), *EntryStatus.choices],
        # Django's message repeats the raw value from the address ("xyz non è tra…").
        error_messages={"invalid_choice": _("Stato non valido: scegli uno stato dell'elenco.")},
    )
    date_from = forms.DateField(label=_("Scadenza dal"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Scadenza al"), required=False, widget=DateInput())
    order = OrderField(
        label=_("Ordine"),
        required=False,
        choices=[
            ("", _("Prima scaduti e prossime scadenze")),
            (NEWEST_FIRST, _("Scadenza più recente prima")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_period(self, "date_from", "date_to")
        return cleaned


class InvoiceSearchForm(StyledForm):
    number = forms.CharField(label=_("Numero"), required=False, max_length=30)
    date_from = forms.DateField(label=_("Data dal"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Data al"), required=False, widget=DateInput())
    amount_min = AmountField(label=_("Totale da (€)"), required=False)
    amount_max = AmountField(label=_("Totale a (€)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_period(self, "date_from", "date_to")
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("L'importo massimo è minore di quello minimo."))
        return cleaned

    @property
    def narrows(self) -> bool:
        """Whether the customer asked for anything (an empty list then means "no match")."""
        return any(str(self.data.get(name, "")).strip() for name in self.fields)

    def search(self) -> InvoiceSearch:
        """The search asked for; nothing narrowed when the input is not valid."""
        if not self.is_valid():
            return InvoiceSearch()
        data = self.cleaned_data
        return InvoiceSearch(
            number=data["number"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            amount_min=data["amount_min"],
            amount_max=data["amount_max"],
        )
