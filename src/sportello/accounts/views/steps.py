"""The session's side of the two login steps, shared by customers and operators.

The services decide (password, code, throttles); these helpers keep in the
session only who is logging in, which attempt this is and when it started,
and open the session once the code is right.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_email.models import EmailDevice

from sportello.core.audit import Origin

from ..middleware import stamp_login
from ..models import PortalUser
from ..services import login as services
from ..services.login import PendingLogin

#: Session keys of a customer's and an operator's login waiting for its code.
CUSTOMER = "sportello_pending_login"
OPERATOR = "sportello_pending_operator_login"

CUSTOMER_BACKEND = "sportello.accounts.backends.CompanyLoginBackend"
OPERATOR_BACKEND = "django.contrib.auth.backends.ModelBackend"


def remember(request: HttpRequest, key: str, pending: PendingLogin, next_url: str) -> None:
    """A new session id, and the attempt in it (never the password)."""
    request.session.cycle_key()
    request.session[key] = {
        "user": pending.user_id,
        "attempt": pending.attempt,
        "device": pending.device_id,
        "started": pending.started,
        "next": safe_next(request, next_url),
    }


def pending(request: HttpRequest, key: str) -> tuple[PendingLogin, str] | None:
    """The attempt waiting in this session and where to go after it, unless too old."""
    data: Any = request.session.get(key)
    if not isinstance(data, dict):
        return None
    try:
        attempt = PendingLogin(
            int(data["user"]), str(data["attempt"]), int(data["device"]), float(data["started"])
        )
    except (KeyError, TypeError, ValueError):
        return None
    if attempt.expired:
        return None
    return attempt, str(data.get("next") or "")


def abandon(request: HttpRequest, key: str) -> None:
    """Forget the attempt: the password must be given again."""
    request.session.pop(key, None)


def safe_next(request: HttpRequest, next_url: str) -> str:
    """Where to go after the login: a path on this host only, never elsewhere."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def complete_login(
    request: HttpRequest, key: str, user: PortalUser, device: EmailDevice, backend: str
) -> None:
    """The code was right: record it and open the session (a new id).

    An operator's session keeps the device that verified it (django-otp's
    ``is_verified()``, which the admin asks for); a customer's needs no such
    proof on every request, so its device, spent, goes.
    """
    abandon(request, key)
    services.log_in(Origin.of(request), user)
    if backend == OPERATOR_BACKEND:
        # django-otp's login signal stores the device in the session.
        user.otp_device = device  # type: ignore[attr-defined]
    else:
        device.delete()
    login(request, user, backend=backend)
    stamp_login(request)
