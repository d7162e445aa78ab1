from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import reading


def bell(request: HttpRequest) -> dict[str, Any]:
    """The header's badge, counted only when a page shows the bell (one query)."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "customer_id", None):
        return {}
    return {
        "bell": SimpleLazyObject(lambda: reading.badge(user)),
        "bell_poll_seconds": settings.NOTIFICATIONS_POLL_SECONDS,
    }
