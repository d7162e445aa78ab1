"""A company's broadcasts: the list, writing and changing one, withdrawing one.

The company comes through the operator and the broadcast through the company,
so another company's is a 404 and changes nothing. Withdrawing is posted; a
GET there (a reload, the language switcher coming back) goes to the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sportello.core.models import Company
from sportello.core.pagination import paginate
from sportello.leasing.models import Product
from sportello.notices.models import Notification
from sportello.notices.services import (
    audience_label,
    broadcast_state,
    company_broadcasts,
    withdraw_broadcast,
)

from ..access import OfficeRequest, broadcast_for, company_for, operator_required, origin_for
from ..forms import BroadcastForm

#: A form's address: shown on GET, saved on POST.
form_page = require_http_methods(["GET", "HEAD", "POST"])


def product_names(company: Company) -> dict[str, str]:
    """``company``'s products by code, named in the active language (one query)."""
    return {product.code: str(product) for product in Product.objects.filter(company=company)}


@require_safe
@operator_required
def broadcast_list(request: OfficeRequest, company: str) -> HttpResponse:
    office = company_for(request, company)
    page = paginate(request, company_broadcasts(office))
    now, names = timezone.now(), product_names(office)
    rows = [(b, broadcast_state(b, now), audience_label(b.audience, names)) for b in page]
    context = {"company": office, "active": "broadcasts", "page": page, "rows": rows}
    return render(request, "backoffice/broadcasts.html", context)


def edit(
    request: OfficeRequest, office: Company, broadcast: Notification | None, done: str
) -> HttpResponse:
    """The form for a new broadcast or ``broadcast``; saved, back to the list saying ``done``."""
    data = request.POST if request.method == "POST" else None
    form = BroadcastForm(data, company=office, broadcast=broadcast)
    if data is not None and form.is_valid():
        try:
            form.save(origin_for(request, office))
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done)
            return redirect("backoffice:broadcasts", office.slug)
    context = {"company": office, "active": "broadcasts", "form": form, "broadcast": broadcast}
    return render(request, "backoffice/broadcast_form.html", context)


@form_page
@operator_required
def new_broadcast(request: OfficeRequest, company: str) -> HttpResponse:
    return edit(request, company_for(request, company), None, _("Comunicazione salvata."))


@form_page
@operator_required
def change_broadcast(request: OfficeRequest, company: str, pk: int) -> HttpResponse:
    office = company_for(request, company)
    broadcast = broadcast_for(office, pk)
    return edit(request, office, broadcast, _("Comunicazione aggiornata."))


@form_page
@operator_required
def withdraw(request: OfficeRequest, company: str, pk: int) -> HttpResponseBase:
    """The broadcast expires now: customers no longer see it."""
    office = company_for(request, company)
    broadcast = broadcast_for(office, pk)
    if request.method == "POST":
        withdraw_broadcast(origin_for(request, office), broadcast)
        messages.success(request, _("Comunicazione ritirata: i clienti non la vedono più."))
    return redirect("backoffice:broadcasts", office.slug)
