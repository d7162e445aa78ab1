"""The contract pages of the customer area: contracts, plan, assets, documents (D1–D5)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.decorators import customer_required
from sportello.core.exports import xlsx_response

from . import services
from .exports import AssetExporter, PlanExporter
from .selection import select_contract


def leasing_customer_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A customer of a leasing company: a utility's portal has no contracts pages."""

    @wraps(view)
    @customer_required
    def wrapper(request: CompanyRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.company.is_leasing:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def billing_url(contract_pk: int) -> str:
    """The billing page of one contract (engineer P's page, once it exists)."""
    try:
        base = reverse("billing:schedule")
    except NoReverseMatch:
        base = "/fatture-e-pagamenti/"
    return f"{base}?contract={contract_pk}"


@require_safe
@leasing_customer_required
def contract_list_view(request: CompanyRequest) -> HttpResponse:
    which = request.GET.get("stato", "attivi")
    listing = services.contract_list(request.user, which, request.GET.get("page"))
    return render(
        request,
        "leasing/contract_list.html",
        {
            "listing": listing,
            "which": which,
            "selection": select_contract(request),
            "active_menu": "contracts",
        },
    )


@require_safe
@leasing_customer_required
def contract_select_view(request: CompanyRequest) -> HttpResponseRedirect:
    """The "Seleziona contratto" selector: to the chosen contract's page, or the list."""
    selection = select_contract(request)
    if selection.contract is None:
        return redirect("leasing:contracts")
    return redirect("leasing:contract", pk=selection.contract.pk)


@require_safe
@leasing_customer_required
def contract_detail_view(request: CompanyRequest, pk: int) -> HttpResponse:
    detail = services.contract_detail(request.user, pk, timezone.localdate())
    selection = select_contract(request)
    selection.form.initial = {"contract": detail.contract.pk}
    return render(
        request,
        "leasing/contract_detail.html",
        {
            "detail": detail,
            "contract": detail.contract,
            "selection": selection,
            "billing_url": billing_url(detail.contract.pk),
            "active_menu": "contracts",
        },
    )


@require_safe
@leasing_customer_required
def plan_view(request: CompanyRequest, pk: int) -> HttpResponse:
    contract, page = services.plan_page(request.user, pk, request.GET.get("page"))
    return render(
        request,
        "leasing/plan.html",
        {"contract": contract, "page": page, "active_menu": "contracts"},
    )


@require_safe
@leasing_customer_required
def plan_export_view(request: CompanyRequest, pk: int) -> FileResponse:
    contract = services.own_contract(request.user, pk)
    return xlsx_response(PlanExporter(contract, services.plan_rows(contract)))


@require_safe
@leasing_customer_required
def asset_list_view(request: CompanyRequest) -> HttpResponse:
    selection = select_contract(request)
    page = services.paginate(
        services.assets_of(request.user, selection.contract), request.GET.get("page")
    )
    return render(
        request,
        "leasing/assets.html",
        {"selection": selection, "page": page, "active_menu": "assets"},
    )


@require_safe
@leasing_customer_required
def asset_export_view(request: CompanyRequest) -> FileResponse:
    selection = select_contract(request)
    return xlsx_response(AssetExporter(services.assets_of(request.user, selection.contract)))


@require_safe
@leasing_customer_required
def contract_documents_view(request: CompanyRequest, pk: int) -> HttpResponse:
    contract, documents = services.contract_documents(request.user, pk)
    return render(
        request,
        "leasing/contract_documents.html",
        {"contract": contract, "documents": documents, "active_menu": "contracts"},
    )
