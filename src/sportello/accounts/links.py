"""Signed links in e-mails: reset, unlock and a sub-user's welcome.

One way to make them and one way to read them. A link names the user
(``uidb64``) and carries an HMAC token under a salt of its own, so a link of
one kind never stands in for another; the hash covers the password and the
last login, so a link dies once used. Links are built from the company's
configured host, never from the request's Host header.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from .models import PortalUser

#: Life of a reset or unlock link.
RESET_LINK_SECONDS = 60 * 60
#: What the address shows instead of the token, once it has moved into the session
#: (as django.contrib.auth's PasswordResetConfirmView does with "set-password").
URL_MARKER = "imposta"


class ResetLinkTokens(PasswordResetTokenGenerator):
    """Reset and unlock links: one hour, single use."""

    key_salt = "sportello.accounts.reset-link"

    def check_token(self, user: object, token: str | None) -> bool:
        if not token or not super().check_token(user, token):  # type: ignore[arg-type]
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - issued <= RESET_LINK_SECONDS


class WelcomeTokens(PasswordResetTokenGenerator):
    """A sub-user's welcome link: valid ``PASSWORD_RESET_TIMEOUT``; single use because
    it was made from the unusable password the first password replaces."""

    key_salt = "sportello.accounts.sub_user_welcome"


reset_tokens = ResetLinkTokens()
welcome_tokens = WelcomeTokens()


def signed_link(user: PortalUser, url_name: str, tokens: PasswordResetTokenGenerator) -> str:
    """The absolute link ``url_name(uidb64, token)`` for ``user``, on its company's host."""
    assert user.company is not None  # links are for customers' users
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(url_name, args=[uidb64, tokens.make_token(user)])
    return user.company.absolute_url(path)


def user_for_link(
    users: QuerySet[PortalUser], uidb64: str, token: str, tokens: PasswordResetTokenGenerator
) -> PortalUser | None:
    """The user among ``users`` the link names, if its token is valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = users.filter(pk=pk, is_active=True).first()
    if user is None or not tokens.check_token(user, token):
        return None
    return user
