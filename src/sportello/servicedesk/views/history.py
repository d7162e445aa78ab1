"""The customer's request history, detail and conversation (E5). To be built."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse


def request_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404


def reply(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404


def attachment(request: HttpRequest, code: str, uid: uuid.UUID) -> HttpResponse:
    raise Http404
