"""G7 pages: "Elenco Autoletture", the windows, "Aggiungi" → "Salva", and the deletion
after "Confermi la cancellazione…?"; who may, and how many queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from tests.energy.self_reading import (
    CLOSES,
    LAST_DAY,
    NOW,
    OPENS,
    TODAY,
    electricity_point,
    gas_point,
    reading,
    window,
)
from tests.factories import Tenant, make_customer, make_sub_user, make_user

from sportello.core.models import AuditEvent
from sportello.energy.models import MeterReading, Plausibility, ReadingStatus, SupplyPoint
from sportello.energy.readings import acquire_pending_readings

URL = "/fornitura/autoletture/"


@pytest.fixture(autouse=True)
def clock(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def point(energia: Tenant) -> SupplyPoint:
    found = gas_point(energia)
    reading(found)
    window(energia)
    return found


def delete_url(item: MeterReading) -> str:
    return reverse("energy:reading_delete", args=[item.pk])


def test_it_lists_the_points_readings_and_the_windows(energia: Tenant, point: SupplyPoint) -> None:
    window(energia, opens=CLOSES + dt.timedelta(days=20), closes=CLOSES + dt.timedelta(days=28))

    page = energia.logged_in_client().get(URL).content.decode()

    for label in (
        "Elenco Autoletture",
        "Data Lettura",
        "Lettura Contatore",
        "Lettura Correttore",
        "Lettura Acquisita",
        "Cancella",
        "Informazioni",
        "L'inserimento delle autoletture è consentito nei seguenti periodi:",
        "A partire dalle ore",
        "Fino alle ore",
    ):
        assert label in page, label
    assert "28/02/2026" in page and "1.000" in page and "Acquisita" in page
    # The window in Europe/Rome: 01/03/2026 08:00 to 15/03/2026 22:00.
    assert "<td>01/03/2026<br>" in page and "<td>08:00</td>" in page
    assert "<td>15/03/2026</td>\n          <td>22:00</td>" in page
    assert "aperto ora" in page
    assert "04/04/2026" in page  # the coming window too
    assert 'href="?aggiungi=1#inserimento"' in page


def test_it_shows_the_corrector_only_for_a_gas_point_with_one(energia: Tenant) -> None:
    point = electricity_point(energia)
    reading(point)
    window(energia, commodity="electricity")

    page = energia.logged_in_client().get(f"{URL}?aggiungi=1").content.decode()

    assert "Lettura Correttore" not in page and "Lettura correttore" not in page
    assert "Lettura contatore" in page


def test_it_says_when_there_is_no_reading_yet(energia: Tenant) -> None:
    gas_point(energia)

    page = energia.logged_in_client().get(URL).content.decode()

    assert "Nessuna autolettura inserita per questo punto." in page


def test_it_says_when_the_next_window_opens_and_offers_no_form(energia: Tenant) -> None:
    gas_point(energia)
    window(energia, opens=CLOSES + dt.timedelta(days=20), closes=CLOSES + dt.timedelta(days=28))

    page = energia.logged_in_client().get(f"{URL}?aggiungi=1").content.decode()

    assert "Il prossimo periodo si apre il 04/04/2026 alle ore 22:00." in page
    assert "Aggiungi" not in page and "Inserimento Autolettura" not in page


def test_it_says_when_no_window_is_planned(energia: Tenant) -> None:
    gas_point(energia)
    window(energia, opens=OPENS - dt.timedelta(days=30), closes=OPENS - dt.timedelta(days=20))

    page = energia.logged_in_client().get(URL).content.decode()

    assert "non ci sono periodi in programma" in page


def test_it_says_when_the_customer_has_no_point(energia: Tenant) -> None:
    page = energia.logged_in_client().get(URL).content.decode()

    assert "Non ci sono punti di fornitura" in page


def test_it_saves_a_reading_and_shows_it_deletable(energia: Tenant, point: SupplyPoint) -> None:
    client = energia.logged_in_client()
    form = client.get(f"{URL}?aggiungi=1").content.decode()
    assert "Inserimento Autolettura" in form and "Lettura correttore" in form

    response = client.post(URL, {"meter_value": "1100", "corrector_value": "510"}, follow=True)

    saved = MeterReading.objects.get(reading_date=TODAY)
    assert (saved.meter_value, saved.corrector_value, saved.entered_by) == (1100, 510, energia.user)
    page = response.content.decode()
    assert "Autolettura salvata." in page
    assert "Da acquisire" in page and delete_url(saved) in page
    assert "Cancella la lettura del 10/03/2026" in page
    assert "Confermi la cancellazione della lettura del 10/03/2026?" in page  # the dialog


def test_it_refuses_a_reading_below_the_last_and_changes_nothing(
    energia: Tenant, point: SupplyPoint
) -> None:
    response = energia.logged_in_client().post(
        URL, {"meter_value": "999", "corrector_value": "510"}
    )

    assert response.status_code == 200
    assert "inferiore all&#x27;ultima lettura, 1.000 del 28/02/2026" in response.content.decode()
    assert MeterReading.objects.count() == 1


def test_it_refuses_digits_with_a_point(energia: Tenant, point: SupplyPoint) -> None:
    response = energia.logged_in_client().post(
        URL, {"meter_value": "1.100", "corrector_value": "510"}
    )

    assert "senza punti, virgole né decimali" in response.content.decode()
    assert MeterReading.objects.count() == 1


def test_it_asks_for_a_confirmation_and_stores_it(energia: Tenant, point: SupplyPoint) -> None:
    client = energia.logged_in_client()
    data = {"meter_value": "1000", "corrector_value": "510"}

    asked = client.post(URL, data).content.decode()

    assert "il consumo risulta nullo" in asked
    assert 'name="confirm" id="id_confirm" value="1000"' in asked
    assert "Confermo che la lettura è corretta" in asked
    assert MeterReading.objects.count() == 1

    assert client.post(URL, data | {"confirm": "1000"}).status_code == 302
    saved = MeterReading.objects.get(reading_date=TODAY)
    assert saved.confirmed == Plausibility.ZERO
    page = client.get(URL).content.decode()
    assert "Consumo nullo confermato dal cliente" in page


def test_it_refuses_a_reading_outside_the_window(energia: Tenant) -> None:
    point = gas_point(energia)
    window(energia, opens=CLOSES + dt.timedelta(days=20), closes=CLOSES + dt.timedelta(days=28))

    response = energia.logged_in_client().post(
        URL, {"meter_value": "1100", "corrector_value": "510"}
    )

    assert "il prossimo periodo si apre il 04/04/2026" in response.content.decode()
    assert not MeterReading.objects.filter(supply_point=point).exists()


# -- deleting -------------------------------------------------------------------------


def test_it_asks_before_deleting_and_deletes_on_yes(energia: Tenant, point: SupplyPoint) -> None:
    pending = reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)
    client = energia.logged_in_client()

    question = client.get(delete_url(pending)).content.decode()
    assert "Confermi la cancellazione della lettura del 10/03/2026?" in question
    response = client.post(delete_url(pending), follow=True)

    assert "Lettura del 10/03/2026 cancellata." in response.content.decode()
    assert not MeterReading.objects.filter(pk=pending.pk).exists()
    assert AuditEvent.objects.filter(action="reading.deleted", actor=energia.user).exists()


def test_it_lets_a_sub_user_delete_the_customers_reading(
    energia: Tenant, point: SupplyPoint
) -> None:
    pending = reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)
    client = energia.logged_in_client(make_sub_user(energia.user))

    assert client.post(delete_url(pending)).status_code == 302
    assert not MeterReading.objects.filter(pk=pending.pk).exists()


def test_it_hides_another_customers_reading(energia: Tenant, point: SupplyPoint) -> None:
    pending = reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)
    client = energia.logged_in_client(make_user(make_customer(energia.company)))

    assert client.get(delete_url(pending)).status_code == 404
    assert client.post(delete_url(pending)).status_code == 404
    assert MeterReading.objects.filter(pk=pending.pk).exists()


def test_it_never_deletes_an_acquired_reading(energia: Tenant, point: SupplyPoint) -> None:
    pending = reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)
    client = energia.logged_in_client()
    assert delete_url(pending) in client.get(URL).content.decode()

    acquire_pending_readings()

    page = client.get(URL).content.decode()
    assert delete_url(pending) not in page and "Da acquisire" not in page
    assert client.get(delete_url(pending)).status_code == 404
    # A deletion sent from a page loaded before the job ran is refused, not lost.
    response = client.post(delete_url(pending), follow=True)
    assert "già stata acquisita e non si può più cancellare" in response.content.decode()
    assert MeterReading.objects.filter(pk=pending.pk).exists()


def test_it_deletes_only_by_post(energia: Tenant, point: SupplyPoint) -> None:
    pending = reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)

    energia.logged_in_client().get(delete_url(pending))

    assert MeterReading.objects.filter(pk=pending.pk).exists()


# -- the company's switch, the menu, the queries ---------------------------------------


def test_it_has_no_pages_and_no_menu_entry_without_self_reading(
    energia: Tenant, point: SupplyPoint
) -> None:
    pending = reading(point, day=TODAY, value=1100, status=ReadingStatus.PENDING)
    client = energia.logged_in_client()
    assert 'href="/fornitura/autoletture/"' in client.get("/").content.decode()

    energia.company.feature_self_reading = False
    energia.company.save()

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"meter_value": "1100", "corrector_value": "510"}).status_code == 404
    assert client.post(delete_url(pending)).status_code == 404
    home = client.get("/").content.decode()
    assert "Autolettura contatore" not in home


def test_it_is_not_a_page_of_a_leasing_portal(release: Tenant) -> None:
    assert release.logged_in_client().get(URL).status_code == 404


def test_it_sends_a_visitor_to_the_login(energia: Tenant) -> None:
    assert Client(HTTP_HOST=energia.host).get(URL).status_code == 302


@pytest.mark.parametrize("count", [1, 30])
def test_it_runs_a_fixed_number_of_queries(
    energia: Tenant, count: int, django_assert_num_queries: Any
) -> None:
    point = gas_point(energia)
    window(energia)
    for n in range(count):
        reading(point, day=LAST_DAY - dt.timedelta(days=n), value=1000 - n, status="pending")
    client = energia.logged_in_client()
    client.get(URL)

    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
