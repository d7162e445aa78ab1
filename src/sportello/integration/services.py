"""The one way data from a company's core system comes in: a file or a batch of
rows of one kind, applied whole or not at all, and recorded as an ImportRun.

The ``import`` command, the back office's upload page and the REST API's push
endpoints all call :func:`import_file` or :func:`import_rows`. Each kind has a
loader (``feeds.KINDS``) that reads every row, collects every error of the
file in one pass and writes what is valid; the run is rolled back when any
row was rejected or when it is a dry run, so the counts a dry run prints are
the ones a real run would give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.core import audit
from sportello.core.models import Company

from .models import ApiKey, ImportRun, ImportSource, ImportStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Rejection:
    """One error of one row: the rejected-rows report has a line for each."""

    row: int
    column: str
    value: str
    code: str
    message: str


@dataclass
class Outcome:
    """What a loader did (or, rolled back, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    #: Every error counted, also those beyond the report's limit.
    errors: int = 0
    #: What undoes, when the run is rolled back, the changes a loader made
    #: outside the database (the files it stored).
    on_rollback: list[Callable[[], None]] = field(default_factory=list)

    def reject(self, rejection: Rejection) -> None:
        self.errors += 1
        if len(self.rejections) < ImportRun.REPORT_LIMIT:
            self.rejections.append(rejection)

    @property
    def rejected_rows(self) -> int:
        """Rows with an error (row 0 is the file itself: a column, the header)."""
        return len({r.row for r in self.rejections if r.row})


class FileLoader(Protocol):
    def __call__(self, company: Company, source: IO[bytes], *, file_name: str) -> Outcome: ...


class RowsLoader(Protocol):
    def __call__(
        self, company: Company, rows: Iterable[tuple[int, Mapping[str, Any]]]
    ) -> Outcome: ...


@dataclass(frozen=True)
class FeedKind:
    """A kind of data the core system sends: from a file, and (tabular kinds) as rows."""

    name: str
    label: StrOrPromise
    load_file: FileLoader
    load_rows: RowsLoader | None = None


class ImportRefused(Exception):
    """The run cannot start (unknown kind); the message is for a person."""


class _HashingReader:
    """A binary file read once: its SHA-256 is known when it has been read."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(1 << 16):
            yield chunk


def _kind(name: str) -> FeedKind:
    from .feeds import KINDS

    try:
        return KINDS[name]
    except KeyError:
        raise ImportRefused(_("Tipo di dati sconosciuto: %(kind)s") % {"kind": name}) from None


def import_file(
    company: Company,
    kind: str,
    source: IO[bytes],
    *,
    file_name: str,
    source_kind: ImportSource,
    actor: Any = None,
    api_key: ApiKey | None = None,
    dry_run: bool = False,
) -> ImportRun:
    """Load one file of ``kind`` for ``company``: all of it, or nothing."""
    feed = _kind(kind)
    reader = _HashingReader(source)
    run = _start(company, feed, source_kind, actor, api_key, file_name)
    outcome = _apply(lambda: feed.load_file(company, reader, file_name=file_name), dry_run)  # type: ignore[arg-type]
    # The loader may stop reading early (a file that is not CSV): hash the rest too.
    for _chunk in reader:
        pass
    return _finish(run, outcome, dry_run, reader.digest.hexdigest())


def import_rows(
    company: Company,
    kind: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    source_kind: ImportSource = ImportSource.API,
    actor: Any = None,
    api_key: ApiKey | None = None,
    dry_run: bool = False,
) -> ImportRun:
    """Load a batch of rows (the API's push): the same checks and writes as a file."""
    feed = _kind(kind)
    if feed.load_rows is None:
        raise ImportRefused(_("I dati «%(kind)s» si caricano solo come file.") % {"kind": kind})
    load_rows = feed.load_rows
    run = _start(company, feed, source_kind, actor, api_key, "")
    outcome = _apply(lambda: load_rows(company, enumerate(rows, start=1)), dry_run)
    return _finish(run, outcome, dry_run, "")


def _start(
    company: Company,
    feed: FeedKind,
    source_kind: ImportSource,
    actor: Any,
    api_key: ApiKey | None,
    file_name: str,
) -> ImportRun:
    return ImportRun.objects.create(
        company=company,
        kind=feed.name,
        source=source_kind,
        actor=actor,
        api_key=api_key,
        file_name=without_nul(file_name)[-200:],
    )


def without_nul(text: str) -> str:
    """``text`` as PostgreSQL stores it: a NUL (which a file or a JSON body may
    carry, and which its text and jsonb refuse) shown as the replacement character."""
    return text.replace("\x00", "\ufffd")


class _RollBack(Exception):
    pass


def _apply(load: Any, dry_run: bool) -> Outcome:
    outcome = Outcome()
    try:
        with transaction.atomic():
            outcome = load()
            if dry_run or outcome.errors:
                raise _RollBack
    except _RollBack:
        for undo in outcome.on_rollback:
            undo()
    return outcome


def _finish(run: ImportRun, outcome: Outcome, dry_run: bool, checksum: str) -> ImportRun:
    run.checksum = checksum
    run.rows = outcome.rows
    run.rejected = outcome.rejected_rows if outcome.errors else 0
    run.report = [
        {
            name: without_nul(value) if isinstance(value, str) else value
            for name, value in r.__dict__.items()
        }
        for r in outcome.rejections
    ]
    if outcome.errors:
        run.status = ImportStatus.REJECTED
        run.created = run.updated = run.unchanged = 0
    else:
        run.status = ImportStatus.DRY_RUN if dry_run else ImportStatus.DONE
        run.created, run.updated, run.unchanged = (
            outcome.created,
            outcome.updated,
            outcome.unchanged,
        )
    run.finished_at = timezone.now()
    run.save()
    audit.record(
        "integration.import",
        actor=run.actor,
        company=run.company,
        obj=run,
        kind=run.kind,
        status=run.status,
        rows=run.rows,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        rejected=run.rejected,
    )
    return run
