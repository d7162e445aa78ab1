"""Whether, when and where a notification is e-mailed (F3).

The bell always lists a notification; the user's channel for its category
decides the e-mail: at once, in the daily digest (``digest.py``) or none.
Mandatory notices (complaint answers, contract and transparency
communications) go at once whatever the channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.outbox import queue_templated_email

from . import hooks
from .models import (
    DEFAULT_CHANNELS,
    BroadcastMailing,
    Category,
    Channel,
    Notification,
    NotificationPreference,
)
from .unsubscribe import list_unsubscribe_headers


def audience_keys(user: PortalUser) -> set[str]:
    """The segments of the user's customer, as the portal registered them (``hooks``).

    Before the portal registers its function only broadcasts to every customer
    ("all") reach anyone: never a segment by mistake.
    """
    return set(hooks.audience_keys(user))


def channel_for(notification: Notification, user: PortalUser) -> str:
    """The channel ``notification`` reaches ``user`` by: mandatory ones by e-mail at once."""
    if notification.is_mandatory:
        return Channel.EMAIL
    return NotificationPreference.objects.channels_for(user)[notification.category]


def address_for(user: PortalUser, category: str) -> str:
    """Request notices to the secondary e-mail when set (seed 003, answer 4); the rest
    to the primary one."""
    return user.notification_email if category == Category.REQUESTS else user.email


def notice_link(notification: Notification) -> tuple[str, str]:
    """Where an e-mail about ``notification`` leads, and the link's text (in the active
    language)."""
    company = notification.company
    if notification.request_id and notification.request is not None:
        code = notification.request.code
        path = reverse("servicedesk:detail", args=[code])
        return company.absolute_url(path), _("Apri la richiesta %(code)s") % {"code": code}
    if notification.invoice_id:
        return company.absolute_url(reverse("billing:invoices")), _("Apri le fatture")
    if notification.link:
        return notification.link, _("Apri il collegamento della comunicazione")
    return company.absolute_url(reverse("portal:home")), _("Accedi all'area clienti")


def deliver(
    notification: Notification,
    user: PortalUser,
    *,
    send_email: Callable[[], object] | None = None,
) -> str:
    """E-mail ``notification`` to ``user`` now if the channel says so; the channel used.

    ``send_email`` sends a caller's own e-mail instead of the generic notice
    (the service desk keeps its request-answered e-mail). A digest channel
    leaves the notice for the daily digest; the others send nothing.
    """
    channel = channel_for(notification, user)
    if channel == Channel.EMAIL and user.email:
        if send_email is not None:
            send_email()
        else:
            send_notice_email(notification, user)
    return channel


def send_notice_email(notification: Notification, user: PortalUser) -> None:
    """The generic notice: "<Company> – <title>" or "<code> – <title>", with its link.

    Broadcasts carry one-click unsubscribe; personal notices are transactional
    and carry none.
    """
    with translation.override(user.language):
        url, link_text = notice_link(notification)
    headers = (
        list_unsubscribe_headers(user, [notification.category])
        if notification.is_broadcast and not notification.is_mandatory
        else None
    )
    queue_templated_email(
        "notice",
        to=[address_for(user, notification.category)],
        context={
            "user": user,
            "notification": notification,
            "body": notification.body_in(user.language),
            "url": url,
            "link_text": link_text,
            "unsubscribe_url": headers["List-Unsubscribe"][1:-1] if headers else "",
        },
        company=notification.company,
        language=user.language,
        headers=headers,
    )


#: Broadcasts older than this when the job first sees them are not e-mailed at once
#: (they were published while the job was not running): the digest still covers them.
MAILING_HORIZON = dt.timedelta(days=2)


def mail_published_broadcasts(now: dt.datetime | None = None) -> int:
    """E-mail each broadcast published by ``now`` to the users whose channel is e-mail.

    A ``BroadcastMailing`` row claims the broadcast in the transaction that
    queues its e-mails, so two runs never mail it twice. The default channel
    for broadcasts is the digest, so the users written to here are the few who
    chose e-mail at once, or everybody in the audience for a mandatory one.
    """
    now = now or timezone.now()
    pending = list(
        Notification.objects.broadcasts()
        .filter(
            published_at__lte=now,
            published_at__gt=now - MAILING_HORIZON,
            mailing__isnull=True,
        )
        .values_list("pk", flat=True)
    )
    return sum(_mail_broadcast(pk, now) for pk in pending)


def _choosing_email(users: QuerySet[PortalUser], category: str) -> QuerySet[PortalUser]:
    """The users whose channel for ``category`` is e-mail at once, chosen or by default."""
    chosen = NotificationPreference.objects.filter(user=OuterRef("pk"), category=category)
    if DEFAULT_CHANNELS[category] == Channel.EMAIL:
        return users.exclude(Exists(chosen.exclude(channel=Channel.EMAIL)))
    return users.filter(Exists(chosen.filter(channel=Channel.EMAIL)))


def _mail_broadcast(pk: int, now: dt.datetime) -> int:
    with transaction.atomic():
        _, created = BroadcastMailing.objects.get_or_create(notification_id=pk)
        if not created:
            return 0
        notification = Notification.objects.select_related("company").get(pk=pk)
        if notification.expires_at is not None and notification.expires_at <= now:
            return 0
        users = PortalUser.objects.filter(
            company=notification.company, customer__isnull=False, is_active=True
        ).exclude(email="")
        if not notification.is_mandatory:
            users = _choosing_email(users, notification.category)
        count = 0
        for user in users.select_related("company").iterator(chunk_size=500):
            if notification.audience in audience_keys(user):
                send_notice_email(notification, user)
                count += 1
        BroadcastMailing.objects.filter(notification_id=pk).update(recipients=count)
        audit.record(
            "notification.mailed", company=notification.company, obj=notification, recipients=count
        )
        return count
