"""The user's own profile (A13, A14), the password change (A9) and sub-users (A12).

A sub-user sees its customer's data but never manages users or the customer's
settings: the views only ever reach sub-users through ``parent.sub_users``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sportello.core import audit
from sportello.core.models import Company

from .. import emails, throttle
from ..models import PortalUser


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens under a salt of their own, so a welcome link and a
    password-reset link can never stand in for each other."""

    key_salt = "sportello.accounts.sub_user_welcome"


welcome_token_generator = WelcomeTokenGenerator()

#: Guesses of the current password from inside a session (profile, password change).
REAUTHENTICATION = throttle.Limit("reauthentication", attempts=5, window_seconds=900)


@dataclass(frozen=True)
class ProfileChange:
    """What the profile form may change. ``paper_invoices`` is None for a sub-user."""

    language: str
    email: str
    secondary_email: str
    paper_invoices: bool | None = None


@dataclass(frozen=True)
class SubUserData:
    """A sub-user's personal data as its parent enters it."""

    first_name: str
    last_name: str
    email: str
    secondary_email: str
    language: str


@transaction.atomic
def update_profile(request: HttpRequest, user: PortalUser, change: ProfileChange) -> list[str]:
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
        audit.record("email.changed", request=request, obj=user, old=old_email, new=user.email)
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
            request=request,
            obj=customer,
            paper_invoices=customer.paper_invoices,
        )
    if changed:
        audit.record("profile.updated", request=request, obj=user, fields=changed)
    return changed


@transaction.atomic
def change_password(request: HttpRequest, user: PortalUser, new_password: str) -> None:
    """Set the new password; this session goes on under a new id, every other one ends.

    Other sessions end because Django checks each session's password hash on
    every request; the user is told by e-mail in case it was not them.
    """
    user.set_password(new_password)
    user.must_change_password = False
    user.temporary_password_expires_at = None
    user.save(update_fields=["password", "must_change_password", "temporary_password_expires_at"])
    update_session_auth_hash(request, user)
    emails.send_password_changed(user)
    audit.record("password.changed", request=request, obj=user)


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


def set_password_link(company: Company, user: PortalUser) -> str:
    """The welcome link: single use (the token dies with the unusable password it
    was made from) and valid for ``PASSWORD_RESET_TIMEOUT``; built from the
    company's configured host, never from the request."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = welcome_token_generator.make_token(user)
    path = reverse("accounts:sub_user_set_password", args=[uidb64, token])
    return company.absolute_url(path)


def _send_welcome(user: PortalUser) -> None:
    assert user.company is not None  # a sub-user always belongs to a company
    emails.send_sub_user_welcome(user, set_password_link(user.company, user))


@transaction.atomic
def create_sub_user(request: HttpRequest, parent: PortalUser, data: SubUserData) -> PortalUser:
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
    )
    sub_user.set_unusable_password()
    sub_user.save()
    _send_welcome(sub_user)
    audit.record("sub_user.created", request=request, obj=sub_user, parent=parent.login)
    return sub_user


@transaction.atomic
def update_sub_user(request: HttpRequest, sub_user: PortalUser, data: SubUserData) -> list[str]:
    """Save the parent's changes; a sub-user who never set a password gets a new
    welcome link at its new address (the old link stops working)."""
    changed = [
        name
        for name in ("first_name", "last_name", "email", "secondary_email", "language")
        if getattr(sub_user, name) != getattr(data, name)
    ]
    if not changed:
        return changed
    for name in changed:
        setattr(sub_user, name, getattr(data, name))
    sub_user.save(update_fields=changed)
    if "email" in changed and not sub_user.has_usable_password():
        _send_welcome(sub_user)
    audit.record("sub_user.updated", request=request, obj=sub_user, fields=changed)
    return changed


@transaction.atomic
def delete_sub_user(request: HttpRequest, sub_user: PortalUser) -> None:
    """Remove the sub-user. Its sessions end with it: they can no longer load a user."""
    parent = sub_user.parent.login if sub_user.parent else ""
    audit.record("sub_user.deleted", request=request, obj=sub_user, parent=parent)
    sub_user.delete()


@transaction.atomic
def set_sub_user_password(request: HttpRequest, sub_user: PortalUser, password: str) -> None:
    """The sub-user's first password, through its welcome link (which then stops working)."""
    sub_user.set_password(password)
    sub_user.save(update_fields=["password"])
    audit.record("sub_user.password_set", request=request, actor=sub_user, obj=sub_user)
