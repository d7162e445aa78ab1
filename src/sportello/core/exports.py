"""The one way to export a table: an exporter yields rows, a writer makes the file.

The XLSX is written by XlsxWriter in constant-memory mode to a temporary file
that is then streamed, so memory does not grow with the number of rows. Money
and dates become real number and date cells, with Italian formats.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils.functional import Promise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column: its header (translated) and its kind: text, money, date, integer."""

    header: str | Promise
    kind: str = "text"
    width: int = 14


class Exporter:
    """Subclasses name the file and the columns and yield one sequence per row."""

    filename = "export.xlsx"
    sheet = "Dati"
    columns: Sequence[Column] = ()

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError


def write_xlsx(exporter: Exporter, path: str) -> None:
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "in_memory": False, "remove_timezone": True}
    )
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1}),
        "money": workbook.add_format({"num_format": "#,##0.00 [$€-410]"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "integer": workbook.add_format({"num_format": "0"}),
    }
    sheet = workbook.add_worksheet(str(exporter.sheet)[:31])
    for index, column in enumerate(exporter.columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, str(column.header), formats["header"])
    sheet.freeze_panes(1, 0)
    for row_number, row in enumerate(exporter.rows(), start=1):
        for index, (column, value) in enumerate(zip(exporter.columns, row, strict=True)):
            if value is None or value == "":
                sheet.write_blank(row_number, index, None)
            elif column.kind == "money":
                sheet.write_number(row_number, index, float(Decimal(value)), formats["money"])
            elif column.kind == "date":
                sheet.write_datetime(row_number, index, _as_datetime(value), formats["date"])
            elif column.kind == "integer":
                sheet.write_number(row_number, index, int(value), formats["integer"])
            else:
                sheet.write_string(row_number, index, str(value))
    workbook.close()


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def xlsx_response(exporter: Exporter) -> FileResponse:
    """The exporter's rows as a downloaded .xlsx, streamed from a temporary file
    that disappears when the response is closed."""
    target = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    write_xlsx(exporter, target.name)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=exporter.filename, content_type=XLSX_TYPE
    )
