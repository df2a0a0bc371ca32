"""One `Brief`, four formats. `render(brief, "pdf")` is what views and the command call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from maca.reports.brief import Brief


@dataclass(frozen=True)
class BriefFormat:
    extension: str
    content_type: str
    label: str
    is_text: bool


FORMATS: dict[str, BriefFormat] = {
    "html": BriefFormat("html", "text/html; charset=utf-8", "Web page (HTML)", is_text=True),
    "pdf": BriefFormat("pdf", "application/pdf", "PDF", is_text=False),
    "docx": BriefFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
        is_text=False,
    ),
    "md": BriefFormat("md", "text/markdown; charset=utf-8", "Markdown", is_text=True),
}


@dataclass(frozen=True)
class RenderedBrief:
    content: bytes
    format: BriefFormat
    filename: str


def render(brief: Brief, extension: str) -> RenderedBrief:
    """The brief in one format. HTML here is the standalone print copy with its CSS inside."""
    renderer = _renderers()[extension]
    content = renderer(brief)
    data = content.encode("utf-8") if isinstance(content, str) else content
    return RenderedBrief(
        content=data,
        format=FORMATS[extension],
        filename=f"{brief.filename_stem}.{extension}",
    )


def _renderers() -> dict[str, Callable[[Brief], str | bytes]]:
    # Imported when used so that the web page does not load WeasyPrint and python-docx.
    from maca.reports.renderers.markdown import render_markdown
    from maca.reports.renderers.page import render_print_html
    from maca.reports.renderers.pdf import render_pdf
    from maca.reports.renderers.word import render_docx

    return {
        "html": lambda brief: render_print_html(brief, inline_css=True),
        "pdf": render_pdf,
        "docx": render_docx,
        "md": render_markdown,
    }
