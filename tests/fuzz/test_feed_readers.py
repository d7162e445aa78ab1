"""The feed readers (``integration/feeds/readers.py``) read any bytes as rows or
refuse the file with a FileError a person understands, never another exception."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sportello.integration.feeds.readers import FileError, read_rows

from .strategies import any_text, examples, field_value

names = st.sampled_from(["feed.csv", "feed.xlsx", "feed.jsonl", "feed.json", "feed", "FEED.CSV"])

#: Bytes that look a little like a feed, and bytes that do not.
feed_bytes = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbfcode;name\n" + b),
    st.lists(st.lists(field_value, max_size=4), max_size=5).map(
        lambda rows: "\n".join(";".join(row) for row in rows).encode("utf-8", "surrogatepass")
    ),
    st.lists(
        st.one_of(
            st.dictionaries(any_text, st.one_of(any_text, st.integers(), st.none()), max_size=3),
            st.lists(st.integers(), max_size=2),
            any_text,
        ),
        max_size=4,
    ).map(lambda values: "\n".join(json.dumps(v) for v in values).encode()),
)


def read_all(data: bytes, name: str) -> list[tuple[int, dict[str, Any]]] | FileError:
    try:
        return list(read_rows(io.BytesIO(data), name))
    except FileError as error:
        assert str(error).strip()
        return error


@examples(80)
@given(data=feed_bytes, name=names)
def test_it_reads_any_bytes_as_rows_or_refuses_the_file(data: bytes, name: str) -> None:
    result = read_all(data, name)

    if isinstance(result, list):
        numbers = [number for number, _row in result]
        assert numbers == sorted(set(numbers))
        assert all(isinstance(row, dict) for _number, row in result)


@examples(20)
@given(
    header=st.lists(any_text, min_size=1, max_size=4),
    rows=st.lists(
        st.lists(st.one_of(any_text, st.integers(), st.floats(), st.none()), max_size=5), max_size=4
    ),
)
def test_it_reads_any_xlsx_sheet_as_rows_or_refuses_it(
    header: list[str], rows: list[list[Any]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    try:
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    except IllegalCharacterError:
        return  # Excel cannot hold it either
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = read_all(buffer.getvalue(), "feed.xlsx")

    if isinstance(result, list):
        assert all(number >= 2 for number, _row in result)
