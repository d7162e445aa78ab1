"""The XML inside a received FatturaPA file: plain, or signed (CAdES ``.p7m``).

A ``.p7m`` comes in DER, in base64 (with or without line breaks or PEM
armour); its content is taken out by ``openssl cms -verify -noverify``, which
checks that the signature matches the content (a tampered file is refused) but
not who signed it: SdI checked the signer's certificate when it accepted the
file. Some signers write signed attributes openssl will not verify, so a
second attempt skips them (``-no_attr_verify``). openssl reads the bytes from
stdin and never touches the network.

What a file is follows its content, not its name.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .xml import InvalidFile

#: Seconds openssl may take to open one signed file.
OPENSSL_TIMEOUT = 20
#: The largest file (or ZIP member) read, compressed or not: far above a real invoice.
MAX_BYTES = 50 * 1024 * 1024

_PEM_ARMOUR = re.compile(rb"-----(BEGIN|END) [A-Z0-9 ]+-----")
_BASE64_ALPHABET = re.compile(rb"\A[A-Za-z0-9+/=\s]+\Z")
_UTF8_BOM = b"\xef\xbb\xbf"


def unwrap(data: bytes) -> bytes:
    """The XML of a received file: the file itself, or the content of its signature."""
    body = data.lstrip(_UTF8_BOM + b" \t\r\n")
    if body.startswith(b"<"):
        return data
    if body.startswith(b"0"):  # 0x30: an ASN.1 SEQUENCE, a DER CMS structure
        return _signed_content(data)
    der = _from_base64(body)
    if der is not None and der.startswith(b"0"):
        return _signed_content(der)
    raise InvalidFile(_("Il file non è né un XML né un file firmato .p7m."))


#: What ``zipfile`` raises on a damaged archive besides ``BadZipFile``: a deflate
#: stream cut short or garbled, a name not in UTF-8 though flagged so, an
#: unknown compression method, an encrypted member, a truncated header.
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    UnicodeDecodeError,
    zlib.error,
    struct.error,
)


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def zip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    """The name and bytes of each file of a ZIP archive, in the archive's order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for info in archive.infolist():
            name = info.filename.rsplit("/", 1)[-1]
            # Folders and the metadata some archivers add are no invoices.
            if info.is_dir() or name.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            if info.file_size > MAX_BYTES:
                raise InvalidFile(_("Un file dell'archivio ZIP è troppo grande."))
            yield name, archive.read(info)
    except UNREADABLE_ZIP:
        raise InvalidFile(_("L'archivio ZIP è danneggiato o non leggibile.")) from None


def _from_base64(text: bytes) -> bytes | None:
    text = _PEM_ARMOUR.sub(b"", text)
    if not _BASE64_ALPHABET.match(text):
        return None
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except binascii.Error:
        return None


def _signed_content(der: bytes) -> bytes:
    unreadable = InvalidFile(
        _("La firma del file .p7m non è leggibile: il file è danneggiato o manomesso.")
    )
    openssl = shutil.which("openssl")
    if openssl is None:
        raise InvalidFile(
            _("Non è possibile aprire i file firmati .p7m: manca il programma openssl.")
        )
    for extra in ([], ["-no_attr_verify"]):
        try:
            # A fixed command; the untrusted bytes only go to its stdin.
            done = subprocess.run(  # noqa: S603
                [openssl, "cms", "-verify", "-noverify", "-inform", "DER", "-binary", *extra],
                input=der,
                capture_output=True,
                timeout=OPENSSL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise unreadable from None
        if done.returncode == 0 and done.stdout:
            return done.stdout
    raise unreadable
