"""The loader of tabular kinds, on the database's own bulk path.

Every row is read and checked in Python once (the parsers of ``values``, the
references looked up in maps loaded with one query each); the valid rows go
into a temporary staging table (PostgreSQL: ``COPY``; SQLite: one
``executemany`` over a generator), and from there set-based statements do the
rest, whatever the number of rows:

1. the keys repeated inside the file are rejected (one window query);
2. created / updated / unchanged are counted against the target (one join);
3. one ``INSERT … SELECT … ON CONFLICT (natural key) DO UPDATE … WHERE …
   IS DISTINCT FROM …`` writes only the rows that differ.

So the number of queries does not grow with the rows, and the file is never
held in memory: the rows stream from the reader into the staging table.
References are resolved only within the importing company, so another
company's customer or contract is "unknown", never matched.
"""

from __future__ import annotations

import datetime as dt
import operator
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sportello.core.models import Company

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from ..models import ImportRun
from ..services import Outcome, Rejection
from . import values
from .readers import FileError, read_rows

#: ``on_insert`` marker: a new random UUID for each new row (an object's ``uid``).
NEW_UUID: Any = object()
_NEW_UUID_SQL = {"postgresql": "gen_random_uuid()", "sqlite": "lower(hex(randomblob(16)))"}

#: A row's own check beyond its cells (dates in order, totals adding up, tax
#: codes): it yields (column, code, message) for each problem, and may put a
#: value in its canonical form (a codice fiscale in capitals).
RowCheck = Callable[[dict[str, Any]], Iterable[tuple[str, str, str]]]

#: A step built once per run for the company (loading what it needs with one
#: query): it checks a row that passed every other check against data beyond
#: its cells, and may complete it (a document's file, stored under its
#: generated name). It returns problems like a ``RowCheck``.
RowStep = Callable[[dict[str, Any]], Iterable[tuple[str, str, str]]]


UNKNOWN_CODE = gettext_lazy("Codice sconosciuto per questa società.")

#: Rows written by one import from which the table's planner statistics are
#: refreshed at once (see ``_Load._refresh_statistics``).
ANALYZE_AFTER_ROWS = 50_000


@dataclass(frozen=True)
class Reference:
    """A column naming another object by its code, within the company.

    ``lookup`` loads every code of the company with one query; ``create``
    (reference data such as products) makes an unknown code instead of
    rejecting the row.
    """

    column: str
    field: str
    lookup: Callable[[Company], dict[Any, int]]
    required: bool = True
    message: Any = UNKNOWN_CODE
    create: Callable[[Company, str], int] | None = None


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    parse: values.Parser
    required: bool
    description: str
    #: What an empty cell of an optional column stores: the field's default,
    #: else NULL where allowed, else an empty text.
    empty: Any = None


