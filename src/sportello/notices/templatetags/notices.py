"""How the bell shows a notification: when it arrived, and a title that fits."""

from __future__ import annotations

import datetime as dt

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def received(moment: dt.datetime | None) -> str:
    """ "2 secondi fa", "3 ore fa", "ieri", "4 giorni fa" (seed 002, 2.1)."""
    if moment is None:
        return ""
    today = timezone.localdate()
    if timezone.localtime(moment).date() == today - dt.timedelta(days=1):
        return _("ieri")
    return str(naturaltime(moment))


@register.filter
def shorten(text: str, length: int) -> str:
    """``text`` cut at ``length`` characters, ending in "..." when cut (seed 002)."""
    if len(text) <= length:
        return text
    return text[: max(length - 3, 1)].rstrip() + "..."
