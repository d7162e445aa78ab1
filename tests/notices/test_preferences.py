"""Preferences per category × channel (F3): the e-mail follows them, the bell does not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import Tenant, make_sub_user
from tests.notices.helpers import broadcast, choose, desk_answers, open_request

from sportello.accounts.models import PortalUser
from sportello.core.models import AuditEvent, OutboxEmail
from sportello.notices import delivery
from sportello.notices.models import (
    Category,
    Channel,
    Notification,
    NotificationPreference,
)
from sportello.servicedesk.models import RequestKind


def test_it_emails_a_request_answer_by_default_to_the_secondary_address(release: Tenant) -> None:
    release.user.secondary_email = "notifiche@example.test"
    release.user.save()
    request = open_request(release)
    OutboxEmail.objects.all().delete()

    desk_answers(release, request)

    mail = OutboxEmail.objects.get()
    assert mail.to == ["notifiche@example.test"]
    assert f"Apri la richiesta {request.code}" in mail.body_text
    # A request reply is transactional: no unsubscribe.
    assert mail.headers == {}


def test_it_stops_the_email_but_keeps_the_bell_when_a_category_is_off(release: Tenant) -> None:
    request = open_request(release)
    OutboxEmail.objects.all().delete()
    choose(release.user, Category.REQUESTS, Channel.OFF)

    desk_answers(release, request)

    assert not OutboxEmail.objects.exists()
    assert Notification.objects.for_user(release.user).filter(request=request).exists()


def test_it_still_emails_a_complaint_answer_whatever_the_preference(release: Tenant) -> None:
    complaint = open_request(release, RequestKind.COMPLAINT)
    OutboxEmail.objects.all().delete()
    choose(release.user, Category.REQUESTS, Channel.OFF)

    desk_answers(release, complaint)

    notice = Notification.objects.get(request=complaint)
    assert notice.is_mandatory
    assert OutboxEmail.objects.get().to == [release.user.email]


def test_it_leaves_a_digest_notice_for_the_digest(release: Tenant) -> None:
    request = open_request(release)
    OutboxEmail.objects.all().delete()
    choose(release.user, Category.REQUESTS, Channel.DIGEST)

    desk_answers(release, request)

    assert not OutboxEmail.objects.exists()


def test_it_emails_a_broadcast_at_once_with_one_click_unsubscribe_to_who_chose_email(
    release: Tenant,
) -> None:
    choose(release.user, Category.BROADCASTS, Channel.EMAIL)
    digest_user = make_sub_user(release.user, "digestuser")  # the default: the digest
    notice = broadcast(release, "Uffici chiusi")

    assert delivery.mail_published_broadcasts() == 1
    assert delivery.mail_published_broadcasts() == 0  # a second run mails nobody again

    mail = OutboxEmail.objects.get()
    assert mail.to == [release.user.email]
    assert mail.subject == "Release S.p.A. – Uffici chiusi"
    assert "Gli uffici restano chiusi venerdì." in mail.body_text
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["List-Unsubscribe"].startswith("<http")
    assert "/notifiche/disiscrizione/" in mail.headers["List-Unsubscribe"]
    assert 'lang="it"' in mail.body_html
    assert Notification.objects.for_user(digest_user).filter(pk=notice.pk).exists()


def test_it_emails_a_mandatory_broadcast_to_everybody(release: Tenant) -> None:
    choose(release.user, Category.BROADCASTS, Channel.OFF)
    broadcast(release, "Modifica delle condizioni contrattuali", is_mandatory=True)

    delivery.mail_published_broadcasts()

    mail = OutboxEmail.objects.get()
    assert mail.to == [release.user.email]
    assert mail.headers == {}  # owed by law: nothing to unsubscribe from


def test_it_emails_a_broadcast_in_the_users_language(release: Tenant) -> None:
    release.user.language = "en"
    release.user.save()
    choose(release.user, Category.BROADCASTS, Channel.EMAIL)
    broadcast(release, "Uffici chiusi", title_en="Offices closed", body_en="Closed on Friday.")

    delivery.mail_published_broadcasts()

    mail = OutboxEmail.objects.get()
    assert mail.subject == "Release S.p.A. – Offices closed"
    assert "Closed on Friday." in mail.body_text
    assert 'lang="en"' in mail.body_html


def test_it_shows_every_category_with_its_channel_and_the_mandatory_ones(
    release: Tenant,
) -> None:
    response = release.logged_in_client().get(reverse("accounts:notification_preferences"))

    page = response.content.decode()
    assert response.status_code == 200
    # Every category a leasing customer can receive: no self-reading windows.
    assert page.count("<fieldset") == len(Category) - 1
    assert "<legend" in page and "Comunicazioni della società" in page
    assert "Promemoria di pagamento" in page and "Finestre di autolettura" not in page
    assert 'value="digest" checked' in page  # broadcasts by default
    assert "obbligatoria" in page
    assert "Risposte ai reclami" in page


def test_it_offers_a_utility_customer_self_reading_but_no_payment_reminders(
    energia: Tenant,
) -> None:
    page = energia.logged_in_client().get(reverse("accounts:notification_preferences"))

    text = page.content.decode()
    assert "Finestre di autolettura" in text and "Promemoria di pagamento" not in text


def test_it_saves_the_channels_and_audits_the_change(release: Tenant) -> None:
    choices = {category.value: Channel.EMAIL.value for category in Category}
    choices[Category.BROADCASTS] = Channel.OFF

    response = release.logged_in_client().post(
        reverse("accounts:notification_preferences"), choices
    )

    assert response.status_code == 302
    assert NotificationPreference.objects.channels_for(release.user)[Category.BROADCASTS] == "off"
    # Only what changed from the defaults is stored and audited.
    assert list(NotificationPreference.objects.values_list("category", flat=True)) == [
        Category.BROADCASTS
    ]
    event = AuditEvent.objects.get(action="notifications.preferences_changed")
    assert event.data == {"channels": {"broadcasts": "off"}}


def test_it_refuses_a_channel_that_does_not_exist(release: Tenant) -> None:
    choices = {category.value: "pigeon" for category in Category}

    response = release.logged_in_client().post(
        reverse("accounts:notification_preferences"), choices
    )

    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()


def test_it_keeps_each_users_preferences_apart(release: Tenant) -> None:
    sub_user = make_sub_user(release.user, "sottoutente")
    client = release.logged_in_client(sub_user)
    choices = {category.value: Channel.PORTAL.value for category in Category}

    client.post(reverse("accounts:notification_preferences"), choices)

    assert NotificationPreference.objects.channels_for(sub_user)[Category.REQUESTS] == "portal"
    assert NotificationPreference.objects.channels_for(release.user)[Category.REQUESTS] == "email"


@pytest.mark.parametrize("category", list(Category))
def test_it_has_a_default_channel_for_every_category(release: Tenant, category: str) -> None:
    assert NotificationPreference.objects.channels_for(release.user)[category] in Channel.values


def test_it_sends_no_digest_category_notice_at_once(release: Tenant) -> None:
    notice = broadcast(release)
    user: PortalUser = release.user
    assert delivery.deliver(notice, user) == Channel.DIGEST
    assert not OutboxEmail.objects.exists()
