"""The utility home (G1): the chosen point's latest bill, reading window and tickets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import time_machine
from tests.billing.helpers import invoice_with_pdf
from tests.factories import Tenant, make_supply_point

from sportello.energy.models import MeterReading, ReadingWindow
from sportello.servicedesk.models import ServiceRequest

NOW = dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC)


def window(energia: Tenant, opens: dt.datetime, days: int = 8) -> ReadingWindow:
    return ReadingWindow.objects.create(
        company=energia.company,
        commodity="gas",
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=days),
    )


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_chosen_points_bill_window_reading_and_tickets(
    energia: Tenant, django_assert_max_num_queries: Any
) -> None:
    gas = make_supply_point(energia.customer, "gas")
    other = make_supply_point(energia.customer, "electricity")
    invoice_with_pdf(
        energia.customer, number="G-1", total=Decimal("122.00"), vat=Decimal("22.00"),
        taxable=Decimal("100.00"), supply_point=gas,
    )  # fmt: skip
    invoice_with_pdf(
        energia.customer, number="E-9", total=Decimal("244.00"), vat=Decimal("44.00"),
        taxable=Decimal("200.00"), supply_point=other,
    )  # fmt: skip
    window(energia, NOW - dt.timedelta(days=2))
    MeterReading.objects.create(
        supply_point=gas, reading_date=dt.date(2026, 1, 5), meter_value=4521
    )
    ServiceRequest.objects.create(
        company=energia.company, customer=energia.customer, author=energia.user,
        code="RIC-2026-000001", kind="utility_ticket", title="Voltura", last_activity_at=NOW,
    )  # fmt: skip
    client = energia.logged_in_client()
    client.post("/fornitura/punto/", {"point": gas.pk})

    # 13, as in the owner matrix, and one to compute the bell's audience the first time.
    with django_assert_max_num_queries(14):
        page = client.get("/").content.decode()

    assert "N. G-1 del" in page and "122,00" in page and "E-9" not in page
    assert "Puoi inserire l'autolettura fino al 16/02/2026 10:00" in page
    assert "Ultima lettura: 4.521 del 05/01/2026 (Da acquisire)" in page
    assert "1 ticket aperto" in page


@time_machine.travel(NOW, tick=False)
def test_it_says_when_the_next_window_opens_and_when_there_is_nothing(energia: Tenant) -> None:
    make_supply_point(energia.customer, "gas")
    window(energia, NOW + dt.timedelta(days=5))
    client = energia.logged_in_client()

    page = client.get("/").content.decode()

    assert "Il prossimo periodo per l'autolettura si apre il 15/02/2026" in page
    assert "Nessuna fattura per questo punto di fornitura." in page
    assert "0 ticket aperti" in page


def test_it_shows_no_panels_to_a_customer_without_points(energia: Tenant) -> None:
    page = energia.logged_in_client().get("/").content.decode()

    assert "Gentile Cliente" in page and "Ultima fattura" not in page
