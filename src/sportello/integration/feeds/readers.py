"""Reading a feed file a row at a time: CSV, XLSX or JSON lines, never whole.

Each reader yields ``(row number, {column: value})``; the row number is the
one a person sees (in a spreadsheet the header is row 1, the first data row
2; in JSON lines, the line). A CSV is UTF-8 (a byte order mark is fine) with
``;`` or ``,`` between fields, found from the header line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from .values import CellError

Row = tuple[int, dict[str, Any]]

FORMATS = ("csv", "xlsx", "jsonl")


class FileError(ValueError):
    """The file cannot be read at all; the message is for a person."""


def format_of(file_name: str, head: bytes) -> str:
    name = file_name.lower()
    if head.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".jsonl", ".ndjson", ".json")) or head.lstrip().startswith(b"{"):
        return "jsonl"
    return "csv"


class _Peeked(io.RawIOBase):
    """A stream whose first bytes were read to tell its format, put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_rows(source: IO[bytes], file_name: str) -> Iterator[Row]:
    head = source.read(4096)
    stream = io.BufferedReader(_Peeked(head, source), buffer_size=1 << 16)
    kind = format_of(file_name, head)
    if kind == "xlsx":
        return _xlsx_rows(stream)
    if kind == "jsonl":
        return _jsonl_rows(stream)
    return _csv_rows(stream)


def _csv_rows(stream: IO[bytes]) -> Iterator[Row]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        header_line = text.readline()
    except UnicodeDecodeError:
        raise FileError(_("Il file non è in UTF-8: salvarlo come «CSV UTF-8».")) from None
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter), [])]
    if not any(header):
        raise FileError(_("Il file è vuoto: manca la riga di intestazione."))
    reader = csv.reader(text, delimiter=delimiter)
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(cells):
                continue
            yield (
                number,
                dict(zip(header, cells, strict=False))
                | ({"__extra__": cells[len(header) :]} if len(cells) > len(header) else {}),
            )
    except UnicodeDecodeError:
        raise FileError(_("Riga %(row)s: il file non è in UTF-8.") % {"row": number + 1}) from None
    except csv.Error as error:
        raise FileError(
            _("Riga %(row)s: CSV non leggibile (%(error)s).") % {"row": number, "error": error}
        ) from None


def _xlsx_rows(stream: IO[bytes]) -> Iterator[Row]:
    from openpyxl import load_workbook

    # An XLSX is a ZIP, read from its end: the upload's stream only goes forward,
    # so it is copied to a spooled file first (memory up to 8 MB, then disk).
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (closed below)
    shutil.copyfileobj(stream, spool, 1 << 16)
    spool.seek(0)
    try:
        workbook = load_workbook(spool, read_only=True, data_only=True)
    except Exception:
        spool.close()
        raise FileError(_("Il file non è un foglio Excel (.xlsx) leggibile.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        if not any(header):
            raise FileError(_("Il foglio è vuoto: manca la riga di intestazione."))
        number = 1
        try:
            for number, cells in enumerate(rows, start=2):
                if all(cell is None or cell == "" for cell in cells):
                    continue
                yield (
                    number,
                    {name: cell for name, cell in zip(header, cells, strict=False) if name},
                )
        except Exception:
            # The sheet is read lazily: a damaged part shows only when its rows are.
            raise FileError(
                _("Riga %(row)s: il foglio Excel è danneggiato.") % {"row": number + 1}
            ) from None
    finally:
        workbook.close()
        spool.close()


def _jsonl_rows(stream: IO[bytes]) -> Iterator[Row]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    for number, line in enumerate(stream, start=1):
        try:
            text = decoder.decode(line)
        except UnicodeDecodeError:
            raise FileError(_("Riga %(row)s: il file non è in UTF-8.") % {"row": number}) from None
        if not text.strip():
            continue
        try:
            value = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError:
            yield number, {"__error__": CellError("json", _("Riga JSON non valida."))}
            continue
        if not isinstance(value, dict):
            yield (
                number,
                {"__error__": CellError("json", _("Ogni riga deve essere un oggetto JSON."))},
            )
            continue
        yield number, value
