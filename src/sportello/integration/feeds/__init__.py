"""The kinds of data a core system sends, each with its loader (docs/feeds.md)."""

from __future__ import annotations

from dataclasses import replace
from typing import IO

from sportello.core.models import Company

from ..services import FeedKind, Outcome
from . import fatturapa
from .archives import FilesKind, generated_name
from .kinds import DOCUMENTS, TABULAR

#: Documents come as a ZIP: ``documents.csv`` (or .xlsx, .jsonl) and the files it names.
DOCUMENT_FILES = FilesKind(
    DOCUMENTS,
    "file",
    lambda company, row, checked: generated_name(f"documents/{company.pk}"),
)

_INVOICES = next(kind for kind in TABULAR if kind.name == "invoices")

#: Invoices with their PDF: a ZIP with ``invoices.csv`` and a ``pdf`` column.
INVOICE_FILES = FilesKind(
    replace(_INVOICES, fields=[*_INVOICES.fields, "pdf"]),
    "pdf",
    lambda company, row, checked: generated_name(
        f"invoices/{company.pk}/{row['year']}", checked.extension
    ),
    content_types=frozenset({"application/pdf"}),
)


def _invoices_file(company: Company, source: IO[bytes], *, file_name: str) -> Outcome:
    if file_name.lower().endswith(".zip"):
        return INVOICE_FILES.load_file(company, source, file_name=file_name)
    return _INVOICES.load_file(company, source, file_name=file_name)


#: Every kind by the name the command, the back office and the API use.
KINDS: dict[str, FeedKind] = {
    kind.name: FeedKind(kind.name, kind.label, kind.load_file, kind.load_rows) for kind in TABULAR
}
KINDS["invoices"] = FeedKind("invoices", _INVOICES.label, _invoices_file, _INVOICES.load_rows)
KINDS["documents"] = FeedKind("documents", DOCUMENTS.label, DOCUMENT_FILES.load_file)
KINDS.update(fatturapa.KINDS)
