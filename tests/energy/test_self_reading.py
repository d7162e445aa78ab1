"""G7 self-reading rules: the window, one reading a day, the digits, the corrector
and every plausibility boundary, on a stopped clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from tests.energy.self_reading import (
    CLOSES,
    LAST_CORRECTOR,
    LAST_VALUE,
    NOW,
    OPENS,
    TODAY,
    electricity_point,
    gas_point,
    origin,
    reading,
    window,
)
from tests.factories import Tenant, make_customer, make_sub_user, make_user

from sportello.core.models import AuditEvent
from sportello.energy import readings
from sportello.energy.forms import ReadingForm
from sportello.energy.models import MeterReading, Plausibility, ReadingStatus, SupplyPoint
from sportello.energy.readings import ConfirmationRequired, ReadingRefused, add_reading

MICROSECOND = dt.timedelta(microseconds=1)


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def point(energia: Tenant, clock: Any) -> SupplyPoint:
    """A gas point with a corrector, read 10 days ago (1000, corrector 500), window open."""
    found = gas_point(energia)
    reading(found)
    window(energia)
    return found


def add(tenant: Tenant, point: SupplyPoint, value: int, **kwargs: Any) -> MeterReading:
    if point.has_corrector:
        kwargs.setdefault("corrector_value", LAST_CORRECTOR + 10)
    return add_reading(origin(tenant), point, meter_value=value, **kwargs)


# -- the window --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (OPENS - MICROSECOND, False),
        (OPENS, True),  # opens_at belongs to the window
        (CLOSES - MICROSECOND, True),
        (CLOSES, False),  # closes_at does not: "fino alle ore 22:00" is closed at 22:00
    ],
)
def test_it_opens_the_window_at_opens_at_and_closes_it_at_closes_at(
    energia: Tenant, clock: time_machine.TimeMachineFixture, moment: dt.datetime, is_open: bool
) -> None:
    point = gas_point(energia)
    window(energia)
    clock.move_to(moment, tick=False)

    if is_open:
        assert add(energia, point, 5).reading_date == moment.date()
    else:
        with pytest.raises(ReadingRefused):
            add(energia, point, 5)
    assert (readings.open_window(energia.company, "gas", moment) is not None) == is_open


def test_it_refuses_a_reading_outside_a_window_and_says_when_the_next_opens(
    energia: Tenant, clock: Any
) -> None:
    point = gas_point(energia)
    window(energia, opens=OPENS - dt.timedelta(days=30), closes=OPENS - dt.timedelta(days=20))
    # 12/04/2026 07:00 UTC is 09:00 in Rome (summer time).
    window(
        energia,
        opens=dt.datetime(2026, 4, 12, 7, 0, tzinfo=dt.UTC),
        closes=dt.datetime(2026, 4, 20, 20, 0, tzinfo=dt.UTC),
    )
    window(energia, commodity="electricity")  # open, but for the other commodity

    with pytest.raises(ReadingRefused) as refused:
        add(energia, point, 1200)

    assert "il prossimo periodo si apre il 12/04/2026 alle ore 09:00" in refused.value.message
    assert not MeterReading.objects.exists()


def test_it_says_when_no_window_is_planned(energia: Tenant, clock: Any) -> None:
    point = gas_point(energia)

    with pytest.raises(ReadingRefused, match="non ci sono periodi in programma"):
        add(energia, point, 1200)


def test_it_lists_the_open_and_coming_windows_soonest_first(energia: Tenant) -> None:
    past = window(
        energia, opens=OPENS - dt.timedelta(days=30), closes=OPENS - dt.timedelta(days=20)
    )
    coming = window(
        energia, opens=CLOSES + dt.timedelta(days=10), closes=CLOSES + dt.timedelta(days=20)
    )
    current = window(energia)
    window(energia, commodity="electricity")

    planned = list(readings.planned_windows(energia.company, "gas", NOW))

    assert planned == [current, coming]
    assert past not in planned
    assert readings.next_window(energia.company, "gas", NOW) == coming


# -- one a day, the corrector --------------------------------------------------------


def test_it_takes_one_reading_a_day_with_a_clear_message(
    energia: Tenant, point: SupplyPoint
) -> None:
    add(energia, point, 1100)

    with pytest.raises(ReadingRefused, match="C'è già una lettura del 10/03/2026"):
        add(energia, point, 1101, confirmed=True)
    assert MeterReading.objects.filter(reading_date=TODAY).count() == 1


def test_it_turns_a_simultaneous_second_reading_into_the_same_message(
    energia: Tenant, point: SupplyPoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    assess = readings.assess

    def meanwhile(*args: Any, **kwargs: Any) -> readings.Assessment:
        # Another request saves today's reading between the check and the insert.
        reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)
        return assess(*args, **kwargs)

    monkeypatch.setattr(readings, "assess", meanwhile)

    with pytest.raises(ReadingRefused, match="se ne può inserire una al giorno"):
        add(energia, point, 1100)
    assert MeterReading.objects.filter(reading_date=TODAY).count() == 1


def test_it_requires_the_corrector_reading_on_a_gas_point_with_a_corrector(
    energia: Tenant, point: SupplyPoint
) -> None:
    with pytest.raises(ReadingRefused) as refused:
        add(energia, point, 1100, corrector_value=None)

    assert refused.value.field == "corrector_value"


def test_it_refuses_a_corrector_reading_where_there_is_no_corrector(
    energia: Tenant, clock: Any
) -> None:
    point = gas_point(energia, has_corrector=False)
    window(energia)

    with pytest.raises(ReadingRefused, match="non ha un correttore"):
        add(energia, point, 1100, corrector_value=3)
    assert add(energia, point, 1100).corrector_value is None


def test_it_refuses_a_corrector_reading_below_the_last_one(
    energia: Tenant, point: SupplyPoint
) -> None:
    with pytest.raises(ReadingRefused) as refused:
        add(energia, point, 1100, corrector_value=LAST_CORRECTOR - 1)

    assert refused.value.field == "corrector_value"
    assert "500 del 28/02/2026" in refused.value.message


# -- plausibility: the last reading ------------------------------------------------------


def test_it_refuses_a_reading_one_below_the_last_showing_that_reading_and_its_date(
    energia: Tenant, point: SupplyPoint
) -> None:
    with pytest.raises(ReadingRefused) as refused:
        add(energia, point, LAST_VALUE - 1)

    assert refused.value.field == "meter_value"
    assert "inferiore all'ultima lettura, 1.000 del 28/02/2026" in refused.value.message
    assert not MeterReading.objects.filter(reading_date=TODAY).exists()


def test_it_compares_with_a_pending_reading_too(energia: Tenant, point: SupplyPoint) -> None:
    reading(point, day=TODAY - dt.timedelta(days=5), value=1050, status=ReadingStatus.PENDING)

    with pytest.raises(ReadingRefused, match=r"1\.050 del 05/03/2026"):
        add(energia, point, 1049)


def test_it_asks_to_confirm_a_reading_equal_to_the_last_one(
    energia: Tenant, point: SupplyPoint
) -> None:
    with pytest.raises(ConfirmationRequired) as needed:
        add(energia, point, LAST_VALUE)

    assert needed.value.reason == Plausibility.ZERO
    assert "il consumo risulta nullo" in needed.value.message
    saved = add(energia, point, LAST_VALUE, confirmed=True)
    assert (saved.confirmed, saved.implied_consumption, saved.expected_consumption) == (
        Plausibility.ZERO,
        0,
        100,
    )


def test_it_asks_to_confirm_a_zero_consumption_without_an_annual_consumption(
    energia: Tenant, point: SupplyPoint
) -> None:
    SupplyPoint.objects.filter(pk=point.pk).update(annual_consumption=None)
    point.refresh_from_db()

    with pytest.raises(ConfirmationRequired):
        add(energia, point, LAST_VALUE)
    # Without an annual consumption nothing else can be judged.
    saved = add(energia, point, LAST_VALUE + 99_999)
    assert (saved.confirmed, saved.expected_consumption) == (Plausibility.NONE, None)


def test_it_takes_a_first_reading_as_it_is(energia: Tenant, clock: Any) -> None:
    point = gas_point(energia)
    window(energia)

    saved = add(energia, point, 45000)

    assert (saved.implied_consumption, saved.expected_consumption) == (None, None)
    assert saved.status == ReadingStatus.PENDING
    assert saved.entered_by == energia.user


# -- plausibility: the annual consumption ------------------------------------------------


@pytest.mark.parametrize(
    ("implied", "needs"),
    [
        (150, Plausibility.NONE),  # exactly +50 % of the expected 100
        (151, Plausibility.DEVIATION),  # just over
        (50, Plausibility.NONE),  # exactly -50 %
        (49, Plausibility.DEVIATION),  # just under
        (100, Plausibility.NONE),
        (1, Plausibility.DEVIATION),
    ],
)
def test_it_asks_for_confirmation_only_beyond_the_deviation_margin(
    energia: Tenant, point: SupplyPoint, implied: int, needs: Plausibility
) -> None:
    if needs:
        with pytest.raises(ConfirmationRequired) as needed:
            add(energia, point, LAST_VALUE + implied)
        assert needed.value.reason == needs
        assert not MeterReading.objects.filter(reading_date=TODAY).exists()
    saved = add(energia, point, LAST_VALUE + implied, confirmed=True)

    assert saved.confirmed == needs
    assert (saved.implied_consumption, saved.expected_consumption) == (implied, 100)


def test_it_says_by_how_much_the_consumption_differs(energia: Tenant, point: SupplyPoint) -> None:
    with pytest.raises(ConfirmationRequired) as needed:
        add(energia, point, LAST_VALUE + 151)

    assert needed.value.message.startswith(
        "La lettura implica un consumo di 151 Smc dal 28/02/2026, "
        "che si discosta di oltre il 50% da quello previsto (circa 100 Smc)."
    )


def test_it_uses_the_companys_margin(energia: Tenant, point: SupplyPoint) -> None:
    energia.company.reading_deviation_percent = 20
    energia.company.save()

    add(energia, point, LAST_VALUE + 120)  # exactly +20 %
    MeterReading.objects.filter(reading_date=TODAY).delete()
    with pytest.raises(ConfirmationRequired):
        add(energia, point, LAST_VALUE + 121)


@pytest.mark.parametrize(("implied", "refused"), [(7300, False), (7301, True)])
def test_it_refuses_a_consumption_above_twice_the_annual_one(
    energia: Tenant, point: SupplyPoint, implied: int, refused: bool
) -> None:
    if refused:
        with pytest.raises(ReadingRefused) as refusal:
            add(energia, point, LAST_VALUE + implied, confirmed=True)
        assert refusal.value.message.startswith(
            "La lettura implica un consumo di 7.301 Smc dal 28/02/2026, "
            "oltre 2 volte il consumo annuo del punto (3.650 Smc)"
        )
        assert not MeterReading.objects.filter(reading_date=TODAY).exists()
    else:
        # Exactly twice the annual consumption is allowed, though far from the expected.
        with pytest.raises(ConfirmationRequired):
            add(energia, point, LAST_VALUE + implied)
        assert add(energia, point, LAST_VALUE + implied, confirmed=True).implied_consumption == 7300


@pytest.mark.parametrize(("corrected", "refused"), [(7300, False), (7301, True)])
def test_it_holds_the_corrector_to_twice_the_annual_consumption_too(
    energia: Tenant, point: SupplyPoint, corrected: int, refused: bool
) -> None:
    """A plausible meter beside an absurd corrector (999999999 in a demo) is refused."""
    value = LAST_VALUE + 100
    if refused:
        with pytest.raises(ReadingRefused) as refusal:
            add(energia, point, value, corrector_value=LAST_CORRECTOR + corrected, confirmed=True)
        assert refusal.value.field == "corrector_value"
        assert refusal.value.message.startswith(
            "La lettura del correttore implica un consumo di 7.301 Smc dal 28/02/2026, "
            "oltre 2 volte il consumo annuo del punto (3.650 Smc)"
        )
        assert not MeterReading.objects.filter(reading_date=TODAY).exists()
    else:
        saved = add(
            energia, point, value, corrector_value=LAST_CORRECTOR + corrected, confirmed=True
        )
        assert saved.corrector_value == LAST_CORRECTOR + corrected


def test_it_uses_the_companys_factor(energia: Tenant, point: SupplyPoint) -> None:
    energia.company.reading_max_annual_factor = Decimal("1.5")
    energia.company.save()

    with pytest.raises(ReadingRefused, match="oltre 1,5 volte"):
        add(energia, point, LAST_VALUE + 5476, confirmed=True)
    assert add(energia, point, LAST_VALUE + 5475, confirmed=True)


def test_it_checks_electricity_the_same_way(energia: Tenant, clock: Any) -> None:
    point = electricity_point(energia)
    reading(point)
    window(energia, commodity="electricity")

    with pytest.raises(ReadingRefused):
        add(energia, point, LAST_VALUE - 1)
    with pytest.raises(ConfirmationRequired):
        add(energia, point, LAST_VALUE + 151)
    assert add(energia, point, LAST_VALUE + 150).confirmed == Plausibility.NONE


# -- who, and the audit ---------------------------------------------------------------


def test_it_lets_nobody_enter_a_reading_for_another_customers_point(
    energia: Tenant, point: SupplyPoint
) -> None:
    neighbour = make_user(make_customer(energia.company))

    with pytest.raises(PermissionDenied):
        add_reading(origin(energia, neighbour), point, meter_value=1100, corrector_value=510)


def test_it_offers_nothing_where_the_company_turned_self_reading_off(
    energia: Tenant, point: SupplyPoint
) -> None:
    energia.company.feature_self_reading = False
    energia.company.save()

    with pytest.raises(PermissionDenied):
        add(energia, point, 1100)


def test_it_audits_a_reading_and_its_deletion(energia: Tenant, point: SupplyPoint) -> None:
    sub_user = make_sub_user(energia.user)
    saved = add_reading(origin(energia, sub_user), point, meter_value=1100, corrector_value=510)

    readings.delete_reading(origin(energia, sub_user), saved)

    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "data"))
    assert [(action, actor) for action, actor, _data in events] == [
        ("reading.added", sub_user.pk),
        ("reading.deleted", sub_user.pk),
    ]
    assert events[0][2]["meter_value"] == 1100
    assert not MeterReading.objects.filter(pk=saved.pk).exists()


def test_it_never_deletes_an_acquired_reading(energia: Tenant, point: SupplyPoint) -> None:
    acquired = MeterReading.objects.get()

    with pytest.raises(ReadingRefused, match="già stata acquisita"):
        readings.delete_reading(origin(energia), acquired)
    assert MeterReading.objects.filter(pk=acquired.pk).exists()
    assert not AuditEvent.objects.filter(action="reading.deleted").exists()


def test_it_lets_no_other_customer_delete_a_reading(energia: Tenant, point: SupplyPoint) -> None:
    saved = add(energia, point, 1100)
    neighbour = make_user(make_customer(energia.company))

    with pytest.raises(PermissionDenied):
        readings.delete_reading(origin(energia, neighbour), saved)


# -- the form's digits -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["45.000", "45,5", "4500a", "-45", "1234567890", ""])
def test_it_takes_whole_digits_only(energia: Tenant, typed: str) -> None:
    form = ReadingForm(gas_point(energia), {"meter_value": typed, "corrector_value": "1"})

    assert not form.is_valid()
    assert "meter_value" in form.errors


def test_it_reads_leading_zeros_and_spaces_as_a_meter_shows_them(energia: Tenant) -> None:
    form = ReadingForm(gas_point(energia), {"meter_value": " 0045000 ", "corrector_value": "1"})

    assert form.is_valid()
    assert int(form.cleaned_data["meter_value"]) == 45000


def test_it_asks_the_corrector_only_where_there_is_one(energia: Tenant) -> None:
    assert "corrector_value" in ReadingForm(gas_point(energia)).fields
    assert "corrector_value" not in ReadingForm(gas_point(energia, has_corrector=False)).fields
    assert "corrector_value" not in ReadingForm(electricity_point(energia)).fields


def test_it_holds_a_confirmation_for_the_value_confirmed_only(
    energia: Tenant, point: SupplyPoint
) -> None:
    data = {"meter_value": "1151", "corrector_value": "510", "confirm": "1152"}
    form = ReadingForm(point, data)

    assert form.submit(origin(energia)) is None
    assert form.warning
    assert form.confirmable_value == "1151"
    confirmed = ReadingForm(point, data | {"confirm": "1151"}).submit(origin(energia))
    assert confirmed is not None and confirmed.confirmed == Plausibility.DEVIATION


def test_it_puts_a_refusal_under_its_field(energia: Tenant, point: SupplyPoint) -> None:
    form = ReadingForm(point, {"meter_value": "999", "corrector_value": "510"})

    assert form.submit(origin(energia)) is None
    assert "1.000 del 28/02/2026" in form.errors["meter_value"][0]


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 22:30 UTC is 23:30 in Rome: still the 10th.
        (dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC), dt.date(2026, 3, 10)),
        # 23:30 UTC is 00:30 in Rome: already the 11th.
        (dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC), dt.date(2026, 3, 11)),
    ],
)
def test_it_dates_a_reading_by_the_day_in_rome(
    energia: Tenant, clock: time_machine.TimeMachineFixture, moment: dt.datetime, day: dt.date
) -> None:
    point = gas_point(energia)
    window(energia)
    clock.move_to(moment, tick=False)

    assert add(energia, point, 5).reading_date == day
