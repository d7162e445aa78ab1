"""The utility customer's pages about supply points (G1, G4-G7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sportello.accounts.http import CompanyRequest
from sportello.accounts.views.steps import safe_next
from sportello.core.audit import Origin
from sportello.core.decorators import utility_customer_required
from sportello.core.exports import export_query, export_response
from sportello.core.formatting import format_long_date
from sportello.core.pagination import paginate
from sportello.core.scoping import get_for_user

from . import readings
from .consumption import consumption_report
from .datasheet import contract_data, technical_data
from .exports import MeasureExporter
from .forms import ReadingForm, measure_period_form
from .measures import last_measured_day, local_time, measures_in, period_totals
from .models import MeterReading, ReadingStatus, SupplyPoint
from .selection import choose_point, select_point

#: A whole day of quarter hours on a page, even the autumn day's 100.
MEASURES_PER_PAGE = 100


@require_POST
@utility_customer_required
def choose_point_view(request: CompanyRequest) -> HttpResponseRedirect:
    """The header's selector: remember the point and go back to the page it was on."""
    choose_point(request, str(request.POST.get("point", "")))
    back = safe_next(request, str(request.POST.get("next", "")))
    return HttpResponseRedirect(back or reverse("portal:home"))


def _offers_self_reading(request: CompanyRequest) -> None:
    """A company without self-reading has no such pages (and no menu entry)."""
    if not request.company.feature_self_reading:
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
@utility_customer_required
def readings_view(request: CompanyRequest) -> HttpResponseBase:
    """G7 "Autolettura contatore": the point's readings, the windows, "Aggiungi"."""
    _offers_self_reading(request)
    point = select_point(request).point
    context: dict[str, Any] = {"active_menu": "self-reading", "point": point, "form": None}
    if point is None:
        return render(request, "energy/readings.html", context)
    now = timezone.now()
    window = readings.open_window(request.company, point.commodity, now)
    if request.method == "POST" or (window and "aggiungi" in request.GET):
        form = context["form"] = ReadingForm(
            point, request.POST if request.method == "POST" else None
        )
        if request.method == "POST" and form.submit(Origin.of(request)):
            messages.success(request, _("Autolettura salvata."))
            return redirect("energy:readings")
    context |= {
        "page": paginate(request, readings.readings_of(request.user, point)),
        "window": window,
        "next_window": None
        if window
        else readings.next_window(request.company, point.commodity, now),
        "windows": paginate(
            request,
            readings.planned_windows(request.company, point.commodity, now),
            param="periodi",
        ),
    }
    return render(request, "energy/readings.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@utility_customer_required
def reading_delete_view(request: CompanyRequest, pk: int) -> HttpResponse:
    """GET asks "Confermi la cancellazione…?" (the dialog without JavaScript); POST deletes."""
    _offers_self_reading(request)
    queryset = MeterReading.objects.select_related("supply_point")
    reading = get_for_user(queryset, request.user, pk=pk)
    if request.method == "POST":
        try:
            readings.delete_reading(Origin.of(request), reading)
        except readings.ReadingRefused as refused:
            messages.warning(request, refused.message)
        else:
            day = format_long_date(reading.reading_date)
            messages.success(request, _("Lettura del %(date)s cancellata.") % {"date": day})
        return redirect("energy:readings")
    if reading.status != ReadingStatus.PENDING:
        raise Http404  # nothing to confirm: an acquired reading stays
    return render(request, "energy/reading_delete.html", {"reading": reading})


@require_safe
@utility_customer_required
def consumption_view(request: CompanyRequest) -> HttpResponse:
    """«Prelievi fatturati» (G4): a year beside the one before, as tables and charts."""
    point = select_point(request).point
    raw = request.GET.get("anno", "")
    asked = int(raw) if raw.isascii() and raw.isdigit() else None
    report = consumption_report(point, asked) if point else None
    if report and raw and asked != report.current.year:
        messages.warning(request, _("Anno non disponibile: mostrato il più recente."))
    context = {
        "point": point,
        "report": report,
        "chart_data": report.chart_data() if report else None,
        "view": "tabella" if request.GET.get("vista") == "tabella" else "grafico",
        "active_menu": "consumption",
    }
    return render(request, "energy/consumption.html", context)


@require_safe
@utility_customer_required
def technical_data_view(request: CompanyRequest) -> HttpResponse:
    """«Dati tecnici» (G5), read-only."""
    return _datasheet(request, _("Dati tecnici"), technical_data, "technical-data")


@require_safe
@utility_customer_required
def contract_data_view(request: CompanyRequest) -> HttpResponse:
    """«Dati contrattuali» (G5), read-only."""
    return _datasheet(request, _("Dati contrattuali"), contract_data, "contract-data")


def _datasheet(
    request: CompanyRequest,
    title: str,
    facts_of: Callable[[SupplyPoint], list[Any]],
    menu_key: str,
) -> HttpResponse:
    """One of the chosen point's two read-only sheets; no point, no facts."""
    point = select_point(request).point
    facts = facts_of(point) if point else []
    return render(
        request,
        "energy/datasheet.html",
        {"title": title, "facts": facts, "active_menu": menu_key},
    )


@require_safe
@utility_customer_required
def measures_view(request: CompanyRequest) -> HttpResponse:
    """«Misure elettriche» (G6): a period's measures, 100 a page, and its totals."""
    point = select_point(request).point
    form = period = page = totals = None
    if point is not None and point.is_electricity:
        form = measure_period_form(request.GET, lambda: last_measured_day(point))
        period = form.period if form else None
    if point is not None and period is not None:
        page = paginate(request, measures_in(point, period), per_page=MEASURES_PER_PAGE)
        totals = period_totals(point, period)
    context = {
        "point": point,
        "form": form,
        "period": period,
        "page": page,
        "rows": [(m, local_time(m.measured_at)) for m in page] if page else [],
        "totals": totals,
        "query": export_query(request),
        "active_menu": "measures",
    }
    return render(request, "energy/measures.html", context)


@require_safe
@utility_customer_required
def measures_export_view(request: CompanyRequest) -> HttpResponseBase:
    """The period's measures as XLSX or CSV; a bad period goes back to the page that says why."""
    point = select_point(request).point
    form = None
    if point is not None and point.is_electricity:
        form = measure_period_form(request.GET, lambda: last_measured_day(point))
    period = form.period if form else None
    if point is None or period is None:
        query = export_query(request)
        return HttpResponseRedirect(reverse("energy:measures") + (f"?{query}" if query else ""))
    return export_response(request, MeasureExporter(point, period))
