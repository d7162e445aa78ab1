"""One function per e-mail the accounts app sends, each through the outbox.

Templates: ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html``,
rendered in the recipient's language.
"""

from __future__ import annotations

from sportello.core.outbox import queue_templated_email

from .models import PortalUser


def send_sub_user_welcome(sub_user: PortalUser, link: str) -> None:
    """A new sub-user's welcome, with the single-use link that sets its password (A12)."""
    queue_templated_email(
        "sub-user-welcome",
        to=[sub_user.email],
        context={"user": sub_user, "parent": sub_user.parent, "link": link},
        company=sub_user.company,
        language=sub_user.language,
    )


def send_email_changed(user: PortalUser, old_email: str) -> None:
    """Tells the old primary address that it no longer receives the portal's mail (A13)."""
    queue_templated_email(
        "email-changed",
        to=[old_email],
        context={"user": user, "old_email": old_email},
        company=user.company,
        language=user.language,
    )


def send_password_changed(user: PortalUser) -> None:
    """Tells the user the password changed, in case it was not them (A9)."""
    queue_templated_email(
        "password-changed",
        to=[user.email],
        context={"user": user},
        company=user.company,
        language=user.language,
    )

def send_login_code(user: PortalUser, code: str) -> None:
    """The one-time code of a login attempt, to the primary e-mail (A6)."""
    queue_templated_email(
        "otp-code",
        to=[user.email],
        context={"user": user, "code": code, "minutes": 5},
        company=user.company,
        language=user.language,
    )


def send_password_reset(user: PortalUser, link: str) -> None:
    """The «Password dimenticata?» e-mail: a single-use link, valid one hour (A8)."""
    queue_templated_email(
        "reset-link",
        to=[user.email],
        context={"user": user, "link": link},
        company=user.company,
        language=user.language,
    )


def send_unlock(user: PortalUser, link: str) -> None:
    """The «Login bloccata» e-mail: a link that unlocks with a new password (A7)."""
    queue_templated_email(
        "unlock-link",
        to=[user.email],
        context={"user": user, "link": link},
        company=user.company,
        language=user.language,
    )
