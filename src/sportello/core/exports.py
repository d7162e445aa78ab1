"""The one way to export a table: an exporter yields rows, a writer makes the file.

Two writers read the same rows: XLSX and CSV, chosen by ``?format=``. Neither
holds the whole file in memory. The XLSX is written by XlsxWriter in
constant-memory mode to a temporary file that is then streamed; money and
dates become real number and date cells, with Italian formats. The CSV is
written row by row into the response, the way Excel set to Italian reads it
on a double click: ``;`` between fields, decimal comma, dates dd/mm/yyyy and a
UTF-8 byte order mark so that accents survive.

File names and headers are translated when the export is made, so they follow
the language of the page the customer exported from.

An exporter may also say what the file is about above the header (``preamble``:
a few label/value lines, e.g. the supply point and the period) and close it with
a totals line (``footer``: its first cell a label, the others typed as their
columns); both come from the same figures the page shows.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import xlsxwriter
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .files import private_file_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
#: The formats an export offers, as they appear in ``?format=``; the first is the default.
FORMATS = ("xlsx", "csv")

#: A text cell starting with one of these would be read as a formula by a
#: spreadsheet (CSV injection); the apostrophe makes it plain text.
_FORMULA_FIRST = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Column:
    """A column: its header (translated) and its kind: text, money, date, datetime,
    integer, or quantity (a measure to the thousandth: kWh, kW).

    A datetime is written as given: the exporter hands over local, naive times.
    """

    header: str | Promise
    kind: str = "text"
    width: int = 14


class Exporter:
    """Subclasses name the file and the columns and yield one sequence per row.

    ``basename`` is the file name without its extension, translated (e.g.
    «fatture-e-pagamenti» on Italian pages, «invoices-and-payments» on English
    ones); ``suffix`` (a contract number) follows it untranslated.
    """

    basename: str | Promise = _("esportazione")
    suffix = ""
    sheet: str | Promise = _("Dati")
    columns: Sequence[Column] = ()

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def preamble(self) -> Sequence[Sequence[str]]:
        """Lines of text above the header (label, value…); none by default."""
        return ()

    def footer(self) -> Sequence[Any] | None:
        """A last line after the rows: a text label, then values typed as their columns."""
        return None

    def filename(self, extension: str) -> str:
        stem = f"{self.basename}-{self.suffix}" if self.suffix else str(self.basename)
        return f"{stem}.{extension}"


def requested_format(request: HttpRequest) -> str:
    """The format in ``?format=``; anything else is the default, XLSX."""
    chosen = request.GET.get("format", "")
    return chosen if chosen in FORMATS else FORMATS[0]


def export_query(request: HttpRequest) -> str:
    """The page's filters for its export links: everything but the page and format."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def export_response(request: HttpRequest, exporter: Exporter) -> HttpResponseBase:
    """The exporter's rows as a download in the format the link asked for."""
    if requested_format(request) == "csv":
        return csv_response(exporter)
    return xlsx_response(exporter)


