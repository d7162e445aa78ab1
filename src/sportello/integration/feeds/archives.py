"""Feeds whose rows come with files: one ZIP holding the rows (``documents.csv``,
``.xlsx`` or ``.jsonl``) and the files the rows name in their file column.

Nothing in the ZIP is trusted. A member's name is only a key the rows refer
to, never a path anything is written to (so no zip-slip); the members are
counted and their sizes summed from the ZIP's directory before anything is
read, and each is read bounded (``zipfile`` stops at the declared size and
checks the CRC), so a zip bomb is refused, not inflated. Every file passes the
checks every upload passes (size, type by content, ClamAV) and is stored under
a generated name. A file already stored with the same SHA-256 for the same
object is left as it is, so the same ZIP twice writes nothing; a changed one is
stored anew and the old one deleted once the run is committed. When the run is
rolled back (a rejected row, a dry run) the files it stored are deleted.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.utils.translation import gettext as _

from sportello.billing.fatturapa.containers import UNREADABLE_ZIP
from sportello.core.models import Company
from sportello.core.uploads import CheckedUpload, UploadRefused, check_upload, scan

from ..services import Outcome, Rejection
from .readers import FORMATS, FileError, read_rows
from .tabular import RowStep, TabularKind, model_field

#: The largest ZIP accepted, its members and their total uncompressed size.
ZIP_MAX_BYTES = 2 << 30
ZIP_MAX_MEMBERS = 50_000
ZIP_MAX_UNCOMPRESSED = 4 << 30

#: A stored file's name from the company, the row and what its content is.
Naming = Callable[[Company, Mapping[str, Any], CheckedUpload], str]


@dataclass(frozen=True)
class FilesKind:
    """A tabular kind whose ``file_field`` is filled from the files of a ZIP."""

    tabular: TabularKind
    file_field: str
    naming: Naming
    #: The content types accepted (told by content); empty: every one uploads accept.
    content_types: frozenset[str] = frozenset()

    def load_file(self, company: Company, source: IO[bytes], *, file_name: str) -> Outcome:
        outcome = Outcome()
        try:
            with _spooled(source) as spool, zipfile.ZipFile(spool) as archive:
                members = _members(archive)
                feed = _feed_member(members, self.tabular.name)
                files = _StoredFiles(self, company, archive, members)
                kind = replace(self.tabular, complete=files.complete)
                with archive.open(feed) as stream:
                    try:
                        outcome = kind.load_rows(company, read_rows(stream, feed.filename))
                    except BaseException:
                        files.delete_written()
                        raise
                outcome.on_rollback.append(files.delete_written)
                return outcome
        except UNREADABLE_ZIP:
            # Also a member found damaged while its rows or its file were read.
            error = FileError(_("Il file non è uno ZIP leggibile."))
        except FileError as refused:
            error = refused
        outcome.reject(Rejection(0, "", "", "file", str(error)))
        return outcome


@contextmanager
def _spooled(source: IO[bytes]) -> Iterator[IO[bytes]]:
    """The upload copied where it can be read from its end (a ZIP's directory is there)."""
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
        size = 0
        while chunk := source.read(1 << 16):
            size += len(chunk)
            if size > ZIP_MAX_BYTES:
                raise FileError(_("Lo ZIP è troppo grande."))
            spool.write(chunk)
        spool.seek(0)
        yield spool


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > ZIP_MAX_MEMBERS:
        raise FileError(_("Lo ZIP contiene più di %(count)s file.") % {"count": ZIP_MAX_MEMBERS})
    if sum(info.file_size for info in infos) > ZIP_MAX_UNCOMPRESSED:
        raise FileError(_("Lo ZIP, decompresso, è troppo grande."))
    return {info.filename: info for info in infos}


def _feed_member(members: Mapping[str, zipfile.ZipInfo], stem: str) -> zipfile.ZipInfo:
    names = {f"{stem}.{extension}" for extension in FORMATS}
    found = [info for name, info in members.items() if name.lower() in names]
    if len(found) != 1:
        raise FileError(
            _("Lo ZIP deve contenere un solo file %(stem)s.csv, %(stem)s.xlsx o %(stem)s.jsonl.")
            % {"stem": stem}
        )
    return found[0]


class _StoredFiles:
    """One run's files: checked, compared with what is stored, written, undone."""

    def __init__(
        self,
        kind: FilesKind,
        company: Company,
        archive: zipfile.ZipFile,
        members: Mapping[str, zipfile.ZipInfo],
    ) -> None:
        self.kind = kind
        self.company = company
        self.archive = archive
        self.members = members
        self.written: list[str] = []
        tabular = kind.tabular
        file_field = model_field(tabular.model, kind.file_field)
        assert isinstance(file_field, models.FileField)
        self.storage = file_field.storage
        self.key = [name for name in tabular.key if name != tabular.company_field]
        self.stored: dict[tuple[Any, ...], str] = {
            tuple(values[:-1]): values[-1]
            for values in tabular.model._default_manager.filter(company=company).values_list(
                *self.key, kind.file_field
            )
        }

    def complete(self, company: Company) -> RowStep:
        own = self.kind.tabular.complete(company) if self.kind.tabular.complete else None

        def step(row: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
            if own is not None:
                problems = list(own(row))
                if problems:
                    yield from problems
                    return
            yield from self._store(row)

        return step

    def _store(self, row: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
        column = self.kind.file_field
        member_name = row[column]
        if not member_name:
            return
        info = self.members.get(member_name)
        if info is None:
            yield column, "missing_file", _("Il file non è nello ZIP.")
            return
        if info.flag_bits & 0x1:
            yield column, "encrypted", _("Il file nello ZIP è cifrato.")
            return
        if info.file_size > settings.FILE_UPLOAD_MAX_BYTES:
            yield column, "too_large", _("Il file supera la dimensione massima consentita.")
            return
        if "original_name" in row and not row["original_name"]:
            row["original_name"] = PurePosixPath(member_name).name[-200:]
        with tempfile.SpooledTemporaryFile(max_size=1 << 20) as content:
            digest = hashlib.sha256()
            with self.archive.open(info) as member:
                while chunk := member.read(1 << 16):
                    digest.update(chunk)
                    content.write(chunk)
            try:
                checked = check_upload(content, max_bytes=settings.FILE_UPLOAD_MAX_BYTES)
            except UploadRefused as refused:
                yield column, str(refused.code), " ".join(refused.messages)
                return
            if self.kind.content_types and checked.content_type not in self.kind.content_types:
                yield column, "bad_type", _("Tipo di file non consentito.")
                return
            previous = self.stored.get(tuple(row[name] for name in self.key))
            if previous and self._digest(previous) == digest.hexdigest():
                row[column] = previous
                return
            try:
                scan(content)
            except UploadRefused as refused:
                yield column, str(refused.code), " ".join(refused.messages)
                return
            content.seek(0)
            name = self.storage.save(
                self.kind.naming(self.company, row, checked), File(content, name=member_name)
            )
        self.written.append(name)
        row[column] = name
        if previous:
            transaction.on_commit(lambda: self.storage.delete(previous))

    def _digest(self, name: str) -> str:
        digest = hashlib.sha256()
        try:
            with self.storage.open(name, "rb") as stored:
                while chunk := stored.read(1 << 16):
                    digest.update(chunk)
        except OSError:
            return ""
        return digest.hexdigest()

    def delete_written(self) -> None:
        for name in self.written:
            self.storage.delete(name)
        self.written.clear()


def generated_name(directory: str, extension: str = "") -> str:
    """A new name under ``directory``: nothing of the uploader's in it."""
    return f"{directory}/{uuid.uuid4().hex}{extension}"
