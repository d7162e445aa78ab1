"""The user's own profile (A13, A14), the password change (A9) and sub-users (A12).

A sub-user sees its customer's data but never manages users or the customer's
settings: the views only ever reach sub-users through ``parent.sub_users``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from sportello.core import audit
from sportello.core.audit import Origin
from sportello.core.models import Company

from .. import emails, links, throttle
from ..models import PortalUser

#: Wrong guesses of the current password from inside a session (profile, password change).
REAUTHENTICATION = throttle.Limit(
    "reauthentication", per_address=0, per_account=5, window_seconds=900
)


@dataclass(frozen=True)
class ProfileChange:
    """What the profile form may change. ``paper_invoices`` is None for a sub-user."""

    language: str
    email: str
    secondary_email: str
    paper_invoices: bool | None = None


#: What the main user may change of a sub-user (``update_sub_user``).
SUB_USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "secondary_email",
    "language",
    "sees_all_requests",
)


@dataclass(frozen=True)
class SubUserData:
    """A sub-user's personal data as its parent enters it."""

    first_name: str
    last_name: str
    email: str
    secondary_email: str
    language: str
    # J5: every request of the customer, or only those the sub-user opened.
    sees_all_requests: bool = True


@transaction.atomic
def update_profile(origin: Origin, user: PortalUser, change: ProfileChange) -> list[str]:
    """Save the user's settings; a new primary e-mail is announced to the old one.

    Returns the names of what changed. The caller has re-authenticated the
    user when the primary e-mail changes.
    """
    old_email = user.email
    changed = [
        name
        for name in ("language", "email", "secondary_email")
        if getattr(user, name) != getattr(change, name)
    ]
    for name in changed:
        setattr(user, name, getattr(change, name))
    if changed:
        user.save(update_fields=changed)
    if "email" in changed:
        if old_email:
            emails.send_email_changed(user, old_email)
        audit.record("email.changed", origin=origin, obj=user, old=old_email, new=user.email)
    customer = user.customer
    if (
        change.paper_invoices is not None
        and not user.is_sub_user
        and customer is not None
        and customer.paper_invoices != change.paper_invoices
    ):
        customer.paper_invoices = change.paper_invoices
        customer.save(update_fields=["paper_invoices"])
        changed.append("paper_invoices")
        audit.record(
            "paper_invoices.changed",
            origin=origin,
            obj=customer,
            paper_invoices=customer.paper_invoices,
        )
    if changed:
        audit.record("profile.updated", origin=origin, obj=user, fields=changed)
    return changed


@transaction.atomic
def change_password(origin: Origin, user: PortalUser, new_password: str) -> None:
    """Set the new password; every session of the user ends (the caller keeps its own
    with ``update_session_auth_hash``). The user is told by e-mail in case it was not them.
    """
    user.set_definitive_password(new_password)
    emails.send_password_changed(user)
    audit.record("password.changed", origin=origin, obj=user)


def next_sub_user_login(parent: PortalUser) -> str:
    """``<parent>.<n>`` with n one more than the highest ever in use (10093.1, 10093.2 …).

    Numbers are not reused while a higher one exists, so a deleted sub-user's
    login does not come back for someone else next to a live one.
    """
    prefix = f"{parent.login}."
    logins = PortalUser.objects.filter(
        company=parent.company, login__startswith=prefix
    ).values_list("login", flat=True)
    numbers = [int(s) for s in (login.removeprefix(prefix) for login in logins) if s.isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _send_welcome(user: PortalUser) -> None:
    # Single use: the token dies with the unusable password it was made from.
    link = links.signed_link(user, "accounts:sub_user_set_password", links.welcome_tokens)
    emails.send_sub_user_welcome(user, link)


@transaction.atomic
def create_sub_user(origin: Origin, parent: PortalUser, data: SubUserData) -> PortalUser:
    """A new sub-user of ``parent``'s customer, with a welcome e-mail to set its password."""
    # Serialise the numbering of one parent's sub-users.
    parent = PortalUser.objects.select_for_update().get(pk=parent.pk, parent__isnull=True)
    sub_user = PortalUser(
        company_id=parent.company_id,
        customer_id=parent.customer_id,
        parent=parent,
        login=next_sub_user_login(parent),
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        secondary_email=data.secondary_email,
        language=data.language,
        sees_all_requests=data.sees_all_requests,
    )
    sub_user.set_unusable_password()
    sub_user.save()
    _send_welcome(sub_user)
    audit.record(
        "sub_user.created",
        origin=origin,
        obj=sub_user,
        parent=parent.login,
        sees_all_requests=sub_user.sees_all_requests,
    )
    return sub_user


@transaction.atomic
def update_sub_user(origin: Origin, sub_user: PortalUser, data: SubUserData) -> list[str]:
    """Save the parent's changes; a sub-user who never set a password gets a new
    welcome link at its new address (the old link stops working)."""
    changed = [name for name in SUB_USER_FIELDS if getattr(sub_user, name) != getattr(data, name)]
    if not changed:
        return changed
    for name in changed:
        setattr(sub_user, name, getattr(data, name))
    sub_user.save(update_fields=changed)
    if "email" in changed and not sub_user.has_usable_password():
        _send_welcome(sub_user)
    audit.record("sub_user.updated", origin=origin, obj=sub_user, fields=changed)
    return changed


@transaction.atomic
def delete_sub_user(origin: Origin, sub_user: PortalUser) -> None:
    """Remove the sub-user. Its sessions end with it: they can no longer load a user."""
    parent = sub_user.parent.login if sub_user.parent else ""
    audit.record("sub_user.deleted", origin=origin, obj=sub_user, parent=parent)
    sub_user.delete()


@transaction.atomic
def set_sub_user_password(origin: Origin, sub_user: PortalUser, password: str) -> None:
    """The sub-user's first password, through its welcome link (which then stops working)."""
    sub_user.set_definitive_password(password)
    audit.record("sub_user.password_set", origin=origin, actor=sub_user, obj=sub_user)


def welcome_link_user(company: Company, uidb64: str, token: str) -> PortalUser | None:
    """The sub-user a welcome link is for, among this company's sub-users only."""
    users = PortalUser.objects.filter(company=company, parent__isnull=False)
    return links.user_for_link(users, uidb64, token, links.welcome_tokens)
