"""The customer's notifications: what is unread, the badge's state, reading them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q

from . import hooks
from .models import Notification, NotificationQuerySet, NotificationRead

#: How many notifications the bell's pop-up shows (seed 002, 2.1).
BELL_SIZE = 5


class Kind:
    """The list's "kind" filter: a company broadcast or a service-desk message."""

    BROADCAST = "broadcast"
    REQUEST = "request"


def visible(user: Any) -> NotificationQuerySet:
    """Every notification ``user`` may see now, each with ``is_read``."""
    read = NotificationRead.objects.filter(notification=OuterRef("pk"), user=user)
    return Notification.objects.for_user(user, hooks.audience_keys(user)).annotate(
        is_read=Exists(read)
    )


def chosen(user: Any, unread_only: bool = False, kind: str = "") -> NotificationQuerySet:
    """The user's notifications as the list's filters choose them, newest first."""
    rows = visible(user)
    if unread_only:
        rows = rows.filter(Q(is_read=False))
    if kind == Kind.BROADCAST:
        rows = rows.filter(recipient__isnull=True)
    elif kind == Kind.REQUEST:
        rows = rows.filter(request__isnull=False)
    return rows.select_related("company", "request").order_by("-published_at", "-pk")


@dataclass(frozen=True)
class Badge:
    unread: int
    newest_id: int

    @property
    def etag(self) -> str:
        # A new notice changes the newest id; reading one changes the count.
        return f"{self.unread}-{self.newest_id}"


def badge(user: Any) -> Badge:
    """The unread count and the newest visible id, in one query whatever the history."""
    figures = visible(user).aggregate(unread=Count("pk", filter=Q(is_read=False)), newest=Max("pk"))
    return Badge(figures["unread"] or 0, figures["newest"] or 0)


def latest(user: Any) -> list[Notification]:
    return list(chosen(user)[:BELL_SIZE])


def mark_read(notification: Notification, user: Any) -> None:
    NotificationRead.objects.get_or_create(notification=notification, user=user)


def mark_all_read(rows: NotificationQuerySet, user: Any) -> int:
    """Reads every unread notification of ``rows`` (the list's current filter):
    one insert whatever their number. Returns how many were unread."""
    ids = list(rows.filter(Q(is_read=False)).values_list("pk", flat=True))
    NotificationRead.objects.bulk_create(
        [NotificationRead(notification_id=pk, user=user) for pk in ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return len(ids)


def was_visible(user: Any, pk: int) -> bool:
    """Whether notification ``pk`` is one ``user`` may have seen: a published broadcast of
    its company (since withdrawn, expired or out of its segments) or its own notice
    (since hidden by the sub-user rule). Another customer's is not: that stays a 404."""
    if not getattr(user, "customer_id", None):
        return False
    return (
        Notification.objects.filter(pk=pk, published_at__isnull=False)
        .filter(Q(recipient=user) | Q(recipient__isnull=True, company_id=user.company_id))
        .exists()
    )
