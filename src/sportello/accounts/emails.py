"""One function per e-mail the accounts app sends, each through the outbox.

Templates: ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html``,
rendered in the recipient's language.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import prefetch_related_objects
from django.urls import reverse

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
    """Tells the old primary address that it no longer receives the portal's mail (A13).

    The PEC on file is changed by a self-service request where the company
    offers them (seed 003, answer 4): the e-mail says where.
    """
    company = user.company
    pec_request_url = ""
    if company is not None and company.is_leasing and company.feature_requests:
        # The hosts once, for this link and the template's own.
        prefetch_related_objects([company], "hosts")
        pec_request_url = company.absolute_url(reverse("servicedesk:create", args=["pec"]))
    queue_templated_email(
        "email-changed",
        to=[old_email],
        context={"user": user, "old_email": old_email, "pec_request_url": pec_request_url},
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


def send_registration(user: PortalUser, password: str, expires_at: dt.datetime) -> None:
    """The username and temporary password after a registration (A1, A2, A5)."""
    queue_templated_email(
        "registration",
        to=[user.email],
        context=_credentials(user, password, expires_at),
        company=user.company,
        language=user.language,
    )


def send_invitation(user: PortalUser, password: str, expires_at: dt.datetime) -> None:
    """An operator's invitation to the customer's PEC, with the first credentials (A3)."""
    queue_templated_email(
        "invitation",
        to=[user.email],
        context=_credentials(user, password, expires_at),
        company=user.company,
        language=user.language,
    )


def _credentials(user: PortalUser, password: str, expires_at: dt.datetime) -> dict[str, object]:
    login_url = user.company.absolute_url(reverse("accounts:login")) if user.company else ""
    return {
        "user": user,
        "customer": user.customer,
        "password": password,
        "expires_at": expires_at,
        "login_url": login_url,
    }


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
