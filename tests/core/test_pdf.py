"""The one way to render a PDF: templates through WeasyPrint, branded, never online."""

from __future__ import annotations

import io
import logging
import urllib.request
from typing import Any
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader
from tests.factories import Tenant

from sportello.core import pdf as pdf_module
from sportello.core.pdf import (
    MAX_LOGO_BYTES,
    OfflineURLFetcher,
    URLRefused,
    logo_data_uri,
    render_pdf,
)

LOCMEM_TEMPLATES = {
    "pdf/remote.html": (
        '{% extends "pdf/base.html" %}{% block content %}'
        "<h1>Documento di prova</h1>"
        '<img src="http://example.com/tracker.png" alt="x">'
        '<img src="https://example.com/tracker.png" alt="y">'
        '<img src="file:///etc/passwd" alt="z">'
        '<div style="background: url(http://example.com/bg.png)">{{ amount|money }}</div>'
        "{% endblock %}"
    ),
}


def locmem_templates(settings: Any) -> list[dict[str, Any]]:
    """The project's templates plus the test's own, first."""
    engine = dict(settings.TEMPLATES[0])
    options = dict(engine["OPTIONS"])
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", LOCMEM_TEMPLATES),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = options
    return [engine]


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def offline_templates(settings: Any) -> None:
    settings.TEMPLATES = locmem_templates(settings)


@pytest.mark.usefixtures("offline_templates")
def test_it_never_fetches_a_url_from_a_template(
    release: Tenant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    opened: list[str] = []
    real_open = urllib.request.OpenerDirector.open

    def spy(self: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(url, "full_url", url))
        return real_open(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    caplog.set_level(logging.WARNING, logger="sportello.core.pdf")

    pdf = render_pdf("pdf/remote.html", {"company": release.company, "amount": 1234}, "it")

    assert pdf.startswith(b"%PDF")
    assert "Documento di prova" in text_of(pdf)
    assert not [url for url in opened if not str(url).startswith("data:")]
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    for url in (
        "http://example.com/tracker.png",
        "https://example.com/tracker.png",
        "file:///etc/passwd",
        "http://example.com/bg.png",
    ):
        assert any(url in message for message in refused), url


@pytest.mark.parametrize(
    "url",
    ["http://example.com/a.png", "HTTPS://example.com/a.css", "file:///etc/passwd", "ftp://x/y"],
)
def test_it_refuses_any_url_but_data(url: str) -> None:
    with pytest.raises(URLRefused):
        OfflineURLFetcher().fetch(url)


def test_it_serves_data_uris() -> None:
    response = OfflineURLFetcher().fetch("data:text/plain;base64,Y2lhbw==")

    assert response.read() == b"ciao"


@pytest.mark.usefixtures("offline_templates")
def test_it_renders_in_the_language_asked(release: Tenant) -> None:
    italian = text_of(
        render_pdf("pdf/remote.html", {"company": release.company, "amount": 1234}, "it")
    )
    english = text_of(
        render_pdf("pdf/remote.html", {"company": release.company, "amount": 1234}, "en")
    )

    assert "1.234,00 €" in italian
    assert "€1,234.00" in english


@pytest.mark.usefixtures("offline_templates")
def test_it_prints_the_brand_and_the_legal_footer_on_every_page(release: Tenant) -> None:
    pdf = render_pdf("pdf/remote.html", {"company": release.company, "amount": 1}, "it")

    text = text_of(pdf)
    assert release.company.name in text
    assert "P.IVA 12345678901" in text
    assert "Pagina 1 di 1" in text
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(595.28, abs=1)


def test_it_embeds_the_logo_as_a_data_uri(release: Tenant) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    release.company.logo.save("brand.svg", ContentFile(svg))

    assert (
        logo_data_uri(release.company)
        == "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg=="
    )


def test_it_leaves_out_a_logo_it_cannot_embed(release: Tenant) -> None:
    assert logo_data_uri(release.company) == ""  # none
    release.company.logo.save("brand.gif", ContentFile(b"GIF89a"))
    assert logo_data_uri(release.company) == ""  # not a type we embed
    release.company.logo.save("huge.png", ContentFile(b"\x89PNG" + b"0" * MAX_LOGO_BYTES))
    assert logo_data_uri(release.company) == ""  # too large


def test_it_draws_the_company_logo(release: Tenant, offline_templates: None) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        b'<text x="0" y="30" font-size="20">LOGOTIPO</text></svg>'
    )
    release.company.logo.save("brand.svg", ContentFile(svg))

    pdf = render_pdf("pdf/remote.html", {"company": release.company, "amount": 1}, "it")

    assert "LOGOTIPO" in text_of(pdf)


@pytest.mark.usefixtures("offline_templates")
def test_it_makes_the_url_fetcher_once_per_process(release: Tenant) -> None:
    pdf_module.offline_fetcher.cache_clear()
    with mock.patch.object(
        pdf_module, "OfflineURLFetcher", wraps=pdf_module.OfflineURLFetcher
    ) as made:
        for amount in (1, 2):
            render_pdf("pdf/remote.html", {"company": release.company, "amount": amount}, "it")

    assert made.call_count == 1
    pdf_module.offline_fetcher.cache_clear()
