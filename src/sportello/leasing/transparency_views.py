"""Annual transparency statements in the customer area (H4): list, page and PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.core.decorators import customer_required
from sportello.core.pdf import render_pdf
from sportello.core.scoping import get_for_user

from .models import Contract
from .selection import chosen_contract_id
from .transparency import (
    StatementYear,
    StatementYearOutOfRange,
    TransparencyStatementFigures,
    statement_years,
    transparency_statement,
)

CONTRACTS_PER_PAGE = 10


@dataclass(frozen=True)
class ContractYears:
    contract: Contract
    years: list[StatementYear]


def _require_feature(request: CompanyRequest) -> None:
    if not (request.company.is_leasing and request.company.feature_transparency):
        raise Http404


def _figures(request: CompanyRequest, contract_id: int, year: int) -> TransparencyStatementFigures:
    _require_feature(request)
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
    """Every contract with its years; ``?contract=<id>`` narrows it to one (404 if not the user's)."""
    _require_feature(request)
    today = timezone.localdate()
    contracts = Contract.objects.for_user(request.user).order_by("-stipulated_on", "number")
    chosen = chosen_contract_id(request)
    if chosen is not None:
        contracts = contracts.filter(pk=chosen)
        if not contracts.exists():
            raise Http404
    page: Page[Contract] = Paginator(contracts, CONTRACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
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
def statement_pdf(request: CompanyRequest, contract_id: int, year: int) -> HttpResponse:
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
    response = HttpResponse(pdf, content_type="application/pdf")
    number = re.sub(r"[^A-Za-z0-9_-]", "-", figures.contract.number)
    filename = f"rendiconto-{number}-{figures.year}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
