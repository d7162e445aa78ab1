"""Checks every uploaded file passes before it is stored: type, size, viruses.

The type comes from the file's first bytes, never from its name or the
browser's Content-Type (both are the uploader's word): a ``.php`` renamed
``.pdf`` is refused. Viruses are found by ClamAV's ``clamd`` through its
INSTREAM command. When the scanner cannot answer the upload is refused (fail
closed), unless ``CLAMAV_REQUIRED`` is off, as in a demo without ``clamd``:
then ``scan`` logs a warning and returns ``None`` so the caller can show one.

This module is part of core and imports no domain app.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# DER of the OID 1.2.840.113549.1.7.2 (PKCS#7 signedData): what makes a .p7m.
_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
# How far into a P7M the OID may sit (after the SEQUENCE and length headers).
_P7M_OID_WITHIN = 512
_CHUNK = 64 * 1024


class UploadRefused(ValidationError):
    """An upload that must not be stored; ``code`` says why.

    Codes: ``too_large``, ``bad_type``, ``infected``, ``scanner_unavailable``.
    """


@dataclass(frozen=True)
class CheckedUpload:
    """What the content of an accepted file says it is."""

    content_type: str
    extension: str  # with the dot, to name the stored file (never the uploader's)


@dataclass(frozen=True)
class ScanResult:
    """A clean verdict from clamd (``None`` from ``scan`` means not scanned)."""

    reply: str


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...
    def tell(self) -> int: ...


def _size(file: _Readable) -> int:
    """The file's size from seeking to its end, without reading it."""
    position = file.tell()
    end = file.seek(0, os.SEEK_END)
    file.seek(position)
    return end


def megabytes(size: int) -> str:
    """``10`` for 10 MiB, ``0,5`` (in Italian) for half of one."""
    value = round(size / (1024 * 1024), 1)
    return number_format(int(value) if value.is_integer() else value)


def _detect(head: bytes) -> CheckedUpload | None:
    if head.startswith(b"%PDF-"):
        return CheckedUpload("application/pdf", ".pdf")
    if head.startswith(b"\xff\xd8\xff"):
        return CheckedUpload("image/jpeg", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return CheckedUpload("image/png", ".png")
    if head.startswith(b"\x30") and _SIGNED_DATA_OID in head[:_P7M_OID_WITHIN]:
        return CheckedUpload("application/pkcs7-mime", ".p7m")
    return None


def check_size(file: _Readable | IO[bytes], *, max_bytes: int) -> None:
    """``UploadRefused`` (``too_large``) when ``file`` is over ``max_bytes``; nothing is read."""
    if _size(file) > max_bytes:
        raise UploadRefused(
            _("Il file supera la dimensione massima consentita (%(limit)s MB)."),
            code="too_large",
            params={"limit": megabytes(max_bytes)},
        )


def check_upload(file: _Readable | IO[bytes], *, max_bytes: int) -> CheckedUpload:
    """The content type and safe extension of ``file``, or ``UploadRefused``.

    Allowed: PDF, JPEG, PNG and P7M (PKCS#7 signed data), told by content.
    Over ``max_bytes`` is refused (exactly ``max_bytes`` is fine); only the
    first bytes are read. The file is left at its start.
    """
    check_size(file, max_bytes=max_bytes)
    file.seek(0)
    head = file.read(_P7M_OID_WITHIN)
    file.seek(0)
    checked = _detect(head)
    if checked is None:
        raise UploadRefused(
            _("Tipo di file non consentito: sono ammessi solo PDF, JPEG, PNG e P7M."),
            code="bad_type",
        )
    return checked


def _connect(timeout: float) -> socket.socket:
    tcp = getattr(settings, "CLAMAV_TCP", "")
    if tcp:
        host, _sep, port = tcp.rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(settings.CLAMAV_SOCKET)
    except BaseException:
        sock.close()
        raise
    return sock


def _instream(file: _Readable | IO[bytes], timeout: float) -> str:
    """clamd's reply to INSTREAM: length-prefixed chunks, then a zero length."""
    with _connect(timeout) as sock:
        sock.sendall(b"zINSTREAM\0")
        file.seek(0)
        while chunk := file.read(_CHUNK):
            sock.sendall(struct.pack(">I", len(chunk)) + chunk)
        sock.sendall(struct.pack(">I", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    file.seek(0)
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(file: _Readable | IO[bytes]) -> ScanResult | None:
    """Have clamd scan ``file``: a clean result, or ``UploadRefused``.

    Infected → ``infected``. No answer, a timeout or a reply that is not
    clamd's → ``scanner_unavailable`` (fail closed), unless
    ``CLAMAV_REQUIRED`` is off: then a warning is logged and ``None``
    returned, so the caller shows that the file was not scanned.
    """
    try:
        reply = _instream(file, settings.CLAMAV_TIMEOUT)
    except (OSError, ValueError) as error:
        reply, failure = "", f"{type(error).__name__}: {error}"
    else:
        failure = "" if reply.startswith("stream:") else f"unexpected reply {reply!r}"
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        logger.warning("Upload refused: clamd found %s", signature)
        raise UploadRefused(
            _("Il file contiene un virus (%(signature)s) ed è stato rifiutato."),
            code="infected",
            params={"signature": signature},
        )
    if not failure and reply == "stream: OK":
        return ScanResult(reply)
    failure = failure or f"unexpected reply {reply!r}"
    if not settings.CLAMAV_REQUIRED:
        logger.warning("Upload NOT scanned for viruses (CLAMAV_REQUIRED is off): %s", failure)
        return None
    logger.error("Upload refused: the virus scanner is unavailable: %s", failure)
    raise UploadRefused(
        _("Il controllo antivirus non è disponibile: riprova più tardi."),
        code="scanner_unavailable",
    )
