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
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

#: Rows per page of every list (seed 002: "Items per page: 25").
PER_PAGE = 25


class KeysFirstPaginator[M: Model](Paginator[M]):
    """Django's paginator, whose page is ``rows.filter(pk__in=<the page's keys>)``."""

    def __init__(self, rows: QuerySet[M], per_page: int) -> None:
        super().__init__(rows, per_page)
        self.rows = rows

    def page(self, number: Any) -> Page[M]:
        page = super().page(number)
        sliced = page.object_list
        if isinstance(sliced, QuerySet) and sliced.query.is_sliced:
            page.object_list = self.rows.filter(pk__in=sliced.values("pk"))
        return page


def paginate[M: Model](
    request: HttpRequest, rows: QuerySet[M], per_page: int = PER_PAGE, param: str = "page"
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
