"""Forms of the leasing customer area."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.core.formatting import format_date
from sportello.core.forms import LongSelect, StyledForm

from .models import Contract, ContractStatus


def contract_label(contract: Contract, statuses: dict[str, str] | None = None) -> str:
    """``84963 - Leasing targato - Attivo - scadenza 20/06/26`` (seed 002's selector).

    ``statuses``: the status labels, looked up once for a whole list.
    """
    status = statuses[contract.status] if statuses else contract.get_status_display()
    return (
        f"{contract.number} - {contract.product} - {status} - "
        f"{_('scadenza')} {format_date(contract.end_date)}"
    )


class ContractChoiceForm(StyledForm):
    """The selector at the top right: all the customer's contracts or one (kept in the URL).

    Only the user's own contracts are offered; ``selection.select_contract``
    answers any other id with all the contracts and a message.
    """

    contract = forms.TypedChoiceField(
        label=_("Contratto"), required=False, coerce=int, empty_value=None, widget=LongSelect
    )

    def __init__(self, contracts: list[Contract], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str | int, str]] = [("", str(_("Tutti i contratti")))]
        statuses = {value: str(label) for value, label in ContractStatus.choices}
        choices += [(c.pk, contract_label(c, statuses)) for c in contracts]
        field = self.fields["contract"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices
