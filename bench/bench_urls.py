"""The product's URLs plus the bench's own two pages: the floor and the bare view.

Used only by the bench scripts (``pagebench.setup`` makes it the ROOT_URLCONF);
the product has no such pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import Context, engines
from django.urls import path
from django.views.decorators.http import require_safe

from sportello import urls as product
from sportello.core.decorators import customer_required

#: Nothing but the base template: header, menu, bell, footer.
FLOOR = engines["django"].from_string('{% extends "base.html" %}')

#: Per host, what the shell gave the floor's template: the context processors' output
#: and the request the middleware prepared (company, user, customer, session loaded).
SHELL: dict[str, dict[str, Any]] = {}


def bare(request: HttpRequest) -> HttpResponse:
    """The floor's page, the same HTML, by a plain view with no middleware and no
    context processors: what the floor's shell made is already in memory (kept from
    the host's first floor request), so this is the template's own cost."""
    return HttpResponse(FLOOR.template.render(Context(SHELL[request.get_host()])))


@require_safe
@customer_required
def floor(request: HttpRequest) -> HttpResponse:
    host = request.get_host()
    if host not in SHELL:
        shell: dict[str, Any] = {}
        for processor in FLOOR.template.engine.template_context_processors:
            shell.update(processor(request))
        SHELL[host] = shell
    return HttpResponse(FLOOR.render({}, request))


urlpatterns = [
    path("__bench__/bare/", bare),
    path("__bench__/floor/", floor),
    *product.urlpatterns,
]
handler404 = product.handler404
handler500 = product.handler500
