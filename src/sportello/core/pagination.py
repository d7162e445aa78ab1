"""The one way a list page is cut into pages.

A page number in the address that is not a number, or lies outside the list,
is not an error the customer can do anything about: the page shows the first
(or the last) page and says so, instead of a bare 404. The cost is the same
whatever the number asked for: one count and one slice.

The slice picks the page's keys first, with the list's filters and order
but none of its joins for display (``select_related``), and the rows are
fetched for those keys only, in the same query: a fleet's 20,000 schedule
rows are sorted by the database, but only 25 are joined to their contract
and invoice.

A list whose order puts groups of rows one after another (the schedule:
overdue, then to be due, then paid) can be given as ``SegmentedRows``: each
segment is read in its own order, which an index can follow, and a page in the
second half of a segment is read backwards from its end, so that the last page
costs what the first one does. The segments' sizes come from the caller (one
aggregate query it needs anyway), so no count is run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

#: Rows per page of every list (seed 002: "Items per page: 25").
PER_PAGE = 25


@dataclass(frozen=True)
class Segment[M: Model]:
    """One part of a segmented list: its rows, filtered and ordered, and how many they are."""

    rows: QuerySet[M]
    count: int

    def keys(self, start: int, stop: int) -> QuerySet[M, Any]:
        """The keys of rows ``start``..``stop`` (0-based, within the segment), read from
        the nearer end: offsets stay below half the segment."""
        if start > self.count - stop:
            return self.rows.reverse()[self.count - stop : self.count - start].values("pk")
        return self.rows[start:stop].values("pk")


class SegmentedRows[M: Model]:
    """``rows`` (ordered, joined for display) made of ``segments`` one after another:
    the same rows in the same order, each segment a filter of them with the order
    they have within ``rows``. Sliced, it reads the keys from the segments the slice
    covers and fetches those rows only, in one query."""

    def __init__(self, rows: QuerySet[M], segments: Sequence[Segment[M]]) -> None:
        self.rows = rows
        self.segments = segments

    def count(self) -> int:
        return sum(segment.count for segment in self.segments)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> QuerySet[M]:
        start, stop = window.start or 0, window.stop
        keys: list[QuerySet[M, Any]] = []
        offset = 0
        for segment in self.segments:
            low, high = max(start - offset, 0), min(stop - offset, segment.count)
            if low < high:
                keys.append(segment.keys(low, high))
            offset += segment.count
        if not keys:
            return self.rows.none()
        if len(keys) == 1:
            return self.rows.filter(pk__in=keys[0])
        if connections[self.rows.db].features.supports_slicing_ordering_in_compound:
            # One list of keys (UNION ALL): PostgreSQL reads the rows by their index.
            return self.rows.filter(pk__in=keys[0].union(*keys[1:], all=True))
        # SQLite allows no LIMIT in a UNION's parts.
        return self.rows.filter(reduce(or_, (Q(pk__in=part) for part in keys)))


class KeysFirstPaginator[M: Model](Paginator[M]):
    """Django's paginator, whose page is ``rows.filter(pk__in=<the page's keys>)``."""

    def __init__(self, rows: QuerySet[M] | SegmentedRows[M], per_page: int) -> None:
        super().__init__(cast(Any, rows), per_page)
        self.rows = rows

    def page(self, number: Any) -> Page[M]:
        page = super().page(number)
        sliced = page.object_list
        if (
            isinstance(self.rows, QuerySet)
            and isinstance(sliced, QuerySet)
            and sliced.query.is_sliced
        ):
            page.object_list = self.rows.filter(pk__in=sliced.values("pk"))
        return page


def paginate[M: Model](
    request: HttpRequest,
    rows: QuerySet[M] | SegmentedRows[M],
    per_page: int = PER_PAGE,
    param: str = "page",
) -> Page[M]:
    """The page of ``rows`` that ``?<param>=`` asks for, or the nearest one with a message."""
    paginator: Paginator[M] = KeysFirstPaginator(rows, per_page)
    raw = request.GET.get(param, "").strip()
    if not raw:
        return paginator.page(1)
    try:
        return paginator.page(raw)
    except PageNotAnInteger:
        past_the_end = False
    except EmptyPage:
        past_the_end = int(raw) >= 1  # else below the first page: 0, -3
    if past_the_end:
        messages.warning(request, _("Pagina non valida: mostrata l'ultima pagina"))
        return paginator.page(paginator.num_pages)
    messages.warning(request, _("Pagina non valida: mostrata la prima pagina"))
    return paginator.page(1)
