"""Broadcasts in the back office: written in two languages, scheduled, withdrawn, audited.

A broadcast is one row whatever its audience, so publishing to a thousand
customers costs the queries publishing to one does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from tests.factories import Tenant, make_reference, operator_client

from sportello.accounts.models import PortalUser
from sportello.core.audit import Origin
from sportello.core.models import AuditEvent, Company
from sportello.customers.models import Customer, PersonKind
from sportello.leasing.models import Product
from sportello.notices.models import Category, Notification, NotificationRead
from sportello.notices.services import (
    BroadcastContent,
    BroadcastState,
    broadcast_state,
    publish_broadcast,
)

#: Broadcasts are written on Monday 18 May 2026, 10:00 in Rome.
NOW = dt.datetime(2026, 5, 18, 8, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def url(name: str, company: Company, *args: Any) -> str:
    return reverse(f"backoffice:{name}", args=[company.slug, *args])


def posted(**changes: str) -> dict[str, str]:
    """A valid form for every customer from today, Rome's local time as the picker sends it."""
    return {
        "title": "Nuovi orari della filiale",
        "body": "Da giugno la filiale è aperta anche il sabato.",
        "title_en": "New branch hours",
        "body_en": "From June the branch also opens on Saturdays.",
        "link": "https://release.test/orari",
        "audience": "all",
        "product": "",
        "province": "",
        "published_at": "2026-05-18T10:00",
        "expires_at": "",
        **changes,
    }


def broadcast_of(company: Company, origin_user: PortalUser, **changes: Any) -> Notification:
    fields: dict[str, Any] = {"title": "Avviso", "body": "Testo.", **changes}
    return publish_broadcast(
        Origin(company, origin_user, "192.0.2.9"), company, BroadcastContent(**fields)
    )


def test_it_publishes_a_broadcast_in_italian_and_english(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    response = desk.post(url("new_broadcast", release.company), posted(is_important="on"))

    assert response.status_code == 302
    assert response["Location"] == url("broadcasts", release.company)
    broadcast = Notification.objects.get()
    assert broadcast.recipient_id is None and broadcast.company == release.company
    assert broadcast.category == Category.BROADCASTS
    assert broadcast.title_in("it") == "Nuovi orari della filiale"
    assert broadcast.title_in("en") == "New branch hours"
    assert broadcast.body_in("en") == "From June the branch also opens on Saturdays."
    assert broadcast.link == "https://release.test/orari"
    assert broadcast.is_important and broadcast.audience == "all"
    assert broadcast.published_at == NOW and broadcast.expires_at is None
    assert broadcast.created_by == operator
    assert list(Notification.objects.for_user(release.user)) == [broadcast]
    page = desk.get(response["Location"]).content.decode()
    assert "Nuovi orari della filiale" in page and "pubblicata" in page


def test_it_offers_now_as_the_publication_time(desk: Client, release: Tenant) -> None:
    page = desk.get(url("new_broadcast", release.company)).content.decode()

    assert 'value="2026-05-18T10:00"' in page


def test_it_schedules_a_broadcast_in_the_future(desk: Client, release: Tenant) -> None:
    desk.post(url("new_broadcast", release.company), posted(published_at="2026-06-01T09:00"))

    broadcast = Notification.objects.get()
    assert broadcast.published_at == dt.datetime(2026, 6, 1, 7, tzinfo=dt.UTC)
    assert broadcast_state(broadcast, timezone.now()) == BroadcastState.SCHEDULED
    assert not Notification.objects.for_user(release.user).exists()
    assert "programmata" in desk.get(url("broadcasts", release.company)).content.decode()
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC), tick=False):
        assert Notification.objects.for_user(release.user).get() == broadcast


