"""The absolute lifetime of a logged-in session, who may reach the admin and the
back office, and caching."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from sportello.accounts.http import PortalRequest

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


class OperatorAccessMiddleware:
    """The admin and the back office answer on platform hosts only, and only to
    operators who passed the code.

    On a company's host ``/admin/`` and ``/back-office/`` are a 404 unless
    ``ADMIN_ON_COMPANY_HOSTS`` (the demo). A staff user whose session has not
    passed the e-mailed code (django-otp's ``is_verified``) counts as anonymous
    there, so both send them to the two-step operator login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PortalRequest) -> HttpResponse:
        operator_paths = (reverse("admin:index"), reverse("backoffice:home"))
        if request.path_info.startswith(operator_paths):
            if request.company is not None and not settings.ADMIN_ON_COMPANY_HOSTS:
                raise Http404
            user = request.user
            # OTPMiddleware gave the user is_verified(); without it nobody is verified.
            verified = getattr(user, "is_verified", lambda: False)()
            if user.is_authenticated and not verified:
                request.user = AnonymousUser()
        return self.get_response(request)


class NoStoreForUsersMiddleware:
    """Nothing answered to a logged-in session is kept by a browser or a proxy.

    Every page, export and download of a logged-in user (customer or
    operator) gets ``Cache-Control: no-store`` (Django's never-cache headers),
    so the next person at a shared computer finds nothing in its cache or
    history. A response its view declared ``public`` (the company's logo)
    keeps its caching; static files are answered by WhiteNoise before this.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        logged_in = SESSION_KEY in request.session
        response = self.get_response(request)
        logged_in = logged_in or SESSION_KEY in request.session
        if logged_in and "public" not in response.headers.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
