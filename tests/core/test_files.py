"""The one private-file response: never cached, never sniffed, a safe file name."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404
from tests.answers import cache_directives

from sportello.core.files import PDF, content_disposition, private_file_response
from sportello.documents.models import Document


def body(response: object) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 x",
        ContentFile(b"%PDF-1.4 x", name="x.pdf"),
        iter([b"%PDF-1.4", b" x"]),
    ],
    ids=["bytes", "file", "stream"],
)
def test_it_sends_any_content_uncached_and_unsniffed(content: object) -> None:
    response = private_file_response(content, "fattura-1-2024.pdf", PDF)  # type: ignore[arg-type]

    assert body(response) == b"%PDF-1.4 x"
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"no-store", "private"} <= cache_directives(response)
    assert response["Content-Disposition"] == 'attachment; filename="fattura-1-2024.pdf"'


def test_it_opens_a_pdf_inline_when_asked() -> None:
    response = private_file_response(b"x", "fattura.pdf", PDF, inline=True)

    assert response["Content-Disposition"] == 'inline; filename="fattura.pdf"'


def test_it_keeps_accents_for_browsers_and_plain_ascii_for_the_others() -> None:
    header = content_disposition("Contratto n° 84963 – società.pdf")

    assert header == (
        'attachment; filename="Contratto-n-84963-societa.pdf"; '
        "filename*=UTF-8''Contratto%20n%C2%B0%2084963%20%E2%80%93%20societ%C3%A0.pdf"
    )


@pytest.mark.parametrize(
    "hostile",
    ['a"; filename="evil.exe', "../../etc/passwd", "x\r\nSet-Cookie: a=b.pdf", "a\\b;c.pdf"],
)
def test_it_never_lets_a_file_name_break_the_header(hostile: str) -> None:
    header = content_disposition(hostile)
    ascii_part = header.split('filename="', 1)[1].split('"', 1)[0]

    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2
    assert "/" not in ascii_part and "\\" not in ascii_part and ";" not in ascii_part
    assert "/" not in header.split("filename*=", 1)[-1].replace("UTF-8''", "")


def test_it_answers_a_lost_file_like_a_missing_one(tmp_path: object) -> None:
    storage = FileSystemStorage(location=str(tmp_path))
    field = Document._meta.get_field("file")
    lost = FieldFile(None, field, "documents/1/gone")
    lost.storage = storage
    empty = FieldFile(None, field, "")

    for file in (lost, empty):
        with pytest.raises(Http404):
            private_file_response(file, "x.pdf", PDF)
