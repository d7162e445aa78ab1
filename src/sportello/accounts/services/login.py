"""Login in two steps (password, then a code by e-mail), reset and unlock.

The same steps serve customers (on their company's portal) and operators (at
``/admin/``): a right password starts an *attempt*, whose code is e-mailed
through the outbox and lives on a django-otp e-mail device made for this
attempt alone, so a code of an earlier attempt is worth nothing. The lockout
is django-axes' (3 failures, counted per ``username``); the self-service
unlock and the reset both e-mail a single-use link valid one hour, and
choosing the new password through it lifts the lock.

These functions take who acts from where (``audit.Origin``), never the
request: the views keep the session (the attempt waiting for its code, the
session key, ``login()`` and ``logout()``).
"""

from __future__ import annotations

import enum
import logging
import secrets
import time
import uuid
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django_otp.plugins.otp_email.models import EmailDevice
from kombu.exceptions import OperationalError as BrokerUnavailable

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company

from .. import emails, links, throttle
from ..models import PortalUser

logger = logging.getLogger(__name__)

#: How long a login may wait for its code (new codes included).
ATTEMPT_SECONDS = 15 * 60
#: Wrong codes after which the attempt is void and the password is asked again.
MAX_CODE_FAILURES = 5


# -- login --------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    """A login whose password was right and whose code is awaited."""

    user_id: int
    attempt: str
    device_id: int
    started: float

    @property
    def expired(self) -> bool:
        return time.time() - self.started > ATTEMPT_SECONDS


class CodeCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    VOID = "void"  # too many wrong codes, or superseded by a newer attempt
    EXPIRED = "expired"  # no attempt, or it waited too long
    THROTTLED = "throttled"


@dataclass(frozen=True)
class CodeResult:
    """What the code step found; ``device`` (OK only) is what verified the user."""

    outcome: CodeCheck
    device: EmailDevice | None = None
    wait_seconds: int = 0


class NewCode(enum.Enum):
    SENT = "sent"
    TOO_EARLY = "too_early"
    EXPIRED = "expired"


def address_wait(origin: Origin) -> int:
    """Seconds the client's address must wait after too many wrong passwords (0: none)."""
    return throttle.wait_seconds(throttle.LOGIN_ADDRESS, origin)


@transaction.atomic
def login_failed(
    origin: Origin, login_name: str, failures: int | None = None, *, operator: bool = False
) -> None:
    """A refused password: counted against the address, audited; the third in a
    row locked the account (``failures`` is django-axes' count)."""
    throttle.count(throttle.LOGIN_ADDRESS, origin)
    name = login_name.strip()
    users = PortalUser.objects.all()
    user = (
        users.filter(username=name, is_staff=True)
        if operator
        else users.filter(company=origin.company, login=name)
    ).first()
    audit.record("login.failed", origin=origin, obj=user, login=name[:60])
    if user is not None and failures == settings.AXES_FAILURE_LIMIT:
        audit.record("account.locked", origin=origin, obj=user)


@transaction.atomic
def start_login(origin: Origin, user: PortalUser) -> PendingLogin:
    """The password was right: e-mail a code for a new attempt, not logged in yet.

    Any earlier attempt of the user ends here (its device goes, so its code
    too, and an operator's session verified by it must pass a code again).
    """
    # Three *consecutive* failures lock: a right password starts the count again.
    axes_reset(username=user.username)
    EmailDevice.objects.filter(user=user).delete()
    attempt = secrets.token_hex(16)
    device = EmailDevice.objects.create(user=user, name=attempt, email=user.email)
    _send_code(device, user)
    audit.record("login.code_sent", origin=origin, actor=user, obj=user)
    return PendingLogin(user.pk, attempt, device.pk, time.time())


def _send_code(device: EmailDevice, user: PortalUser) -> None:
    device.generate_token(valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY, commit=False)
    device.cooldown_set(commit=False)
    device.save()
    emails.send_login_code(user, str(device.token))


def pending_user(
    company: Company | None, pending: PendingLogin, *, operator: bool = False
) -> PortalUser | None:
    """The user of a pending attempt: a customer of ``company``, or an operator."""
    users = PortalUser.objects.filter(pk=pending.user_id, is_active=True)
    if operator:
        return users.filter(is_staff=True).first()
    return users.filter(company=company, customer__isnull=False).first()


def _code_key(user: PortalUser) -> str:
    return f"user:{user.pk}"


