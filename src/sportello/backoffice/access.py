"""Who reaches the back office, and which company and request they reach.

``accounts.middleware.OperatorAccessMiddleware`` already hides ``/back-office/``
on a company's host (unless ``ADMIN_ON_COMPANY_HOSTS``) and makes a staff
session that has not passed the e-mailed code anonymous, exactly as for
``/admin/``. Here: only verified staff pass; then every company and request is
fetched through the operator's companies, so anything else is a 404 that looks
like a missing one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse

from sportello.accounts.http import PortalRequest
from sportello.accounts.models import PortalUser
from sportello.core.audit import Origin
from sportello.core.models import Company
from sportello.integration.models import ImportRun
from sportello.notices.models import Notification
from sportello.notices.services import company_broadcasts
from sportello.servicedesk.models import ServiceRequest


class OfficeRequest(PortalRequest):
    """A request past ``operator_required`` (for type checking only)."""

    user: PortalUser


def operator_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A staff user whose session passed the e-mailed code; else to the operator login.

    A customer whose session passed its own code (on a company's host that
    serves the back office) gets a 404: the back office is not for customers.
    """

    @wraps(view)
    def wrapper(request: PortalRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        if not user.is_authenticated or (user.is_staff and not verified):
            return redirect_to_login(request.get_full_path(), reverse("operator_login"))
        if not user.is_staff or not user.is_active:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def operator_companies(user: PortalUser) -> QuerySet[Company]:
    """The companies ``user`` works for; a superuser works for all."""
    companies = Company.objects.all() if user.is_superuser else user.operator_companies.all()
    return companies.order_by("name")


def company_for(request: OfficeRequest, slug: str) -> Company:
    """The operator's company named ``slug``, or a 404 (another company's too)."""
    return get_object_or_404(operator_companies(request.user), slug=slug)


def request_for(company: Company, code: str) -> ServiceRequest:
    """``company``'s request ``code`` with what its page shows, or a 404."""
    found = ServiceRequest.objects.for_company(company).select_related(
        "company",
        "customer__company",
        "author",
        "assignee",
        "request_type",
        "contract",
        "supply_point",
        "follows",
    )
    return get_object_or_404(found, code=code)


def broadcast_for(company: Company, pk: int) -> Notification:
    """``company``'s broadcast ``pk``, or a 404 (another company's or a personal notice too)."""
    return get_object_or_404(company_broadcasts(company), pk=pk)


def company_operators(company: Company) -> QuerySet[PortalUser]:
    """The active staff users working for ``company``: who a request may be assigned to."""
    return PortalUser.objects.filter(
        operator_companies=company, is_staff=True, is_active=True
    ).order_by("first_name", "last_name", "username")


def origin_for(request: OfficeRequest, company: Company) -> Origin:
    """The operator acting for ``company`` (a platform host has no company of its own)."""
    return dataclasses.replace(Origin.of(request), company=company)


def company_imports(company: Company) -> QuerySet[ImportRun]:
    """``company``'s import runs, newest first, without their (long) reports."""
    return company.imports.select_related("actor", "api_key").defer("report")


def import_run_for(company: Company, pk: int) -> ImportRun:
    """``company``'s import run ``pk`` with its report, or a 404 (another company's too)."""
    return get_object_or_404(company.imports.select_related("actor", "api_key"), pk=pk)
