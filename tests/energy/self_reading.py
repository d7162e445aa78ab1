"""A gas point with a corrector, its last reading and an open window, for the G7 tests.

The annual consumption is 3650 Smc, so the expected consumption is exactly
10 Smc a day; the last reading is 10 days old, so 100 Smc are expected now.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tests.factories import Tenant, make_supply_point

from sportello.core.audit import Origin
from sportello.energy.models import MeterReading, ReadingStatus, ReadingWindow, SupplyPoint

ROME = ZoneInfo("Europe/Rome")
#: The moment the tests look at: a Tuesday morning in Rome.
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ROME)
TODAY = NOW.date()
LAST_DAY = TODAY - dt.timedelta(days=10)
LAST_VALUE = 1000
LAST_CORRECTOR = 500
#: The window open at NOW: from 01/03/2026 08:00 to 15/03/2026 22:00 (Rome).
OPENS = dt.datetime(2026, 3, 1, 8, 0, tzinfo=ROME)
CLOSES = dt.datetime(2026, 3, 15, 22, 0, tzinfo=ROME)


def gas_point(tenant: Tenant, **fields: Any) -> SupplyPoint:
    """A gas point with a corrector and 3650 Smc a year."""
    values: dict[str, Any] = {"has_corrector": True, "annual_consumption": Decimal("3650")}
    point: SupplyPoint = make_supply_point(tenant.customer, "gas", **(values | fields))
    return point


def electricity_point(tenant: Tenant, **fields: Any) -> SupplyPoint:
    values: dict[str, Any] = {"annual_consumption": Decimal("3650")}
    point: SupplyPoint = make_supply_point(tenant.customer, "electricity", **(values | fields))
    return point


def window(
    tenant: Tenant, commodity: str = "gas", opens: dt.datetime = OPENS, closes: dt.datetime = CLOSES
) -> ReadingWindow:
    return ReadingWindow.objects.create(
        company=tenant.company, commodity=commodity, opens_at=opens, closes_at=closes
    )


def reading(
    point: SupplyPoint,
    day: dt.date = LAST_DAY,
    value: int = LAST_VALUE,
    corrector: int | None = LAST_CORRECTOR,
    status: str = ReadingStatus.ACQUIRED,
    **fields: Any,
) -> MeterReading:
    return MeterReading.objects.create(
        supply_point=point,
        reading_date=day,
        meter_value=value,
        corrector_value=corrector if point.has_corrector else None,
        status=status,
        **fields,
    )


def origin(tenant: Tenant, user: Any = None) -> Origin:
    return Origin(tenant.company, user or tenant.user, "192.0.2.10")
