"""The brief as HTML: the context the web page and the print template share."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from maca.reports.brief import WORDS, Brief

PRINT_TEMPLATE = "reports/brief_print.html"
PRINT_STYLESHEET = "maca/brief-print.css"


def brief_context(brief: Brief, **extra: Any) -> dict[str, Any]:
    return {"brief": brief, "words": WORDS, **extra}


def render_print_html(brief: Brief, *, inline_css: bool = False) -> str:
    """The brief without the site around it.

    `inline_css` puts the print stylesheet inside the file, for a copy that must look right
    when opened from disk; the PDF links it and lets the static-only fetcher supply it.
    """
    css = ""
    if inline_css:
        path = finders.find(PRINT_STYLESHEET)
        assert isinstance(path, str), f"static file {PRINT_STYLESHEET} is missing"
        with open(path, encoding="utf-8") as handle:
            css = handle.read()
    return render_to_string(PRINT_TEMPLATE, brief_context(brief, inline_css=css))