def write_xlsx(exporter: Exporter, path: str) -> None:
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "in_memory": False, "remove_timezone": True}
    )
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1}),
        "label": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": "#,##0.00 [$€-410]"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "integer": workbook.add_format({"num_format": "0"}),
        "quantity": workbook.add_format({"num_format": "#,##0.000"}),
    }
    sheet = workbook.add_worksheet(str(exporter.sheet)[:31])
    # constant_memory writes row after row: the preamble first, then the table.
    preamble = exporter.preamble()
    for row_number, line in enumerate(preamble):
        for index, text in enumerate(line):
            sheet.write_string(
                row_number, index, str(text), formats["label"] if index == 0 else None
            )
    header_row = len(preamble) + 1 if preamble else 0
    for index, column in enumerate(exporter.columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(header_row, index, str(column.header), formats["header"])
    sheet.freeze_panes(header_row + 1, 0)
    # One writer per column, chosen once: the loop over the rows only writes.
    writers = [_cell_writer(sheet, column.kind, formats) for column in exporter.columns]
    row_number = header_row
    for row_number, row in enumerate(exporter.rows(), start=header_row + 1):
        for index, (write, value) in enumerate(zip(writers, row, strict=True)):
            write(row_number, index, value)
    footer = exporter.footer()
    if footer is not None:
        label, *values = footer
        sheet.write_string(row_number + 1, 0, str(label), formats["label"])
        for index, (write, value) in enumerate(zip(writers[1:], values, strict=True), start=1):
            write(row_number + 1, index, value)
    workbook.close()


CellWriter = Callable[[int, int, Any], None]


def _cell_writer(sheet: Any, kind: str, formats: dict[str, Any]) -> CellWriter:
    """How a column's values become cells: money and quantities real numbers, dates
    real dates, each with its preset format. An empty value leaves the cell empty
    (XlsxWriter writes nothing for a blank without a format)."""
    if kind in ("money", "quantity", "integer"):
        write_number, number_format = sheet.write_number, formats[kind]
        convert = int if kind == "integer" else float

        def number(row: int, index: int, value: Any) -> None:
            if value is not None and value != "":
                write_number(row, index, convert(value), number_format)

        return number
    if kind in ("date", "datetime"):
        # XlsxWriter takes a date or a datetime as it is.
        write_datetime, date_format = sheet.write_datetime, formats[kind]

        def date(row: int, index: int, value: Any) -> None:
            if value is not None and value != "":
                write_datetime(row, index, value, date_format)

        return date
    write_string = sheet.write_string

    def text(row: int, index: int, value: Any) -> None:
        if value is not None and value != "":
            write_string(row, index, value if isinstance(value, str) else str(value))

    return text


def xlsx_response(exporter: Exporter) -> HttpResponseBase:
    """The exporter's rows as a downloaded .xlsx, streamed from a temporary file
    that disappears when the response is closed."""
    target = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    write_xlsx(exporter, target.name)
    target.seek(0)
    return private_file_response(target, exporter.filename("xlsx"), XLSX_TYPE)


def csv_cell(column: Column, value: Any) -> str:
    """One value as Excel set to Italian reads it back as the same number, date or text."""
    return _CSV_CELLS[column.kind](value)


# Amounts and dates repeat from row to row (an instalment, a due date on every
# contract): their cells are remembered, a bounded number of them.
_REMEMBERED_CELLS = 4096


def _csv_decimal(places: Decimal) -> Callable[[Any], str]:
    @lru_cache(maxsize=_REMEMBERED_CELLS)
    def cell(value: Any) -> str:
        if value is None or value == "":
            return ""
        # + 0 turns -0.00 into 0.00, equal keys give equal cells.
        return format(Decimal(value).quantize(places) + 0, "f").replace(".", ",")

    return cell


@lru_cache(maxsize=_REMEMBERED_CELLS)
def _csv_date(value: Any) -> str:
    # Built from the parts: strftime is several times slower.
    if value is None or value == "":
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _csv_datetime(value: Any) -> str:
    if value is None or value == "":
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"


def _csv_integer(value: Any) -> str:
    return "" if value is None or value == "" else str(int(value))


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    return f"'{text}" if text[:1] in _FORMULA_FIRST else text


#: Each column kind's CSV cell, chosen once per column rather than once per cell.
_CSV_CELLS: dict[str, Callable[[Any], str]] = {
    "money": _csv_decimal(Decimal("0.01")),
    "quantity": _csv_decimal(Decimal("0.001")),
    "date": _csv_date,
    "datetime": _csv_datetime,
    "integer": _csv_integer,
    "text": _csv_text,
}

#: How many bytes of CSV lines a chunk of the response holds: a chunk per line
#: would cost the server a write per row.
CSV_CHUNK_BYTES = 64 * 1024


class _Line:
    """A file-like object that hands back what the csv writer writes into it."""

    def write(self, value: str) -> str:
        return value


def csv_rows(exporter: Exporter, language: str | None = None) -> Iterator[bytes]:
    """The CSV file, one encoded line at a time (the first starts with the BOM).

    The lines are made while the response is sent, after the view has returned:
    ``language`` keeps the labels in the rows in the language of the page.
    """
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    with translation.override(language):
        preamble = exporter.preamble()
        lines = [
            writer.writerow([csv_cell(Column(""), text) for text in line]) for line in preamble
        ]
        if preamble:
            lines.append(writer.writerow([]))
        lines.append(writer.writerow([str(column.header) for column in exporter.columns]))
        yield ("\ufeff" + "".join(str(line) for line in lines)).encode()
        cells = [_CSV_CELLS[column.kind] for column in exporter.columns]
        write = writer.writerow
        chunk: list[str] = []
        size = 0
        for row in exporter.rows():
            line = write([cell(value) for cell, value in zip(cells, row, strict=True)])
            chunk.append(line)
            size += len(line)
            if size >= CSV_CHUNK_BYTES:
                yield "".join(chunk).encode()
                chunk, size = [], 0
        footer = exporter.footer()
        if footer is not None:
            label, *values = footer
            last = [_csv_text(label)]
            last += [cell(value) for cell, value in zip(cells[1:], values, strict=True)]
            chunk.append(write(last))
        if chunk:
            yield "".join(chunk).encode()


def csv_response(exporter: Exporter) -> HttpResponseBase:
    """The exporter's rows as a downloaded .csv, streamed as they are read."""
    lines = csv_rows(exporter, translation.get_language())
    return private_file_response(lines, exporter.filename("csv"), CSV_TYPE)
