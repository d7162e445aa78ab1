"""Billing and payments (C1, C3) and invoices (C2, C5, G2) of the customer area.

Everything is fetched through the logged-in user's customer: another
customer's contract, invoice or PDF is a 404. The invoices serve both kinds of
company: a utility's list follows the supply point chosen in the header, while
an invoice's PDF opens for its customer whatever point is chosen.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.decorators import customer_required, leasing_customer_required
from sportello.core.exports import export_query, export_response
from sportello.core.files import PDF, XML, private_file_response
from sportello.core.pagination import paginate
from sportello.core.scoping import get_for_user
from sportello.energy.selection import choose_point, select_point
from sportello.leasing.selection import ContractSelection, select_contract

from . import services
from .exports import ScheduleExporter
from .fatturapa.xml import InvalidFile
from .forms import InvoiceSearchForm, ScheduleFilterForm
from .models import POINT_PARAMETER, Invoice


def schedule_filter(
    request: CompanyRequest, announce: bool = True
) -> tuple[ContractSelection, ScheduleFilterForm, services.ScheduleFilter | None]:
    """Parse the billing page's URL: contract, status, period, order.

    Filters that are not valid select nothing (``None``), as the invoice search
    does: a full list under the error would read as the result of the filters.
    """
    selection = select_contract(request, announce)
    form = ScheduleFilterForm(request.GET)
    if not form.is_valid():
        return selection, form, None
    chosen = services.ScheduleFilter(
        contract=selection.contract,
        status=form.cleaned_data["status"],
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
        order=form.cleaned_data["order"],
    )
    return selection, form, chosen


@require_safe
@leasing_customer_required
def schedule_view(request: CompanyRequest) -> HttpResponse:
    selection, form, chosen = schedule_filter(request)
    keep = {
        name: request.GET[name]
        for name in ("status", "date_from", "date_to", "order")
        if request.GET.get(name)
    }
    context = {"active_menu": "billing", "selection": selection, "form": form, "keep": keep}
    if chosen is not None:
        listing = services.schedule_list(request.user, chosen, timezone.localdate())
        page = paginate(request, listing.rows)
        context |= {
            "page": page,
            "rows": [(entry, services.visible_invoice(entry, timezone.now())) for entry in page],
            "overdue_total": listing.overdue_total,
            # The pagination links and «Esporta» keep the filters.
            "query": export_query(request),
        }
    return render(request, "billing/schedule.html", context)


@require_safe
@leasing_customer_required
def schedule_export(request: CompanyRequest) -> HttpResponseBase:
    """The schedule as a workbook or CSV; invalid filters lead to the page, which says
    what is wrong (a file with no rows would read as "nothing matches")."""
    selection, _form, chosen = schedule_filter(request, announce=False)
    if chosen is None:
        query = export_query(request)
        return redirect(f"{reverse('billing:schedule')}?{query}")
    entries = services.schedule(request.user, chosen, timezone.localdate())
    number = selection.contract.number if selection.contract else ""
    return export_response(request, ScheduleExporter(entries, timezone.now(), number))


@require_safe
@customer_required
def invoices_view(request: CompanyRequest) -> HttpResponseBase:
    utility = request.company.is_utility
    if utility and POINT_PARAMETER in request.GET:
        return follow_point(request)
    point = select_point(request).point if utility else None
    form = InvoiceSearchForm(request.GET)
    found = services.invoices(request.user, request.company, form.search(), timezone.now(), point)
    return render(
        request,
        "billing/invoices.html",
        {
            "active_menu": "invoices",
            "form": form,
            "page": paginate(request, found),
            "utility": utility,
        },
    )


def follow_point(request: CompanyRequest) -> HttpResponseRedirect:
    """``?punto=`` (a notice's link to a bill): that point becomes the chosen one, and
    the list loads again without the parameter, so that the header's selector stays
    in charge. Another customer's point is a 404, as in the selector."""
    choose_point(request, request.GET[POINT_PARAMETER])
    query = request.GET.copy()
    del query[POINT_PARAMETER]
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def published_invoice(request: CompanyRequest, uid: UUID) -> Invoice:
    """One of the user's published invoices, else 404."""
    visible = services.published_invoices(request.user, request.company, timezone.now())
    return get_for_user(visible, request.user, uid=uid)


def e_invoice(request: CompanyRequest, uid: UUID) -> Invoice:
    """One of the user's published e-invoices (with a FatturaPA file), else 404."""
    invoice = published_invoice(request, uid)
    if not invoice.is_e_invoice:
        raise Http404
    return invoice


def invoice_filename(invoice: Invoice, extension: str) -> str:
    kind = _("nota-di-credito") if invoice.is_credit_note else _("fattura")
    return f"{kind}-{re.sub(r'[^0-9A-Za-z-]+', '-', invoice.number)}.{extension}"


@require_safe
@customer_required
def invoice_pdf(request: CompanyRequest, uid: UUID) -> HttpResponseBase:
    """The stored PDF, inline (to open) or as an attachment with ``?download=1``; an
    e-invoice's courtesy copy is printed on the first request and kept."""
    invoice = published_invoice(request, uid)
    try:
        invoice = services.courtesy_pdf(invoice)
    except (OSError, InvalidFile):
        # A lost or unreadable file: as with any missing file, a 404.
        raise Http404 from None
    inline = request.GET.get("download") != "1"
    return private_file_response(invoice.pdf, invoice_filename(invoice, "pdf"), PDF, inline=inline)


@require_safe
@customer_required
def invoice_detail(request: CompanyRequest, uid: UUID) -> HttpResponse:
    """An e-invoice: its official rendering (framed), its delivery and its files."""
    invoice = e_invoice(request, uid)
    context = {"active_menu": "invoices", "invoice": invoice, "utility": request.company.is_utility}
    return render(request, "billing/invoice_detail.html", context)


#: The official rendering runs in a sandbox: no script, no request of any kind, only
#: its own inline styles, and framed by the portal's own pages only.
#: (``True`` renders a bare directive: ``sandbox``.)
RENDERING_POLICY: dict[str, Any] = {
    "sandbox": True,
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
}


@require_safe
@customer_required
@xframe_options_sameorigin
@csp_override(RENDERING_POLICY)
def invoice_rendering(request: CompanyRequest, uid: UUID) -> HttpResponseBase:
    """The e-invoice's HTML from the Agenzia's stylesheet, for the detail page's frame."""
    try:
        html = services.invoice_html(e_invoice(request, uid))
    except (OSError, InvalidFile):
        raise Http404 from None
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, private"
    return response


@require_safe
@customer_required
def invoice_xml(request: CompanyRequest, uid: UUID) -> HttpResponseBase:
    """The FatturaPA file as it was received, always as an attachment."""
    invoice = e_invoice(request, uid)
    filename = invoice.sdi_file_name or invoice_filename(invoice, "xml")
    return private_file_response(invoice.xml, filename, XML)
