"""Every error of the REST API as an RFC 9457 problem document.

``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``
and ``instance``; the title and the detail are in the language the client's
``Accept-Language`` asks for (Italian or English; Italian otherwise), as the
portal's pages ignore that header but a core system has no language switch.
The language is active for the whole request (``in_client_language``), since a
detail is translated where it is raised, in the auth, a service or a view.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"

#: The title of each status, as RFC 9457 asks: the same for every problem of a type.
TITLES = {
    400: gettext_lazy("Richiesta non valida"),
    401: gettext_lazy("Autenticazione richiesta"),
    403: gettext_lazy("Permesso negato"),
    404: gettext_lazy("Risorsa non trovata"),
    405: gettext_lazy("Metodo non consentito"),
    409: gettext_lazy("Richiesta già in corso"),
    413: gettext_lazy("Richiesta troppo grande"),
    415: gettext_lazy("Tipo di contenuto non accettato"),
    422: gettext_lazy("Dati non accettati"),
    429: gettext_lazy("Troppe richieste"),
    500: gettext_lazy("Errore del server"),
}

#: A problem's ``type``: a URN per kind of problem (docs/api.md lists them).
TYPE_PREFIX = "urn:sportello:problem:"


class Problem(Exception):
    """An error the API answers with a problem document.

    ``slug`` names the problem's type; ``detail`` says what happened in words
    for a person (translated when the response is made); ``extra`` adds members
    such as ``errors``; ``headers`` such as ``Retry-After``.
    """

    def __init__(
        self,
        status: int,
        slug: str,
        detail: Any = "",
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status, slug)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def api_language(request: HttpRequest) -> str:
    """Italian or English, the first the ``Accept-Language`` header accepts; else Italian."""
    available = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        language = code.split("-")[0].lower()
        if language in available:
            return language
    return str(settings.LANGUAGE_CODE)


def in_client_language(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Run ``view`` in the language of the client's ``Accept-Language``.

    The portal's ``LanguageMiddleware`` has activated the cookie's or Italian;
    every API address is wrapped in this, so the portal's pages are untouched.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        language = api_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapper


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    """The problem as ``application/problem+json``, in the client's language."""
    language = api_language(request)
    with translation.override(language):
        document = {
            "type": TYPE_PREFIX + problem.slug,
            "title": str(TITLES.get(problem.status, TITLES[400 if problem.status < 500 else 500])),
            "status": problem.status,
            "detail": str(problem.detail),
            "instance": request.path,
            **problem.extra,
        }
        body = json.dumps(document, ensure_ascii=False, default=str)
    response = HttpResponse(body, status=problem.status, content_type=CONTENT_TYPE)
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    for name, value in problem.headers.items():
        response[name] = value
    return response


def _validation_problem(exc: ValidationError) -> Problem:
    errors = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type")}
        for error in exc.errors
    ]
    missing_key = any(
        error["type"] == "missing" and error["loc"][-1:] == ["Idempotency-Key"] for error in errors
    )
    if missing_key:
        # The draft (section 2.7) answers a request without the key with 400.
        return Problem(400, "idempotency-key-missing", _("Manca l'intestazione Idempotency-Key."))
    if any(error["loc"][-1:] == ["Idempotency-Key"] for error in errors):
        # …and a malformed one (empty, too long) with 400 too, not 422.
        return Problem(
            400,
            "idempotency-key-invalid",
            _("Idempotency-Key vuota o più lunga di 255 caratteri."),
        )
    return Problem(
        422,
        "validation",
        _("I dati inviati non sono validi: vedi «errors»."),
        extra={"errors": errors},
    )


def _http_error_problem(exc: HttpError) -> Problem:
    if isinstance(exc, AuthenticationError):
        return unauthorized()
    if exc.status_code == 400:
        return Problem(400, "malformed", _("Il corpo della richiesta non è un JSON leggibile."))
    return Problem(exc.status_code, "http-error", exc.message)


def unauthorized() -> Problem:
    return Problem(
        401,
        "unauthorized",
        _("Serve una chiave API valida: Authorization: Bearer spk_…"),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


def not_found() -> Problem:
    return Problem(404, "not-found", _("Nessun oggetto con questo identificativo."))


def install(api: NinjaAPI) -> None:
    """Answer every exception of ``api``'s views with a problem document."""

    def handle(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        if isinstance(exc, Problem):
            problem = exc
        elif isinstance(exc, ValidationError):
            problem = _validation_problem(exc)
        elif isinstance(exc, HttpError):
            problem = _http_error_problem(exc)
        elif isinstance(exc, Http404):
            problem = not_found()
        elif isinstance(exc, PermissionDenied):
            problem = Problem(
                403, "forbidden", _("La chiave non ha il permesso per questa azione.")
            )
        elif isinstance(exc, RequestDataTooBig):
            problem = Problem(413, "too-large", _("La richiesta supera la dimensione massima."))
        else:
            logger.exception("API error on %s", request.path)
            problem = Problem(500, "server-error", _("Errore imprevisto: riprova più tardi."))
        return problem_response(request, problem)

    for exc_class in (Exception, Http404, HttpError, ValidationError):
        api.add_exception_handler(exc_class, handle)


def problems_for_plain_errors(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Ninja answers a wrong method with a plain 405: make it a problem document too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/html"):
            allowed = response.get("Allow", "")
            answer = problem_response(
                request,
                Problem(405, "method-not-allowed", _("Metodo non consentito su questo indirizzo.")),
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapper


def unknown_address(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/: a 404 problem rather than the portal's page."""
    return problem_response(
        request, Problem(404, "not-found", _("Nessuna operazione a questo indirizzo."))
    )
