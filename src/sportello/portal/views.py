"""The home page of every company portal."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.decorators import company_required
from sportello.energy.selection import select_point

from .dashboard import dashboard, utility_dashboard


@require_safe
@company_required
def home(request: CompanyRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.customer_id:
        context: dict[str, object] = {}
        if request.company.is_leasing:
            context["dashboard"] = dashboard(request.user, request.company, timezone.localdate())
        else:
            point = select_point(request).point
            context["utility"] = utility_dashboard(
                request.user, request.company, point, timezone.now()
            )
        return render(request, "portal/customer_home.html", context)
    return render(request, "portal/public_home.html")