@transaction.atomic
def verify_code(origin: Origin, pending: PendingLogin, user: PortalUser, code: str) -> CodeResult:
    """Check the code of this attempt. OK: the caller logs the user in (``log_in``).

    Only a wrong code counts against the limits, per account and per address
    (within the company); a right one clears the account's count.
    """
    if pending.expired:
        return CodeResult(CodeCheck.EXPIRED)
    wait = throttle.wait_seconds(throttle.CODE, origin, _code_key(user))
    if wait:
        audit.record("otp.throttled", origin=origin, actor=user, obj=user)
        return CodeResult(CodeCheck.THROTTLED, wait_seconds=wait)
    device = (
        EmailDevice.objects.select_for_update()
        .filter(pk=pending.device_id, user=user, name=pending.attempt)
        .first()
    )
    if device is None:
        audit.record("otp.failed", origin=origin, actor=user, obj=user, reason="superseded")
        return CodeResult(CodeCheck.VOID)
    # verify_token clears the code on success: it works once. The device stays
    # for the caller: an operator's session keeps it as the proof that it passed
    # the code (django-otp's is_verified); a customer's login deletes it.
    if device.verify_token(code):
        throttle.forget(throttle.CODE, origin, _code_key(user))
        return CodeResult(CodeCheck.OK, device=device)
    throttle.count(throttle.CODE, origin, _code_key(user))
    failures = device.throttling_failure_count
    audit.record("otp.failed", origin=origin, actor=user, obj=user, failures=failures)
    if failures >= MAX_CODE_FAILURES:
        device.delete()
        return CodeResult(CodeCheck.VOID)
    return CodeResult(CodeCheck.WRONG)


@transaction.atomic
def send_new_code(origin: Origin, pending: PendingLogin, user: PortalUser) -> tuple[NewCode, int]:
    """A new code for the same attempt, at most one a minute; (outcome, seconds to wait)."""
    device = (
        EmailDevice.objects.select_for_update()
        .filter(pk=pending.device_id, user=user, name=pending.attempt)
        .first()
    )
    if device is None or pending.expired:
        return NewCode.EXPIRED, 0
    allowed, details = device.generate_is_allowed()
    if not allowed:
        wait = (details or {}).get("next_generation_at")
        seconds = max(1, int(wait.timestamp() - time.time()) + 1) if wait else 60
        return NewCode.TOO_EARLY, seconds
    _send_code(device, user)
    audit.record("login.code_sent", origin=origin, actor=user, obj=user, again=True)
    return NewCode.SENT, 0


@transaction.atomic
def log_in(origin: Origin, user: PortalUser) -> None:
    """Record the login: the previous access (A11) and the audit log.

    The caller then opens the session (``django.contrib.auth.login``).
    """
    user.previous_login = user.last_login
    user.save(update_fields=["previous_login"])
    audit.record("login", origin=origin, actor=user, obj=user)


def log_out(origin: Origin, user: PortalUser) -> None:
    """Record the logout; the caller ends the session."""
    audit.record("logout", origin=origin, actor=user, obj=user)


