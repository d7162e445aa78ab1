"""The one way the portal renders a PDF: a template → HTML → WeasyPrint.

``render_pdf(template_name, context, language)`` renders the template in the
given language and returns the PDF's bytes; ``render_html`` is its first half
(for a caller that keeps the PDF and needs to know whether it changed) and
``html_to_pdf(html)`` its second, which also prints an HTML document that is
already made (an e-invoice's official rendering). Templates extend
``pdf/base.html``, which prints the company's logo, name, colours and legal
footer on every page when the context has a ``company``.

WeasyPrint never reaches the network or the file system: its URL fetcher
accepts ``data:`` URIs only (the logo is embedded as one), so a URL that finds
its way into a template, even from imported data, is refused, not fetched.
The fetcher is made once per process: making one loads the system's TLS
certificates, which cost more than a short PDF itself.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from functools import cache
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .models import Company

logger = logging.getLogger(__name__)

#: Logo types a PDF embeds, and the largest logo file it reads.
LOGO_TYPES = {"image/svg+xml", "image/png", "image/jpeg"}
MAX_LOGO_BYTES = 512 * 1024


class URLRefused(ValueError):
    """A PDF template asked for a resource that is not embedded in it."""


class OfflineURLFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves ``data:`` URIs and refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise URLRefused(f"Refused to fetch {url[:200]}")
        response: URLFetcherResponse = super().fetch(url, headers)
        return response


def logo_data_uri(company: Company) -> str:
    """The company's logo as a ``data:`` URI, or "" when it has none we can embed."""
    if not company.logo:
        return ""
    content_type, _ = mimetypes.guess_type(company.logo.name or "")
    if content_type not in LOGO_TYPES:
        return ""
    try:
        with company.logo.open("rb") as logo:
            data = logo.read(MAX_LOGO_BYTES + 1)
    except OSError:
        logger.warning("The logo of %s cannot be read", company.slug)
        return ""
    if len(data) > MAX_LOGO_BYTES:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


@cache
def offline_fetcher() -> OfflineURLFetcher:
    """The process's one fetcher (it keeps no state between fetches of ``data:`` URIs)."""
    return OfflineURLFetcher()


def render_pdf(template_name: str, context: dict[str, Any], language: str) -> bytes:
    """The PDF of ``template_name`` rendered with ``context`` in ``language`` ("it", "en")."""
    return html_to_pdf(render_html(template_name, context, language))


def render_html(template_name: str, context: dict[str, Any], language: str) -> str:
    """The HTML document ``render_pdf`` prints: the same template, context and language."""
    context = dict(context)
    company = context.get("company")
    if isinstance(company, Company) and "pdf_logo" not in context:
        context["pdf_logo"] = logo_data_uri(company)
    with translation.override(language):
        context.setdefault("LANGUAGE_CODE", language)
        return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a whole HTML document made elsewhere (an e-invoice's official
    rendering), through the same offline fetcher."""
    pdf: bytes | None = HTML(string=html, url_fetcher=offline_fetcher()).write_pdf()
    if pdf is None:  # pragma: no cover - only when a target file is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf
