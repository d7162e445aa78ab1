"""One-click unsubscribe (RFC 8058) from the e-mails a customer may stop.

The link carries a signed token naming the user and the categories of the
e-mail it came in; a POST to it, with no cookie and no login, moves those
categories to "in the portal only". Nothing expires: the token only ever
turns e-mails off, and a mailbox provider may press it months later.
Transactional e-mails (codes, resets, request replies) carry no such link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company

from .models import Category, Channel, NotificationPreference

SALT = "sportello.notices.unsubscribe"


@dataclass(frozen=True)
class Unsubscription:
    """Who a valid token stops e-mails for, and which categories."""

    user: PortalUser
    categories: list[str]

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(category).label) for category in self.categories]


def make_token(user: PortalUser, categories: Iterable[str]) -> str:
    return signing.dumps({"u": user.pk, "c": sorted(set(categories))}, salt=SALT, compress=True)


def unsubscribe_url(user: PortalUser, categories: Iterable[str]) -> str:
    path = reverse("notifications_unsubscribe", args=[make_token(user, categories)])
    company = user.company
    assert company is not None  # a customer's user always belongs to a company
    return company.absolute_url(path)


def list_unsubscribe_headers(user: PortalUser, categories: Iterable[str]) -> dict[str, str]:
    """The RFC 8058 headers: a POST to the URL unsubscribes with one click."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, categories)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(company: Company, token: str) -> Unsubscription | None:
    """The user and categories of a token signed by us for a user of ``company``, else None."""
    try:
        data = signing.loads(token, salt=SALT)
        user_id = int(data["u"])
        categories = [Category(category).value for category in data["c"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    user = PortalUser.objects.filter(pk=user_id, company=company, is_active=True).first()
    if user is None or not categories:
        return None
    return Unsubscription(user, categories)


@transaction.atomic
def unsubscribe(origin: Origin, unsubscription: Unsubscription) -> None:
    """Stop the e-mails of the token's categories at once; the bell keeps them."""
    user = unsubscription.user
    for category in unsubscription.categories:
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"channel": Channel.PORTAL}
        )
    audit.record(
        "notifications.unsubscribed",
        origin=origin,
        actor=user,
        company=user.company,
        obj=user,
        categories=unsubscription.categories,
    )
