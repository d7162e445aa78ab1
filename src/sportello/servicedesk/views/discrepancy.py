"""«Segnala una difformità» (G3): a page of its own, reached from «Dati anagrafici».

It opens a request through the same engine as every self-service form, then
goes back to «Dati anagrafici», which says the request's code.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sportello.accounts.http import CompanyRequest
from sportello.core.audit import Origin
from sportello.core.decorators import utility_customer_required

from .. import services
from ..discrepancy import DISCREPANCY, DataDiscrepancyForm


@never_cache
@require_http_methods(["GET", "POST"])
@utility_customer_required
def report_discrepancy(request: CompanyRequest) -> HttpResponseBase:
    if not request.company.feature_requests:
        raise Http404
    # «Segnala una difformità» next to a field chooses it (?campo=…).
    initial = {"field": request.GET.get("campo", "")}
    form = DataDiscrepancyForm(
        request, request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        opened = services.open_request(
            Origin.of(request), form.customer, DISCREPANCY.kind, **form.opening()
        )
        messages.success(
            request,
            _("Segnalazione %(code)s inviata: il servizio clienti verificherà il dato.")
            % {"code": opened.code},
        )
        return redirect("accounts:personal_data")
    return render_page(request, form)


def render_page(request: CompanyRequest, form: DataDiscrepancyForm) -> HttpResponse:
    context = {
        "spec": DISCREPANCY,
        "form": form,
        "cancel_url": reverse("accounts:personal_data"),
        "active_menu": "personal-data",
    }
    return render(request, "servicedesk/discrepancy.html", context)
