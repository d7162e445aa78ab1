"""What the fuzz tests type into forms and feeds: text a person or a broken
system might send (control characters, NUL, very long, only spaces, numbers,
IBANs and dates written every which way) and the number of examples a test tries."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

#: How many times the default number of examples each profile tries.
_FACTOR = {"default": 1, "ci": 4, "explore": 50}.get(
    os.environ.get("HYPOTHESIS_PROFILE", "default"), 1
)


def examples(count: int) -> settings:
    """The test's own number of examples, scaled by the profile."""
    return settings(max_examples=count * _FACTOR)


# Every code point but surrogates (which a browser cannot send as UTF-8).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
control_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=10)
long_text = st.integers(min_value=200, max_value=5000).map(lambda n: "x" * n)
spaces = st.sampled_from(["", " ", "   ", "\t", "\n", "\u00a0", "\u2003", "\r\n"])
numbers = st.one_of(
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(
        ["1.234,56", "1,234.56", "-0", "1e9999", "1E-5", "٣", "½", "0x10", "1_000", "+-1", "--1"]
    ),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day:02}/{d.month:02}/{d.year:04}"),
    st.sampled_from(
        ["31/02/2024", "00/00/0000", "2024-13-01", "29/02/2023", "9999-12-31", "0001-01-01"]
    ),
)
ibans = st.one_of(
    st.sampled_from(
        [
            "IT60X0542811101000000123456",
            "IT60 X054 2811 1010 0000 0123 456",
            "it60x0542811101000000123456",
            "IT00X0542811101000000123456",
            "DE89370400440532013000",
            "GB82WEST12345698765432",
            "IT60X05428111010000001234567",
        ]
    ),
    st.text("ITX0123456789 ", min_size=2, max_size=40),
)
emails = st.one_of(
    st.emails().map(str),
    st.sampled_from(["a@b", "@", "a@@b.it", "x@example.test\n", "ä@ü.it", "a" * 250 + "@b.it"]),
)
tax_ids = st.one_of(
    st.sampled_from(["RSSMRA80A01F205X", "RSSMRA80A01F20LX", "12345678901", "00000000000", "ABC"]),
    st.text("0123456789ABCDEFGHLMNPQRSTVXYZ", max_size=20),
)

#: One value a form field may receive.
field_value = st.one_of(
    any_text, control_text, long_text, spaces, numbers, dates, ibans, emails, tax_ids
)


def form_data(names: list[str] | tuple[str, ...], valid: dict[str, Any] | None = None) -> Any:
    """A POST for a form with ``names``: each field kept valid, made random, or left out."""
    valid = valid or {}

    def field(name: str) -> Any:
        choices: list[Any] = [field_value, st.just(None)]
        if name in valid:
            choices.insert(0, st.just(valid[name]))
        return st.one_of(*choices)

    return st.fixed_dictionaries({name: field(name) for name in names}).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )
