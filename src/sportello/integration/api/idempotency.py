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
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.params.functions import Header

from ..models import ApiKey, IdempotencyRecord, IdempotencyState
from .problems import Problem, problem_response

#: The response header that says an answer is a replay of the first one.
REPLAYED = "Idempotent-Replayed"


def kept_for() -> dt.timedelta:
    return dt.timedelta(hours=int(settings.IDEMPOTENCY_KEY_HOURS))


def parse_key(raw: str) -> str:
    """The key as sent, as a structured-field string (``"abc"``) or bare (``abc``)."""
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > 255:
        raise Problem(
            400, "idempotency-key-invalid", _("Idempotency-Key vuota o più lunga di 255 caratteri.")
        )
    return key


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


#: The header every POST and PATCH declares (missing: 400, see ``problems``). Its
#: length is checked by ``parse_key``, not by the schema, so a malformed key is a 400
#: as the draft says (section 2.7), not a 422; and a quoted key may take 255 + 2.
IDEMPOTENCY_KEY = Header(
    ...,
    alias="Idempotency-Key",
    description=(
        "A unique key per operation (a UUID), at most 255 characters: "
        "a retry with it is answered once."
    ),
)
