"""Pick the company from the Host header; keep users inside their company."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .http import SiteRequest
from .models import Company

CACHE_SECONDS = 300


def cache_key(host: str) -> str:
    return f"company-for-host:{host}"


def company_for_host(host: str) -> Company | None:
    """The company serving ``host`` (no port), cached; None if no company does."""
    key = cache_key(host)
    company: Company | str | None = cache.get(key)
    if company is None:
        found = Company.objects.filter(hosts__host=host).prefetch_related("hosts").first()
        # Cache misses too, so an unknown host costs no query after the first.
        cache.set(key, found or "-", CACHE_SECONDS)
        return found
    return company if isinstance(company, Company) else None


class CompanyMiddleware:
    """Sets ``request.company``; an unknown host gets a plain 404, never a portal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        host = request.get_host().rsplit(":", 1)[0].lower()
        company = company_for_host(host)
        if company is None and host not in settings.PLATFORM_HOSTS:
            return HttpResponseNotFound("Not Found\n", content_type="text/plain; charset=utf-8")
        request.company = company
        if company is None:
            # A platform host has its own URLs (back office, demo landing page).
            request.urlconf = settings.PLATFORM_URLCONF
        return self.get_response(request)


class CompanyUserMiddleware:
    """A customer's session counts only on its own company's hosts.

    Elsewhere the request is anonymous, so no customer view of another
    company can ever be reached with it. Staff users are checked by the admin.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_staff:
            company = request.company
            if company is None or getattr(user, "company_id", None) != company.pk:
                request.user = AnonymousUser()
        return self.get_response(request)


class LanguageMiddleware:
    """Italian unless the person chose otherwise.

    The language comes from the language cookie (the switch in the header),
    then the logged-in user's preference, then ``LANGUAGE_CODE``; the
    browser's Accept-Language is ignored, as the seeds' portals are Italian first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        available = {code for code, _ in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in available:
            chosen = getattr(request.user, "language", None)
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


#: Set on a request by ``decorators.background_poll``.
BACKGROUND_POLL = "sportello_background_poll"


#: Where the session keeps the time of its last write (seconds since the epoch).
SAVED_AT = "_sportello_saved_at"


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, writing an unchanged session at most once a ``SESSION_SAVE_INTERVAL``.

    ``SESSION_SAVE_EVERY_REQUEST`` slides the 30-minute idle limit on every
    request, and pays a session write (an UPDATE) for it each time: a fifth of
    a near-empty page. Here a request that changed nothing writes the session
    only when its last write is older than ``SESSION_SAVE_INTERVAL`` (a
    minute): the idle limit still slides, counted from the last write, so it
    ends between 29 and 30 minutes after the last request instead of at 30.
    The 12-hour limit is counted from the login (``SessionLifetimeMiddleware``)
    and does not move. A change (login, a chosen supply point, a message) is
    written at once, as before.

    A background poll (the bell's badge) that changed nothing writes nothing
    at all: a tab left open must not keep a session alive for ever.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            if not session.modified and (
                getattr(request, BACKGROUND_POLL, False) or self.saved_recently(session)
            ):
                if session.accessed:
                    patch_vary_headers(response, ["Cookie"])
                return response
            session[SAVED_AT] = int(time.time())
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            # Django says "session deleted" (a 400) whenever saving it failed;
            # when the database itself was lost, that is the outage's 503.
            lost = interrupted.__context__.__context__ if interrupted.__context__ else None
            if isinstance(lost, (OperationalError, InterfaceError)):
                raise lost from interrupted
            raise

    @staticmethod
    def saved_recently(session: SessionBase) -> bool:
        saved = session.get(SAVED_AT)
        if not isinstance(saved, int):
            return False
        return 0 <= time.time() - saved < settings.SESSION_SAVE_INTERVAL