def test_it_stops_showing_a_broadcast_once_it_expires(desk: Client, release: Tenant) -> None:
    desk.post(url("new_broadcast", release.company), posted(expires_at="2026-05-18T10:15"))

    broadcast = Notification.objects.get()
    assert Notification.objects.for_user(release.user).get() == broadcast
    with time_machine.travel(dt.datetime(2026, 5, 18, 8, 16, tzinfo=dt.UTC), tick=False):
        assert not Notification.objects.for_user(release.user).exists()
        assert broadcast_state(broadcast, timezone.now()) == BroadcastState.EXPIRED
        assert "scaduta" in desk.get(url("broadcasts", release.company)).content.decode()


def test_it_withdraws_a_broadcast_at_once(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    broadcast = broadcast_of(release.company, operator)

    response = desk.post(url("withdraw_broadcast", release.company, broadcast.pk))

    assert response.status_code == 302
    broadcast.refresh_from_db()
    assert broadcast.expires_at == NOW
    assert not Notification.objects.for_user(release.user).exists()
    page = desk.get(response["Location"]).content.decode()
    assert "i clienti non la vedono più" in page and "scaduta" in page


def test_it_goes_back_to_the_list_on_a_get_of_withdraw(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    broadcast = broadcast_of(release.company, operator)

    response = desk.get(url("withdraw_broadcast", release.company, broadcast.pk))

    assert response.status_code == 302
    assert response["Location"] == url("broadcasts", release.company)
    broadcast.refresh_from_db()
    assert broadcast.expires_at is None


def test_it_changes_a_broadcast(desk: Client, release: Tenant, operator: PortalUser) -> None:
    broadcast = broadcast_of(release.company, operator, title="Avviso con refuso")
    form = desk.get(url("broadcast", release.company, broadcast.pk)).content.decode()
    assert "Avviso con refuso" in form

    response = desk.post(
        url("broadcast", release.company, broadcast.pk),
        posted(title="Avviso corretto", audience="province", province="to"),
    )

    assert response.status_code == 302
    broadcast.refresh_from_db()
    assert broadcast.title == "Avviso corretto" and broadcast.audience == "province:TO"
    assert Notification.objects.count() == 1


def test_it_sends_to_the_customers_of_one_product(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    make_reference(Product, release.company, "Leasing targato")

    desk.post(
        url("new_broadcast", release.company), posted(audience="product", product="LEASING TARGATO")
    )

    assert Notification.objects.get().audience == "product:LEASING TARGATO"
    page = desk.get(url("broadcasts", release.company)).content.decode()
    assert "Clienti con un prodotto: Leasing targato" in page


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        (
            {"published_at": "2026-05-20T10:00", "expires_at": "2026-05-19T10:00"},
            "expires_at",
            "La scadenza deve essere successiva alla pubblicazione.",
        ),
        (
            {"audience": "province", "province": "M1"},
            "province",
            "Indica la provincia con la sua sigla di due lettere (es. MI).",
        ),
        ({"audience": "province"}, "province", "Indica la provincia dei clienti."),
        ({"audience": "product"}, "product", "Scegli uno dei prodotti della società."),
        ({"title": ""}, "title", "Questo campo è obbligatorio."),
        ({"link": "non un indirizzo"}, "link", "Inserisci un URL valido."),
    ],
)
def test_it_refuses_an_invalid_broadcast(
    desk: Client, release: Tenant, changes: dict[str, str], field: str, error: str
) -> None:
    response = desk.post(url("new_broadcast", release.company), posted(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert error in response.content.decode()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="broadcast.").exists()


def test_it_refuses_a_product_of_another_company(
    desk: Client, release: Tenant, energia: Tenant
) -> None:
    make_reference(Product, release.company, "Leasing targato")
    make_reference(Product, energia.company, "Leasing nautico")

    response = desk.post(
        url("new_broadcast", release.company), posted(audience="product", product="LEASING NAUTICO")
    )

    assert response.status_code == 200
    assert "product" in response.context["form"].errors
    assert "Leasing nautico" not in response.content.decode()
    assert not Notification.objects.exists()


def test_it_audits_publishing_changing_and_withdrawing(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    desk.post(url("new_broadcast", release.company), posted(audience="province", province="MI"))
    broadcast = Notification.objects.get()
    desk.post(url("broadcast", release.company, broadcast.pk), posted(audience="overdue"))
    desk.post(url("withdraw_broadcast", release.company, broadcast.pk))

    events = list(
        AuditEvent.objects.filter(action__startswith="broadcast.").order_by("created_at", "pk")
    )
    assert [event.action for event in events] == [
        "broadcast.published",
        "broadcast.updated",
        "broadcast.withdrawn",
    ]
    assert [event.data["audience"] for event in events] == ["province:MI", "overdue", "overdue"]
    for event in events:
        assert event.actor == operator and event.company == release.company
        assert event.object_id == str(broadcast.pk)
    assert events[2].data["expires_at"] == NOW.isoformat()


def test_it_shows_another_companys_operator_a_404_and_changes_nothing(
    release: Tenant, energia: Tenant, rival: PortalUser, operator: PortalUser
) -> None:
    broadcast = broadcast_of(release.company, operator, title="Solo per Release")
    before = (Notification.objects.values().get(), AuditEvent.objects.count())
    client = operator_client(rival)
    assert client.get(url("broadcasts", release.company)).status_code == 404
    pages = [
        url("new_broadcast", release.company),
        url("broadcast", release.company, broadcast.pk),
        url("withdraw_broadcast", release.company, broadcast.pk),
        # Through its own company: Release's broadcast is not one of Energia's.
        url("broadcast", energia.company, broadcast.pk),
        url("withdraw_broadcast", energia.company, broadcast.pk),
    ]

    for page in pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page, posted(title="Manomessa")).status_code == 404, page

    assert (Notification.objects.values().get(), AuditEvent.objects.count()) == before


def test_it_shows_a_personal_notice_as_a_404(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    notice = Notification.objects.create(
        company=release.company, recipient=release.user, title="Personale", published_at=NOW
    )

    assert desk.get(url("broadcast", release.company, notice.pk)).status_code == 404
    assert desk.post(url("withdraw_broadcast", release.company, notice.pk)).status_code == 404
    notice.refresh_from_db()
    assert notice.expires_at is None


def test_it_lists_the_broadcasts_in_constant_queries(
    desk: Client, release: Tenant, operator: PortalUser
) -> None:
    def queries_for(count: int) -> int:
        Notification.objects.all().delete()
        for n in range(count):
            broadcast_of(release.company, operator, title=f"Avviso {n}", is_important=n % 2 == 0)
        with CaptureQueriesContext(connection) as captured:
            response = desk.get(url("broadcasts", release.company))
        assert response.status_code == 200
        return len(captured.captured_queries)

    desk.get(url("broadcasts", release.company))  # the session's first read is not the list's

    assert queries_for(3) == queries_for(30)


def customers(company: Company, count: int) -> None:
    Customer.objects.bulk_create(
        Customer(
            company=company, code=f"B{n:06d}", kind=PersonKind.LEGAL, name=f"Cliente {n}",
            partita_iva=f"{n:011d}", address="Via Roma 1", postcode="20121", city="Milano",
            province="MI",
        )
        for n in range(count)
    )  # fmt: skip


def test_it_publishes_to_a_thousand_customers_in_the_queries_of_one(
    release: Tenant,
    energia: Tenant,
    operator: PortalUser,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    customers(release.company, 1000)
    origin = Origin(release.company, operator, "192.0.2.9")
    content = BroadcastContent(title="Avviso", body="Testo.")
    with CaptureQueriesContext(connection) as few:
        publish_broadcast(origin, energia.company, content)

    with django_assert_num_queries(len(few.captured_queries)):
        publish_broadcast(origin, release.company, content)

    assert Notification.objects.filter(company=release.company).count() == 1
    assert not NotificationRead.objects.exists()
