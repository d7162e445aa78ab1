"""A company's data written back as feed files: the inverse of the import.

Each kind's rows come out in its documented columns, in the forms the import
reads (decimal comma, dd/mm/yyyy, ISO 8601 times with their offset), one row at
a time from the database (``iterator``), so a large company is never held in
memory. Documents, and on request invoices with their PDF, come as the ZIP the
import takes. Importing what this writes into another company gives the same
data; importing it into the same company changes nothing.

These files are for a machine, not for Excel: the cells are not guarded
against formulas as ``core.exports`` guards what people download, since any
change would no longer read back as the same value.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from django.db.models import FileField, QuerySet
from django.utils import timezone

from sportello.core.models import Company

from .archives import FilesKind
from .tabular import TabularKind, model_field

#: The order the kinds are imported in: what a row refers to comes first.
ORDER = (
    "customers",
    "contracts",
    "plan",
    "schedule",
    "assets",
    "supply_points",
    "invoices",
    "consumption",
    "measures",
    "reading_windows",
    "documents",
)
_EUROPE_ROME = timezone.get_default_timezone()


def cell(value: Any) -> str:
    """One value as the import reads it back, exactly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.astimezone(_EUROPE_ROME).isoformat()
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _paths(kind: TabularKind) -> list[str]:
    """The ORM path of each column: a reference by its code, a field as it is."""
    paths = [
        f"{ref.field}__{'number' if ref.field == 'contract' else 'code'}" for ref in kind.references
    ]
    return paths + list(kind.fields)


def _scoped(kind: TabularKind, company: Company) -> QuerySet[Any]:
    manager = kind.model._default_manager
    if kind.company_field:
        scoped = manager.filter(**{kind.company_field: company})
    else:
        scoped = manager.filter(**{f"{kind.references[0].field}__company": company})
    return scoped.order_by("pk")


def header(kind: TabularKind) -> list[str]:
    return [column.name for column in kind.columns()]


def write_csv(kind: TabularKind, company: Company, target: Path) -> int:
    """``target`` holds the company's rows of ``kind``; the number of rows."""
    count = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(header(kind))
        for row in _scoped(kind, company).values_list(*_paths(kind)).iterator(chunk_size=2000):
            writer.writerow([cell(value) for value in row])
            count += 1
    return count


def write_zip(files: FilesKind, company: Company, target: Path) -> int:
    """A ZIP with ``<kind>.csv`` and every stored file its rows name.

    A row whose object has no code of the core system (a document an operator
    uploaded) is given its ``uid`` as code, so exporting twice gives the same file.
    """
    kind = files.tabular
    field = model_field(kind.model, files.file_field)
    assert isinstance(field, FileField)
    storage = field.storage
    columns = header(kind)
    at_file = columns.index(files.file_field)
    at_code = columns.index("code") if "code" in columns else None
    count = 0
    # The rows are written beside, then added: a ZIP takes one member at a time.
    with (
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
        tempfile.SpooledTemporaryFile(max_size=8 << 20) as rows_file,
    ):
        writer = csv.writer(_Text(rows_file), delimiter=";", lineterminator="\n")
        writer.writerow(columns)
        rows = _scoped(kind, company).values_list("uid", *_paths(kind))
        for uid, *row in rows.iterator(chunk_size=500):
            count += 1
            if at_code is not None and not row[at_code]:
                row[at_code] = uid.hex
            stored = row[at_file]
            if stored:
                member = _member(dict(zip(columns, row, strict=True)), stored)
                with storage.open(stored, "rb") as content, archive.open(member, "w") as out:
                    shutil.copyfileobj(content, out, 1 << 16)
                row[at_file] = member
            writer.writerow([cell(value) for value in row])
        rows_file.seek(0)
        with archive.open(f"{kind.name}.csv", "w") as out:
            shutil.copyfileobj(rows_file, out, 1 << 16)
    return count


def _member(row: dict[str, Any], stored: str) -> str:
    """A file's name in the ZIP from its object's natural key: the same for the
    same object whichever company it was exported from."""
    if "code" in row:
        stem = str(row["code"])
    else:
        stem = f"{row['document_type']}_{row['date']:%Y}_{row['number']}"
    return f"files/{stem.replace('/', '-')}{PurePosixPath(stored).suffix}"


class _Text:
    """The csv writer's text, encoded into a ZIP member as it is written."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return int(self.raw.write(text.encode("utf-8")))


def export_company(
    company: Company, directory: Path, *, invoice_pdfs: bool = False
) -> Iterator[tuple[str, Path, int]]:
    """Every kind's file of ``company`` in ``directory``, in import order (none
    for a kind without rows)."""
    from . import DOCUMENT_FILES, INVOICE_FILES
    from .kinds import TABULAR

    tabular = {kind.name: kind for kind in TABULAR}
    directory.mkdir(parents=True, exist_ok=True)
    for name in ORDER:
        if name == "documents" or (name == "invoices" and invoice_pdfs):
            target = directory / f"{name}.zip"
            files = DOCUMENT_FILES if name == "documents" else INVOICE_FILES
            rows = write_zip(files, company, target)
        else:
            target = directory / f"{name}.csv"
            rows = write_csv(tabular[name], company, target)
        if rows == 0:
            # The import refuses a file without rows: a kind the company lacks has none.
            target.unlink()
        yield name, target, rows
