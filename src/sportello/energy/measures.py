"""Electric measures of a supply point over a period (G6, «Misure elettriche»).

Measures are stored by the start of their interval in UTC and shown in
Europe/Rome. A period is a run of whole Italian days: from midnight of the
first to midnight after the last, so the spring day of the clock change holds
92 quarter hours and the autumn one 100. In the autumn the hour from 02:00 to
03:00 happens twice: its times say which one (summer or winter time), and the
files carry each row's UTC offset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Measure, SupplyPoint

#: The longest period a page or a file covers: a year of quarter hours (35,136
#: rows in a leap year). The page shows it 100 rows at a time and the file is
#: streamed, so neither holds the year in memory.
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Whole days in Italy, ``first`` to ``last`` included."""

    first: dt.date
    last: dt.date

    @property
    def starts_at(self) -> dt.datetime:
        return _midnight(self.first)

    @property
    def ends_at(self) -> dt.datetime:
        return _midnight(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _midnight(day: dt.date) -> dt.datetime:
    # Midnight exists once every day in Italy: the clocks change at 02:00 and 03:00.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class PeriodTotals:
    """What the page and the files say of the whole period."""

    count: int
    active_energy: Decimal | None
    reactive_energy: Decimal | None
    peak_power: Decimal | None


def last_measured_day(point: SupplyPoint) -> dt.date | None:
    """The Italian day of ``point``'s latest measure; None if it has none."""
    latest = (
        Measure.objects.filter(supply_point=point)
        .order_by("-measured_at")
        .values_list("measured_at", flat=True)
        .first()
    )
    return timezone.localdate(latest) if latest else None


def measures_in(point: SupplyPoint, period: Period) -> QuerySet[Measure]:
    """``point``'s measures whose interval starts inside ``period``, in time order."""
    return Measure.objects.filter(
        supply_point=point,
        measured_at__gte=period.starts_at,
        measured_at__lt=period.ends_at,
    ).order_by("measured_at")


def period_totals(point: SupplyPoint, period: Period) -> PeriodTotals:
    """Energy summed and the highest power over ``period``, in one query."""
    figures = measures_in(point, period).aggregate(
        count=Count("pk"),
        active=Sum("active_energy"),
        reactive=Sum("reactive_energy"),
        peak=Max("peak_power"),
    )
    return PeriodTotals(
        figures["count"],
        _thousandths(figures["active"]),
        _thousandths(figures["reactive"]),
        figures["peak"],
    )


def _thousandths(total: Decimal | None) -> Decimal | None:
    """A sum to the thousandth the values have: SQLite sums decimals as floats
    (199.000000000001), which a spreadsheet would keep."""
    return None if total is None else total.quantize(Decimal("0.001"))


@dataclass(frozen=True)
class LocalTime:
    """When an interval starts, in Italy, and how to tell the repeated autumn hour apart."""

    at: dt.datetime  # aware, Europe/Rome

    @property
    def naive(self) -> dt.datetime:
        """The wall-clock time, as a spreadsheet cell holds it."""
        return self.at.replace(tzinfo=None)

    @property
    def is_summer_time(self) -> bool:
        return bool(self.at.dst())

    @property
    def is_repeated(self) -> bool:
        """Whether this wall-clock time happens twice (02:00-02:59 on the autumn day)."""
        other = self.at.replace(fold=1 - self.at.fold)
        return other.utcoffset() != self.at.utcoffset()

    @property
    def offset(self) -> str:
        """``UTC+02:00`` (summer time) or ``UTC+01:00`` (winter time)."""
        return offset_label(self.at.utcoffset())

    @property
    def label(self) -> str:
        """``14:15``; in the repeated hour ``02:15 (ora legale)`` or ``02:15 (ora solare)``."""
        clock = f"{self.at:%H:%M}"
        if not self.is_repeated:
            return clock
        season = _("ora legale") if self.is_summer_time else _("ora solare")
        return f"{clock} ({season})"


def local_time(measured_at: dt.datetime) -> LocalTime:
    return LocalTime(timezone.localtime(measured_at))


@lru_cache(maxsize=4)
def offset_label(offset: dt.timedelta | None) -> str:
    """``UTC+01:00`` for an offset of one hour (Italy has two: a file repeats them)."""
    minutes = int(offset.total_seconds()) // 60 if offset else 0
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
