"""Uploads are told by content, kept within the limit and scanned by a real clamd."""

from __future__ import annotations

import io
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from sportello.core.uploads import UploadRefused, check_upload, scan

LIMIT = 1024
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
# A DER SEQUENCE, then ContentInfo's contentType: signedData (1.2.840.113549.1.7.2).
P7M = b"\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0\x80" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("fattura.pdf", PDF, "application/pdf", ".pdf"),
        ("foto.JPG", JPEG, "image/jpeg", ".jpg"),
        ("schermata.png", PNG, "image/png", ".png"),
        ("contratto.pdf.p7m", P7M, "application/pkcs7-mime", ".p7m"),
        # The name does not matter: a PDF called .txt is still a PDF.
        ("documento.txt", PDF, "application/pdf", ".pdf"),
    ],
)
def test_it_accepts_the_allowed_types_by_their_content(
    name: str, content: bytes, content_type: str, extension: str
) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    checked = check_upload(upload, max_bytes=LIMIT)

    assert (checked.content_type, checked.extension) == (content_type, extension)
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fattura.pdf", b"<?php system($_GET['c']); ?>\n"),
        ("vuoto.pdf", b""),
        ("pagina.png", b"<html><script>alert(1)</script></html>"),
        # A DER sequence without the signedData OID is not a P7M.
        ("firma.p7m", b"\x30\x82\x01\x00" + b"\x00" * 200),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_allowed(name: str, content: bytes) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(UploadRefused) as refused:
        check_upload(upload, max_bytes=LIMIT)

    assert refused.value.code == "bad_type"
    assert "PDF, JPEG, PNG e P7M" in refused.value.messages[0]


def test_it_accepts_a_file_of_exactly_the_limit_and_refuses_one_byte_more() -> None:
    exact = PDF + b"\n" * (LIMIT - len(PDF))

    assert check_upload(io.BytesIO(exact), max_bytes=LIMIT).extension == ".pdf"
    with pytest.raises(UploadRefused) as refused:
        check_upload(io.BytesIO(exact + b"\n"), max_bytes=LIMIT)
    assert refused.value.code == "too_large"
    assert "dimensione massima" in refused.value.messages[0]


def test_it_refuses_a_large_file_without_reading_it() -> None:
    class Unreadable(io.BytesIO):
        def read(self, size: int | None = -1, /) -> bytes:
            raise AssertionError("the size check read the file")

    with pytest.raises(UploadRefused) as refused:
        check_upload(Unreadable(PDF * 100), max_bytes=LIMIT)

    assert refused.value.code == "too_large"


@pytest.fixture
def clamd(clamd_socket: Path, settings: Settings) -> Path:
    settings.CLAMAV_SOCKET = str(clamd_socket)
    settings.CLAMAV_TCP = ""
    settings.CLAMAV_REQUIRED = True
    return clamd_socket


@pytest.fixture
def no_scanner(tmp_path: Path, settings: Settings) -> Path:
    """A socket path where nothing listens."""
    settings.CLAMAV_SOCKET = str(tmp_path / "nobody.sock")
    settings.CLAMAV_TCP = ""
    settings.CLAMAV_REQUIRED = True
    return tmp_path / "nobody.sock"


def test_it_passes_a_clean_pdf_through_clamd(clamd: Path) -> None:
    upload = SimpleUploadedFile("fattura.pdf", PDF * 5000)  # several INSTREAM chunks

    result = scan(upload)

    assert result is not None
    assert result.reply == "stream: OK"
    assert upload.tell() == 0


def test_it_refuses_the_eicar_test_file_as_infected(clamd: Path, eicar: bytes) -> None:
    with pytest.raises(UploadRefused) as refused:
        scan(SimpleUploadedFile("fattura.pdf", eicar))

    assert refused.value.code == "infected"
    assert "virus" in refused.value.messages[0]


def test_it_refuses_the_upload_when_the_scanner_is_down(no_scanner: Path) -> None:
    with pytest.raises(UploadRefused) as refused:
        scan(SimpleUploadedFile("fattura.pdf", PDF))

    assert refused.value.code == "scanner_unavailable"
    assert "antivirus non è disponibile" in refused.value.messages[0]


@pytest.fixture
def silent_scanner(tmp_path: Path, settings: Settings) -> Iterator[Path]:
    """A socket that accepts the connection and never answers."""
    path = tmp_path / "silent.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    connections: list[socket.socket] = []
    accepting = threading.Thread(target=lambda: connections.append(server.accept()[0]))
    accepting.start()
    settings.CLAMAV_SOCKET = str(path)
    settings.CLAMAV_TCP = ""
    settings.CLAMAV_REQUIRED = True
    settings.CLAMAV_TIMEOUT = 1
    yield path
    accepting.join()
    for connection in connections:
        connection.close()
    server.close()


def test_it_refuses_the_upload_when_the_scanner_does_not_answer_in_time(
    silent_scanner: Path,
) -> None:
    with pytest.raises(UploadRefused) as refused:
        scan(SimpleUploadedFile("fattura.pdf", PDF))

    assert refused.value.code == "scanner_unavailable"


def test_it_lets_the_file_through_with_a_warning_when_the_scanner_is_optional(
    no_scanner: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CLAMAV_REQUIRED = False
    caplog.set_level(logging.WARNING, logger="sportello.core.uploads")

    assert scan(SimpleUploadedFile("fattura.pdf", PDF)) is None

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and "NOT scanned" in warnings[0].getMessage()
