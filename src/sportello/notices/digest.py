"""The daily digest (F3): at 07:00 Europe/Rome, one e-mail per user with what arrived.

Each user's ``DigestCursor`` says up to when the last digest covered; a digest
covers from there to this morning's 07:00 and moves the cursor in the same
transaction, by an update that only one run can win: never a repeat, safe to
run twice, and a day the job missed is covered by the next digest. Notices
already read in the portal are left out, and an empty digest is not sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from sportello.accounts.models import PortalUser
from sportello.core.outbox import queue_templated_email

from .delivery import audience_keys, notice_link
from .models import (
    Category,
    Channel,
    DigestCursor,
    Notification,
    NotificationPreference,
    NotificationRead,
)
from .unsubscribe import list_unsubscribe_headers

ROME = ZoneInfo("Europe/Rome")
DIGEST_TIME = dt.time(7, 0)


def digest_cut(now: dt.datetime) -> dt.datetime:
    """The latest 07:00 in Rome at or before ``now`` (summer or winter time alike)."""
    day = now.astimezone(ROME).date()
    cut = dt.datetime.combine(day, DIGEST_TIME, tzinfo=ROME)
    if cut > now:
        cut = dt.datetime.combine(day - dt.timedelta(days=1), DIGEST_TIME, tzinfo=ROME)
    return cut


@dataclass
class DigestSection:
    category: str
    label: str
    items: list[tuple[Notification, str, str]] = field(default_factory=list)


def digest_notifications(
    user: PortalUser, since: dt.datetime, until: dt.datetime
) -> list[Notification]:
    """What ``user`` should find in a digest covering (since, until]: the personal
    notices and the broadcasts of its digest categories, not mandatory (those went at
    once), not read yet."""
    channels = NotificationPreference.objects.channels_for(user)
    categories = [category for category, channel in channels.items() if channel == Channel.DIGEST]
    if not categories:
        return []
    own = Q(recipient=user)
    if user.parent_id and not user.sees_all_requests:
        own &= Q(request__isnull=True) | Q(request__author=user)
    broadcasts = Q(
        recipient__isnull=True,
        company_id=user.company_id,
        audience__in=sorted(audience_keys(user)),
    ) & (Q(expires_at__isnull=True) | Q(expires_at__gt=until))
    read = NotificationRead.objects.filter(notification=OuterRef("pk"), user=user)
    return list(
        Notification.objects.filter(own | broadcasts)
        .filter(
            category__in=categories,
            is_mandatory=False,
            published_at__gt=since,
            published_at__lte=until,
        )
        .exclude(Exists(read))
        .select_related("company", "request")
        .order_by("published_at", "pk")
    )


def sections(notifications: Iterable[Notification], language: str) -> list[DigestSection]:
    """The digest's notices grouped by category, in the categories' order, with
    each one's link and link text in ``language``."""
    with translation.override(language):
        by_category = {
            category.value: DigestSection(category.value, str(category.label))
            for category in Category
        }
        for notification in notifications:
            url, link_text = notice_link(notification)
            by_category[notification.category].items.append((notification, url, link_text))
    return [section for section in by_category.values() if section.items]


def send_digest(user: PortalUser, cut: dt.datetime) -> bool:
    """Queue ``user``'s digest up to ``cut`` unless another run did or it would be empty."""
    with transaction.atomic():
        first = max(user.date_joined, cut - dt.timedelta(days=1))
        cursor, _ = DigestCursor.objects.get_or_create(user=user, defaults={"sent_until": first})
        since = cursor.sent_until
        if since >= cut:
            return False
        if not DigestCursor.objects.filter(pk=cursor.pk, sent_until=since).update(sent_until=cut):
            return False
        notifications = digest_notifications(user, since, cut)
        if not notifications:
            return False
        categories = {notification.category for notification in notifications}
        headers = list_unsubscribe_headers(user, categories)
        queue_templated_email(
            "digest",
            # A digest with request notices goes where request notices go (seed 003).
            to=[user.notification_email if Category.REQUESTS in categories else user.email],
            context={
                "user": user,
                "day": cut.astimezone(ROME).date(),
                "sections": sections(notifications, user.language),
                "unsubscribe_url": headers["List-Unsubscribe"][1:-1],
            },
            company=user.company,
            language=user.language,
            headers=headers,
        )
        return True


def send_digests(now: dt.datetime | None = None) -> int:
    """Every user's digest due by ``now``; how many were sent.

    The users whose cursor already reached this morning's 07:00 are skipped
    in the query, so a second run the same day reads no notices at all.
    """
    cut = digest_cut(now or timezone.now())
    users = (
        PortalUser.objects.filter(is_active=True, customer__isnull=False, date_joined__lt=cut)
        .exclude(email="")
        .exclude(digest_cursor__sent_until__gte=cut)
        .select_related("company")
        .order_by("pk")
    )
    return sum(send_digest(user, cut) for user in users.iterator(chunk_size=500))
