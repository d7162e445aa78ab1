"""The shared XLSX writer: real number and date cells, a header row, every row."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import openpyxl

from sportello.core.exports import Column, Exporter, xlsx_response


class Sample(Exporter):
    basename = "prova"
    columns = [
        Column("Contratto"),
        Column("Scadenza", "date"),
        Column("N. canone", "integer"),
        Column("Importo", "money"),
    ]

    def rows(self) -> Iterable[Sequence[Any]]:
        yield ("84963", dt.date(2024, 4, 30), 12, Decimal("2316.38"))
        yield ("84963", None, 13, Decimal("-5.10"))
        for n in range(3000):
            yield (str(n), dt.date(2025, 1, 1), n, Decimal(n))


def test_it_writes_typed_cells_under_an_italian_header() -> None:
    response = xlsx_response(Sample())
    content = b"".join(response.streaming_content)  # type: ignore[arg-type]

    assert response["Content-Disposition"] == 'attachment; filename="prova.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Contratto", "Scadenza", "N. canone", "Importo")
    assert rows[1] == ("84963", dt.datetime(2024, 4, 30), 12, 2316.38)
    assert rows[2] == ("84963", None, 13, -5.1)
    assert len(rows) == 3003
    assert sheet["D2"].number_format.startswith("#,##0.00")
    assert sheet["B2"].number_format == "dd/mm/yyyy"
