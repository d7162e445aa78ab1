"""Login in two steps (password, then a code by e-mail), logout, reset and unlock.

The password step leaves in the session only who is logging in, which attempt
this is and when it started; the code is e-mailed through the outbox and lives
on a django-otp e-mail device made for this attempt alone, so a code of an
earlier attempt is worth nothing. The lockout is django-axes' (3 failures,
counted per ``<company slug>/<login>``); the self-service unlock and the reset
both e-mail a single-use link valid one hour, and choosing the new password
through it lifts the lock.
"""

from __future__ import annotations

import enum
import secrets
import time
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import (
    base36_to_int,
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django_otp.plugins.otp_email.models import EmailDevice

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.customers.models import Customer
from sportello.leasing.models import Contract

from .. import emails, throttle
from ..middleware import stamp_login
from ..models import PortalUser

BACKEND = "sportello.accounts.backends.CompanyLoginBackend"

#: Session key of the login waiting for its code.
PENDING = "sportello_pending_login"
#: How long a login may wait for its code (new codes included).
ATTEMPT_SECONDS = 15 * 60
#: Wrong codes after which the attempt is void and the password is asked again.
MAX_CODE_FAILURES = 5
#: Life of a reset or unlock link.
RESET_LINK_SECONDS = 60 * 60


# -- login --------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    """A login whose password was right and whose code is awaited."""

    user_id: int
    attempt: str
    device_id: int
    started: float
    next_url: str = ""


class CodeCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    VOID = "void"  # too many wrong codes, or superseded by a newer attempt
    EXPIRED = "expired"  # no attempt, or it waited too long
    THROTTLED = "throttled"


class NewCode(enum.Enum):
    SENT = "sent"
    TOO_EARLY = "too_early"
    EXPIRED = "expired"


def address_allowed(request: HttpRequest) -> bool:
    """Counts one login attempt from the client's address (30 per 15 minutes)."""
    return throttle.allow(throttle.LOGIN_ADDRESS, request)


@transaction.atomic
def login_failed(request: CompanyRequest, login_name: str) -> None:
    """Audits a refused password; the third in a row locked the account (axes)."""
    user = PortalUser.objects.filter(company=request.company, login=login_name.strip()).first()
    audit.record("login.failed", request=request, obj=user, login=login_name.strip()[:60])
    failures = getattr(request, "axes_failures_since_start", None)
    if user is not None and failures == settings.AXES_FAILURE_LIMIT:
        audit.record("account.locked", request=request, obj=user)


@transaction.atomic
def start_login(request: CompanyRequest, user: PortalUser, next_url: str = "") -> PendingLogin:
    """The password was right: e-mail a code for a new attempt, not logged in yet.

    Any earlier attempt of the user ends here (its device goes, so its code
    too); the session gets a new key and keeps no password.
    """
    # Three *consecutive* failures lock: a right password starts the count again.
    axes_reset(username=user.username)
    EmailDevice.objects.filter(user=user).delete()
    attempt = secrets.token_hex(16)
    device = EmailDevice.objects.create(user=user, name=attempt, email=user.email)
    _send_code(device, user)
    pending = PendingLogin(user.pk, attempt, device.pk, time.time(), safe_next(request, next_url))
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": pending.user_id,
        "attempt": pending.attempt,
        "device": pending.device_id,
        "started": pending.started,
        "next": pending.next_url,
    }
    audit.record("login.code_sent", request=request, actor=user, obj=user)
    return pending


def _send_code(device: EmailDevice, user: PortalUser) -> None:
    device.generate_token(valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY, commit=False)
    device.cooldown_set(commit=False)
    device.save()
    emails.send_login_code(user, str(device.token))


