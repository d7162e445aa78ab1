"""The kinds of data a core system sends, each with its loader (docs/feeds.md)."""

from __future__ import annotations

from ..services import FeedKind

#: Every kind by the name the command, the back office and the API use.
KINDS: dict[str, FeedKind] = {}

from . import fatturapa  # noqa: E402

KINDS.update(fatturapa.KINDS)
