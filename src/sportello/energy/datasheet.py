"""A supply point's technical and contract data as the customer reads them (G5).

Read-only: the distributor and the core system own these figures. Electricity
points show voltage, powers and time bands; gas points meter class, corrector
and REMI code. The labels are the model's, so pages, admin and imports name a
field the same way; a value nobody gave is empty, and the page shows a dash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sportello.core.formatting import format_long_date, format_quantity

from .models import SupplyPoint

ELECTRICITY_TECHNICAL = (
    "distributor",
    "meter_number",
    "voltage",
    "contracted_power",
    "available_power",
    "has_time_bands",
    "usage",
    "annual_consumption",
    "active_from",
)
GAS_TECHNICAL = (
    "distributor",
    "meter_number",
    "meter_class",
    "has_corrector",
    "corrector_number",
    "remi_code",
    "usage",
    "annual_consumption",
    "active_from",
)
CONTRACT = (
    "commodity",
    "offer",
    "market",
    "contract_start",
    "billing_frequency",
    "payment_method",
)


@dataclass(frozen=True)
class Fact:
    """One labelled value; ``value`` is empty when the data does not say."""

    name: str
    label: str
    value: str


def _value(point: SupplyPoint, name: str) -> str:
    value = getattr(point, name)
    display = getattr(point, f"get_{name}_display", None)
    if display is not None:
        return str(display()) if value else ""
    if isinstance(value, bool):
        return _("Sì") if value else _("No")
    if isinstance(value, dt.date):
        return format_long_date(value)
    if isinstance(value, Decimal):
        shown = format_quantity(value)
        return f"{shown} {point.unit}" if name == "annual_consumption" else shown
    return str(value or "")


def _facts(point: SupplyPoint, names: tuple[str, ...]) -> list[Fact]:
    fields = {name: point._meta.get_field(name) for name in names}
    return [
        Fact(name, capfirst(str(fields[name].verbose_name)), _value(point, name))  # type: ignore[union-attr]
        for name in names
    ]


def _identity(point: SupplyPoint) -> list[Fact]:
    """Which point the data is about: its number, POD or PDR, address."""
    return [
        Fact("number", _("Punto di fornitura"), point.number),
        Fact("code", point.code_label.upper(), point.code),
        *_facts(point, ("address",)),
    ]


def technical_data(point: SupplyPoint) -> list[Fact]:
    names = ELECTRICITY_TECHNICAL if point.is_electricity else GAS_TECHNICAL
    return _identity(point) + _facts(point, names)


def contract_data(point: SupplyPoint) -> list[Fact]:
    return _identity(point) + _facts(point, CONTRACT)
