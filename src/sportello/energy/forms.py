"""Forms of the utility customer's pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sportello.core.audit import Origin

from . import readings
from .measures import MAX_DAYS, Period
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


#: The days a period may name: the measures of electronic meters, with room to spare.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
#: What a date field takes: the browser's date picker sends ISO, a person types 29/03/2026.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class MeasurePeriodForm(forms.Form):
    """«Misure elettriche»: the days to show or download, at most ``MAX_DAYS``."""

    dal = forms.DateField(
        label=_("Dal"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indica il primo giorno del periodo."),
            "invalid": _("Scrivi la data come gg/mm/aaaa."),
        },
    )
    al = forms.DateField(
        label=_("Al"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indica l'ultimo giorno del periodo."),
            "invalid": _("Scrivi la data come gg/mm/aaaa."),
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first: dt.date | None = cleaned.get("dal")
        last: dt.date | None = cleaned.get("al")
        for name, day in (("dal", first), ("al", last)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Scegli una data dal 01/01/2000 al 31/12/2099."))
                return cleaned
        if first and last:
            if last < first:
                self.add_error("al", _("L'ultimo giorno non può precedere il primo."))
            elif (last - first).days + 1 > MAX_DAYS:
                self.add_error(
                    "al",
                    ngettext(
                        "Il periodo può coprire al massimo %(days)d giorno.",
                        "Il periodo può coprire al massimo %(days)d giorni.",
                        MAX_DAYS,
                    )
                    % {"days": MAX_DAYS},
                )
        return cleaned

    @property
    def period(self) -> Period | None:
        """The valid period asked for; None if the form is not bound or not valid."""
        if not self.is_bound or not self.is_valid():
            return None
        return Period(self.cleaned_data["dal"], self.cleaned_data["al"])


def measure_period_form(
    query: QueryDict, last_day: Callable[[], dt.date | None]
) -> MeasurePeriodForm | None:
    """The period form as the page's address asks; with neither date given, the last
    day with measures (``last_day``); None when there is nothing to show at all."""
    if "dal" in query or "al" in query:
        return MeasurePeriodForm(query)
    day = last_day()
    if day is None:
        return None
    return MeasurePeriodForm({"dal": day.isoformat(), "al": day.isoformat()})
