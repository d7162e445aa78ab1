"""The shared XLSX writer: real number and date cells, a header row, every row."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import openpyxl
from tests.answers import cache_directives

from sportello.core.exports import (
    CSV_CHUNK_BYTES,
    Column,
    Exporter,
    csv_response,
    xlsx_response,
)


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


def csv_text(response: Any) -> str:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return raw.decode("utf-8-sig")


def test_it_writes_a_csv_that_italian_excel_reads() -> None:
    response = csv_response(Sample())

    lines = csv_text(response).split("\r\n")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="prova.csv"'
    assert {"no-store", "private"} <= cache_directives(response)
    assert lines[0] == "Contratto;Scadenza;N. canone;Importo"
    assert lines[1] == "84963;30/04/2024;12;2316,38"
    assert lines[2] == "84963;;13;-5,10"
    assert len(lines) == 3003 + 1  # the last line ends too


def test_it_streams_the_csv_while_it_reads_the_rows() -> None:
    produced = 0

    class Counting(Exporter):
        columns = Sample.columns

        def rows(self) -> Iterable[Sequence[Any]]:
            nonlocal produced
            for n in range(50_000):
                produced += 1
                yield (str(n), dt.date(2025, 1, 1), n, Decimal(n))

    chunks = csv_response(Counting()).streaming_content
    next(chunks)  # type: ignore[call-overload]
    first_rows = next(chunks)  # type: ignore[call-overload]

    # Lines go out a chunk at a time, long before the last row is read.
    assert 0 < produced < 5_000
    assert len(first_rows) < CSV_CHUNK_BYTES + 100


def test_it_keeps_text_that_looks_like_a_formula_as_text() -> None:
    class Hostile(Exporter):
        columns = [Column("Descrizione"), Column("Importo", "money")]

        def rows(self) -> Iterable[Sequence[Any]]:
            yield ('=HYPERLINK("http://x")', Decimal("-1"))
            yield ('Fiat "Ducato"; 2.3', Decimal("1234567.891"))

    lines = csv_text(csv_response(Hostile())).split("\r\n")

    assert lines[1] == '"\'=HYPERLINK(""http://x"")";-1,00'
    assert lines[2] == '"Fiat ""Ducato""; 2.3";1234567,89'


class Measured(Exporter):
    """A file that says what it is about above its header and sums up below its rows."""

    basename = "misure"
    columns = [
        Column("Quando", "datetime"),
        Column("Fuso"),
        Column("Energia", "quantity"),
    ]

    def preamble(self) -> Sequence[Sequence[str]]:
        return [("Punto", "PR002874"), ("Periodo", "dal 25/10/2026 al 25/10/2026")]

    def rows(self) -> Iterable[Sequence[Any]]:
        yield (dt.datetime(2026, 10, 25, 2, 15), "UTC+02:00", Decimal("0.25"))
        yield (dt.datetime(2026, 10, 25, 2, 15), "UTC+01:00", Decimal("1234.5675"))

    def footer(self) -> Sequence[Any]:
        return ("Totale", "", Decimal("1234.8175"))


def test_it_writes_a_preamble_and_a_footer_in_the_csv() -> None:
    lines = csv_text(csv_response(Measured())).split("\r\n")

    assert lines == [
        "Punto;PR002874",
        "Periodo;dal 25/10/2026 al 25/10/2026",
        "",
        "Quando;Fuso;Energia",
        "25/10/2026 02:15;UTC+02:00;0,250",
        "25/10/2026 02:15;UTC+01:00;1234,568",
        "Totale;;1234,818",
        "",
    ]


def test_it_writes_a_preamble_and_a_footer_in_the_workbook() -> None:
    content = b"".join(xlsx_response(Measured()).streaming_content)  # type: ignore[arg-type]

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Punto", "PR002874", None),
        ("Periodo", "dal 25/10/2026 al 25/10/2026", None),
        (None, None, None),
        ("Quando", "Fuso", "Energia"),
        (dt.datetime(2026, 10, 25, 2, 15), "UTC+02:00", 0.25),
        (dt.datetime(2026, 10, 25, 2, 15), "UTC+01:00", 1234.5675),
        ("Totale", None, 1234.8175),
    ]
    assert sheet["A5"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["C5"].number_format == "#,##0.000"
    assert sheet.freeze_panes == "A5"
