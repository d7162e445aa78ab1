"""Money and dates are shown the way the seeds print them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sportello.core.formatting import (
    format_date,
    format_datetime,
    format_day,
    format_long_date,
    format_money,
    format_quantity,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("2316.38"), f"2.316,38{NBSP}€"),
        (Decimal("-2316.38"), f"-2.316,38{NBSP}€"),
        (Decimal("0"), f"0,00{NBSP}€"),
        (Decimal("0.005"), f"0,01{NBSP}€"),
        (Decimal("2.345"), f"2,35{NBSP}€"),
        (Decimal("-2.345"), f"-2,35{NBSP}€"),
        (Decimal("1234567.891"), f"1.234.567,89{NBSP}€"),
        (Decimal("999.99"), f"999,99{NBSP}€"),
        (15, f"15,00{NBSP}€"),
    ],
)
def test_it_shows_money_the_italian_way(amount: Decimal, shown: str) -> None:
    assert format_money(amount) == shown


def test_it_shows_a_tiny_negative_amount_that_rounds_to_zero_without_a_sign() -> None:
    assert format_money(Decimal("-0.004")) == f"0,00{NBSP}€"


def test_it_shows_money_the_english_way() -> None:
    assert format_money(Decimal("2316.38"), "en") == "€2,316.38"
    assert format_money(Decimal("-1234567.5"), "en") == "-€1,234,567.50"


def test_it_follows_the_active_language() -> None:
    with translation.override("en"):
        assert format_money(Decimal("2316.38")) == "€2,316.38"
    assert format_money(Decimal("2316.38")) == f"2.316,38{NBSP}€"


@pytest.mark.parametrize(
    ("amount", "italian", "english"),
    [
        (Decimal("2969"), "2.969", "2,969"),
        (Decimal("2969.000"), "2.969", "2,969"),
        (Decimal("230.125"), "230,125", "230.125"),
        (Decimal("230.1"), "230,1", "230.1"),
        (Decimal("1234567.8905"), "1.234.567,891", "1,234,567.891"),
        (Decimal("-0.0004"), "0", "0"),
        (Decimal("-3.5"), "-3,5", "-3.5"),
        (0, "0", "0"),
    ],
)
def test_it_shows_quantities_to_the_thousandth_without_trailing_zeros(
    amount: Decimal, italian: str, english: str
) -> None:
    assert format_quantity(amount) == italian
    assert format_quantity(amount, "en") == english
    assert format_quantity(None) == ""


def test_it_shows_nothing_for_a_missing_amount() -> None:
    assert format_money(None) == ""


def test_it_shows_short_and_long_dates() -> None:
    day = dt.date(2024, 4, 30)

    assert format_date(day) == "30/04/24"
    assert format_long_date(day) == "30/04/2024"
    assert format_date(None) == ""
    assert format_long_date(None) == ""


def test_it_shows_times_in_rome_in_summer() -> None:
    moment = dt.datetime(2024, 7, 1, 12, 5, tzinfo=dt.UTC)

    assert format_datetime(moment) == "01/07/2024 14:05"


def test_it_shows_times_in_rome_in_winter() -> None:
    moment = dt.datetime(2024, 1, 15, 23, 30, tzinfo=dt.UTC)

    assert format_datetime(moment) == "16/01/2024 00:30"
    # A date taken from an instant is Rome's date, not UTC's.
    assert format_date(moment) == "16/01/24"
    assert format_long_date(moment) == "16/01/2024"


def test_it_shows_the_day_in_words_in_the_active_language() -> None:
    day = dt.date(2024, 4, 5)

    assert format_day(day) == "venerdì 5 aprile 2024"
    with translation.override("en"):
        assert format_day(day) == "Friday 5 April 2024"


def test_it_offers_the_same_formats_as_template_filters() -> None:
    template = Template(
        "{{ amount|money }}|{{ day|shortdate }}|{{ day|longdate }}|{{ moment|datetime_local }}"
    )
    context = Context(
        {
            "amount": Decimal("2316.38"),
            "day": dt.date(2024, 4, 30),
            "moment": dt.datetime(2024, 4, 30, 12, 5, tzinfo=dt.UTC),
        }
    )

    assert template.render(context) == f"2.316,38{NBSP}€|30/04/24|30/04/2024|30/04/2024 14:05"


def test_it_shows_nothing_in_templates_for_missing_values() -> None:
    template = Template("[{{ amount|money }}][{{ day|shortdate }}]")

    assert template.render(Context({"amount": None, "day": None})) == "[][]"
