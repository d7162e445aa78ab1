"""The billing page's «Esporta»: the same rows, columns and order as the page, every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sportello.core.exports import Column, Exporter

from .models import EntryStatus, ScheduleEntry
from .services import visible_invoice


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

    def rows(self) -> Iterable[Sequence[Any]]:
        for entry in self.entries.iterator(chunk_size=2000):
            invoice = visible_invoice(entry, self.now)
            yield (
                EntryStatus(entry.status).label,  # type: ignore[attr-defined]
                entry.contract.number,
                entry.due_date,
                entry.instalment_number,
                entry.get_reason_display(),
                entry.get_payment_method_display(),
                entry.amount,
                entry.paid,
                entry.balance_due,  # type: ignore[attr-defined]
                entry.overdue_balance,  # type: ignore[attr-defined]
                invoice.number if invoice else "",
            )
