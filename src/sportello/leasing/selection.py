"""Which contract a page of the customer area is about: all of them, or one."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from .forms import ContractChoiceForm
from .models import Contract


@dataclass
class ContractSelection:
    """The customer's contracts, the one chosen (None = all) and the selector form."""

    contracts: list[Contract]
    contract: Contract | None
    form: ContractChoiceForm


def chosen_contract_id(request: HttpRequest) -> int | None:
    """The id in ``?contract=``; None when absent; 404 when it is not a number."""
    raw = request.GET.get("contract", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def select_contract(request: HttpRequest) -> ContractSelection:
    """Read ``?contract=<id>``: the user's own contract, or 404; absent = all contracts."""
    contracts = list(Contract.objects.for_user(request.user).order_by("-stipulated_on", "number"))
    chosen = chosen_contract_id(request)
    contract = None
    if chosen is not None:
        # The list is already the user's own: a contract not in it is someone else's.
        contract = next((c for c in contracts if c.pk == chosen), None)
        if contract is None:
            raise Http404
    form = ContractChoiceForm(contracts, {"contract": chosen} if chosen is not None else None)
    return ContractSelection(contracts, contract, form)