@dataclass
class TabularKind:
    """A kind of feed whose rows map onto one model.

    ``fields`` are the model's fields the feed carries, in the column order of
    the documentation; ``key`` the natural key (model field names); ``on_insert``
    values given only to new rows (a uid, the publication time).
    """

    name: str
    label: StrOrPromise
    model: type[models.Model]
    fields: Sequence[str]
    key: Sequence[str]
    references: Sequence[Reference] = ()
    company_field: str | None = "company"
    optional: Sequence[str] = ()
    open_choices: Sequence[str] = ()
    check: RowCheck | None = None
    derived: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)
    on_insert: Mapping[str, Any] = field(default_factory=dict)
    #: The WHERE of a partial unique index on ``key``, written as the database
    #: has it (SQLite matches an ``ON CONFLICT`` target to the index by its text:
    #: ``NOT (code = '')`` matches Django's ``~Q(code="")``, ``code <> ''`` does not).
    conflict_where: str = ""
    complete: Callable[[Company], RowStep] | None = None

    def columns(self) -> list[Column]:
        result = [
            Column(
                ref.column,
                ref.field,
                values.text(60),
                ref.required,
                _label(model_field(self.model, ref.field).verbose_name),
            )
            for ref in self.references
        ]
        for name in self.fields:
            target = model_field(self.model, name)
            if name in self.open_choices:
                parse = values.text(target.max_length)
            else:
                parse = values.for_field(target)
            required = not (
                target.null or target.blank or target.has_default() or name in self.optional
            )
            if target.has_default():
                empty = target.get_default()
            elif target.null or not isinstance(
                target, models.CharField | models.TextField | models.FileField
            ):
                # A required date or number left empty rejects the row; its
                # stand-in must still be something the staging table holds.
                empty = None
            else:
                empty = ""
            result.append(
                Column(
                    name,
                    name,
                    parse,
                    required,
                    _label(target.verbose_name),
                    empty,
                )
            )
        return result

    def load_file(self, company: Company, source: IO[bytes], *, file_name: str) -> Outcome:
        outcome = Outcome()
        try:
            rows = read_rows(source, file_name)
            return _Load(self, company, outcome).run(rows)
        except FileError as error:
            outcome.reject(Rejection(0, "", "", "file", str(error)))
            return outcome

    def load_rows(self, company: Company, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Outcome:
        return _Load(self, company, Outcome()).run(rows)


def _label(name: Any) -> str:
    text = str(name)
    return text[:1].upper() + text[1:]


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _db_value(model_field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    return model_field.get_db_prep_save(value, connection)


#: COPY's text format: a backslash, a tab, a line end inside a value are escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value as PostgreSQL's COPY text format reads it back (NULL is ``\\N``)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if value.__class__ is str:
        return str(value.translate(_COPY_ESCAPES))
    return str(value)  # int, Decimal, date, aware datetime: their str() is ISO


def _as_is(value: Any) -> Any:
    return value


def _converter(model_field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a parsed value goes into the staging table: psycopg's COPY adapts
    Python values itself; SQLite gets what Django would write."""
    if connection.vendor == "postgresql":
        return _as_is
    return lambda value: None if value is None else model_field.get_db_prep_save(value, connection)


class _Load:
    STAGE = "sportello_import_stage"

    def __init__(self, kind: TabularKind, company: Company, outcome: Outcome) -> None:
        self.kind = kind
        self.company = company
        self.outcome = outcome
        self.opts = kind.model._meta
        self.columns = kind.columns()
        self.known = {column.name for column in self.columns}
        self.maps = {ref.column: ref.lookup(company) for ref in kind.references}
        self.complete = kind.complete(company) if kind.complete is not None else None
        # The staged model fields: FKs by their column, then the feed's, derived, fixed.
        targets: list[str] = []
        if kind.company_field:
            targets.append(kind.company_field)
        targets += [ref.field for ref in kind.references]
        targets += list(kind.fields) + list(kind.derived)
        self.targets = targets
        self.model_fields = [model_field(kind.model, name) for name in targets]
        self.db_columns: list[str] = [str(f.column) for f in self.model_fields]
        self.converters = [_converter(f) for f in self.model_fields]

    # -- reading -----------------------------------------------------------

    def _staged(self, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Iterator[tuple[Any, ...]]:
        """The valid rows as staging-table tuples; every error of every row to the outcome.

        The hot loop of an import: a row costs a few lookups and one call per cell.
        """
        reject = self.outcome.reject
        columns = [(c.name, c.parse, c.required, c.empty) for c in self.columns]
        references = [
            (ref, ref.column, ref.field, self.maps[ref.column]) for ref in self.kind.references
        ]
        check, complete = self.kind.check, self.complete
        derived = list(self.kind.derived.items())
        company_field, company_id = self.kind.company_field, self.company.pk
        staged: Callable[[dict[str, Any]], tuple[Any, ...]]
        if all(convert is _as_is for convert in self.converters):
            picked = operator.itemgetter(*self.targets)
            staged = picked if len(self.targets) > 1 else lambda row: (picked(row),)
        else:
            targets = list(zip(self.targets, self.converters, strict=True))

            def staged(row: dict[str, Any]) -> tuple[Any, ...]:
                return tuple([convert(row[name]) for name, convert in targets])

        counted = 0
        try:
            for number, raw in rows:
                counted += 1
                if counted == 1:
                    for unknown in sorted(set(raw) - self.known - {"__extra__", "__error__"}):
                        reject(
                            Rejection(0, unknown, "", "unknown_column", _("Colonna sconosciuta."))
                        )
                if "__error__" in raw or "__extra__" in raw:
                    error = raw.get("__error__") or values.CellError(
                        "extra_cells", _("Più celle che colonne.")
                    )
                    reject(Rejection(number, "", "", error.code, error.message))
                    continue
                row: dict[str, Any] = {}
                wrong: set[str] = set()
                for name, parse, required, empty in columns:
                    value = raw.get(name)
                    if value is None or value == "" or (value.__class__ is str and value.isspace()):
                        if required:
                            reject(
                                Rejection(
                                    number, name, "", "required", _("Dato obbligatorio mancante.")
                                )
                            )
                            wrong.add(name)
                        row[name] = empty
                        continue
                    try:
                        row[name] = parse(value)
                    except values.CellError as error:
                        reject(Rejection(number, name, str(value), error.code, error.message))
                        wrong.add(name)
                        row[name] = None
                for ref, column, field_name, found_ids in references:
                    code = row[column]
                    if code is None:
                        row[field_name] = None
                        continue
                    found = found_ids.get(code)
                    if found is None and ref.create is not None and not wrong:
                        found = found_ids[code] = ref.create(self.company, code)
                    if found is None:
                        reject(Rejection(number, column, code, "unknown", str(ref.message)))
                        wrong.add(column)
                    row[field_name] = found
                if check is not None and self._rejected(number, row, check, wrong):
                    wrong.add("")
                if company_field:
                    row[company_field] = company_id
                if wrong:
                    # Staged all the same, so a key repeated by a wrong row is reported
                    # too; a file with any error is never written.
                    if self._complete_key(row, derived):
                        yield (*staged(row), number)
                    continue
                for name, derive in derived:
                    row[name] = derive(row)
                if complete is not None and self._rejected(number, row, complete, wrong):
                    continue
                yield (*staged(row), number)
        finally:
            self.outcome.rows += counted

    def _rejected(self, number: int, row: dict[str, Any], check: RowCheck, wrong: set[str]) -> bool:
        """Reports a row's own problems; True when it had any.

        A row whose cells were wrong is checked too (every error of the file in one
        pass), leaving out what the wrong cells make meaningless.
        """
        try:
            problems = list(check(row))
        except (TypeError, KeyError, AttributeError, ArithmeticError):
            if not wrong:
                raise
            return False
        found = False
        for column_name, code, message in problems:
            if column_name in wrong:
                continue
            found = True
            self.outcome.reject(
                Rejection(number, column_name, str(row.get(column_name, "")), code, message)
            )
        return found

    def _complete_key(self, row: dict[str, Any], derived: list[tuple[str, Any]]) -> bool:
        """Fills a wrong row out for the staging table; whether its natural key is whole."""
        for name, derive in derived:
            try:
                row[name] = derive(row)
            except (TypeError, KeyError, AttributeError):
                row[name] = None
        # Only the key matters for a wrong row (to report a repeated one): any other
        # value may be the stand-in of a cell that did not parse, which the staging
        # table's typed column would refuse.
        key_fields = self._key_fields
        for name in self.targets:
            if name not in key_fields:
                row[name] = None
        return all(row.get(name) is not None for name in key_fields)

    # -- the staging table -------------------------------------------------
    # The SQL below is built from model metadata (table and column names,
    # quoted), never from the file: the file's values travel as parameters or
    # through COPY, hence the ``noqa: S608``.

    def _create_stage(self, cursor: Any) -> None:
        quote = connection.ops.quote_name
        definitions = [
            f"{quote(column)} {target.db_type(connection)}"
            for column, target in zip(self.db_columns, self.model_fields, strict=True)
        ]
        cursor.execute(f"DROP TABLE IF EXISTS {self.STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {self.STAGE} ({', '.join(definitions)}, row_no integer)"
        )

    def _fill_stage(self, cursor: Any, rows: Iterator[tuple[Any, ...]]) -> None:
        quote = connection.ops.quote_name
        names = ", ".join([*(quote(c) for c in self.db_columns), "row_no"])
        if connection.vendor == "postgresql":
            lines = ("\t".join([_copy_text(value) for value in row]) + "\n" for row in rows)
            copy_in = f"COPY {self.STAGE} ({names}) FROM STDIN"
            if not self._checks_use_the_database():
                # Streamed: the server reads the rows while the next ones are checked.
                with cursor.cursor.copy(copy_in) as copy:
                    for line in lines:
                        copy.write(line)
                return
            # Checking these rows may query or create reference data on this very
            # connection, which a COPY in progress holds: they are written to a
            # temporary file first (on disk, so memory stays flat), then copied.
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as buffer:
                buffer.writelines(lines)
                buffer.seek(0)
                with cursor.cursor.copy(copy_in) as copy:
                    while chunk := buffer.read(1 << 20):
                        copy.write(chunk)
        else:
            marks = ", ".join(["%s"] * (len(self.db_columns) + 1))
            insert = f"INSERT INTO {self.STAGE} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(insert, rows)

    def _checks_use_the_database(self) -> bool:
        """Whether checking a row may query: creating reference data, a completing step."""
        return self.complete is not None or any(
            ref.create is not None for ref in self.kind.references
        )

    # -- set-based steps ---------------------------------------------------

    @property
    def _key_fields(self) -> list[str]:
        """The natural key's model fields as the staged row names them."""
        return list(self.kind.key)

    def _key_feed_columns(self) -> list[str]:
        """The natural key as the feed's columns (``contract_number``, not ``contract``)."""
        by_field = {ref.field: ref.column for ref in self.kind.references}
        return [
            by_field.get(name, name) for name in self.kind.key if name != self.kind.company_field
        ]

    def _key_columns(self) -> list[str]:
        return [str(model_field(self.kind.model, name).column) for name in self.kind.key]

    def _duplicates(self, cursor: Any) -> None:
        quote = connection.ops.quote_name
        key = ", ".join(quote(c) for c in self._key_columns())
        cursor.execute(
            f"SELECT row_no, first_row FROM (SELECT row_no, MIN(row_no) OVER "  # noqa: S608
            f"(PARTITION BY {key}) AS first_row FROM {self.STAGE}) AS ranked "
            f"WHERE row_no <> first_row ORDER BY row_no LIMIT %s",
            [ImportRun.REPORT_LIMIT],
        )
        for row_no, first in cursor.fetchall():
            self.outcome.reject(
                Rejection(
                    row_no,
                    ", ".join(self._key_feed_columns()),
                    "",
                    "duplicate",
                    _("Stesso codice della riga %(row)s: ogni oggetto una volta sola per file.")
                    % {"row": first},
                )
            )

    def _distinct(self, left: str, right: str, columns: Sequence[str]) -> str:
        quote = connection.ops.quote_name
        if not columns:
            return "1 = 0"
        lhs = ", ".join(f"{left}.{quote(c)}" for c in columns)
        rhs = ", ".join(f"{right}.{quote(c)}" for c in columns)
        operator = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        if len(columns) == 1:
            return f"{lhs} {operator} {rhs}"
        return f"({lhs}) {operator} ({rhs})"

    def _compared(self) -> list[str]:
        keys = set(self._key_columns())
        return [c for c in self.db_columns if c not in keys]

    def _count(self, cursor: Any) -> None:
        quote = connection.ops.quote_name
        table = quote(self.opts.db_table)
        join = " AND ".join(f"t.{quote(c)} = s.{quote(c)}" for c in self._key_columns())
        if self.kind.conflict_where:
            # Only the rows of the partial unique index can be matched.
            table = f"(SELECT * FROM {table} WHERE {self.kind.conflict_where})"  # noqa: S608
        changed = self._distinct("t", "s", self._compared())
        cursor.execute(
            f"SELECT COUNT(*), COUNT(t.id), "  # noqa: S608
            f"SUM(CASE WHEN t.id IS NOT NULL AND {changed} THEN 1 ELSE 0 END) "
            f"FROM {self.STAGE} s LEFT JOIN {table} t ON {join}"
        )
        total, matched, changed_rows = cursor.fetchone()
        self.outcome.created = total - matched
        self.outcome.updated = changed_rows or 0
        self.outcome.unchanged = matched - (changed_rows or 0)

    def _upsert(self, cursor: Any) -> None:
        quote = connection.ops.quote_name
        table = quote(self.opts.db_table)
        columns = list(self.db_columns)
        selected = [f"s.{quote(c)}" for c in self.db_columns]
        params: list[Any] = []
        for name, make in self.kind.on_insert.items():
            target = model_field(self.kind.model, name)
            columns.append(str(target.column))
            if make is NEW_UUID:
                selected.append(_NEW_UUID_SQL[connection.vendor])
            else:
                selected.append("%s")
                params.append(_db_value(target, make()))
        for target, value in self._insert_defaults(columns):
            columns.append(str(target.column))
            selected.append("%s")
            params.append(_db_value(target, value))
        compared = self._compared()
        updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in compared)
        key = ", ".join(quote(c) for c in self._key_columns())
        target_where = f" WHERE {self.kind.conflict_where}" if self.kind.conflict_where else ""
        action = (
            f"DO UPDATE SET {updates} WHERE {self._distinct(table, 'excluded', compared)}"
            if compared
            else "DO NOTHING"
        )
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"SELECT {', '.join(selected)} FROM {self.STAGE} s WHERE true "
            f"ON CONFLICT ({key}){target_where} {action}",
            params,
        )

    def _refresh_statistics(self, cursor: Any) -> None:
        """``ANALYZE`` the table after a large load, on PostgreSQL.

        Until autovacuum gets to it (on a loaded server, tens of minutes after a
        bulk import of millions of rows) the planner knows nothing of the new rows:
        measured on the bench data, one small customer's schedule totals scanned
        all 3,000,000 rows (0.4 s a query) instead of using the index (0.2 ms).
        ``ANALYZE`` reads a sample of the table, not all of it, and may run inside
        the import's transaction.
        """
        written = self.outcome.created + self.outcome.updated
        if connection.vendor == "postgresql" and written >= ANALYZE_AFTER_ROWS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(self.opts.db_table)}")

    def _insert_defaults(
        self, given: Sequence[str]
    ) -> Iterator[tuple[models.Field[Any, Any], Any]]:
        """What a new row stores in the NOT NULL columns the feed does not carry:
        the field's default, or an empty text (``INSERT … SELECT`` bypasses Django's
        defaults: a new invoice without its ``xml`` column failed NOT NULL)."""
        for target in self.opts.concrete_fields:
            if target.primary_key or target.null or target.column in given or target.unique:
                continue
            if target.has_default():
                yield target, target.get_default()
            elif target.blank and isinstance(target, models.CharField | models.FileField):
                yield target, ""

    # -- the run -----------------------------------------------------------

    def run(self, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Outcome:
        with connection.cursor() as cursor:
            self._create_stage(cursor)
            try:
                # A savepoint: a file that stops being readable halfway aborts the
                # COPY, and the run must still say why and drop its table.
                with transaction.atomic():
                    self._fill_stage(cursor, self._staged(rows))
                if self.outcome.rows == 0 and not self.outcome.errors:
                    self.outcome.reject(Rejection(0, "", "", "empty", _("Il file non ha righe.")))
                self._duplicates(cursor)
                if not self.outcome.errors:
                    self._count(cursor)
                    try:
                        with transaction.atomic():
                            self._upsert(cursor)
                        self._refresh_statistics(cursor)
                    except IntegrityError as error:
                        self.outcome.reject(
                            Rejection(
                                0,
                                "",
                                "",
                                "conflict",
                                _("I dati contrastano con quelli già presenti: %(error)s")
                                % {"error": str(error).splitlines()[0]},
                            )
                        )
            finally:
                cursor.execute(f"DROP TABLE IF EXISTS {self.STAGE}")
        return self.outcome


def now() -> dt.datetime:
    return timezone.now()
