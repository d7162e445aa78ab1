"""Billed consumption of a supply point by year (G4, «Prelievi fatturati»).

One report feeds the page's tables and its charts: the charts' data is made
from the same month figures the tables print, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Consumption, SupplyPoint


@dataclass(frozen=True)
class MonthFigures:
    """One billed month: energy (kWh or Smc), power (kW) and bands, as imported."""

    month: int
    energy: Decimal
    power: Decimal | None
    energy_f1: Decimal | None
    energy_f2: Decimal | None
    energy_f3: Decimal | None
    is_estimated: bool

    @property
    def has_bands(self) -> bool:
        return self.energy_f1 is not None


@dataclass(frozen=True)
class YearFigures:
    """A year's months, January to December; None where nothing was billed."""

    year: int
    months: tuple[MonthFigures | None, ...]

    @property
    def total_energy(self) -> Decimal:
        return sum((m.energy for m in self.months if m is not None), Decimal(0))

    @property
    def has_estimates(self) -> bool:
        return any(m is not None and m.is_estimated for m in self.months)


@dataclass(frozen=True)
class MonthRow:
    """A line of the tables: the month and its figures in the chosen and previous year."""

    number: int
    name: str
    current: MonthFigures | None
    previous: MonthFigures | None


@dataclass(frozen=True)
class ConsumptionReport:
    """A point's consumption in ``year`` beside ``previous`` (None: nothing billed then)."""

    point: SupplyPoint
    years: list[int]
    current: YearFigures
    previous: YearFigures | None

    @property
    def unit(self) -> str:
        return self.point.unit

    @property
    def shows_power(self) -> bool:
        """Power is billed on electricity only."""
        return self.point.is_electricity

    @property
    def has_bands(self) -> bool:
        """Whether the chosen year's data has F1/F2/F3 (a time-band meter)."""
        return any(m is not None and m.has_bands for m in self.current.months)

    @property
    def has_estimates(self) -> bool:
        return self.current.has_estimates or bool(self.previous and self.previous.has_estimates)

    @property
    def rows(self) -> list[MonthRow]:
        previous = self.previous.months if self.previous else (None,) * 12
        return [
            MonthRow(number, capfirst(str(MONTHS[number])), current, before)
            for number, current, before in zip(
                range(1, 13), self.current.months, previous, strict=True
            )
        ]

    @property
    def band_rows(self) -> list[MonthFigures]:
        return [m for m in self.current.months if m is not None and m.has_bands]

    def chart_data(self) -> dict[str, Any]:
        """What the page's script draws, in the page's language: the tables' figures."""
        years = [self.current] + ([self.previous] if self.previous else [])
        data: dict[str, Any] = {
            "labels": [capfirst(str(MONTHS_3[n])) for n in range(1, 13)],
            "unit": self.unit,
            "texts": {
                "actual": _("Effettivo"),
                "estimated": _("Stimato"),
                "kw": "kW",
            },
            "energy": [_series(str(y.year), y.months, "energy") for y in years],
            "power": [_series(str(y.year), y.months, "power") for y in years]
            if self.shows_power
            else [],
            "bands": [
                _series(band.upper(), self.current.months, f"energy_{band}")
                for band in ("f1", "f2", "f3")
            ]
            if self.has_bands
            else [],
        }
        return data


def _series(label: str, months: tuple[MonthFigures | None, ...], field: str) -> dict[str, Any]:
    values = [getattr(m, field) if m is not None else None for m in months]
    return {
        "label": label,
        # JSON numbers: a Decimal with three places is a float the browser prints back the same.
        "values": [float(v) if v is not None else None for v in values],
        "estimated": [m is not None and m.is_estimated for m in months],
    }


def consumption_years(point: SupplyPoint) -> list[int]:
    """The years with billed consumption for ``point``, latest first."""
    found = Consumption.objects.filter(supply_point=point).values_list("year", flat=True)
    return list(found.distinct().order_by("-year"))


def consumption_report(point: SupplyPoint, year: int | None) -> ConsumptionReport | None:
    """``point``'s consumption in ``year`` (one of its years, else the latest) and the year
    before; None when nothing has been billed yet. Two queries whatever the data."""
    years = consumption_years(point)
    if not years:
        return None
    chosen = year if year in years else years[0]
    rows = Consumption.objects.filter(supply_point=point, year__in=(chosen, chosen - 1))
    by_year: dict[int, list[MonthFigures | None]] = {}
    for row in rows.order_by("year", "month"):
        months = by_year.setdefault(row.year, [None] * 12)
        months[row.month - 1] = MonthFigures(
            row.month,
            row.energy,
            row.power,
            row.energy_f1,
            row.energy_f2,
            row.energy_f3,
            row.is_estimated,
        )
    previous = by_year.get(chosen - 1)
    return ConsumptionReport(
        point,
        years,
        YearFigures(chosen, tuple(by_year[chosen])),
        YearFigures(chosen - 1, tuple(previous)) if previous else None,
    )
