"""Every cell parser of the feeds (``integration/feeds/values.py``) answers any
value with a value or a CellError a person understands, never another exception."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from sportello.integration.feeds import values

from .strategies import any_text, dates, examples, field_value, numbers

#: What a reader hands a parser: CSV text, XLSX typed cells, JSON values.
cells = st.one_of(
    field_value,
    any_text,
    numbers,
    dates,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)

PARSERS = {
    "text": values.text(20),
    "choice": values.text(10, frozenset({"a", "b"})),
    "email": values.email(254),
    "decimal": values.decimal(12, 2),
    "small decimal": values.decimal(5, 3),
    "integer": values.integer(),
    "positive small": values.integer(minimum=0, maximum=32767),
    "date": values.date,
    "datetime": values.datetime,
    "boolean": values.boolean,
}


def parsed_or_refused(name: str, value: Any) -> Any:
    try:
        return PARSERS[name](value)
    except values.CellError as error:
        assert error.code and str(error.message).strip(), (name, value)
        return error


@examples(60)
@given(name=st.sampled_from(sorted(PARSERS)), value=cells)
# The last and the first moment a datetime holds, moved to UTC, overflowed.
@example(name="datetime", value="9999-12-31T23:59")
@example(name="datetime", value="0001-01-01T00:00+01:00")
@example(name="datetime", value=dt.datetime(1, 1, 1, 0, 30))
def test_it_parses_or_refuses_any_cell_with_a_message(name: str, value: Any) -> None:
    result = parsed_or_refused(name, value)

    if isinstance(result, values.CellError):
        return
    expected = {
        "text": str,
        "choice": str,
        "email": str,
        "decimal": Decimal,
        "small decimal": Decimal,
        "integer": int,
        "positive small": int,
        "date": dt.date,
        "datetime": dt.datetime,
        "boolean": bool,
    }[name]
    assert isinstance(result, expected), (name, value, result)


@examples(60)
@given(value=st.one_of(numbers, any_text, st.floats(), st.decimals(), st.integers()))
def test_it_keeps_an_accepted_decimal_within_its_column(value: Any) -> None:
    result = parsed_or_refused("decimal", value)

    if isinstance(result, Decimal):
        assert result.is_finite()
        assert abs(result) < Decimal(10) ** 10
        exponent = result.as_tuple().exponent
        assert isinstance(exponent, int) and exponent >= -2


@examples(40)
@given(value=st.datetimes(timezones=st.none()).map(lambda d: d.isoformat()))
def test_it_stores_an_accepted_time_in_utc(value: str) -> None:
    result = parsed_or_refused("datetime", value)

    if isinstance(result, dt.datetime):
        assert result.utcoffset() == dt.timedelta(0)


@examples(40)
@given(day=st.dates())
def test_it_reads_a_date_the_italian_and_the_iso_way_alike(day: dt.date) -> None:
    assert (
        values.date(f"{day.day:02}/{day.month:02}/{day.year:04}")
        == values.date(day.isoformat())
        == day
    )
