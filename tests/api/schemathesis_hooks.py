"""Schemathesis hooks (``SCHEMATHESIS_HOOKS=tests/api/schemathesis_hooks.py``).

A real client never reuses an Idempotency-Key for another body, and sends only
cursors the API gave it; schemathesis draws both at random, so a well-formed
one is swapped for what a client would send. Malformed ones (the negative
cases) are left as drawn, for the API to refuse.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import re
import uuid
from typing import Any

import schemathesis

CURSOR = re.compile(r"[A-Za-z0-9_-]{1,200}")


def encode(moment: dt.datetime, pk: int) -> str:
    """As ``sportello.integration.api.cursor.encode`` (not imported: no Django here)."""
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Every phase's requests pass here (``map_*`` hooks miss the coverage phase)."""
    headers, query = case.headers, case.query
    key = (headers or {}).get("Idempotency-Key")
    if headers is not None and isinstance(key, str) and 0 < len(key) <= 255:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    cursor = (query or {}).get("cursor")
    if query is not None and isinstance(cursor, str) and CURSOR.fullmatch(cursor):
        moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=random.randint(0, 10**8)
        )
        query["cursor"] = encode(moment, random.randint(1, 10**6))
