"""How the demo's meters behave: seasons, daily load, time bands and clock changes.

Pure functions, so the demo's consumption, curves and readings can be told
apart from how they are stored, and tested on their own. The curves are built
as Italian 2G meters send them: one value per interval whose start is stored
in UTC; the calendar (months, days, time bands) is Europe/Rome's, where the
last Sunday of March has 23 hours and the last Sunday of October 25.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from sportello.servicedesk.deadlines import national_holidays

ROME = ZoneInfo("Europe/Rome")

# Share of the year's consumption in each month (January first).
_ELECTRICITY_HOME = [95, 87, 83, 75, 73, 80, 97, 92, 78, 76, 80, 84]
# Offices and workshops: flat, with the August holidays.
_ELECTRICITY_BUSINESS = [85, 82, 87, 82, 85, 88, 95, 60, 86, 87, 83, 80]
# Gas heats homes: most of it from November to March.
_GAS_HOME = [190, 160, 120, 65, 30, 20, 15, 15, 20, 55, 130, 180]


def monthly_shares(electricity: bool, business: bool) -> list[float]:
    """Twelve shares of the annual consumption, summing to one."""
    if electricity:
        weights = [float(w) for w in (_ELECTRICITY_BUSINESS if business else _ELECTRICITY_HOME)]
    else:
        home = [w / sum(_GAS_HOME) for w in _GAS_HOME]
        # Businesses burn gas for their processes too, all year round.
        weights = [(h + 1 / 12) / 2 for h in home] if business else home
    total = sum(weights)
    return [w / total for w in weights]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def days_in_month(day: dt.date) -> int:
    return (next_month(day) - month_start(day)).days


def last_sunday(year: int, month: int) -> dt.date:
    last = next_month(dt.date(year, month, 1)) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def last_clock_change(today: dt.date) -> dt.date:
    """The latest clock change (last Sunday of March or October) of a month already over."""
    this_month = month_start(today)
    changes = [
        last_sunday(year, month)
        for year in (today.year - 1, today.year)
        for month in (3, 10)
        if next_month(dt.date(year, month, 1)) <= this_month
    ]
    return max(changes)


def interval_starts(month: dt.date, minutes: int) -> list[dt.datetime]:
    """The UTC starts of a local month's intervals, stepping in UTC.

    Stepping in UTC is what makes the change days right: 92 quarter hours on
    the spring day, 100 on the autumn one.
    """
    start = dt.datetime.combine(month_start(month), dt.time(), tzinfo=ROME).astimezone(dt.UTC)
    end = dt.datetime.combine(next_month(month), dt.time(), tzinfo=ROME).astimezone(dt.UTC)
    step = dt.timedelta(minutes=minutes)
    starts = []
    moment = start
    while moment < end:
        starts.append(moment)
        moment += step
    return starts


def is_holiday(day: dt.date) -> bool:
    return day.weekday() == 6 or day in national_holidays(day.year)


def time_band(local: dt.datetime) -> str:
    """ARERA's time band of a local moment: F1 peak, F2 intermediate, F3 off-peak.

    F1: Monday to Friday 8–19; F2: Monday to Friday 7–8 and 19–23, Saturday
    7–23; F3: the nights, Sundays and national holidays.
    """
    day, hour = local.date(), local.hour
    if is_holiday(day) or hour < 7 or hour >= 23:
        return "F3"
    if day.weekday() < 5 and 8 <= hour < 19:
        return "F1"
    return "F2"


def load_weight(local: dt.datetime, business: bool) -> float:
    """How much a household or a business draws at a local moment, relatively."""
    hour = local.hour + local.minute / 60
    workday = local.weekday() < 5 and not is_holiday(local.date())
    if business:
        if workday and 8 <= hour < 18:
            return 1.0 if not 12.5 <= hour < 13.5 else 0.6
        if local.weekday() == 5 and 8 <= hour < 13:
            return 0.5
        return 0.22
    # The fridge and stand-by all day; breakfast, lunch at the weekend, the evening.
    weight = 0.26
    if 6.5 <= hour < 8.5:
        weight += 0.4
    if 8.5 <= hour < 19:
        weight += 0.15 if workday else 0.3
    if 12 <= hour < 14 and not workday:
        weight += 0.3
    if 18 <= hour < 23:
        weight += 0.45
    return weight


def curve(
    starts: list[dt.datetime], business: bool, rng: random.Random
) -> list[tuple[dt.datetime, float]]:
    """Each interval's relative weight: its load, with some noise and, at home, the
    short bursts of an oven or a washing machine when people are awake."""
    weights = []
    for start in starts:
        local = start.astimezone(ROME)
        weight = load_weight(local, business) * rng.uniform(0.85, 1.15)
        if not business and 7 <= local.hour < 23 and rng.random() < 0.04:
            weight *= rng.uniform(2.5, 5)
        weights.append((start, weight))
    return weights


def largest_remainder(total: int, weights: list[tuple[dt.datetime, float]]) -> list[int]:
    """``total`` split in whole units in proportion to the weights, adding up exactly."""
    whole = sum(weight for _, weight in weights)
    shares = [total * weight / whole for _, weight in weights]
    parts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: parts[i] - shares[i])
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts
