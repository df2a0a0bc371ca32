"""The brief as a tagged, accessible PDF (PDF/UA-1), printed by WeasyPrint from the print HTML."""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from maca.reports.brief import Brief
from maca.reports.renderers.page import render_print_html

# A made-up origin for resolving the template's relative URLs: the print HTML links
# /static/…, and the fetcher below answers only for this origin, from disk.
BASE_URL = "https://maca.invalid/"


_fonts = threading.local()


def font_config() -> FontConfiguration:
    """The fonts every PDF is laid out with, loaded once per thread.

    Left to itself WeasyPrint loads fontconfig and makes a new Pango font map for each
    document, and their native memory is not all given back: a web process grew by about
    0.24 MB with every report PDF (tests/benchmarks/bench_render_memory.py). The print
    stylesheets declare no @font-face, so a document adds nothing to it. One per thread,
    as Pango's font maps are not meant to be shared between threads.
    """
    config: FontConfiguration | None = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


class StaticFilesFetcher(URLFetcher):
    """Serves the project's own static files and refuses everything else.

    The brief holds text that people typed, including links; the renderer must never reach
    out to the network or read arbitrary files on the server because of it.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_path_for(url)
        if path is None:
            raise ValueError(f"the brief may only load maca's own static files, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


def static_path_for(url: str) -> Path | None:
    """The file on disk behind a /static/ URL on BASE_URL, or None if there is none."""
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    relative = unquote(urlsplit(url).path)[len(settings.STATIC_URL) :]
    if not relative or ".." in Path(relative).parts:
        return None
    # The staticfiles finders refuse paths that escape their folders.
    found = finders.find(relative)
    if not isinstance(found, str):
        return None
    return Path(found)


def render_pdf(brief: Brief) -> bytes:
    html = HTML(
        string=render_print_html(brief), base_url=BASE_URL, url_fetcher=StaticFilesFetcher()
    )
    pdf = html.write_pdf(
        font_config=font_config(),
        pdf_variant="pdf/ua-1",  # tagged structure, title shown in the window, language set
        pdf_tags=True,
        custom_metadata=True,  # carries <meta name="author"> etc. into the document info
    )
    assert isinstance(pdf, bytes)
    return pdf
