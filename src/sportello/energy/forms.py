"""Forms of the utility customer's pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .measures import MAX_DAYS, Period

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
