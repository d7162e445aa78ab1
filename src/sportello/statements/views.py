"""Annual transparency statements in the customer area (H4): list, page and PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sportello.accounts.http import CompanyRequest
from sportello.core import audit
from sportello.core.decorators import leasing_customer_required
from sportello.core.files import PDF, private_file_response
from sportello.core.pagination import paginate
from sportello.core.scoping import get_for_user
from sportello.leasing.models import Contract
from sportello.leasing.selection import select_contract

from . import services
from .services import (
    StatementYear,
    StatementYearOutOfRange,
    TransparencyStatementFigures,
    statement_years,
    transparency_statement,
)

#: Contracts per page of the statements list: each shows all its years.
STATEMENT_CONTRACTS_PER_PAGE = 10


@dataclass(frozen=True)
class ContractYears:
    contract: Contract
    years: list[StatementYear]


def _require_transparency(request: CompanyRequest) -> None:
    # A utility never gets this far: leasing_customer_required.
    if not request.company.feature_transparency:
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
@leasing_customer_required
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
        "statements/list.html",
        {"page": page, "rows": rows, "active_menu": "transparency"},
    )


@require_safe
@leasing_customer_required
def statement_detail(request: CompanyRequest, contract_id: int, year: int) -> HttpResponse:
    figures = _figures(request, contract_id, year)
    return render(
        request,
        "statements/detail.html",
        {"statement": figures, "active_menu": "transparency"},
    )


@require_safe
@leasing_customer_required
def statement_pdf(request: CompanyRequest, contract_id: int, year: int) -> HttpResponseBase:
    """The statement as a PDF in the language the page is shown in (the switch, else
    the profile's): the customer downloads what they were reading. A closed
    year's is printed once and kept (``services.statement_pdf``).

    Each download is audited: the company can show when the customer received it.
    """
    figures = _figures(request, contract_id, year)
    pdf = services.statement_pdf(figures, request.company, translation.get_language() or "it")
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
