"""The utility customer's pages about supply points (G1, G4-G7)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sportello.accounts.http import CompanyRequest
from sportello.accounts.views.steps import safe_next
from sportello.core.decorators import utility_customer_required

from .selection import choose_point


@require_POST
@utility_customer_required
def choose_point_view(request: CompanyRequest) -> HttpResponseRedirect:
    """The header's selector: remember the point and go back to the page it was on."""
    choose_point(request, str(request.POST.get("point", "")))
    back = safe_next(request, str(request.POST.get("next", "")))
    return HttpResponseRedirect(back or reverse("portal:home"))
