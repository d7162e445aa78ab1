"""The one way a private file reaches a customer.

The caller has already found the file through its owner (``core.scoping``);
this module only builds the response: never cached by a browser or a proxy,
never sniffed into another type, with a file name that is safe in the header
and keeps its accents for browsers that read RFC 5987/6266 ``filename*``.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Iterable
from typing import IO
from urllib.parse import quote

from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

PDF = "application/pdf"
XML = "application/xml"

# Characters that could end the header, climb directories or confuse a parser.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/;:*?<>|]+')
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, default: str = "file") -> str:
    """``name`` without control characters, path separators and quotes."""
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", name)).strip(" .-")
    return cleaned or default


def content_type_for(filename: str) -> str:
    """The type a file's name suggests (uploads are checked by content when they arrive)."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def content_disposition(filename: str, inline: bool = False) -> str:
    """``attachment; filename="ascii"`` (or ``inline``), plus RFC 5987's
    ``filename*=UTF-8''...`` when the name has more than plain ASCII."""
    name = safe_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = _NOT_ASCII_SAFE.sub("-", ascii_name).strip("-.") or "file"
    if "." in name and "." not in ascii_name:
        ascii_name += "." + name.rsplit(".", 1)[1]
    kind = "inline" if inline else "attachment"
    header = f'{kind}; filename="{ascii_name}"'
    if ascii_name != name:
        # Accents, spaces and the like: browsers read the exact name from here.
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def private_file_response(
    content: bytes | File[bytes] | IO[bytes] | Iterable[bytes],
    filename: str,
    content_type: str,
    inline: bool = False,
) -> HttpResponseBase:
    """A customer's file: bytes, a stored file (opened here), an open file or a
    stream of chunks, as an attachment (or inline), ``no-store`` and ``nosniff``.

    A stored file that is missing from the storage is a 404, as if it had never
    existed: the customer cannot tell a lost file from someone else's.
    """
    response: HttpResponseBase
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    elif isinstance(content, File):
        try:
            handle = content.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition(filename, inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, private"
    return response
