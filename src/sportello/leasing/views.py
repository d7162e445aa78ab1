"""The leasing pages of the customer area: contracts, plan, assets and documents
(D1–D5), and the annual transparency statements (H4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.core.decorators import customer_required
from sportello.core.exports import export_query, export_response
from sportello.core.files import PDF, private_file_response
from sportello.core.pagination import paginate
from sportello.core.pdf import render_pdf
from sportello.core.scoping import get_for_user

from . import services
from .exports import AssetExporter, PlanExporter
from .models import Contract
from .selection import select_contract
from .transparency import (
    StatementYear,
    StatementYearOutOfRange,
    TransparencyStatementFigures,
    statement_years,
    transparency_statement,
)

#: Contracts per page of the statements list: each shows all its years.
STATEMENT_CONTRACTS_PER_PAGE = 10


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


# The transparency statements (H4), under /rendiconti/ with the ``transparency``
# namespace (see ``transparency_urlpatterns`` in urls.py).


@dataclass(frozen=True)
class ContractYears:
    contract: Contract
    years: list[StatementYear]


def _require_transparency(request: CompanyRequest) -> None:
    if not (request.company.is_leasing and request.company.feature_transparency):
        raise Http404


def _figures(request: CompanyRequest, contract_id: int, year: int) -> TransparencyStatementFigures:
    _require_transparency(request)
    contract = get_for_user(
        Contract.objects.select_related("customer"), request.user, pk=contract_id
    )
    try:
        return transparency_statement(contract, year, today=timezone.localdate())
    except StatementYearOutOfRange:
        raise Http404 from None


@require_safe
@customer_required
def statement_list(request: CompanyRequest) -> HttpResponse:
    """Every contract with its years; ``?contract=<id>`` narrows it to one of the user's."""
    _require_transparency(request)
    today = timezone.localdate()
    contracts = Contract.objects.for_user(request.user).order_by("-stipulated_on", "number")
    selection = select_contract(request)
    if selection.contract is not None:
        contracts = contracts.filter(pk=selection.contract.pk)
    page = paginate(request, contracts, STATEMENT_CONTRACTS_PER_PAGE)
    rows = [ContractYears(contract, statement_years(contract, today)) for contract in page]
    return render(
        request,
        "leasing/transparency_list.html",
        {"page": page, "rows": rows, "active_menu": "transparency"},
    )


@require_safe
@customer_required
def statement_detail(request: CompanyRequest, contract_id: int, year: int) -> HttpResponse:
    figures = _figures(request, contract_id, year)
    return render(
        request,
        "leasing/transparency_detail.html",
        {"statement": figures, "active_menu": "transparency"},
    )


@require_safe
@customer_required
def statement_pdf(request: CompanyRequest, contract_id: int, year: int) -> HttpResponseBase:
    """The statement as a PDF in the language the page is shown in (the switch, else
    the profile's): the customer downloads what they were reading.

    Each download is audited: the company can show when the customer received it.
    """
    figures = _figures(request, contract_id, year)
    language = translation.get_language() or "it"
    pdf = render_pdf(
        "leasing/transparency_pdf.html",
        {"statement": figures, "company": request.company},
        language,
    )
    audit.record(
        "transparency.statement_downloaded",
        request=request,
        obj=figures.contract,
        year=figures.year,
        provisional=figures.provisional,
    )
    number = re.sub(r"[^A-Za-z0-9_-]", "-", figures.contract.number)
    # Named in the language of the page it was downloaded from, like the exports.
    kind = _("rendiconto")
    filename = f"{kind}-{number}-{figures.year}.pdf"
    return private_file_response(pdf, filename, PDF)
