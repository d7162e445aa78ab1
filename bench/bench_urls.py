"""The product's URLs plus the bench's own two pages: the floor and the bare view.

Used only by the bench scripts (``pagebench.setup`` makes it the ROOT_URLCONF);
the product has no such pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_safe

from sportello import urls as product
from sportello.core.decorators import customer_required

#: Nothing but the base template: header, menu, bell, footer.
FLOOR = engines["django"].from_string('{% extends "base.html" %}')


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@require_safe
@customer_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR.render({}, request))


urlpatterns = [
    path("__bench__/bare/", bare),
    path("__bench__/floor/", floor),
    *product.urlpatterns,
]
handler404 = product.handler404
handler500 = product.handler500
