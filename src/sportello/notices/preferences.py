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
    changed = {
        Category(category).value: Channel(channel).value
        for category, channel in channels.items()
        if before[category] != channel
    }
    # One statement whatever the number of categories.
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, category=category, channel=channel)
            for category, channel in changed.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "category"],
        update_fields=["channel", "updated_at"],
    )
    if changed:
        audit.record(
            "notifications.preferences_changed",
            origin=origin,
            obj=user,
            channels=changed,
        )
    return list(changed)
