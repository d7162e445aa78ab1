"""The self-service area and its forms, one per kind the company offers
(``customer_forms.SELF_SERVICE_KINDS``: E1–E4, complaint and PEC change for a
leasing company; ticket and complaint for an energy seller, E6).

Every form is a page that works without JavaScript; with it, the same form
opens in a dialog (``HX-Request``: the view answers with the dialog's
fragment, and on success tells htmx where to go instead of redirecting).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from sportello.accounts.http import CompanyRequest
from sportello.accounts.views.steps import safe_next
from sportello.core.audit import Origin

from .. import services
from ..customer_forms import (
    EarlyTerminationForm,
    IbanChangeForm,
    SelfServiceForm,
    SelfServiceKind,
    self_service_kinds,
)
from .access import self_service_required

#: The no-JavaScript "Calcola" button of E4: show the figures, send nothing.
CALCULATE = "calcola"
#: The header of every dialog fragment: the page's script swaps only these into the dialog.
DIALOG_HEADER = "Sp-Dialog"


def in_dialog(request: CompanyRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_safe
@self_service_required
def choose_kind(request: CompanyRequest) -> HttpResponse:
    kinds = self_service_kinds(request.company).values()
    context = {"kinds": kinds, "active_menu": "requests"}
    return render(request, "servicedesk/new.html", context)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@self_service_required
def create(request: CompanyRequest, kind: str) -> HttpResponse:
    spec = self_service_kinds(request.company).get(kind)
    if spec is None:
        raise Http404
    # "Calcola" (E4 without JavaScript) and a GET fill the form in, unchecked.
    sending = request.method == "POST" and CALCULATE not in request.POST
    initial = (request.POST if request.method == "POST" else request.GET).dict()
    data, files = (request.POST, request.FILES) if sending else (None, None)
    form = spec.form(request, data, files, initial=initial)
    if sending and form.is_valid():
        opened = services.open_request(
            Origin.of(request), form.customer, spec.kind, **form.opening()
        )
        messages.success(request, _("Richiesta %(code)s inviata.") % {"code": opened.code})
        return sent(request, reverse("servicedesk:detail", args=[opened.code]))
    if isinstance(form, IbanChangeForm) and form.reauthentication_failed:
        services.reauthentication_failed(Origin.of(request), spec.kind)
    return form_page(request, spec, form)


def form_page(
    request: CompanyRequest, spec: SelfServiceKind, form: SelfServiceForm
) -> HttpResponse:
    """The kind's page, or the dialog's fragment for htmx; ANNULLA goes back to ``next``."""
    next_url = safe_next(request, str(request.POST.get("next") or request.GET.get("next") or ""))
    context = {
        "spec": spec,
        "form": form,
        "next": next_url,
        "cancel_url": next_url or reverse("servicedesk:new"),
        "active_menu": "requests",
    }
    dialog = in_dialog(request)
    template = "servicedesk/create_dialog.html" if dialog else "servicedesk/create.html"
    response = render(request, template, context)
    # One address, two answers (the page, the dialog's fragment): never one for the other.
    patch_vary_headers(response, ["HX-Request"])
    if dialog:
        response[DIALOG_HEADER] = "1"
    return response


def sent(request: CompanyRequest, url: str) -> HttpResponse:
    """To the new request's page: a redirect, or htmx's own for a form in a dialog."""
    if in_dialog(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_safe
@self_service_required
def termination_quote(request: CompanyRequest) -> HttpResponse:
    """E4's figures for the contract (and last instalment) chosen so far, as a fragment.

    Another customer's contract, or one not active, is a 404: its figures are
    never computed. So is the address where the company offers no E4.
    """
    if "estinzione" not in self_service_kinds(request.company):
        raise Http404
    form = EarlyTerminationForm(request, initial=request.GET.dict())
    if request.GET.get("contract") and form.selected_contract is None:
        raise Http404
    return render(request, "servicedesk/termination_quote.html", {"form": form})
