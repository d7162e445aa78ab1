"""The billing page's «Esporta»: the same rows, columns and order as the page, every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Case, F, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from sportello.core.exports import Column, Exporter
from sportello.leasing.models import PaymentMethod, PaymentReason

from .models import EntryStatus, ScheduleEntry

#: Rows fetched from the database at a time: the file never holds more.
CHUNK_ROWS = 2000


class ScheduleExporter(Exporter):
    basename = _("fatture-e-pagamenti")
    sheet = _("Fatture e pagamenti")
    columns = [
        Column(_("Stato"), width=12),
        Column(_("Contratto"), width=12),
        Column(_("Scadenza"), "date", width=12),
        Column(_("N. Canone"), "integer", width=10),
        Column(_("Causale"), width=18),
        Column(_("Pagamento"), width=30),
        Column(_("Importo"), "money"),
        Column(_("Pagato"), "money"),
        Column(_("Saldo"), "money"),
        Column(_("Saldo scaduto"), "money"),
        Column(_("Fattura"), width=14),
    ]

    def __init__(
        self, entries: QuerySet[ScheduleEntry], now: dt.datetime, contract_number: str = ""
    ) -> None:
        self.entries = entries
        self.now = now
        self.suffix = contract_number

    def values(self) -> QuerySet[ScheduleEntry, tuple[Any, ...]]:
        """The rows as the database gives them, codes untranslated.

        The invoice number is there only once the invoice is published, as on
        the page (``services.visible_invoice``), decided by the database too.
        """
        return self.entries.annotate(
            visible_invoice_number=Case(
                When(invoice__published_at__lte=self.now, then=F("invoice__number")),
                default=Value(""),
            )
        ).values_list(
            "status",
            "contract__number",
            "due_date",
            "instalment_number",
            "reason",
            "payment_method",
            "amount",
            "paid",
            "balance_due",
            "overdue_balance",
            "visible_invoice_number",
        )

    def rows(self) -> Iterable[Sequence[Any]]:
        """Plain tuples from the database, the labels translated once per file."""
        statuses = _labels(EntryStatus.choices)
        reasons = _labels(PaymentReason.choices)
        methods = _labels(PaymentMethod.choices)
        for (
            status,
            number,
            due,
            instalment,
            reason,
            method,
            *figures,
            invoice,
        ) in self.values().iterator(chunk_size=CHUNK_ROWS):
            # A code the portal does not know yet is shown as sent, as on the page.
            yield (
                statuses[status],
                number,
                due,
                instalment,
                reasons.get(reason, reason),
                methods.get(method, method),
                *figures,
                invoice,
            )


def _labels(choices: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}
