"""The self-service forms, one per kind (E1–E4, complaint, PEC change). To be built."""

from django.http import Http404, HttpRequest, HttpResponse


def choose_kind(request: HttpRequest) -> HttpResponse:
    raise Http404


def create(request: HttpRequest, kind: str) -> HttpResponse:
    raise Http404


def termination_quote(request: HttpRequest) -> HttpResponse:
    raise Http404
