"""The session's side of the two login steps, shared by customers and operators.

The services decide (password, code, throttles); these helpers keep in the
session only who is logging in, which attempt this is and when it started,
and open the session once the code is right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_email.models import EmailDevice

from sportello.core.audit import Origin

from .. import throttle
from ..forms.login import CodeForm
from ..middleware import stamp_login
from ..models import PortalUser
from ..services import login as services
from ..services.login import CodeCheck, NewCode, PendingLogin

#: Session keys of a customer's and an operator's login waiting for its code.
CUSTOMER = "sportello_pending_login"
OPERATOR = "sportello_pending_operator_login"

CUSTOMER_BACKEND = "sportello.accounts.backends.CompanyLoginBackend"
OPERATOR_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Door:
    """One way into the portal: the customers' (on a company host) or the operators'."""

    key: str  # the session key of the attempt
    backend: str
    login_url: str  # where an attempt that is over starts again
    code_url: str
    home_url: str  # where a login without ``next`` lands
    operator: bool = False


CUSTOMER_DOOR = Door(CUSTOMER, CUSTOMER_BACKEND, "accounts:login", "accounts:otp", "portal:home")
OPERATOR_DOOR = Door(
    OPERATOR, OPERATOR_BACKEND, "admin:login", "operator_otp", "admin:index", operator=True
)


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


def pending_attempt(request: HttpRequest, door: Door) -> tuple[PendingLogin, PortalUser, str]:
    """The attempt of this session, its user and where to go next; LookupError if none."""
    found = pending(request, door.key)
    company = getattr(request, "company", None)
    user = (
        services.pending_user(company, found[0], operator=door.operator)
        if found is not None
        else None
    )
    if found is None or user is None:
        abandon(request, door.key)
        raise LookupError
    return found[0], user, found[1]


def restart_message(outcome: CodeCheck, wait: int = 0) -> str:
    if outcome is CodeCheck.THROTTLED:
        return throttle.wait_message_restart(wait)
    if outcome is CodeCheck.VOID:
        return _("Il codice non è più valido: inserisci di nuovo username e password.")
    return _("Il tempo per inserire il codice è scaduto: accedi di nuovo.")


def restart(request: HttpRequest, door: Door, outcome: CodeCheck, wait: int = 0) -> HttpResponse:
    """The attempt is over: back to the password, saying why."""
    abandon(request, door.key)
    messages.warning(request, restart_message(outcome, wait))
    return redirect(door.login_url)


def code_step(
    request: HttpRequest,
    door: Door,
    page: Callable[[CodeForm, PortalUser], HttpResponse],
) -> HttpResponseBase:
    """Step 2 for either door: check the e-mailed code, then open the session.

    ``page`` renders the form (each door has its own look).
    """
    try:
        attempt, user, next_url = pending_attempt(request, door)
    except LookupError:
        return restart(request, door, CodeCheck.EXPIRED)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = services.verify_code(Origin.of(request), attempt, user, form.cleaned_data["code"])
        if result.outcome is CodeCheck.OK:
            assert result.device is not None
            complete_login(request, door.key, user, result.device, door.backend)
            return redirect(next_url or door.home_url)
        if result.outcome is not CodeCheck.WRONG:
            return restart(request, door, result.outcome, result.wait_seconds)
        form.wrong_code()
    return page(form, user)


def resend_code(request: HttpRequest, door: Door) -> HttpResponseBase:
    """«Invia un nuovo codice», at most once a minute, for either door."""
    try:
        attempt, user, _next = pending_attempt(request, door)
    except LookupError:
        return restart(request, door, CodeCheck.EXPIRED)
    outcome, seconds = services.send_new_code(Origin.of(request), attempt, user)
    if outcome is NewCode.EXPIRED:
        return restart(request, door, CodeCheck.EXPIRED)
    if outcome is NewCode.TOO_EARLY:
        messages.warning(
            request,
            _("Puoi chiedere un nuovo codice tra %(seconds)s secondi.") % {"seconds": seconds},
        )
    else:
        messages.success(request, _("Ti abbiamo inviato un nuovo codice."))
    return redirect(door.code_url)
