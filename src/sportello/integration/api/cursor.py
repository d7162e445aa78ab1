"""Cursor pagination in a stable order: (timestamp, id), both ascending.

The cursor is opaque to clients: the last row's timestamp and id, in
base64url JSON. A row that changes after being read moves to the end (its
timestamp grows), so a client that follows ``next_cursor`` until it is null
sees every change at least once.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .problems import Problem

DEFAULT_LIMIT = 100


def max_limit() -> int:
    return int(settings.API_PAGE_SIZE_MAX)


def encode(moment: dt.datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        parsed = dt.datetime.fromisoformat(moment)
        if not isinstance(pk, int) or parsed.tzinfo is None:
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise Problem(400, "cursor", _("Cursore non valido.")) from None
    return parsed, pk


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def page[M: Model](
    rows: QuerySet[M],
    field: str,
    *,
    cursor: str | None,
    since: dt.datetime | None,
    limit: int,
) -> tuple[list[M], str | None]:
    """One page of ``rows`` ordered by (``field``, id), after ``cursor``, from ``since``."""
    if since is not None:
        rows = rows.filter(**{f"{field}__gte": aware(since)})
    if cursor:
        moment, pk = decode(cursor)
        rows = rows.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk}))
    found = list(rows.order_by(field, "pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if not more or not found:
        return found, None
    last: Any = found[-1]
    return found, encode(getattr(last, field), last.pk)
