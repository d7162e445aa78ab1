"""Login and logout of portal users."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest

from sportello.core import audit

from ..models import PortalUser

BACKEND = "sportello.accounts.backends.CompanyLoginBackend"


@transaction.atomic
def log_in(request: HttpRequest, user: PortalUser) -> None:
    """Start the session (a new id) and remember the previous access (A11)."""
    user.previous_login = user.last_login
    user.save(update_fields=["previous_login"])
    login(request, user, backend=BACKEND)
    audit.record("login", request=request, actor=user, obj=user)


def log_out(request: HttpRequest) -> None:
    """End the session on the server."""
    if request.user.is_authenticated:
        audit.record("logout", request=request, obj=request.user)
    logout(request)
