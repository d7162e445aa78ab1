"""The operators' admin of self-readings and windows keeps working (G7)."""

from __future__ import annotations

from pytest_django import Settings
from tests.energy.self_reading import gas_point, reading, window
from tests.factories import BACK_OFFICE_HOST, Tenant, make_operator, operator_client

from sportello.energy.models import Plausibility


def test_it_lists_and_opens_readings_and_windows(energia: Tenant, settings: Settings) -> None:
    settings.PLATFORM_HOSTS = [BACK_OFFICE_HOST]
    item = reading(
        gas_point(energia),
        confirmed=Plausibility.DEVIATION,
        implied_consumption=151,
        expected_consumption=100,
    )
    period = window(energia)
    operator = make_operator(
        energia.company,
        permissions=["energy.view_meterreading", "energy.view_readingwindow"],
    )
    client = operator_client(operator)

    listing = client.get("/admin/energy/meterreading/?q=" + item.supply_point.code)
    assert listing.status_code == 200
    assert "Consumo fuori dal previsto confermato dal cliente" in listing.content.decode()
    change = client.get(f"/admin/energy/meterreading/{item.pk}/change/")
    assert change.status_code == 200 and "151" in change.content.decode()
    assert client.get("/admin/energy/readingwindow/").status_code == 200
    assert client.get(f"/admin/energy/readingwindow/{period.pk}/change/").status_code == 200
