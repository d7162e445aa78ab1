"""Every import kind, fed arbitrary files and rows through ``import_file`` and
``import_rows`` (the command's, the back office's and the API's one way in):
the run ends with a status, every rejection says what is wrong, and a rejected
run leaves the kind's table exactly as it was."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.db import models
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import Tenant, make_contract, make_supply_point

from sportello.billing.models import Invoice
from sportello.core.models import AuditEvent
from sportello.documents.models import Document
from sportello.integration.feeds import KINDS
from sportello.integration.feeds.kinds import TABULAR
from sportello.integration.models import ImportRun, ImportSource, ImportStatus
from sportello.integration.services import import_file, import_rows

from .strategies import any_text, dates, examples, field_value, numbers

MODELS: dict[str, type[models.Model]] = {kind.name: kind.model for kind in TABULAR}
MODELS |= {"documents": Document, "fatturapa": Invoice, "sdi_receipts": Invoice}
COLUMNS = {kind.name: [column.name for column in kind.columns()] for kind in TABULAR}


@pytest.fixture
def known(release: Tenant) -> dict[str, str]:
    """Codes the company knows, so that some rows get past the references."""
    contract = make_contract(release.customer, number="C-FUZZ-1")
    point = make_supply_point(release.customer)
    return {
        "customer_code": release.customer.code,
        "contract_number": contract.number,
        "supply_point_code": point.code,
        "pod_pdr": point.code,
    }


def snapshot(kind: str) -> list[dict[str, Any]]:
    return list(MODELS[kind].objects.order_by("pk").values())


def cell(known: dict[str, str], column: str) -> Any:
    choices = [field_value, numbers, dates, any_text]
    if column in known:
        choices.insert(0, st.just(known[column]))
    return st.one_of(*choices)


def rows_for(kind: str, known: dict[str, str]) -> Any:
    columns = COLUMNS[kind]
    header = st.lists(
        st.one_of(st.sampled_from(columns), any_text), min_size=1, max_size=len(columns) + 1
    ).map(lambda names: list(dict.fromkeys([*columns, *names])))
    return header.flatmap(
        lambda names: st.lists(
            st.fixed_dictionaries({name: cell(known, name) for name in names}), max_size=4
        )
    )


def csv_bytes(rows: list[dict[str, Any]], delimiter: str) -> bytes:
    if not rows:
        return b""
    names = list(rows[0])
    lines = [delimiter.join(names)]
    lines += [delimiter.join(str(row[name]).replace("\n", " ") for name in names) for row in rows]
    return "\n".join(lines).encode("utf-8")


def assert_answered(run: ImportRun, before: list[dict[str, Any]], kind: str) -> None:
    assert run.status in {ImportStatus.DONE, ImportStatus.REJECTED}, run.status
    if run.status == ImportStatus.REJECTED:
        assert run.report, "a rejected run says why"
        assert all(str(line["message"]).strip() for line in run.report)
        assert snapshot(kind) == before, "a rejected import changed the table"


@examples(6)
@given(data=st.data())
@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_it_answers_any_csv_or_json_lines_of_a_kind(
    release: Tenant, known: dict[str, str], kind: str, data: st.DataObject
) -> None:
    rows = data.draw(rows_for(kind, known))
    form = data.draw(st.sampled_from(["csv;", "csv,", "jsonl"]))
    if form == "jsonl":
        content = "\n".join(json.dumps(row, default=str) for row in rows).encode()
    else:
        content = csv_bytes(rows, form[-1])
    before, audited = snapshot(kind), AuditEvent.objects.count()

    run = import_file(
        release.company,
        kind,
        io.BytesIO(content),
        file_name=f"{kind}.{form[:-1] if form != 'jsonl' else 'jsonl'}",
        source_kind=ImportSource.COMMAND,
    )

    assert_answered(run, before, kind)
    assert AuditEvent.objects.count() == audited + 1


@examples(6)
@given(data=st.data())
@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_it_answers_any_pushed_rows_of_a_kind(
    release: Tenant, known: dict[str, str], kind: str, data: st.DataObject
) -> None:
    rows = data.draw(
        st.one_of(
            rows_for(kind, known),
            st.lists(
                st.dictionaries(
                    any_text,
                    st.one_of(
                        any_text,
                        st.integers(),
                        st.floats(),
                        st.booleans(),
                        st.none(),
                        st.lists(st.integers(), max_size=2),
                    ),
                    max_size=3,
                ),
                max_size=3,
            ),
        )
    )
    before = snapshot(kind)

    run = import_rows(release.company, kind, rows)

    assert_answered(run, before, kind)


@examples(15)
@given(
    kind=st.sampled_from(sorted(KINDS)),
    content=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=200).map(lambda b: b"<?xml version='1.0'?>" + b),
        st.binary(max_size=200).map(lambda b: b"0\x82" + b),
    ),
    name=st.sampled_from(["feed.csv", "feed.zip", "feed.xml", "feed.xml.p7m", "feed.xlsx", "x"]),
)
def test_it_refuses_any_bytes_with_a_reason_and_changes_nothing(
    release: Tenant, kind: str, content: bytes, name: str
) -> None:
    before = snapshot(kind)

    run = import_file(
        release.company, kind, io.BytesIO(content), file_name=name, source_kind=ImportSource.COMMAND
    )

    assert_answered(run, before, kind)


def zipped(members: dict[str, bytes], compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@examples(15)
@given(
    kind=st.sampled_from(["documents", "invoices", "fatturapa", "sdi_receipts"]),
    members=st.dictionaries(
        st.one_of(
            st.sampled_from(
                ["documents.csv", "invoices.csv", "documents.jsonl", "a.pdf", "IT1_1.xml"]
            ),
            st.text(min_size=1, max_size=20),
        ),
        st.one_of(
            st.binary(max_size=200),
            st.just(b"code;title;file;category\nD1;Titolo;a.pdf;generic\n"),
            st.just(b"%PDF-1.4\n%%EOF\n"),
        ),
        max_size=4,
    ),
    compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
    damage=st.one_of(st.none(), st.tuples(st.integers(0, 400), st.integers(0, 255))),
)
def test_it_answers_any_zip_and_changes_nothing_when_it_refuses_it(
    release: Tenant,
    kind: str,
    members: dict[str, bytes],
    compression: int,
    damage: tuple[int, int] | None,
) -> None:
    content = bytearray(zipped(members, compression))
    if damage is not None and content:
        position, byte = damage
        content[position % len(content)] = byte
    before = snapshot(kind)

    run = import_file(
        release.company,
        kind,
        io.BytesIO(bytes(content)),
        file_name="feed.zip",
        source_kind=ImportSource.COMMAND,
    )

    assert_answered(run, before, kind)
