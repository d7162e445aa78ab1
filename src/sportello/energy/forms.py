"""Forms of the utility customer's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from sportello.core.audit import Origin

from . import readings
from .models import MeterReading, SupplyPoint

#: Whole digits only, at most nine (the meter registers of gas and electricity
#: meters have fewer); a point or a comma is refused rather than guessed.
METER_DIGITS = RegexValidator(
    r"^[0-9]{1,9}$",
    _("Inserisci solo le cifre intere del contatore, senza punti, virgole né decimali."),
)


def _digits_field(label: str | Any, help_text: str | Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=9,
        validators=[METER_DIGITS],
        help_text=help_text,
        error_messages={"required": _("Inserisci la lettura.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control"}
        ),
    )


class ReadingForm(forms.Form):
    """ "Inserimento Autolettura": the meter, and the corrector where the point has one.

    ``confirm`` carries the meter value the customer confirmed after a
    plausibility warning: a confirmation holds for that value only, so a
    corrected figure is checked afresh.
    """

    meter_value = _digits_field(
        _("Lettura contatore"),
        _("Le cifre intere del contatore (nel gas quelle nere), senza decimali."),
    )
    corrector_value = _digits_field(
        _("Lettura correttore"), _("Le cifre intere del correttore, senza decimali.")
    )
    confirm = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, point: SupplyPoint, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.point = point
        #: The plausibility warning to confirm (shown with a checkbox), if any.
        self.warning = ""
        if not point.has_corrector:
            del self.fields["corrector_value"]

    def submit(self, origin: Origin) -> MeterReading | None:
        """Enter the reading; None with the form's errors or warning when it was not saved."""
        if not self.is_valid():
            return None
        meter = self.cleaned_data["meter_value"]
        corrector = self.cleaned_data.get("corrector_value")
        try:
            return readings.add_reading(
                origin,
                self.point,
                meter_value=int(meter),
                corrector_value=int(corrector) if corrector else None,
                confirmed=self.cleaned_data["confirm"] == meter,
            )
        except readings.ConfirmationRequired as needed:
            self.warning = needed.message
        except readings.ReadingRefused as refused:
            self.add_error(refused.field if refused.field in self.fields else None, refused.message)
        return None

    @property
    def confirmable_value(self) -> str:
        """The value the checkbox confirms: the one just checked."""
        return str(self.cleaned_data.get("meter_value", "")) if self.warning else ""
