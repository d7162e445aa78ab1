"""Which contract a page of the customer area is about: all of them, or one; and
which contract list (active or extinct) the contracts page shows.

``?contract=`` is read here and nowhere else. An id that is not a number, that
does not exist or that belongs to another customer gives the same answer: the
page for all the customer's contracts, with the same message. So a guessed id
tells nothing about whether it exists, and a mangled link still opens a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .forms import ContractChoiceForm
from .models import Contract
from .services import CONTRACT_LISTS

NOT_FOUND = _("Contratto non trovato: sono mostrati tutti i contratti")
LIST_NOT_FOUND = _("Elenco non valido: sono mostrati i contratti attivi")
#: The contracts page's list when ``?stato=`` is absent or not one of ``CONTRACT_LISTS``.
DEFAULT_LIST = "attivi"


@dataclass
class ContractSelection:
    """The customer's contracts, the one chosen (None = all) and the selector form."""

    contracts: list[Contract]
    contract: Contract | None
    form: ContractChoiceForm


def chosen_contract_id(request: HttpRequest) -> int | None:
    """The id in ``?contract=``; None when absent or not a whole number."""
    raw = request.GET.get("contract", "").strip()
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def select_contract(request: HttpRequest, announce: bool = True) -> ContractSelection:
    """Read ``?contract=<id>``: the user's own contract, or all of them.

    Anything but one of the user's own contracts falls back to all of them and,
    with ``announce``, says so (a download has no page to say it on).
    """
    # Only what the selector's labels show: a fleet has hundreds of contracts.
    contracts = list(
        Contract.objects.for_user(request.user)
        .select_related(None)
        .select_related("product")
        .only("number", "status", "end_date", "stipulated_on", "customer", "product")
        .order_by("-stipulated_on", "number")
    )
    chosen = chosen_contract_id(request)
    # The list is already the user's own: a contract not in it is someone else's or none.
    contract = next((c for c in contracts if c.pk == chosen), None)
    if request.GET.get("contract", "").strip() and contract is None and announce:
        messages.warning(request, NOT_FOUND)
    form = ContractChoiceForm(contracts, {"contract": contract.pk} if contract else None)
    return ContractSelection(contracts, contract, form)


def chosen_contract_list(request: HttpRequest) -> str:
    """Read ``?stato=``: ``attivi`` (also when absent) or ``estinti``.

    Any other value, empty included, is a mangled link, not something the
    customer can act on: the active contracts, with a message saying so.
    """
    if "stato" not in request.GET:
        return DEFAULT_LIST
    which = request.GET["stato"].strip()
    if which not in CONTRACT_LISTS:
        messages.warning(request, LIST_NOT_FOUND)
        return DEFAULT_LIST
    return which
