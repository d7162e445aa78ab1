"""Company broadcasts: operators publish, change and withdraw them; every step is audited.

A broadcast is one ``Notification`` row without a recipient, whatever its
audience: customers match it by the segment keys they belong to and read
receipts are written when they read it. Publishing to 50,000 customers costs
the same few queries as publishing to one (``bench/broadcast_publish.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company

from .models import Audience, Category, Notification, audience_key

#: An Italian province as customers' addresses carry it: its two-letter code.
PROVINCE_CODE = re.compile(r"[A-Z]{2}")

#: The audiences that name something: a product's code, a province's code.
NAMED_AUDIENCES = (Audience.PRODUCT, Audience.PROVINCE)


class BroadcastState(models.TextChoices):
    """Where a broadcast stands now, from its publication and expiry dates."""

    DRAFT = "draft", gettext_lazy("bozza")
    SCHEDULED = "scheduled", gettext_lazy("programmata")
    PUBLISHED = "published", gettext_lazy("pubblicata")
    EXPIRED = "expired", gettext_lazy("scaduta")


def broadcast_state(broadcast: Notification, now: dt.datetime) -> BroadcastState:
    if broadcast.expires_at is not None and broadcast.expires_at <= now:
        return BroadcastState.EXPIRED
    if broadcast.published_at is None:
        return BroadcastState.DRAFT
    if broadcast.published_at > now:
        return BroadcastState.SCHEDULED
    return BroadcastState.PUBLISHED


@dataclasses.dataclass(frozen=True)
class BroadcastContent:
    """What an operator writes: the text in two languages, the audience and the dates.

    ``audience_value`` is the product's code or the province's code for those
    audiences, empty for the others; ``published_at`` None means now.
    """

    title: str
    body: str = ""
    title_en: str = ""
    body_en: str = ""
    link: str = ""
    is_important: bool = False
    audience: Audience = Audience.ALL
    audience_value: str = ""
    published_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None


def split_audience(key: str) -> tuple[str, str]:
    """``"province:MI"`` → ``("province", "MI")``; ``"all"`` → ``("all", "")``."""
    audience, _sep, value = key.partition(":")
    return audience, value


def audience_label(key: str, product_names: Mapping[str, str]) -> str:
    """How the back office names a stored audience: «Clienti di una provincia: MI»."""
    audience, value = split_audience(key)
    try:
        label = str(Audience(audience).label)
    except ValueError:
        return key
    if audience == Audience.PRODUCT:
        value = product_names.get(value, value)
    return f"{label}: {value}" if value else label


def checked_audience(content: BroadcastContent) -> str:
    """The audience's key, once it names what it needs; else ValidationError.

    Which products a company has is the leasing app's business: the back
    office offers only the company's own (a domain app imports no other).
    """
    value = content.audience_value.strip()
    if content.audience not in NAMED_AUDIENCES:
        return audience_key(content.audience)
    if content.audience == Audience.PROVINCE and not PROVINCE_CODE.fullmatch(value):
        raise ValidationError(_("Indica la provincia con la sua sigla di due lettere (es. MI)."))
    if content.audience == Audience.PRODUCT and not value:
        raise ValidationError(_("Scegli uno dei prodotti della società."))
    return audience_key(content.audience, value)


def checked_dates(
    content: BroadcastContent, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime | None]:
    published_at = content.published_at or now
    if content.expires_at is not None and content.expires_at <= published_at:
        raise ValidationError(_("La scadenza deve essere successiva alla pubblicazione."))
    return published_at, content.expires_at


def apply_content(broadcast: Notification, content: BroadcastContent) -> None:
    """Copy the text, the audience and the dates onto ``broadcast``, once they are valid."""
    audience = checked_audience(content)
    published_at, expires_at = checked_dates(content, timezone.now())
    broadcast.audience = audience
    broadcast.published_at, broadcast.expires_at = published_at, expires_at
    broadcast.title, broadcast.body = content.title, content.body
    broadcast.title_en, broadcast.body_en = content.title_en, content.body_en
    broadcast.link, broadcast.is_important = content.link, content.is_important


def audited_facts(broadcast: Notification) -> dict[str, Any]:
    return {
        "audience": broadcast.audience,
        "published_at": broadcast.published_at.isoformat() if broadcast.published_at else None,
        "expires_at": broadcast.expires_at.isoformat() if broadcast.expires_at else None,
        "important": broadcast.is_important,
    }


@transaction.atomic
def publish_broadcast(origin: Origin, company: Company, content: BroadcastContent) -> Notification:
    """A new broadcast of ``company``, live at ``published_at`` (now when not given).

    One row whatever the audience's size: no per-customer row is written.
    """
    broadcast = Notification(company=company, category=Category.BROADCASTS, created_by=origin.user)
    apply_content(broadcast, content)
    broadcast.save()
    audit.record(
        "broadcast.published",
        origin=origin,
        company=company,
        obj=broadcast,
        **audited_facts(broadcast),
    )
    return broadcast


@transaction.atomic
def update_broadcast(
    origin: Origin, broadcast: Notification, content: BroadcastContent
) -> Notification:
    """A broadcast rewritten: text, audience or dates (a later publication re-schedules it)."""
    apply_content(broadcast, content)
    broadcast.save()
    audit.record(
        "broadcast.updated",
        origin=origin,
        company=broadcast.company,
        obj=broadcast,
        **audited_facts(broadcast),
    )
    return broadcast


@transaction.atomic
def withdraw_broadcast(origin: Origin, broadcast: Notification) -> Notification:
    """The broadcast leaves the customers' lists now; an expired one stays as it is."""
    now = timezone.now()
    if broadcast.expires_at is None or broadcast.expires_at > now:
        broadcast.expires_at = now
        broadcast.save(update_fields=["expires_at"])
    audit.record(
        "broadcast.withdrawn",
        origin=origin,
        company=broadcast.company,
        obj=broadcast,
        **audited_facts(broadcast),
    )
    return broadcast


def company_broadcasts(company: Company) -> models.QuerySet[Notification]:
    """``company``'s broadcasts for the back office: drafts and the scheduled first."""
    return (
        Notification.objects.broadcasts()
        .filter(company=company)
        .select_related("company", "created_by")
        .order_by(models.F("published_at").desc(nulls_first=True), "-id")
    )
