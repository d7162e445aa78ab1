"""The kinds of data a core system sends, each with its loader (docs/feeds.md)."""

from __future__ import annotations

from ..services import FeedKind
from . import fatturapa
from .kinds import TABULAR

#: Every kind by the name the command, the back office and the API use.
KINDS: dict[str, FeedKind] = {
    kind.name: FeedKind(kind.name, kind.label, kind.load_file, kind.load_rows) for kind in TABULAR
}
KINDS.update(fatturapa.KINDS)
