"""The request types of the portal's views, with the portal's user model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sportello.core.http import CompanySiteRequest, SiteRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import PortalUser


class PortalRequest(SiteRequest):
    """A request as our middleware leaves it (for type checking only)."""

    user: PortalUser | AnonymousUser


class CompanyRequest(CompanySiteRequest, PortalRequest):
    """A request on a company's host (views under ``company_required``)."""
