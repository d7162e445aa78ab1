"""The absolute lifetime of a logged-in session (12 hours, however active)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

#: Session key holding when the user logged in (seconds since the epoch).
LOGGED_IN_AT = "sportello_logged_in_at"


def stamp_login(request: HttpRequest) -> None:
    """Start the absolute clock of the session (called at each login)."""
    request.session[LOGGED_IN_AT] = time.time()


class SessionLifetimeMiddleware:
    """Ends a logged-in session 12 hours after the login, on the server.

    The idle limit (30 minutes) is the session's own expiry, renewed on every
    request; this one is not renewed. A session logged in by other means
    (the admin's login) is stamped at its first request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGGED_IN_AT)
            if not isinstance(started, (int, float)):
                stamp_login(request)
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                # The request goes on anonymous: a customer page sends it to the login.
                logout(request)
        return self.get_response(request)
