"""The project's URLs plus one view that fails, to see the 500 page a user gets."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sportello.urls import handler404, handler500, urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail: database password is hunter2")


def database_gone_view(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("guasto/", failing_view),
    path("database-assente/", database_gone_view),
    *urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
