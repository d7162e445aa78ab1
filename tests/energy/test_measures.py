"""«Misure elettriche» (G6): a period of an electricity point's measures, stored in
UTC and shown in Italian time, the clock changes right, 100 rows a page, the
period's totals, and periods that make no sense refused with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from tests.energy.helpers import measure_days
from tests.energy.pages import count_queries, text, tree
from tests.factories import Tenant, make_supply_point

from sportello.core.formatting import format_quantity
from sportello.energy.measures import LocalTime, Period, local_time, period_totals
from sportello.energy.models import Commodity, Measure, SupplyPoint

URL = "/fornitura/misure/"
SPRING = dt.date(2026, 3, 29)  # clocks go forward at 02:00: 23 hours
AUTUMN = dt.date(2026, 10, 25)  # clocks go back at 03:00: 25 hours


@pytest.fixture
def point(energia: Tenant) -> SupplyPoint:
    point: SupplyPoint = make_supply_point(energia.customer)
    return point


def rows(response: Any) -> list[list[str]]:
    """Each row as date, time, then the other cells."""
    found = tree(response).get_element_by_id("measures")
    shown = []
    for tr in found.findall("./tbody/tr"):
        when, *cells = [text(td) for td in tr.findall("td")]
        shown.append([*when.split(" ", 1), *cells])
    return shown


def figure(response: Any, name: str) -> str:
    return text(
        tree(response).find_class("col-sm-7")[["count", "active", "reactive", "peak"].index(name)]
    )


def day(when: dt.date) -> dict[str, str]:
    return {"dal": when.isoformat(), "al": when.isoformat()}


def test_it_counts_92_quarter_hours_on_the_spring_day(point: SupplyPoint) -> None:
    measure_days(point, SPRING, SPRING)

    assert Measure.objects.filter(supply_point=point).count() == 92
    period = Period(SPRING, SPRING)
    length = period.ends_at.astimezone(dt.UTC) - period.starts_at.astimezone(dt.UTC)
    assert length == dt.timedelta(hours=23)


def test_it_shows_the_spring_day_without_the_hour_that_does_not_exist(
    energia: Tenant, point: SupplyPoint
) -> None:
    measure_days(point, SPRING, SPRING)

    response = energia.logged_in_client().get(URL, day(SPRING))

    shown = rows(response)
    assert len(shown) == 92
    times = [row[1] for row in shown]
    assert times[:2] == ["00:00", "00:15"]
    assert times[7:9] == ["01:45", "03:00"]
    assert not any(t.startswith("02:") for t in times)
    assert times[-1] == "23:45"
    assert {row[0] for row in shown} == {"29/03/2026"}
    assert "1 - 92 di 92" in response.content.decode()


def test_it_shows_the_autumn_hour_twice_and_tells_the_two_apart(
    energia: Tenant, point: SupplyPoint
) -> None:
    measure_days(point, AUTUMN, AUTUMN)

    response = energia.logged_in_client().get(URL, day(AUTUMN))

    shown = rows(response)
    assert len(shown) == 100
    times = [row[1] for row in shown]
    assert times[7:17] == [
        "01:45",
        "02:00 (ora legale)",
        "02:15 (ora legale)",
        "02:30 (ora legale)",
        "02:45 (ora legale)",
        "02:00 (ora solare)",
        "02:15 (ora solare)",
        "02:30 (ora solare)",
        "02:45 (ora solare)",
        "03:00",
    ]
    assert len(set(times)) == 100
    page = response.content.decode()
    assert '<time datetime="2026-10-25T02:00:00+02:00">' in page
    assert '<time datetime="2026-10-25T02:00:00+01:00">' in page
    assert "1 - 100 di 100" in page
    assert 'rel="next"' not in page


def test_it_shows_hourly_curves_too(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, AUTUMN - dt.timedelta(days=1), AUTUMN + dt.timedelta(days=1), interval=60)
    client = energia.logged_in_client()

    def hours(when: dt.date) -> list[str]:
        return [row[1] for row in rows(client.get(URL, day(when)))]

    assert len(hours(AUTUMN - dt.timedelta(days=1))) == 24
    autumn = hours(AUTUMN)
    assert len(autumn) == 25
    assert autumn[1:5] == ["01:00", "02:00 (ora legale)", "02:00 (ora solare)", "03:00"]
    assert rows(client.get(URL, day(AUTUMN)))[0][2] == "60"


def test_it_knows_the_local_time_of_the_repeated_hour() -> None:
    summer = local_time(dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC))
    winter = local_time(dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC))
    plain = local_time(dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC))

    assert (summer.label, summer.offset) == ("02:30 (ora legale)", "UTC+02:00")
    assert (winter.label, winter.offset) == ("02:30 (ora solare)", "UTC+01:00")
    assert (plain.label, plain.offset, plain.is_repeated) == ("03:30", "UTC+01:00", False)
    assert summer.naive == winter.naive == dt.datetime(2026, 10, 25, 2, 30)
    assert isinstance(summer, LocalTime)


def test_it_shows_the_last_day_with_measures_by_default(
    energia: Tenant, point: SupplyPoint
) -> None:
    measure_days(point, dt.date(2026, 3, 27), SPRING)

    response = energia.logged_in_client().get(URL)

    page = response.content.decode()
    assert 'value="2026-03-29"' in page
    assert "Dal 29/03/2026 al 29/03/2026" in page
    assert len(rows(response)) == 92


def test_it_shows_the_periods_totals(energia: Tenant, point: SupplyPoint) -> None:
    measures = measure_days(point, SPRING, SPRING)

    response = energia.logged_in_client().get(URL, day(SPRING))

    active = sum((m.active_energy for m in measures), Decimal(0))
    reactive = sum((m.reactive_energy or Decimal(0) for m in measures), Decimal(0))
    peak = max(m.peak_power or Decimal(0) for m in measures)
    assert figure(response, "count") == "92"
    assert figure(response, "active") == format_quantity(active)
    assert figure(response, "reactive") == format_quantity(reactive)
    assert figure(response, "peak") == format_quantity(peak)


def test_it_pages_a_long_period_in_the_database(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, dt.date(2026, 3, 1), dt.date(2026, 3, 3))
    query = {"dal": "2026-03-01", "al": "2026-03-03", "page": "3"}

    response = energia.logged_in_client().get(URL, query)

    page = response.content.decode()
    assert "201 - 288 di 288" in page
    assert rows(response)[0][:2] == ["03/03/2026", "02:00"]
    assert 'href="?dal=2026-03-01&amp;al=2026-03-03&amp;page=2" rel="prev"' in page
    assert figure(response, "count") == "288"


def test_it_runs_the_same_queries_for_a_day_and_a_month(
    energia: Tenant, point: SupplyPoint, django_assert_num_queries: Any
) -> None:
    measure_days(point, dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    client = energia.logged_in_client()
    client.get(URL)
    expected = count_queries(client, URL)
    measure_days(point, dt.date(2026, 3, 2), dt.date(2026, 3, 31))
    month = {"dal": "2026-03-01", "al": "2026-03-31"}

    with django_assert_num_queries(expected - 1):  # the last day is not looked up
        assert client.get(URL, month).status_code == 200


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"dal": "2026-03-10", "al": "2026-03-09"},
            "al",
            "L&#x27;ultimo giorno non può precedere il primo.",
        ),
        (
            {"dal": "2025-02-28", "al": "2026-03-01"},
            "al",
            "Il periodo può coprire al massimo 366 giorni.",
        ),
        ({"dal": "ieri", "al": "2026-03-09"}, "dal", "Scrivi la data come gg/mm/aaaa."),
        ({"dal": "2026-03-09"}, "al", "Indica l&#x27;ultimo giorno del periodo."),
        (
            {"dal": "1999-12-31", "al": "2000-01-01"},
            "dal",
            "Scegli una data dal 01/01/2000 al 31/12/2099.",
        ),
        (
            {"dal": "9999-12-31", "al": "9999-12-31"},
            "dal",
            "Scegli una data dal 01/01/2000 al 31/12/2099.",
        ),
    ],
)
def test_it_refuses_a_period_that_makes_no_sense(
    energia: Tenant, point: SupplyPoint, query: dict[str, str], field: str, message: str
) -> None:
    measure_days(point, SPRING, SPRING)

    response = energia.logged_in_client().get(URL, query)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<div class="invalid-feedback" id="id_{field}-error">{message}</div>' in page
    assert f'aria-invalid="true" aria-describedby="id_{field}-error"' in page
    assert 'id="measures"' not in page
    assert "Esporta" not in page


def test_it_takes_dates_as_people_write_them(energia: Tenant, point: SupplyPoint) -> None:
    measure_days(point, SPRING, SPRING)

    response = energia.logged_in_client().get(URL, {"dal": "29/03/2026", "al": "29/03/2026"})

    assert len(rows(response)) == 92


def test_it_accepts_a_period_of_31_days(energia: Tenant, point: SupplyPoint) -> None:
    response = energia.logged_in_client().get(URL, {"dal": "2026-03-01", "al": "2026-03-31"})

    page = response.content.decode()
    assert "Dal 01/03/2026 al 31/03/2026" in page
    assert "Nessuna misura in questo periodo: prova con altre date." in page


def test_it_says_measures_exist_only_for_electricity(energia: Tenant) -> None:
    make_supply_point(energia.customer, Commodity.GAS)

    page = energia.logged_in_client().get(URL).content.decode()

    assert (
        "Le misure elettriche esistono solo per i punti di fornitura di energia elettrica" in page
    )
    assert 'name="dal"' not in page
    assert "Esporta" not in page


def test_it_points_a_customer_with_both_to_the_selector(
    energia: Tenant, point: SupplyPoint
) -> None:
    gas = make_supply_point(energia.customer, Commodity.GAS)
    client = energia.logged_in_client()
    client.post("/fornitura/punto/", {"point": gas.pk})

    page = client.get(URL).content.decode()

    assert "Scegli un punto di energia elettrica in «Punto di fornitura», in alto." in page
    assert 'name="dal"' not in page


def test_it_says_when_there_are_no_measures_yet(energia: Tenant, point: SupplyPoint) -> None:
    page = energia.logged_in_client().get(URL).content.decode()

    assert f"Per il punto di fornitura {point.number} non ci sono ancora misure" in page


def test_it_never_shows_another_points_measures(energia: Tenant, point: SupplyPoint) -> None:
    other = make_supply_point(energia.customer)
    measure_days(other, SPRING, SPRING)

    response = energia.logged_in_client().get(URL, day(SPRING))

    assert "Nessuna misura in questo periodo" in response.content.decode()


def test_it_is_a_utility_page(release: Tenant) -> None:
    assert release.logged_in_client().get(URL).status_code == 404


def test_it_sums_to_the_thousandth_without_floating_point_noise(point: SupplyPoint) -> None:
    start = dt.datetime(2026, 10, 1, 0, 0, tzinfo=dt.UTC)
    for quarter in range(30):
        Measure.objects.create(
            supply_point=point,
            measured_at=start + dt.timedelta(minutes=15 * quarter),
            active_energy=Decimal("0.1"),
            reactive_energy=Decimal("0.2"),
        )

    totals = period_totals(point, Period(dt.date(2026, 10, 1), dt.date(2026, 10, 1)))

    # The file's total cell is exactly 3 and 6, not 3.0000000000000004.
    assert (totals.active_energy, totals.reactive_energy) == (Decimal("3.000"), Decimal("6.000"))
    assert str(totals.active_energy) == "3.000"
