"""A user with a temporary password opens nothing but the page that replaces it (A4)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sportello.accounts.http import PortalRequest

from .models import PortalUser


class PasswordChangeRequiredMiddleware:
    """Sends a logged-in customer who must change the password to "Scegli la password definitiva".

    Only that page, the logout, the language switch and static files stay open.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PortalRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, PortalUser)
            and user.customer_id
            and user.must_change_password
            and not self.is_open(request.path_info)
        ):
            return redirect("accounts:choose_password")
        return self.get_response(request)

    @staticmethod
    def is_open(path: str) -> bool:
        open_paths = {
            reverse("accounts:choose_password"),
            reverse("accounts:logout"),
            reverse("set_language"),
        }
        return path in open_paths or path.startswith(settings.STATIC_URL)
