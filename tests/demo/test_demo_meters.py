"""The demo's meters: clock changes, time bands, seasons and curves that add up."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter

import pytest

from sportello.demo import meters


def local_days(starts: list[dt.datetime]) -> Counter[dt.date]:
    return Counter(start.astimezone(meters.ROME).date() for start in starts)


@pytest.mark.parametrize(
    ("today", "change"),
    [
        (dt.date(2026, 11, 22), dt.date(2026, 10, 25)),
        # October is not over yet: its curve would reach into the future.
        (dt.date(2026, 10, 26), dt.date(2026, 3, 29)),
        (dt.date(2026, 4, 1), dt.date(2026, 3, 29)),
        (dt.date(2026, 3, 31), dt.date(2025, 10, 26)),
    ],
)
def test_it_finds_the_last_clock_change_of_a_month_already_over(
    today: dt.date, change: dt.date
) -> None:
    assert meters.last_clock_change(today) == change
    assert change.weekday() == 6


def test_it_counts_92_quarter_hours_on_the_spring_day_and_100_on_the_autumn_one() -> None:
    spring = local_days(meters.interval_starts(dt.date(2026, 3, 1), 15))
    autumn = local_days(meters.interval_starts(dt.date(2026, 10, 1), 15))

    assert spring[dt.date(2026, 3, 29)] == 92
    assert autumn[dt.date(2026, 10, 25)] == 100
    assert set(spring) == {dt.date(2026, 3, day) for day in range(1, 32)}
    assert {n for day, n in autumn.items() if day != dt.date(2026, 10, 25)} == {96}
    hourly = local_days(meters.interval_starts(dt.date(2026, 10, 1), 60))
    assert hourly[dt.date(2026, 10, 25)] == 25


def test_it_stores_interval_starts_in_utc_from_local_midnight() -> None:
    starts = meters.interval_starts(dt.date(2026, 10, 1), 15)

    assert starts[0] == dt.datetime(2026, 9, 30, 22, 0, tzinfo=dt.UTC)
    assert starts[-1] == dt.datetime(2026, 10, 31, 22, 45, tzinfo=dt.UTC)
    assert all(b - a == dt.timedelta(minutes=15) for a, b in itertools.pairwise(starts))


@pytest.mark.parametrize(
    ("moment", "band"),
    [
        (dt.datetime(2026, 10, 21, 10, 0), "F1"),  # Wednesday morning
        (dt.datetime(2026, 10, 21, 7, 30), "F2"),
        (dt.datetime(2026, 10, 21, 19, 0), "F2"),
        (dt.datetime(2026, 10, 21, 23, 0), "F3"),
        (dt.datetime(2026, 10, 24, 10, 0), "F2"),  # Saturday
        (dt.datetime(2026, 10, 25, 10, 0), "F3"),  # Sunday
        (dt.datetime(2026, 12, 8, 10, 0), "F3"),  # Immacolata, a Tuesday
    ],
)
def test_it_tells_the_time_band_of_a_local_moment(moment: dt.datetime, band: str) -> None:
    assert meters.time_band(moment.replace(tzinfo=meters.ROME)) == band


def test_it_splits_a_total_in_whole_units_that_add_up_exactly() -> None:
    weights = meters.curve(meters.interval_starts(dt.date(2026, 3, 1), 15), False, random.Random(1))
    parts = meters.largest_remainder(212_000, weights)

    assert sum(parts) == 212_000 and min(parts) >= 0
    assert len(parts) == 31 * 96 - 4


@pytest.mark.parametrize(
    ("electricity", "business"), [(True, False), (True, True), (False, False), (False, True)]
)
def test_it_spreads_the_year_over_the_seasons(electricity: bool, business: bool) -> None:
    shares = meters.monthly_shares(electricity, business)

    assert sum(shares) == pytest.approx(1)
    if not electricity:
        assert shares[0] > 2 * shares[6]  # gas: January against July
