"""What the contract pages of the customer area show (D1–D5).

Every function takes the portal user and reaches the contracts through it, so
another customer's contract is a 404; every list is a queryset that the views
paginate in the database (``core.pagination``), so a page costs the same few
queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404

from sportello.core.scoping import get_for_user

from .models import Asset, Contract, ContractStatus, InstalmentKind, PlanInstalment

ZERO = Decimal("0.00")

#: The two lists of seed 000, as they appear in the address (``?stato=estinti``).
CONTRACT_LISTS = {"attivi": ContractStatus.ACTIVE, "estinti": ContractStatus.EXTINCT}


def residual_capital_on(contract: Contract, day: dt.date) -> Decimal:
    """The capital still to repay at the end of ``day`` (CAPITALE RESIDUO AD OGGI).

    The one definition the contract page, the transparency statement and the
    early-termination quote use, so they never disagree:

    * the residual capital the plan gives after the last row that moves capital
      (advance, instalment or residual value; never an indexation row, which is
      interest only) due on or before ``day``;
    * with no such row yet: the whole price before the stipulation day, the
      financed amount (price less advance, paid at stipulation) from then on;
    * zero for an extinct contract from its end date on. The plan's
      residual-value row already brings the capital to zero at the end; the
      rule also holds for a contract closed early whose plan was not cut.
      What an extinct contract's customer may still owe is an unpaid *schedule*
      entry, shown apart as an overdue payment: counting it here too would
      show the same money twice and call a debt "capital" that no longer
      exists (the contract, the plan and the asset's ownership are settled).
    """
    if contract.status == ContractStatus.EXTINCT and day >= contract.end_date:
        return ZERO
    residual = (
        contract.plan.exclude(kind=InstalmentKind.INDEXATION)
        .filter(due_date__lte=day)
        .order_by("-due_date", "-number")
        .values_list("residual_capital", flat=True)
        .first()
    )
    if residual is not None:
        return Decimal(residual)
    return Decimal(contract.amount) if day < contract.stipulated_on else contract.financed_amount


def instalments_still_due(contract: Contract, day: dt.date) -> QuerySet[PlanInstalment]:
    """The regular instalments due after ``day``: the choices of the last one to pay (E4)."""
    return contract.plan.filter(kind=InstalmentKind.INSTALMENT, due_date__gt=day).order_by(
        "due_date", "number"
    )


@dataclass(frozen=True)
class EarlyTerminationQuote:
    """What ending a contract early would cost, as far as the plan can say (E4, J6).

    Indicative: the definitive figure (with any fees, interest on arrears and
    taxes) comes from the service desk, as seed 002 says.
    """

    residual_capital_today: Decimal
    last_instalment: PlanInstalment | None
    capital_after: Decimal  # the capital of the instalments after the last one paid
    residual_value: Decimal

    @property
    def indicative_payoff(self) -> Decimal:
        return self.capital_after + self.residual_value


def early_termination_quote(
    contract: Contract, day: dt.date, last_instalment: PlanInstalment | None = None
) -> EarlyTerminationQuote:
    """The indicative payoff if ``last_instalment`` is the last one paid.

    The plan's residual capital after an instalment already holds the residual
    value (the plan brings the capital down to it, and the residual-value row
    to zero), so the residual value is shown apart and not counted twice:
    payoff = (residual capital after it − residual value) + residual value.
    """
    residual_value = Decimal(contract.residual_value)
    today = residual_capital_on(contract, day)
    if last_instalment is None:
        return EarlyTerminationQuote(today, None, max(today - residual_value, ZERO), residual_value)
    after = Decimal(last_instalment.residual_capital)
    return EarlyTerminationQuote(
        today, last_instalment, max(after - residual_value, ZERO), residual_value
    )


def _with_asset_count(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    assets = (
        Asset.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(asset_count=Subquery(assets))


@dataclass
class ContractList:
    """One of the two lists (active or extinct) and how many each has."""

    status: str
    contracts: QuerySet[Contract]
    active_count: int
    extinct_count: int


def contract_list(user: Any, which: str) -> ContractList:
    """Active ("a reddito") or extinct contracts of the user's customer."""
    status = CONTRACT_LISTS.get(which)
    if status is None:
        raise Http404
    owned = Contract.objects.for_user(user)
    counts = dict(owned.order_by().values_list("status").annotate(n=Count("pk")))
    contracts = _with_asset_count(owned.filter(status=status)).order_by(
        "-stipulated_on", "number", "pk"
    )
    return ContractList(
        status=str(status),
        contracts=contracts,
        active_count=counts.get(ContractStatus.ACTIVE, 0),
        extinct_count=counts.get(ContractStatus.EXTINCT, 0),
    )


@dataclass
class ContractDetail:
    """The contract with the figures the page derives: assets and capital still due."""

    contract: Contract
    asset_count: int
    residual_capital_today: Decimal


def contract_detail(user: Any, pk: int, today: dt.date) -> ContractDetail:
    """Every block of the contract page of seed 002, for the user's own contract."""
    contract = _with_asset_count(Contract.objects.for_user(user)).filter(pk=pk).first()
    if contract is None:
        raise Http404
    return ContractDetail(
        contract=contract,
        asset_count=getattr(contract, "asset_count", None) or 0,
        residual_capital_today=residual_capital_on(contract, today),
    )


def own_contract(user: Any, pk: int) -> Contract:
    return get_for_user(Contract, user, pk=pk)


def plan_rows(contract: Contract) -> QuerySet[PlanInstalment]:
    """The whole amortisation plan in the seed's order (indexation before the
    instalment of the same date)."""
    return contract.plan.order_by("due_date", "kind", "number", "pk")


def assets_of(user: Any, contract: Contract | None) -> QuerySet[Asset]:
    """The leased assets of every contract of the user's customer, or of one."""
    assets = Asset.objects.for_user(user).select_related("contract")
    if contract is not None:
        assets = assets.filter(contract=contract)
    return assets.order_by("contract__number", "code", "pk")


def contract_documents(user: Any, pk: int) -> tuple[Contract, QuerySet[Any]]:
    """The documents of one of the user's contracts ("Vai a documenti").

    Through the contract's reverse relation: documents stand above leasing
    (a document may belong to a contract), so leasing does not import them.
    """
    contract = own_contract(user, pk)
    documents = contract.documents.for_user(user)
    return contract, documents.order_by("-published_on", "title", "pk")
