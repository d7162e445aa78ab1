"""The push endpoints: batches of rows of one kind, and FatturaPA files, through
the one import service (``integration.services``), all or nothing per request."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Query

from ..models import ImportRun, ImportSource, ImportStatus, Scope
from ..services import ImportRefused, import_file, import_rows
from .auth import ApiKeyAuth, key_of
from .idempotency import IDEMPOTENCY_KEY, idempotent
from .problems import Problem
from .schemas import ProblemOut, RowsIn, RunOut

router = Router(tags=["importazioni"], auth=ApiKeyAuth(Scope.IMPORT))

ERRORS: dict[int, Any] = {
    code: ProblemOut for code in (400, 401, 403, 404, 409, 413, 415, 422, 429)
}

#: What ``POST /fatturapa`` accepts: the XML, or the signed ``.p7m`` (DER or base64).
FATTURAPA_TYPES = (
    "application/xml",
    "text/xml",
    "application/pkcs7-mime",
    "application/octet-stream",
)


def run_summary(run: ImportRun) -> dict[str, Any]:
    return RunOut.from_orm(run).model_dump(mode="json")


def run_response(run: ImportRun) -> HttpResponse:
    """The run's counts; a rejected run is a 422 problem with every row's error."""
    if run.status == ImportStatus.REJECTED:
        raise Problem(
            422,
            "rows-rejected",
            _("Dati rifiutati: nessuna riga è stata scritta; vedi «errors»."),
            extra={"run": run_summary(run), "errors": run.report},
        )
    return JsonResponse(run_summary(run))


def refused(error: ImportRefused) -> Problem:
    return Problem(404, "unknown-kind", str(error))


@router.post("/import/{kind}", response={200: RunOut, **ERRORS})
def push_rows(
    request: HttpRequest,
    kind: str,
    batch: RowsIn,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> HttpResponse:
    """Create or update rows of ``kind`` (docs/feeds.md for the columns), all or none.

    At most ``API_IMPORT_MAX_ROWS`` rows per request: send a longer feed in batches.
    """
    key = key_of(request)

    def work() -> HttpResponse:
        try:
            run = import_rows(
                key.company,
                kind,
                batch.rows,
                source_kind=ImportSource.API,
                api_key=key,
                dry_run=batch.dry_run,
            )
        except ImportRefused as error:
            raise refused(error) from None
        return run_response(run)

    return idempotent(request, key, idempotency_key, request.body, work)


def read_upload(request: HttpRequest) -> bytes:
    """The request's body, up to ``FILE_UPLOAD_MAX_BYTES`` (413 beyond)."""
    limit = int(settings.FILE_UPLOAD_MAX_BYTES)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise Problem(413, "too-large", _("Il file supera la dimensione massima."))
    data = request.read(limit + 1)
    if len(data) > limit:
        raise Problem(413, "too-large", _("Il file supera la dimensione massima."))
    if not data:
        raise Problem(400, "empty", _("Il corpo della richiesta è vuoto: manca il file."))
    return data


@router.post(
    "/fatturapa",
    response={200: RunOut, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary", "minLength": 1}}
                for media in FATTURAPA_TYPES
            },
        }
    },
)
def push_fatturapa(
    request: HttpRequest,
    file_name: str = Query(..., min_length=1, max_length=200),
    dry_run: bool = False,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> HttpResponse:
    """One FatturaPA file (``.xml`` or signed ``.xml.p7m``) or SdI receipt, as the body.

    ``file_name`` is the file's SdI name (``IT01234567890_00001.xml.p7m``).
    """
    media = request.content_type or ""
    if media not in FATTURAPA_TYPES:
        raise Problem(415, "media-type", _("Tipo di contenuto non accettato: invia XML o p7m."))
    key = key_of(request)
    data = read_upload(request)

    def work() -> HttpResponse:
        try:
            run = import_file(
                key.company,
                "fatturapa",
                BytesIO(data),
                file_name=file_name,
                source_kind=ImportSource.API,
                api_key=key,
                dry_run=dry_run,
            )
        except ImportRefused as error:
            raise refused(error) from None
        return run_response(run)

    return idempotent(request, key, idempotency_key, data, work)
