"""Billing and payments (C1, C3) and invoices (C2, C5) of the customer area.

Everything is fetched through the logged-in user's customer: another
customer's contract, invoice or PDF is a 404.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.decorators import customer_required
from sportello.core.exports import export_query, export_response
from sportello.core.files import PDF, private_file_response
from sportello.core.pagination import paginate
from sportello.core.scoping import get_for_user
from sportello.leasing.selection import ContractSelection, select_contract

from . import services
from .exports import ScheduleExporter
from .forms import InvoiceSearchForm, ScheduleFilterForm
from .models import Invoice


def schedule_rows(
    request: CompanyRequest, announce: bool = True
) -> tuple[ContractSelection, ScheduleFilterForm, Any]:
    """Parse the billing page's URL: contract, status, period (invalid filters are ignored)."""
    selection = select_contract(request, announce)
    form = ScheduleFilterForm(request.GET)
    chosen = services.ScheduleFilter(contract=selection.contract)
    if form.is_valid():
        chosen = services.ScheduleFilter(
            contract=selection.contract,
            status=form.cleaned_data["status"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            order=form.cleaned_data["order"],
        )
    entries = services.schedule(request.user, chosen, timezone.localdate())
    return selection, form, entries


@require_safe
@customer_required
def schedule_view(request: CompanyRequest) -> HttpResponse:
    selection, form, entries = schedule_rows(request)
    now = timezone.now()
    page = paginate(request, entries)
    rows = [(entry, services.visible_invoice(entry, now)) for entry in page]
    keep = {
        name: request.GET[name]
        for name in ("status", "date_from", "date_to", "order")
        if request.GET.get(name)
    }
    return render(
        request,
        "billing/schedule.html",
        {
            "active_menu": "billing",
            "selection": selection,
            "form": form,
            "page": page,
            "rows": rows,
            "overdue_total": services.overdue_total(entries, timezone.localdate()),
            "keep": keep,
            # The pagination links and «Esporta» keep the filters.
            "query": export_query(request),
        },
    )


@require_safe
@customer_required
def schedule_export(request: CompanyRequest) -> HttpResponseBase:
    selection, _form, entries = schedule_rows(request, announce=False)
    number = selection.contract.number if selection.contract else ""
    return export_response(request, ScheduleExporter(entries, timezone.now(), number))


@require_safe
@customer_required
def invoices_view(request: CompanyRequest) -> HttpResponse:
    form = InvoiceSearchForm(request.GET)
    found = services.invoices(request.user, request.company, form.search(), timezone.now())
    return render(
        request,
        "billing/invoices.html",
        {
            "active_menu": "invoices",
            "form": form,
            "page": paginate(request, found),
        },
    )


@require_safe
@customer_required
def invoice_pdf(request: CompanyRequest, uid: UUID) -> HttpResponseBase:
    """The stored PDF, inline (to open) or as an attachment with ``?download=1``."""
    visible = services.published_invoices(request.user, request.company, timezone.now())
    invoice: Invoice = get_for_user(visible, request.user, uid=uid)
    kind = _("nota-di-credito") if invoice.is_credit_note else _("fattura")
    filename = f"{kind}-{re.sub(r'[^0-9A-Za-z-]+', '-', invoice.number)}.pdf"
    inline = request.GET.get("download") != "1"
    return private_file_response(invoice.pdf, filename, PDF, inline=inline)
