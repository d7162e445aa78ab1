"""The rejected-rows report of an import run, through the one export writer (XLSX, CSV)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from sportello.core.exports import Column, Exporter

from .models import ImportRun


class RejectedRowsExporter(Exporter):
    """One line per error: row number, column, value, error code, message."""

    basename = _("righe-rifiutate")
    sheet = _("Righe rifiutate")
    columns = (
        Column(_("Riga"), "integer", 8),
        Column(_("Colonna"), width=22),
        Column(_("Valore"), width=24),
        Column(_("Codice errore"), width=16),
        Column(_("Messaggio"), width=70),
    )

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.suffix = f"{run.kind}-{run.pk}"

    def rows(self) -> Iterable[Sequence[Any]]:
        for line in self.run.report:
            yield (line["row"], line["column"], line["value"], line["code"], line["message"])
