"""One-click unsubscribe (RFC 8058): a POST without cookies stops the e-mails at once."""

from __future__ import annotations

import re

from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from tests.factories import Tenant
from tests.notices.helpers import broadcast, choose, desk_answers, open_request

from sportello.core import outbox
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.notices import delivery
from sportello.notices.models import Category, Channel, Notification, NotificationPreference
from sportello.notices.unsubscribe import make_token


def unsubscribe_path(tenant: Tenant) -> str:
    """The path in the List-Unsubscribe header of a broadcast e-mailed to the tenant's user."""
    choose(tenant.user, Category.BROADCASTS, Channel.EMAIL)
    broadcast(tenant)
    delivery.mail_published_broadcasts()
    header = OutboxEmail.objects.get().headers["List-Unsubscribe"]
    match = re.fullmatch(r"<https?://[^/]+(/notifiche/disiscrizione/[^>]+/)>", header)
    assert match, header
    return match.group(1)


def test_it_stops_broadcast_emails_with_a_cookieless_post_and_keeps_the_bell(
    release: Tenant,
) -> None:
    path = unsubscribe_path(release)
    # A mailbox provider: no cookie, no CSRF token, the RFC 8058 body.
    client = Client(HTTP_HOST=release.host, enforce_csrf_checks=True)

    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert NotificationPreference.objects.channels_for(release.user)[Category.BROADCASTS] == (
        Channel.PORTAL
    )
    event = AuditEvent.objects.get(action="notifications.unsubscribed")
    assert event.data == {"categories": ["broadcasts"]}
    assert event.actor == release.user
    # The next broadcast reaches the bell, not the mailbox.
    OutboxEmail.objects.all().delete()
    later = broadcast(release, "Nuovi orari")
    delivery.mail_published_broadcasts()
    assert not OutboxEmail.objects.exists()
    assert Notification.objects.for_user(release.user).filter(pk=later.pk).exists()


def test_it_asks_for_confirmation_on_get_and_changes_nothing(release: Tenant) -> None:
    path = unsubscribe_path(release)

    response = release.client().get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Conferma la disiscrizione" in page
    assert 'method="post"' in page
    assert "Comunicazioni della società" in page
    assert NotificationPreference.objects.channels_for(release.user)[Category.BROADCASTS] == (
        Channel.EMAIL
    )


def test_it_refuses_a_tampered_token_and_changes_nothing(release: Tenant) -> None:
    path = unsubscribe_path(release)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = release.client().post(tampered)

    assert response.status_code == 400
    assert "Link non valido" in response.content.decode()
    assert NotificationPreference.objects.channels_for(release.user)[Category.BROADCASTS] == (
        Channel.EMAIL
    )
    assert not AuditEvent.objects.filter(action="notifications.unsubscribed").exists()


def test_it_refuses_a_token_on_another_companys_host(release: Tenant, energia: Tenant) -> None:
    path = unsubscribe_path(release)

    response = energia.client().post(path)

    assert response.status_code == 400
    assert NotificationPreference.objects.channels_for(release.user)[Category.BROADCASTS] == (
        Channel.EMAIL
    )


def test_it_refuses_a_token_signed_for_something_else(release: Tenant) -> None:
    token = signing.dumps({"u": release.user.pk, "c": ["broadcasts"]}, salt="another.purpose")
    path = reverse("notifications_unsubscribe", args=[token])

    assert release.client().post(path).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_it_puts_every_category_of_a_digest_in_its_token(release: Tenant) -> None:
    token = make_token(release.user, [Category.DOCUMENTS, Category.BROADCASTS])

    release.client().post(reverse("notifications_unsubscribe", args=[token]))

    channels = NotificationPreference.objects.channels_for(release.user)
    assert channels[Category.DOCUMENTS] == channels[Category.BROADCASTS] == Channel.PORTAL
    assert channels[Category.REQUESTS] == Channel.EMAIL


def test_it_adds_no_unsubscribe_to_transactional_emails(release: Tenant) -> None:
    desk_answers(release, open_request(release))

    assert all(mail.headers == {} for mail in OutboxEmail.objects.all())


def test_it_sends_the_headers_with_the_email(release: Tenant) -> None:
    unsubscribe_path(release)
    row = OutboxEmail.objects.get()

    assert outbox.deliver(row.pk)

    message = mail.outbox[-1].message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifiche/disiscrizione/" in message["List-Unsubscribe"]
    assert message["From"].startswith('"Release S.p.A."')
