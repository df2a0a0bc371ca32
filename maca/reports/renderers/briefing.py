"""The 7-minute briefing as a one-page, tagged PDF.

It is laid out at the most detail first; while it runs over one page, the next, shorter
version is tried, so the briefing is always one page however much the audit found.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string

from maca.reports.briefing import MAX_DETAIL, SevenMinuteBriefing
from maca.reports.renderers.report import print_css

TEMPLATE = "reports/briefing_print.html"
_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "custom_metadata": True}


def render_briefing_pdf(build: Callable[[int], SevenMinuteBriefing]) -> bytes:
    """`build(detail)` makes the briefing at a level of detail (0 is the most)."""
    from weasyprint import CSS, HTML

    from maca.reports.renderers.pdf import BASE_URL, StaticFilesFetcher, font_config

    fonts = font_config()
    stylesheet = CSS(string=print_css("common", "briefing"), font_config=fonts)
    for detail in range(MAX_DETAIL + 1):
        html = render_to_string(TEMPLATE, {"briefing": build(detail)})
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render(
            stylesheets=[stylesheet], font_config=fonts, **_OPTIONS
        )
        if len(document.pages) == 1 or detail == MAX_DETAIL:
            # At the least detail, keep the first page: one page is the format's promise.
            if len(document.pages) > 1:
                document.pages[1:] = []
            pdf = document.write_pdf(**_OPTIONS)
            assert isinstance(pdf, bytes)
            return pdf
    raise AssertionError("unreachable")
