"""The complaints register: a page listing it, and its export (XLSX or CSV)."""

from __future__ import annotations

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sportello.core import audit
from sportello.core.exports import export_query, export_response, requested_format
from sportello.core.models import Company
from sportello.core.pagination import paginate

from ..access import OfficeRequest, company_for, operator_required
from ..exports import ComplaintsRegisterExporter, complaint_years, complaints, register_entries
from ..forms import RegisterFilterForm


def chosen_year(request: OfficeRequest, company: Company) -> tuple[RegisterFilterForm, int | None]:
    """The year in ``?year=``, among those with complaints; none (every year) otherwise."""
    form = RegisterFilterForm(request.GET, years=complaint_years(company))
    return form, form.cleaned_data["year"] if form.is_valid() else None


@require_safe
@operator_required
def complaints_page(request: OfficeRequest, company: str) -> HttpResponse:
    office = company_for(request, company)
    form, year = chosen_year(request, office)
    page = paginate(request, complaints(office, year))
    context = {
        "company": office,
        "active": "register",
        "form": form,
        "page": page,
        "entries": list(register_entries(page, timezone.localdate())),
        "query": export_query(request),
    }
    return render(request, "backoffice/complaints.html", context)


@require_safe
@operator_required
def complaints_register(request: OfficeRequest, company: str) -> HttpResponseBase:
    """The register as a file: every complaint, or those received in ``?year=``."""
    office = company_for(request, company)
    _form, year = chosen_year(request, office)
    audit.record(
        "complaints_register.exported",
        request=request,
        company=office,
        year=year,
        format=requested_format(request),
    )
    exporter = ComplaintsRegisterExporter(office, timezone.localdate(), year)
    return export_response(request, exporter)
