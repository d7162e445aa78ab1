"""The bell (F1, F2): badge, 304, the list and its filters, reading, audience, sub-users."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from tests.billing.helpers import entry
from tests.factories import Tenant, make_contract, make_customer, make_sub_user, make_user
from tests.servicedesk.history import make_request

from sportello.accounts.models import PortalUser
from sportello.notices.models import Audience, Notification, NotificationRead, audience_key
from sportello.portal.audience import audience_keys

BADGE = "/notifiche/conteggio/"
LIST = "/notifiche/"


def broadcast(tenant: Tenant, title: str, audience: str = "all", **fields: Any) -> Notification:
    fields.setdefault("published_at", timezone.now() - dt.timedelta(minutes=5))
    return Notification.objects.create(
        company=tenant.company, category="broadcasts", title=title, audience=audience, **fields
    )


def notice(user: PortalUser, title: str, **fields: Any) -> Notification:
    fields.setdefault("published_at", timezone.now() - dt.timedelta(minutes=1))
    return Notification.objects.create(company=user.company, recipient=user, title=title, **fields)


def unread_label(client: Client) -> str:
    return client.get(LIST).content.decode()


def test_it_counts_the_unread_in_the_badge_and_links_the_list_without_javascript(
    release: Tenant,
) -> None:
    broadcast(release, "Nuovi orari")
    read = notice(release.user, "Letta")
    notice(release.user, "Da leggere")
    NotificationRead.objects.create(notification=read, user=release.user)
    page = release.logged_in_client().get("/").content.decode()
    assert 'href="/notifiche/"' in page
    assert "Notifiche, 2 non lette" in page


def test_it_answers_304_with_no_body_while_nothing_changed_in_three_queries(
    release: Tenant, django_assert_max_num_queries: Any
) -> None:
    old = timezone.now() - dt.timedelta(days=400)
    Notification.objects.bulk_create(
        Notification(
            company=release.company, recipient=release.user, title=f"N{i}", published_at=old
        )
        for i in range(10_000)
    )
    NotificationRead.objects.bulk_create(
        NotificationRead(notification=n, user=release.user)
        for n in Notification.objects.all()[:9_990]
    )
    client = release.logged_in_client()
    first = client.get(BADGE)  # computes and caches the audience
    assert first.status_code == 200
    assert "Notifiche, 10 non lette" in first.content.decode()
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', etag)  # one quoted string (RFC 9110 entity-tag)
    with django_assert_max_num_queries(3):
        again = client.get(BADGE, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    with django_assert_max_num_queries(3):
        changed = client.get(BADGE, headers={"If-None-Match": '"it-0-0"'})
    assert changed.status_code == 200

    notice(release.user, "Nuova")
    newer = client.get(BADGE, headers={"If-None-Match": etag})
    assert newer.status_code == 200
    assert newer.headers["ETag"] != etag
    assert "Notifiche, 11 non lette" in newer.content.decode()


def test_it_does_not_renew_the_session_when_the_badge_polls(release: Tenant) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = release.logged_in_client()
        client.get(BADGE)
        row = Session.objects.get(session_key=client.session.session_key)
        clock.shift(dt.timedelta(minutes=2))
        client.get(BADGE)
        assert Session.objects.get(pk=row.pk).expire_date == row.expire_date
        # A page renews it (an unchanged session at most once a minute).
        client.get(LIST)
        assert Session.objects.get(pk=row.pk).expire_date > row.expire_date


def test_it_shows_a_sub_user_only_the_notices_of_requests_it_may_see(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, sees_all_requests=False)
    mine = make_request(release.customer, sub_user, title="Mia")
    theirs = make_request(release.customer, release.user, title="Del titolare")
    notice(sub_user, "Risposta alla mia", request=mine)
    notice(sub_user, "Risposta al titolare", request=theirs)
    page = release.logged_in_client(sub_user).get(LIST).content.decode()
    assert "Risposta alla mia" in page
    assert "Risposta al titolare" not in page


def test_it_matches_broadcasts_to_the_customer_s_segments(release: Tenant) -> None:
    contract = make_contract(release.customer, product="Leasing targato")
    entry(contract, timezone.localdate() - dt.timedelta(days=10), "100.00")
    product = contract.product.code
    now = timezone.now()
    broadcast(release, "Per Milano", audience_key(Audience.PROVINCE, "MI"))
    broadcast(release, "Per Roma", audience_key(Audience.PROVINCE, "RM"))
    broadcast(release, "Per il targato", audience_key(Audience.PRODUCT, product))
    broadcast(release, "Per altri prodotti", audience_key(Audience.PRODUCT, "ZZZ"))
    broadcast(release, "Per chi ha scaduti", Audience.OVERDUE)
    broadcast(release, "Per il gas", Audience.GAS)
    broadcast(release, "Per il leasing", Audience.LEASING)
    broadcast(release, "Scaduta", expires_at=now - dt.timedelta(minutes=1))
    broadcast(release, "Programmata", published_at=now + dt.timedelta(hours=1))
    assert set(audience_keys(release.user)) >= {"all", "leasing", "province:MI", "overdue"}
    page = release.logged_in_client().get(LIST).content.decode()
    for shown in ("Per Milano", "Per il targato", "Per chi ha scaduti", "Per il leasing"):
        assert shown in page
    for hidden in ("Per Roma", "Per altri prodotti", "Per il gas", "Scaduta", "Programmata"):
        assert hidden not in page


def test_it_marks_read_on_opening_and_shows_a_broadcast_in_the_user_s_language(
    release: Tenant,
) -> None:
    news = broadcast(release, "Chiusura estiva", title_en="Summer closing", body_en="Closed.")
    client = release.logged_in_client()
    assert "Notifiche, 1 non letta" in client.get(LIST).content.decode()
    page = client.get(f"/notifiche/{news.pk}/")
    assert page.status_code == 200
    assert "Chiusura estiva" in page.content.decode()
    assert NotificationRead.objects.filter(notification=news, user=release.user).exists()
    assert "Notifiche, 0 non lette" in client.get(LIST).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(f"/notifiche/{news.pk}/").content.decode()
    assert "Summer closing" in english and "Closed." in english


def test_it_leads_a_service_desk_notice_to_its_request(release: Tenant) -> None:
    request = make_request(release.customer, release.user)
    answer = notice(release.user, "Risposta", request=request)
    response = release.logged_in_client().get(f"/notifiche/{answer.pk}/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/richieste/{request.code}/"


def test_it_says_no_longer_available_when_the_request_is_no_longer_visible(
    release: Tenant,
) -> None:
    sub_user = make_sub_user(release.user, sees_all_requests=True)
    request = make_request(release.customer, release.user)
    answer = notice(sub_user, "Risposta", request=request)
    PortalUser.objects.filter(pk=sub_user.pk).update(sees_all_requests=False)
    # The notice itself is hidden now (own-only rule): it was the sub-user's, so it is
    # gone, not unknown, and shows nothing of the request...
    hidden = release.logged_in_client(sub_user).get(f"/notifiche/{answer.pk}/")
    assert hidden.status_code == 410
    assert request.code not in hidden.content.decode()
    # ...and a company that turned requests off leaves it visible but gone.
    release.company.feature_requests = False
    release.company.save()
    response = release.logged_in_client().get(
        f"/notifiche/{notice(release.user, 'X', request=request).pk}/"
    )
    assert response.status_code == 410
    assert "Contenuto non più disponibile" in response.content.decode()


def test_it_says_a_withdrawn_broadcast_is_no_longer_available(release: Tenant) -> None:
    news = broadcast(release, "Chiusura estiva")
    client = release.logged_in_client()
    assert client.get(f"/notifiche/{news.pk}/").status_code == 200

    Notification.objects.filter(pk=news.pk).update(expires_at=timezone.now())

    response = client.get(f"/notifiche/{news.pk}/")
    assert response.status_code == 410
    assert "Chiusura estiva" not in response.content.decode()


def test_it_hides_another_customer_s_notification(release: Tenant) -> None:
    other = make_user(make_customer(release.company), "altro")
    theirs = notice(other, "Non tua")
    assert release.logged_in_client().get(f"/notifiche/{theirs.pk}/").status_code == 404


def test_it_marks_read_all_of_the_current_filter_and_says_how_many(release: Tenant) -> None:
    for n in range(7):
        broadcast(release, f"Comunicazione {n}")
    notice(release.user, "Personale")
    client = release.logged_in_client()
    page = client.get(LIST, {"unread": "1", "kind": "broadcast"}).content.decode()
    assert "Segna 7 come lette" in page
    response = client.post(
        "/notifiche/segna-lette/", {"unread": "1", "kind": "broadcast"}, follow=True
    )
    body = response.content.decode()
    assert "7 notifiche segnate come lette." in body
    assert "Notifiche, 1 non letta" in body
    assert NotificationRead.objects.filter(user=release.user).count() == 7


def test_it_lists_in_pages_with_a_fixed_number_of_queries(
    release: Tenant, django_assert_max_num_queries: Any
) -> None:
    client = release.logged_in_client()
    client.get(LIST)
    for n in range(60):
        notice(release.user, f"Avviso {n}")
    with django_assert_max_num_queries(9):
        page = client.get(LIST, {"page": "2"})
    assert page.status_code == 200
    assert "Avviso 34" in page.content.decode()


def test_it_shows_an_empty_state(release: Tenant) -> None:
    assert "Non hai notifiche." in release.logged_in_client().get(LIST).content.decode()


def test_it_gives_the_bell_the_last_five_with_their_relative_time_and_unread_words(
    release: Tenant,
) -> None:
    now = timezone.now()
    for n in range(7):
        notice(release.user, f"Avviso {n}", published_at=now - dt.timedelta(hours=n))
    broadcast(release, "B" * 120, published_at=now - dt.timedelta(seconds=2))
    page = release.logged_in_client().get("/notifiche/ultime/").content.decode()
    assert page.count("<li") == 5
    assert "Release S.p.A. – " + "B" * 40 in page and "..." in page
    assert "Non letta" in page
    assert "2 secondi fa" in page.replace("\xa0", " ")


def test_it_says_yesterday(release: Tenant) -> None:
    notice(release.user, "Ieri", published_at=timezone.now() - dt.timedelta(days=1))
    page = release.logged_in_client().get("/notifiche/ultime/").content.decode()
    assert "ieri" in page


def test_it_works_on_a_utility_too(energia: Tenant) -> None:
    broadcast(energia, "Per le utility", Audience.UTILITY)
    client = energia.logged_in_client()
    assert "Per le utility" in client.get(LIST).content.decode()
    assert "Notifiche, 1 non letta" in client.get("/").content.decode()


@pytest.mark.parametrize("language", ["en"])
def test_it_gives_the_relative_time_in_english(release: Tenant, language: str) -> None:
    notice(release.user, "Now", published_at=timezone.now() - dt.timedelta(seconds=2))
    client = release.logged_in_client()
    client.cookies["django_language"] = language
    page = client.get("/notifiche/ultime/").content.decode().replace("\xa0", " ")
    assert "2 seconds ago" in page
