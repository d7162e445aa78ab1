"""Company pages that every portal has: guide, contacts, FAQ, logo, errors."""

from __future__ import annotations

import mimetypes
import sys

from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .decorators import company_required
from .http import CompanySiteRequest, SiteRequest
from .models import FaqEntry


def page_language() -> str:
    return (get_language() or "it")[:2]


@require_safe
@company_required
def guide(request: CompanySiteRequest) -> HttpResponse:
    guide = request.company.text("guide", page_language())
    return render(request, "core/guide.html", {"guide": guide})


@require_safe
@company_required
def contacts(request: CompanySiteRequest) -> HttpResponse:
    services = request.company.text("commercial_contacts", page_language())
    return render(request, "core/contacts.html", {"services": services})


@require_safe
@company_required
def faq(request: CompanySiteRequest) -> HttpResponse:
    faq_entries = FaqEntry.objects.filter(company=request.company)
    entries, language = faq_entries.for_language(page_language())
    return render(request, "core/faq.html", {"entries": entries, "entries_language": language})


@require_safe
@company_required
def accessibility(request: CompanySiteRequest) -> HttpResponse:
    """The accessibility statement, generated from the company's settings."""
    issues = request.company.text("accessibility_issues", page_language())
    return render(request, "core/accessibility.html", {"issues": issues})


LOGO_TYPES = {"image/svg+xml", "image/png", "image/jpeg", "image/webp"}


@require_safe
@company_required
@cache_control(max_age=3600, public=True)
def logo(request: CompanySiteRequest) -> FileResponse:
    company = request.company
    content_type, _ = mimetypes.guess_type(company.logo.name or "")
    if not company.logo or content_type not in LOGO_TYPES:
        raise Http404
    response = FileResponse(company.logo.open("rb"), content_type=content_type)
    # An SVG opened on its own must not run anything it contains.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    return response


def page_not_found(request: SiteRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


#: Seconds a client is asked to wait when the database cannot be reached.
DATABASE_RETRY_AFTER = 30


def server_error(request: SiteRequest) -> HttpResponse:
    """The branded 500 page; it falls back to plain text if even that fails.

    Django calls this inside the ``except`` that caught the error. A lost
    database connection (PostgreSQL restarting) is not a bug but a moment's
    outage: the same page as a 503 with ``Retry-After``. The page needs no
    query, and the next request opens a new connection.
    """
    unavailable = isinstance(sys.exception(), (OperationalError, InterfaceError))
    status = 503 if unavailable else 500
    try:
        body = loader.render_to_string("500.html", {"company": getattr(request, "company", None)})
        response = HttpResponse(body, status=status)
    except Exception:
        response = HttpResponse(
            "Errore del server / Server error",
            status=status,
            content_type="text/plain; charset=utf-8",
        )
    if unavailable:
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
