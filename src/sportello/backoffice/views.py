"""The back office's pages (to be built: E7)."""

from django.http import Http404, HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    raise Http404


def queue(request: HttpRequest, company: str) -> HttpResponse:
    raise Http404


def request_detail(request: HttpRequest, company: str, code: str) -> HttpResponse:
    raise Http404
