"""The back office's home and a company's queue."""

from __future__ import annotations

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sportello.core.pagination import paginate
from sportello.servicedesk.services import ServiceLevel

from ..access import (
    OfficeRequest,
    company_for,
    company_operators,
    operator_companies,
    operator_required,
)
from ..forms import QueueFilterForm
from ..queue import companies_at_a_glance, queue, request_kinds


@require_safe
@operator_required
def home(request: OfficeRequest) -> HttpResponseBase:
    """The operator's companies at a glance; with only one, straight to its queue."""
    companies = list(companies_at_a_glance(operator_companies(request.user), timezone.localdate()))
    if len(companies) == 1:
        return redirect("backoffice:queue", companies[0].slug)
    return render(request, "backoffice/home.html", {"companies": companies, "active": "home"})


@require_safe
@operator_required
def queue_view(request: OfficeRequest, company: str) -> HttpResponse:
    """The company's requests as the filters in the address choose them.

    Filters that are not valid (an operator no longer of this company) list
    nothing: a full list under the error would read as their result.
    """
    office = company_for(request, company)
    form = QueueFilterForm(
        request.GET, operators=company_operators(office), kinds=request_kinds(office)
    )
    context = {"company": office, "form": form, "active": "queue", "page": None}
    if form.is_valid():
        requests = queue(office, form.chosen(), timezone.localdate(), request.user)
        page = paginate(request, requests)
        rows = [(row, ServiceLevel(row.service_state)) for row in page]  # type: ignore[attr-defined]
        context |= {"page": page, "rows": rows}
    return render(request, "backoffice/queue.html", context)
