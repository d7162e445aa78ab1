"""The law's clock for complaints: calendar days for leasing and energy sellers, business
days for payments."""

from __future__ import annotations

import datetime as dt

import pytest

from sportello.servicedesk.deadlines import (
    ComplaintClock,
    add_business_days,
    complaint_due_date,
    conciliation_from,
    easter_sunday,
    is_business_day,
)


def test_it_gives_a_leasing_complaint_sixty_calendar_days() -> None:
    # The example: received 30/01/2026, due 31/03/2026.
    assert complaint_due_date(dt.date(2026, 1, 30), ComplaintClock.LEASING) == dt.date(2026, 3, 31)


def test_it_skips_weekends_and_labour_day_for_a_payment_service_complaint() -> None:
    # Received Friday 24/04/2026: 25 April is a Saturday, 1 May a Friday holiday.
    due = complaint_due_date(dt.date(2026, 4, 24), ComplaintClock.PAYMENT_SERVICE)

    assert due == dt.date(2026, 5, 18)
    assert due.weekday() == 0


def test_it_gives_thirty_five_business_days_after_an_interim_reply() -> None:
    received = dt.date(2026, 4, 24)

    due = complaint_due_date(received, ComplaintClock.PAYMENT_SERVICE, interim_reply=True)

    # 15 business days to 18/05, 20 more: 2 June (Tuesday) is a holiday.
    assert due == dt.date(2026, 6, 16)


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, dt.date(2024, 3, 31)), (2025, dt.date(2025, 4, 20)), (2026, dt.date(2026, 4, 5))],
)
def test_it_knows_when_easter_falls(year: int, easter: dt.date) -> None:
    # Western Easter as every Italian calendar prints it.
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (dt.date(2026, 4, 6), False),  # Easter Monday
        (dt.date(2026, 4, 7), True),
        (dt.date(2026, 12, 8), False),  # Immacolata, a Tuesday
        (dt.date(2026, 12, 26), False),  # Saturday and Santo Stefano
        (dt.date(2026, 8, 14), True),
        (dt.date(2026, 8, 15), False),
    ],
)
def test_it_tells_business_days_from_holidays(day: dt.date, business: bool) -> None:
    assert is_business_day(day) is business


def test_it_does_not_count_the_day_of_receipt() -> None:
    assert add_business_days(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 24)
    assert add_business_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 28)


def test_it_gives_an_energy_sellers_complaint_thirty_calendar_days() -> None:
    # TIQV art. 14: received 30/01/2026, due 01/03/2026 (February has 28 days).
    due = complaint_due_date(dt.date(2026, 1, 30), ComplaintClock.UTILITY)

    assert due == dt.date(2026, 3, 1)
    assert due.weekday() == 6  # calendar days: a Sunday stays the due date


def test_it_ignores_holidays_in_an_energy_sellers_thirty_days() -> None:
    # Received 10/12/2025: Christmas and New Year's Day count like any day.
    assert complaint_due_date(dt.date(2025, 12, 10), ComplaintClock.UTILITY) == dt.date(2026, 1, 9)


def test_it_opens_areras_conciliation_forty_days_after_the_complaint() -> None:
    received = dt.date(2026, 1, 30)

    assert conciliation_from(received) == dt.date(2026, 3, 11)
    assert conciliation_from(received) > complaint_due_date(received, ComplaintClock.UTILITY)
