"""The feed format page says what the code does."""

from __future__ import annotations

from pathlib import Path

from sportello.integration.feeds import KINDS
from sportello.integration.feeds.docs import BEGIN, END, tables

PAGE = Path(__file__).resolve().parents[2] / "docs" / "feeds.md"


def test_the_column_tables_are_the_kinds_own() -> None:
    text = PAGE.read_text()
    generated = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert generated == tables(), "docs/feeds.md is stale: regenerate its column tables"


def test_every_kind_is_documented() -> None:
    text = PAGE.read_text()
    assert all(f"`{name}`" in text for name in KINDS)
