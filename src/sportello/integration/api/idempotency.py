"""``Idempotency-Key`` on every POST and PATCH (draft-ietf-httpapi-idempotency-key-header-07).

The record is inserted *before* the work, so the unique (api key, key)
constraint decides which of two concurrent requests runs; the other sees the
record and gets 409 while it runs, the stored answer once it is done, or 422
when its body differs. Answers with a server error are not kept: the record
is deleted, so a retry runs again. Records older than ``IDEMPOTENCY_KEY_HOURS``
are ignored and purged by a periodic job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.params.functions import Header

from ..models import ApiKey, IdempotencyRecord, IdempotencyState
from .problems import Problem, problem_response

#: What the header may hold: 1 to 255 characters, bare or between the quotes of a
#: structured-field string (stated in the schema, so clients and schemathesis know it).
KEY_PATTERN = r'^(?:"[^"]{1,255}"|[^"]{1,255})$'

#: The response header that says an answer is a replay of the first one.
REPLAYED = "Idempotent-Replayed"


def kept_for() -> dt.timedelta:
    return dt.timedelta(hours=int(settings.IDEMPOTENCY_KEY_HOURS))


def parse_key(raw: str) -> str:
    """The key as sent, as a structured-field string (``"abc"``) or bare (``abc``)."""
    if not re.fullmatch(KEY_PATTERN, raw):
        raise Problem(
            400, "idempotency-key-invalid", _("Idempotency-Key vuota o più lunga di 255 caratteri.")
        )
    # Opaque otherwise: whatever the schema admits is a key (spaces included).
    return raw[1:-1] if raw.startswith('"') else raw


def fingerprint(request: HttpRequest, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _claim(api_key: ApiKey, key: str, print_: str) -> IdempotencyRecord | None:
    """Insert the record (None) or return the live one that holds the key already."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(api_key=api_key, key=key, fingerprint=print_)
            return None
        except IntegrityError:
            found = IdempotencyRecord.objects.filter(api_key=api_key, key=key).first()
            if found is None:
                continue  # deleted meanwhile (a server error): claim again
            if found.created_at > timezone.now() - kept_for():
                return found
            found.delete()
    raise Problem(409, "idempotency-key-busy", _("La richiesta con questa chiave è in corso."))


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code or 200, content_type=record.content_type
    )
    response[REPLAYED] = "true"
    return response


def idempotent(
    request: HttpRequest,
    api_key: ApiKey,
    raw_key: str,
    body: bytes,
    work: Callable[[], HttpResponse],
) -> HttpResponse:
    """Run ``work`` once per (``api_key``, key): replay its answer to the same request."""
    key = parse_key(raw_key)
    print_ = fingerprint(request, body)
    held = _claim(api_key, key, print_)
    if held is not None:
        if held.fingerprint != print_:
            raise Problem(
                422,
                "idempotency-key-reused",
                _("Questa Idempotency-Key è già stata usata con un'altra richiesta."),
            )
        if held.state == IdempotencyState.RUNNING:
            raise Problem(
                409, "idempotency-key-busy", _("La richiesta con questa chiave è in corso.")
            )
        return replay(held)
    records = IdempotencyRecord.objects.filter(api_key=api_key, key=key)
    try:
        try:
            response = work()
        except Problem as problem:
            response = problem_response(request, problem)
    except BaseException:
        records.delete()
        raise
    if response.status_code >= 500:
        records.delete()
        return response
    records.update(
        state=IdempotencyState.DONE,
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=response.content,
    )
    return response


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the records past ``IDEMPOTENCY_KEY_HOURS``; how many."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=now - kept_for()).delete()
    return deleted


#: The header every POST and PATCH declares (missing or malformed: 400, see
#: ``problems``, not the 422 of other bad input, as the draft says).
IDEMPOTENCY_KEY = Header(
    ...,
    alias="Idempotency-Key",
    pattern=KEY_PATTERN,
    description=(
        "A unique key per operation (a UUID), 1 to 255 characters, bare or as a "
        'structured-field string ("…"): a retry with it is answered once.'
    ),
)
