"""Authentication of customer users within the company of the host."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import PortalUser


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
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
