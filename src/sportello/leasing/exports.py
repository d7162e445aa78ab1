"""Excel exports of the amortisation plan and of the leased assets (seed 002)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sportello.core.exports import Column, Exporter

from .models import Asset, Contract, PlanInstalment

#: Rows fetched from the database at a time: memory stays flat on long plans.
CHUNK = 2000


class PlanExporter(Exporter):
    """The whole plan of one contract, with the columns of the page."""

    basename = _("piano-ammortamento")
    sheet = _("Piano di ammortamento")
    columns = [
        Column(_("Num. rata"), "integer", 10),
        Column(_("Data scadenza"), "date"),
        Column(_("Tipologia rata"), "text", 18),
        Column(_("Importo rata"), "money"),
        Column(_("Quota capitale"), "money"),
        Column(_("Quota interessi"), "money"),
        Column(_("Capitale residuo"), "money", 16),
        Column(_("Modalità di pagamento"), "text", 30),
        Column(_("Inizio competenza"), "date", 16),
        Column(_("Fine competenza"), "date", 16),
        Column(_("Data di incasso"), "date", 16),
    ]

    def __init__(self, contract: Contract, rows: QuerySet[PlanInstalment]) -> None:
        self.contract = contract
        self.queryset = rows
        self.suffix = contract.number

    def rows(self) -> Iterable[Sequence[Any]]:
        for row in self.queryset.iterator(chunk_size=CHUNK):
            yield (
                row.number,
                row.due_date,
                row.get_kind_display(),
                row.amount,
                row.capital_share,
                row.interest_share,
                row.residual_capital,
                row.get_payment_method_display(),
                row.accrual_start,
                row.accrual_end,
                row.collection_date,
            )


class AssetExporter(Exporter):
    """The leased assets with the Excel columns of seed 002."""

    basename = _("beni-in-locazione")
    sheet = _("Beni in locazione")
    columns = [
        Column(_("Codice Contratto"), "text", 16),
        Column(_("Fine mandato"), "date"),
        Column(_("Codice del bene"), "text", 16),
        Column(_("Tipo di risorsa"), "text", 30),
        Column(_("Valore Finanziario"), "money", 18),
        Column(_("Valore atteso futuro"), "money", 18),
        Column(_("Descrizione della risorsa"), "text", 45),
    ]

    def __init__(self, assets: QuerySet[Asset]) -> None:
        self.queryset = assets

    def rows(self) -> Iterable[Sequence[Any]]:
        for asset in self.queryset.iterator(chunk_size=CHUNK):
            yield (
                asset.contract.number,
                asset.lease_end,
                asset.code,
                asset.asset_type,
                asset.financial_value,
                asset.future_value,
                asset.description,
            )