def pending_login(request: HttpRequest) -> PendingLogin | None:
    """The login waiting for its code in this session, if it has not waited too long."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None
    try:
        pending = PendingLogin(
            int(data["user"]),
            str(data["attempt"]),
            int(data["device"]),
            float(data["started"]),
            str(data.get("next") or ""),
        )
    except (KeyError, TypeError, ValueError):
        return None
    if time.time() - pending.started > ATTEMPT_SECONDS:
        return None
    return pending


def pending_user(request: CompanyRequest, pending: PendingLogin) -> PortalUser | None:
    return PortalUser.objects.filter(
        pk=pending.user_id, company=request.company, customer__isnull=False, is_active=True
    ).first()


def safe_next(request: HttpRequest, next_url: str) -> str:
    """Where to go after the login: a path on this host only, never elsewhere."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def abandon_login(request: HttpRequest) -> None:
    """Forget the attempt: the password must be given again."""
    request.session.pop(PENDING, None)


@transaction.atomic
def verify_code(request: CompanyRequest, code: str) -> CodeCheck:
    """Check the code of this session's attempt; on success the user is logged in."""
    pending = pending_login(request)
    user = pending_user(request, pending) if pending is not None else None
    if pending is None or user is None:
        abandon_login(request)
        return CodeCheck.EXPIRED
    if not throttle.allow(throttle.CODE, request, f"user:{user.pk}"):
        abandon_login(request)
        audit.record("otp.throttled", request=request, actor=user, obj=user)
        return CodeCheck.THROTTLED
    device = (
        EmailDevice.objects.select_for_update()
        .filter(pk=pending.device_id, user=user, name=pending.attempt)
        .first()
    )
    if device is None:
        abandon_login(request)
        audit.record("otp.failed", request=request, actor=user, obj=user, reason="superseded")
        return CodeCheck.VOID
    if device.verify_token(code):
        device.delete()
        abandon_login(request)
        throttle.reset(throttle.CODE, request, f"user:{user.pk}")
        log_in(request, user)
        return CodeCheck.OK
    failures = device.throttling_failure_count
    audit.record("otp.failed", request=request, actor=user, obj=user, failures=failures)
    if failures >= MAX_CODE_FAILURES:
        device.delete()
        abandon_login(request)
        return CodeCheck.VOID
    return CodeCheck.WRONG


@transaction.atomic
def send_new_code(request: CompanyRequest) -> tuple[NewCode, int]:
    """A new code for the same attempt, at most one a minute; (outcome, seconds to wait)."""
    pending = pending_login(request)
    user = pending_user(request, pending) if pending is not None else None
    device = (
        EmailDevice.objects.select_for_update()
        .filter(pk=pending.device_id, user=user, name=pending.attempt)
        .first()
        if pending is not None and user is not None
        else None
    )
    if device is None or user is None:
        abandon_login(request)
        return NewCode.EXPIRED, 0
    allowed, details = device.generate_is_allowed()
    if not allowed:
        wait = (details or {}).get("next_generation_at")
        seconds = max(1, int(wait.timestamp() - time.time()) + 1) if wait else 60
        return NewCode.TOO_EARLY, seconds
    _send_code(device, user)
    audit.record("login.code_sent", request=request, actor=user, obj=user, again=True)
    return NewCode.SENT, 0


@transaction.atomic
def log_in(request: HttpRequest, user: PortalUser) -> None:
    """Start the session (a new id) and remember the previous access (A11)."""
    user.previous_login = user.last_login
    user.save(update_fields=["previous_login"])
    login(request, user, backend=BACKEND)
    stamp_login(request)
    audit.record("login", request=request, actor=user, obj=user)


def log_out(request: HttpRequest) -> None:
    """End the session on the server."""
    if request.user.is_authenticated:
        audit.record("logout", request=request, obj=request.user)
    logout(request)


