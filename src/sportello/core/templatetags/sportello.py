"""Template filters for Sportello's one way of showing money, quantities and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from .. import formatting

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    return formatting.format_money(value)


@register.filter
def quantity(value: Decimal | int | None) -> str:
    return formatting.format_quantity(value)


@register.filter
def shortdate(value: dt.date | None) -> str:
    return formatting.format_date(value)


@register.filter
def longdate(value: dt.date | None) -> str:
    return formatting.format_long_date(value)


@register.filter
def datetime_local(value: dt.datetime | None) -> str:
    return formatting.format_datetime(value)


@register.filter
def day(value: dt.date) -> str:
    return formatting.format_day(value)


@register.filter
def initials(user: object) -> str:
    """The header's circle: first letters of first and last name, else of the username."""
    first = getattr(user, "first_name", "") or ""
    last = getattr(user, "last_name", "") or ""
    letters = (first[:1] + last[:1]) or (getattr(user, "login", "") or "?")[:2]
    return letters.upper()
