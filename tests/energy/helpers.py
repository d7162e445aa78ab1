"""Supply points with consumption and measures as the core system sends them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sportello.energy.models import Consumption, Measure, SupplyPoint


def bill_year(
    point: SupplyPoint,
    year: int,
    *,
    bands: bool = False,
    estimated: tuple[int, ...] = (),
    months: range = range(1, 13),
) -> list[Consumption]:
    """A year of monthly consumption: figures that tell months and years apart."""
    rows = []
    for month in months:
        energy = Decimal(f"{year % 100 * 10 + month}.125")
        fields: dict[str, Any] = {}
        if point.is_electricity:
            fields["power"] = Decimal(f"3.{month:02d}")
        if bands:
            f1 = (energy * Decimal("0.5")).quantize(Decimal("0.001"))
            f2 = (energy * Decimal("0.3")).quantize(Decimal("0.001"))
            fields |= {"energy_f1": f1, "energy_f2": f2, "energy_f3": energy - f1 - f2}
        rows.append(
            Consumption(
                supply_point=point,
                year=year,
                month=month,
                energy=energy,
                is_estimated=month in estimated,
                **fields,
            )
        )
    return Consumption.objects.bulk_create(rows)


def rome(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def measure_days(
    point: SupplyPoint, first: dt.date, last: dt.date, *, interval: int = 15
) -> list[Measure]:
    """Every interval from midnight of ``first`` to midnight after ``last`` (Italian days),
    stepped in UTC as meters do: 92 quarter hours on the spring day, 100 on the autumn one."""
    start = rome(first).astimezone(dt.UTC)
    end = rome(last + dt.timedelta(days=1)).astimezone(dt.UTC)
    rows = []
    at = start
    n = 0
    while at < end:
        n += 1
        rows.append(
            Measure(
                supply_point=point,
                measured_at=at,
                interval_minutes=interval,
                active_energy=Decimal(n % 7 + 1) / 4 + Decimal("0.001"),
                reactive_energy=Decimal("0.050"),
                peak_power=Decimal(n % 11 + 1) / 3,
            )
        )
        at += dt.timedelta(minutes=interval)
    for row in rows:
        row.peak_power = (row.peak_power or Decimal(0)).quantize(Decimal("0.001"))
    return Measure.objects.bulk_create(rows)
