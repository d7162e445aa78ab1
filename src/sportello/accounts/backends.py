"""Authentication of customer users within the company of the host, and the lockout."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse

from .models import PortalUser
from .services.registration import temporary_password_accepted


class CompanyLoginBackend(ModelBackend):
    """Checks ``login`` + password among the users of ``request.company`` only."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        login: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> PortalUser | None:
        company = getattr(request, "company", None)
        if company is None or not login or password is None:
            return None
        try:
            user = PortalUser.objects.get_by_login(company, login.strip())
        except PortalUser.DoesNotExist:
            # Hash anyway, so an unknown login takes as long as a wrong password.
            PortalUser().set_password(password)
            return None
        if (
            user.check_password(password)
            and self.user_can_authenticate(user)
            # A temporary password works once, for 24 hours (A4).
            and temporary_password_accepted(user)
        ):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' gate: a locked account is refused before its password is checked.

    The password is hashed anyway, so a locked account answers as slowly as
    a wrong password and its lock cannot be told apart by timing either.
    """

    def authenticate(  # type: ignore[no-untyped-def]
        self, request, username=None, password=None, **kwargs
    ):
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            if password is not None:
                PortalUser().set_password(password)
            raise


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account django-axes counts failures for: ``<company slug>/<login>``.

    That is ``PortalUser.username``, so a customer's failures count the same on
    the portal (``login`` + the host's company) and in the admin (``username``).
    """
    credentials = credentials or {}
    login = credentials.get("login")
    company = getattr(request, "company", None)
    if login is not None and company is not None:
        return f"{company.slug}/{str(login).strip()}"
    username = credentials.get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return str(username) if username is not None else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse, credentials: dict[str, Any] | None
) -> HttpResponse:
    """A locked account gets exactly what a wrong password gets: the view's own answer."""
    return original_response
