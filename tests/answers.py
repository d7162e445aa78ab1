"""Comparing two answers of the portal as the person who asked would see them."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
from django.http.response import HttpResponseBase

from sportello.core.exports import XLSX_TYPE

# What differs between two responses to the same person by design: the CSRF
# token (masked anew each time), the CSP nonce, and the id the person asked for,
# which the page echoes in its own links (language switch, export).
_PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
_ASKED_CONTRACT = re.compile(r"contract=[^\"&\s<]*")

CONTRACT_NOT_FOUND = "Contratto non trovato: sono mostrati tutti i contratti"
FIRST_PAGE = "Pagina non valida: mostrata la prima pagina"
LAST_PAGE = "Pagina non valida: mostrata l&#x27;ultima pagina"


def seen(response: Any) -> tuple[int, str, str]:
    """Status, headers and body of a response, less what differs by design."""
    if getattr(response, "streaming", False):
        # A stream is read once: keep what it said for the next comparison.
        if not hasattr(response, "seen_content"):
            response.seen_content = b"".join(response.streaming_content)
        content = response.seen_content
    else:
        content = response.content
    if response.get("Content-Type", "").startswith(XLSX_TYPE):
        # A workbook records when it was written: compare what it shows.
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        body = repr(list(sheet.iter_rows(values_only=True)))
    else:
        body = content.decode()
    headers = (response.get("Location", ""), response.get("Content-Disposition", ""))
    return (
        response.status_code,
        repr(headers),
        _ASKED_CONTRACT.sub("contract=", _PER_RESPONSE.sub(r"\1", body)),
    )


def assert_same_answer(first: Any, second: Any) -> None:
    """Two responses a person cannot tell apart (same status, target and page)."""
    assert seen(first) == seen(second)


def cache_directives(response: HttpResponseBase) -> set[str]:
    """The directives of a response's Cache-Control header, without their values."""
    return {
        part.split("=")[0].strip() for part in response.get("Cache-Control", "").split(",") if part
    }
