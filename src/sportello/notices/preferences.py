"""The user's choice of channel per category (F3), as the profile page changes it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sportello.accounts.models import PortalUser
from sportello.core import audit
from sportello.core.audit import Origin

from .models import Category, Channel, NotificationPreference

#: What the law requires the company to send: e-mailed at once whatever the
#: preferences, shown on the profile as "obbligatoria".
MANDATORY_MESSAGES = [
    _("Risposte ai reclami"),
    _("Comunicazioni contrattuali e di trasparenza"),
]


@transaction.atomic
def set_channels(origin: Origin, user: PortalUser, channels: dict[str, str]) -> list[str]:
    """Store ``user``'s channel for each category given; the categories that changed."""
    before = NotificationPreference.objects.channels_for(user)
    changed = []
    for category, channel in channels.items():
        category, channel = Category(category).value, Channel(channel).value
        if before[category] == channel:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"channel": channel}
        )
        changed.append(category)
    if changed:
        audit.record(
            "notifications.preferences_changed",
            origin=origin,
            obj=user,
            channels={category: channels[category] for category in changed},
        )
    return changed
