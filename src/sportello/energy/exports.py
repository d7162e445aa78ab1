"""«Misure elettriche» as a file (G6): the page's period, its rows and its totals.

The header says which point and which days; each row has the start of its
interval as an Italian date and time cell and the UTC offset beside it, so the
two 02:15 of the autumn clock change stay two different rows in a spreadsheet.
The totals line is the page's: the same query computes both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.core.exports import Column, Exporter
from sportello.core.formatting import format_long_date

from .measures import Period, measures_in, offset_label, period_totals
from .models import SupplyPoint

#: Rows fetched from the database at a time: a year of quarter hours is never held whole.
CHUNK_ROWS = 2000


class MeasureExporter(Exporter):
    basename = gettext_lazy("misure-elettriche")
    sheet = gettext_lazy("Misure elettriche")
    columns = [
        Column(gettext_lazy("Data e ora (ora italiana)"), "datetime", width=18),
        Column(gettext_lazy("Fuso orario"), width=12),
        Column(gettext_lazy("Intervallo (minuti)"), "integer", width=10),
        Column(gettext_lazy("Energia attiva (kWh)"), "quantity", width=14),
        Column(gettext_lazy("Energia reattiva (kvarh)"), "quantity", width=14),
        Column(gettext_lazy("Potenza massima (kW)"), "quantity", width=14),
    ]

    def __init__(self, point: SupplyPoint, period: Period) -> None:
        self.point = point
        self.period = period
        self.suffix = f"{point.number}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"

    def preamble(self) -> Sequence[Sequence[str]]:
        point = self.point
        return [
            (_("Misure elettriche"),),
            (_("Punto di fornitura"), f"{point.number} ({point.code_label}: {point.code})"),
            (_("Indirizzo di fornitura"), point.address),
            (
                _("Periodo"),
                _("dal %(first)s al %(last)s, ora italiana")
                % {
                    "first": format_long_date(self.period.first),
                    "last": format_long_date(self.period.last),
                },
            ),
        ]

    def rows(self) -> Iterable[Sequence[Any]]:
        values = measures_in(self.point, self.period).values_list(
            "measured_at", "interval_minutes", "active_energy", "reactive_energy", "peak_power"
        )
        # ``local_time`` for each of 35,040 rows would look the zone up as often.
        zone = timezone.get_current_timezone()
        for measured_at, *figures in values.iterator(chunk_size=CHUNK_ROWS):
            start = measured_at.astimezone(zone)
            yield (start.replace(tzinfo=None), offset_label(start.utcoffset()), *figures)

    def footer(self) -> Sequence[Any]:
        totals = period_totals(self.point, self.period)
        return (
            _("Totale del periodo"),
            "",
            None,
            totals.active_energy,
            totals.reactive_energy,
            totals.peak_power,
        )