def mask_email(address: str) -> str:
    """``m•••@example.it``: enough to recognise one's address, not to learn it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


# -- reset and unlock ---------------------------------------------------------


class ResetLinkTokens(PasswordResetTokenGenerator):
    """Reset and unlock links: one hour, and single use because the hash
    covers the password (and the last login)."""

    key_salt = "sportello.accounts.reset-link"

    def check_token(self, user: object, token: str | None) -> bool:
        if not token or not super().check_token(user, token):  # type: ignore[arg-type]
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - issued <= RESET_LINK_SECONDS


reset_tokens = ResetLinkTokens()


def reset_link(user: PortalUser) -> str:
    """The link for e-mails, on the company's configured host, never the request's."""
    assert user.company is not None
    path = reverse(
        "accounts:reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": reset_tokens.make_token(user),
        },
    )
    return user.company.absolute_url(path)


@transaction.atomic
def request_reset(request: CompanyRequest, identifier: str) -> bool:
    """E-mail a reset link to the user with this login or e-mail; False if throttled.

    The answer on screen is the same whether anybody matched or not.
    """
    identifier = identifier.strip()
    if not throttle.allow(throttle.RESET, request, f"reset:{identifier.lower()}"):
        audit.record("password.reset_throttled", request=request)
        return False
    users = PortalUser.objects.filter(
        company=request.company, customer__isnull=False, is_active=True
    )
    if "@" in identifier:
        users = users.filter(email__iexact=identifier)
    else:
        users = users.filter(login=identifier)
    found = list(users.order_by("pk")[:10])
    for user in found:
        emails.send_password_reset(user, reset_link(user))
        audit.record("password.reset_requested", request=request, obj=user)
    if not found:
        audit.record("password.reset_requested", request=request, matched=False)
    return True


@transaction.atomic
def request_unlock(
    request: CompanyRequest,
    *,
    tax_id: str,
    contract_number: str = "",
    module_number: str = "",
    customer_code: str = "",
) -> bool:
    """E-mail an unlock link to the main user of the customer these data identify.

    Leasing: contract number + module number + codice fiscale or partita IVA;
    utility: customer code + partita IVA or codice fiscale. False if throttled;
    otherwise the answer on screen is the same whether the data matched or not.
    """
    company = request.company
    key = f"contract:{contract_number}" if company.is_leasing else f"customer:{customer_code}"
    if not throttle.allow(throttle.UNLOCK, request, key):
        audit.record("unlock.throttled", request=request)
        return False
    customers = Customer.objects.filter(company=company).filter(
        Q(codice_fiscale=tax_id) | Q(partita_iva=tax_id)
    )
    if company.is_leasing:
        contract = (
            Contract.objects.filter(
                company=company,
                number=contract_number.strip(),
                module_number=module_number.strip(),
                customer__in=customers,
            )
            .select_related("customer")
            .first()
        )
        customer = contract.customer if contract is not None else None
    else:
        customer = customers.filter(code=customer_code.strip()).first()
    user = (
        PortalUser.objects.filter(customer=customer, parent__isnull=True, is_active=True).first()
        if customer is not None
        else None
    )
    if user is None:
        audit.record("unlock.requested", request=request, matched=False)
        return True
    emails.send_unlock(user, reset_link(user))
    audit.record("unlock.requested", request=request, obj=user)
    return True


def user_for_link(request: CompanyRequest, uidb64: str, token: str) -> PortalUser | None:
    """The user a reset or unlock link is for, if the link is valid on this host."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = PortalUser.objects.filter(
        pk=pk, company=request.company, customer__isnull=False, is_active=True
    ).first()
    if user is None or not reset_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def set_password_from_link(request: CompanyRequest, user: PortalUser, password: str) -> None:
    """The new password: the link dies, the lock goes, every session of the user ends.

    Sessions end because the password is part of their authentication hash;
    the user then logs in like any day, password and code.
    """
    user.set_password(password)
    user.must_change_password = False
    user.temporary_password_expires_at = None
    user.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])
    if is_locked(user):
        audit.record("account.unlocked", request=request, actor=user, obj=user, by="link")
    axes_reset(username=user.username)
    EmailDevice.objects.filter(user=user).delete()
    abandon_login(request)
    audit.record("password.reset", request=request, actor=user, obj=user)


def is_locked(user: PortalUser) -> bool:
    """Whether django-axes refuses the account (3 failures since the last success)."""
    failures = AccessAttempt.objects.filter(username=user.username).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return bool(failures) and failures >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def unlock_by_operator(request: HttpRequest, user: PortalUser) -> bool:
    """An operator lifts the lock (admin action); True if the account was locked."""
    locked = is_locked(user)
    axes_reset(username=user.username)
    if locked:
        audit.record("account.unlocked", request=request, company=user.company, obj=user)
    return locked
