"""Money and dates the way the seeds print them: ``2.316,38 €``, ``30/04/24``."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, timezone, translation

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """Quantize to cents (half up, as accounting does)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | int | None, language: str | None = None) -> str:
    """``2.316,38 €`` in Italian, ``€2,316.38`` in English; empty for None."""
    if value is None:
        return ""
    amount = to_money(value)
    grouped = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    if (language or translation.get_language() or "it").startswith("en"):
        return f"{sign}€{grouped}"
    italian = grouped.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{sign}{italian}\u00a0€"


def format_quantity(value: Decimal | int | None, language: str | None = None) -> str:
    """A measured quantity (kWh, Smc, kW) as stored, to the thousandth, without trailing
    zeros: ``2.969`` and ``230,125`` in Italian, ``2,969`` and ``230.125`` in English;
    empty for None. No rounding beyond the three places the data has, so a chart and a
    table showing the same figure can never disagree."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    grouped = f"{abs(amount):,.3f}".rstrip("0").rstrip(".")
    sign = "-" if amount < 0 else ""
    if (language or translation.get_language() or "it").startswith("en"):
        return f"{sign}{grouped}"
    return sign + grouped.replace(",", " ").replace(".", ",").replace(" ", ".")


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: dt.date | dt.datetime | None) -> str:
    """``30/04/24``: the short form of the seeds' tables."""
    return "" if value is None else _local(value).strftime("%d/%m/%y")


def format_long_date(value: dt.date | dt.datetime | None) -> str:
    """``30/04/2024``."""
    return "" if value is None else _local(value).strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    """``30/04/2024 14:05`` in Europe/Rome."""
    return "" if value is None else _local(value).strftime("%d/%m/%Y %H:%M")


def format_day(value: dt.date) -> str:
    """``venerdì 5 aprile 2024`` (the dashboard's heading), in the active language."""
    text = str(dateformat.format(value, "l j F Y"))
    # Django's Italian catalogue capitalises day and month names; Italian does not.
    return text.lower() if (translation.get_language() or "it").startswith("it") else text