def mask_email(address: str) -> str:
    """``m•••@example.it``: enough to recognise one's address, not to learn it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


# -- reset and unlock ---------------------------------------------------------
#
# Whether the data name an account must not show, neither in the answer nor
# in its timing: the request only counts the throttle and hands the data to a
# task (accounts.tasks), which looks the account up and queues the e-mail. The
# request does the same work whoever the data name.


def request_reset(origin: Origin, identifier: str) -> int:
    """«Password dimenticata?»: 0 when the request is taken, else seconds to wait.

    The e-mail to the user with this login or e-mail, if any, is the task's.
    """
    from ..tasks import send_reset_link

    identifier = identifier.strip()
    wait = throttle.wait_seconds(throttle.RESET, origin, f"reset:{identifier}")
    if wait:
        audit.record("password.reset_throttled", origin=origin)
        return wait
    throttle.count(throttle.RESET, origin, f"reset:{identifier}")
    _dispatch(send_reset_link, origin, identifier=identifier)
    return 0


def request_unlock(
    origin: Origin,
    *,
    tax_id: str,
    contract_number: str = "",
    module_number: str = "",
    customer_code: str = "",
) -> int:
    """«Login bloccata»: 0 when the request is taken, else seconds to wait.

    Leasing: contract number + module number + codice fiscale or partita IVA;
    utility: customer code + partita IVA or codice fiscale. The e-mail to the
    customer's main user, if the data identify one, is the task's.
    """
    from ..tasks import send_unlock_link

    company = origin.company
    assert company is not None
    key = f"contract:{contract_number}" if company.is_leasing else f"customer:{customer_code}"
    wait = throttle.wait_seconds(throttle.UNLOCK, origin, key)
    if wait:
        audit.record("unlock.throttled", origin=origin)
        return wait
    throttle.count(throttle.UNLOCK, origin, key)
    _dispatch(
        send_unlock_link,
        origin,
        tax_id=tax_id,
        contract_number=contract_number,
        module_number=module_number,
        customer_code=customer_code,
    )
    return 0


def _dispatch(task: object, origin: Origin, **data: str) -> None:
    """Send the look-up task at once: it needs nothing this request writes.

    ``request_id`` lets the task run twice (a redelivery) and e-mail once. If
    the broker is down the look-up runs here instead, so the request is not
    lost: its e-mail waits in the outbox like any other. The page then takes
    longer for a known account than for an unknown one, during the outage only.
    """
    kwargs = {
        "request_id": uuid.uuid4().hex,
        "company_id": origin.company_id,
        "ip_address": origin.ip_address,
        **data,
    }
    try:
        task.delay(**kwargs)  # type: ignore[attr-defined]
    except BrokerUnavailable as exc:
        logger.warning("Broker unavailable, running %s in the request: %r", task, exc)
        task.apply(kwargs=kwargs)  # type: ignore[attr-defined]


@transaction.atomic
def send_reset_link(origin: Origin, identifier: str) -> PortalUser | None:
    """The task's half of the reset: e-mail a link to the user so named, if any."""
    users = PortalUser.objects.filter(
        company=origin.company, customer__isnull=False, is_active=True
    )
    if "@" in identifier:
        users = users.filter(email__iexact=identifier)
    else:
        users = users.filter(login=identifier)
    found = list(users.order_by("pk")[:10])
    for user in found:
        emails.send_password_reset(
            user, links.signed_link(user, "accounts:reset_confirm", links.reset_tokens)
        )
        audit.record("password.reset_requested", origin=origin, obj=user)
    if not found:
        audit.record("password.reset_requested", origin=origin, matched=False)
    return found[0] if found else None


@transaction.atomic
def send_unlock_link(
    origin: Origin,
    *,
    tax_id: str,
    contract_number: str = "",
    module_number: str = "",
    customer_code: str = "",
) -> PortalUser | None:
    """The task's half of the unlock: e-mail the link to the main user the data identify."""
    from .identification import identified_customer

    assert origin.company is not None
    customer = identified_customer(
        origin.company,
        tax_id=tax_id,
        contract_number=contract_number,
        module_number=module_number,
        customer_code=customer_code,
    )
    user = (
        PortalUser.objects.filter(customer=customer, parent__isnull=True, is_active=True).first()
        if customer is not None
        else None
    )
    if user is None:
        audit.record("unlock.requested", origin=origin, matched=False)
        return None
    emails.send_unlock(user, links.signed_link(user, "accounts:reset_confirm", links.reset_tokens))
    audit.record("unlock.requested", origin=origin, obj=user)
    return user


def user_for_link(company: Company, uidb64: str, token: str) -> PortalUser | None:
    """The user a reset or unlock link is for, if the link is valid on this company's host."""
    users = PortalUser.objects.filter(company=company, customer__isnull=False)
    return links.user_for_link(users, uidb64, token, links.reset_tokens)


@transaction.atomic
def set_password_from_link(origin: Origin, user: PortalUser, password: str) -> None:
    """The new password: the link dies, the lock goes, every session of the user ends.

    Sessions end because the password is part of their authentication hash;
    the user then logs in like any day, password and code.
    """
    user.set_definitive_password(password)
    if is_locked(user):
        audit.record("account.unlocked", origin=origin, actor=user, obj=user, by="link")
    axes_reset(username=user.username)
    EmailDevice.objects.filter(user=user).delete()
    audit.record("password.reset", origin=origin, actor=user, obj=user)


def is_locked(user: PortalUser) -> bool:
    """Whether django-axes refuses the account (3 failures since the last success)."""
    failures = AccessAttempt.objects.filter(username=user.username).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return bool(failures) and failures >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def unlock_by_operator(origin: Origin, user: PortalUser) -> bool:
    """An operator lifts the lock (admin action); True if the account was locked."""
    locked = is_locked(user)
    axes_reset(username=user.username)
    if locked:
        audit.record("account.unlocked", origin=origin, company=user.company, obj=user)
    return locked
