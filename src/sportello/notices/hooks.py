"""What the notices app needs from the floors above it, handed in by the portal.

A broadcast reaches the customers of a segment (product, province, overdue
payments, supply points), and a notice opens a request or an invoice: contracts,
schedules, supply points, requests and invoices live above this app, so the
portal (the top floor) registers the two functions at start-up
(``PortalConfig.ready``) instead of this app importing upwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Notification

#: ``user -> audience keys`` of the user's customer (``models.audience_key`` values).
AudienceKeys = Callable[[Any], list[str]]
#: ``(notification, user) -> URL`` of its request or invoice; None when gone or no
#: longer visible to the user; "" when it has no object (a broadcast).
TargetUrl = Callable[[Notification, Any], str | None]


def _everyone(user: Any) -> list[str]:
    return ["all"]


def _no_target(notification: Notification, user: Any) -> str | None:
    return ""


_registered: dict[str, Any] = {"audience_keys": _everyone, "target_url": _no_target}


def register(audience_keys: AudienceKeys, target_url: TargetUrl) -> None:
    _registered["audience_keys"] = audience_keys
    _registered["target_url"] = target_url


def audience_keys(user: Any) -> list[str]:
    keys: list[str] = _registered["audience_keys"](user)
    return keys


def target_url(notification: Notification, user: Any) -> str | None:
    url: str | None = _registered["target_url"](notification, user)
    return url
