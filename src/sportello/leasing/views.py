"""The leasing pages of the customer area: contracts, plan, assets and documents (D1–D5)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core.decorators import leasing_customer_required
from sportello.core.exports import export_query, export_response
from sportello.core.pagination import paginate

from . import services
from .exports import AssetExporter, PlanExporter
from .selection import chosen_contract_list, select_contract


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
    which = chosen_contract_list(request)
    listing = services.contract_list(request.user, which)
    return render(
        request,
        "leasing/contract_list.html",
        {
            "listing": listing,
            "page": paginate(request, listing.contracts),
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
    contract = services.own_contract(request.user, pk)
    page = paginate(request, services.plan_rows(contract))
    return render(
        request,
        "leasing/plan.html",
        {"contract": contract, "page": page, "active_menu": "contracts"},
    )


@require_safe
@leasing_customer_required
def plan_export_view(request: CompanyRequest, pk: int) -> HttpResponseBase:
    contract = services.own_contract(request.user, pk)
    return export_response(request, PlanExporter(contract, services.plan_rows(contract)))


@require_safe
@leasing_customer_required
def asset_list_view(request: CompanyRequest) -> HttpResponse:
    selection = select_contract(request)
    page = paginate(request, services.assets_of(request.user, selection.contract))
    return render(
        request,
        "leasing/assets.html",
        {
            "selection": selection,
            "page": page,
            "query": export_query(request),
            "active_menu": "assets",
        },
    )


@require_safe
@leasing_customer_required
def asset_export_view(request: CompanyRequest) -> HttpResponseBase:
    selection = select_contract(request, announce=False)
    assets = services.assets_of(request.user, selection.contract)
    return export_response(request, AssetExporter(assets))


@require_safe
@leasing_customer_required
def contract_documents_view(request: CompanyRequest, pk: int) -> HttpResponse:
    contract, documents = services.contract_documents(request.user, pk)
    return render(
        request,
        "leasing/contract_documents.html",
        {"contract": contract, "documents": documents, "active_menu": "contracts"},
    )
