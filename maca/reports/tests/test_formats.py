"""The four formats of the brief: each shows every item, follows the data, and is well made
(a tagged PDF, a Word file with real heading and list styles, ordered HTML headings)."""

from __future__ import annotations

import io
import itertools
import re
import threading
from typing import Any, cast

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from weasyprint.text.fonts import FontConfiguration

from maca.learning.models import Finding, Heading
from maca.reports.brief import build_brief, system_access
from maca.reports.renderers import pdf as pdf_renderer
from maca.reports.renderers import render
from maca.reports.renderers.pdf import BASE_URL, StaticFilesFetcher, static_path_for
from maca.reports.renderers.report import write_pdf as write_report_pdf
from maca.reports.tests.conftest import docx_text, html_text, markdown_text, normalise, pdf_text

pytestmark = pytest.mark.django_db

FORMAT_URLS = {
    "html": "reports:brief",
    "pdf": "reports:brief-pdf",
    "docx": "reports:brief-docx",
    "md": "reports:brief-md",
}


def all_formats_as_text(client, slug: str) -> dict[str, str]:
    """Each format as fetched from its URL, reduced to plain normalised text."""
    texts = {}
    for extension, name in FORMAT_URLS.items():
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 200, (extension, response.status_code)
        body = response.content
        texts[extension] = {
            "html": lambda data: html_text(data.decode()),
            "pdf": pdf_text,
            "docx": docx_text,
            "md": lambda data: markdown_text(data.decode()),
        }[extension](body)
    return texts


def expected_items(brief_audit) -> list[str]:
    return [
        "The audit of 8 March 2022 reviewed the records of three children who are looked after "
        "by the local authority and placed out of area.",
        "This audit was to check learning has been embedded from the SCR Georgia.",
        "aged between 6 weeks and 16 years old",
        "Exposure to domestic abuse",
        "Seeking asylum (UASC)",
        "Frequent placement moves",
        "Exploitation tool not updated",
        "Good practice from school, foster carer.",
        "Interpreter used to hear wishes and feelings of the child",
        "Domestic abuse while children are in care",
        "What we found",
        "Police do not notify social care about incidents when the child is not there.",
        "What needs to happen",
        "Police agreed to add a flag to records so incidents are still shared.",
        "An asylum-seeking child was treated as an adult and placed with adults",
        "The child was moved to a foster placement the same week",
        "Immediate safeguarding",
        "Add a flag to police records for children in care",
        "Detective Inspector Example",
        "Done in May 2022",
        "No date set",
        "Serious case review: Georgia",
        "Host authorities must be told when a child moves in.",
        "Organisations that audited their involvement with the three children were: GPs, "
        "Social Care and Police.",
        "Exploitation bitesize learning sessions",
        "Short sessions for practitioners",
        "Off the Record service information",
        "auditing again in March 2023",
    ]


def test_every_format_shows_every_item(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    texts = all_formats_as_text(client, brief_audit.audit.slug)
    for extension, text in texts.items():
        missing = [item for item in expected_items(brief_audit) if normalise(item) not in text]
        assert not missing, (extension, missing)
        assert "A worry the panel kept out of the brief" not in text, extension
        assert "An internal action not for the brief" not in text, extension


def test_nothing_identifies_a_child_in_any_format(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    texts = all_formats_as_text(client, brief_audit.audit.slug)
    for extension, text in texts.items():
        for case, identity in zip(brief_audit.cases, brief_audit.identities, strict=True):
            for secret in (case.pseudonym, identity.full_name, identity.date_of_birth):
                assert secret not in text, (extension, secret)
        assert "SECRET-" not in text, extension


def test_brief_follows_the_findings_in_every_format(client, brief_audit):
    """Generated, not templated: edit, add and remove findings and every format changes."""
    audit = brief_audit.audit
    client.force_login(brief_audit.coordinator)
    worry = Finding.objects.get(audit=audit, text="Frequent placement moves")
    worry.text = "Frequent placement moves and breakdowns"
    worry.save()
    Finding.objects.create(
        audit=audit, heading=Heading.GOOD_PRACTICE, order=9, text="Placement kept siblings together"
    )
    Finding.objects.filter(audit=audit, text="Exploitation tool not updated").delete()
    added_theme = Finding.objects.create(
        audit=audit,
        heading=Heading.LEARNING,
        order=2,
        title="Criminal behaviour of children looked after",
        text="A new local protocol on reducing criminalisation is in draft.",
        needs_to_happen="Corporate parenting leads the protocol with the police and YOT.",
    )
    added_theme.taken_forward_by.set(brief_audit.agencies[1:2])

    for extension, text in all_formats_as_text(client, audit.slug).items():
        assert "Frequent placement moves and breakdowns" in text, extension
        assert "Placement kept siblings together" in text, extension
        assert "Exploitation tool not updated" not in text, extension
        assert "Criminal behaviour of children looked after" in text, extension
        assert "Corporate parenting leads the protocol with the police and YOT." in text


def test_pdf_is_tagged_titled_in_british_english_and_a4(brief_audit):
    data = render(build_brief(system_access(brief_audit.audit)), "pdf").content
    reader = PdfReader(io.BytesIO(data))
    catalog: Any = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True  # a pypdf BooleanObject
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata is not None
    assert reader.metadata.title == "Learning brief: Children looked after placed out of area"
    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in cast(Any, page["/Resources"])["/Font"].values()
    }
    assert all(re.search(r"Liberation-?Sans|Arial", font) for font in fonts), fonts


def test_pdfs_rendered_in_one_thread_share_one_font_configuration(brief_audit, monkeypatch):
    """What keeps a web process's memory flat over repeated renders: WeasyPrint left alone
    makes a new font map for each document and does not give all of it back
    (tests/benchmarks/bench_render_memory.py measures it). Every PDF, brief and report alike,
    is laid out with the thread's one font configuration; another thread makes its own."""
    made: list[FontConfiguration] = []

    class Counted(FontConfiguration):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(pdf_renderer, "FontConfiguration", Counted)
    monkeypatch.setattr(pdf_renderer, "_fonts", threading.local())
    brief = build_brief(system_access(brief_audit.audit))
    for _ in range(3):
        assert render(brief, "pdf").content.startswith(b"%PDF")
    assert write_report_pdf("<p>A page.</p>", "common", "report").startswith(b"%PDF")
    assert len(made) == 1

    elsewhere = threading.Thread(target=pdf_renderer.font_config)
    elsewhere.start()
    elsewhere.join()
    assert len(made) == 2


def test_docx_opens_with_title_heading_and_list_styles(brief_audit):
    data = render(build_brief(system_access(brief_audit.audit)), "docx").content
    document = Document(io.BytesIO(data))
    assert document.core_properties.title == (
        "Learning brief: Children looked after placed out of area"
    )
    styles = [(_style(paragraph), paragraph.text) for paragraph in document.paragraphs]
    assert styles[0] == ("Title", "Children looked after placed out of area")
    headings_1 = [text for style, text in styles if style == "Heading 1"]
    assert headings_1[:5] == [
        "What the audit did and why",
        "The children in this audit",
        "What we are worried about",
        "What good practice did we see",
        "Themes for learning",
    ]
    assert ("Heading 2", "Domestic abuse while children are in care") in styles
    assert ("List Bullet", "Frequent placement moves") in styles
    assert ("List Bullet", "Exposure to domestic abuse") in styles


def test_docx_resources_are_real_hyperlinks(brief_audit):
    data = render(build_brief(system_access(brief_audit.audit)), "docx").content
    document = Document(io.BytesIO(data))
    targets = {
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")
    }
    assert {"https://example.org/bitesize", "https://example.org/off-the-record"} <= targets
    link_texts = [link.text for paragraph in document.paragraphs for link in paragraph.hyperlinks]
    assert "Exploitation bitesize learning sessions" in link_texts


def test_markdown_is_utf8_with_headings_and_links(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    response = client.get(reverse("reports:brief-md", args=[brief_audit.audit.slug]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("# Children looked after placed out of area\n")
    assert "\n## What we are worried about\n" in text
    assert "\n### Domestic abuse while children are in care\n" in text
    assert "- [Exploitation bitesize learning sessions](<https://example.org/bitesize>)" in text


def test_markdown_escapes_text_that_looks_like_markup(brief_audit):
    Finding.objects.create(
        audit=brief_audit.audit, heading=Heading.WORRY, order=9, text="# not a heading *or* [link]"
    )
    text = render(build_brief(system_access(brief_audit.audit)), "md").content.decode()
    assert r"- \# not a heading \*or\* \[link\]" in text


def test_html_page_headings_run_in_order_and_lists_are_lists(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    html = client.get(reverse("reports:brief", args=[brief_audit.audit.slug])).text
    article = html[html.index("<article") : html.index("</article>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", article)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
    assert '<ul class="govuk-list govuk-list--bullet maca-brief-list">' in article
    for name in ("reports:brief-pdf", "reports:brief-docx", "reports:brief-md"):
        assert f'href="{reverse(name, args=[brief_audit.audit.slug])}"' in html


def test_standalone_html_carries_its_stylesheet(brief_audit):
    html = render(build_brief(system_access(brief_audit.audit)), "html").content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "<title>Learning brief: Children looked after placed out of area</title>" in html
    assert "@page" in html and "<link" not in html


def test_downloads_are_attachments_named_after_the_audit(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    slug = brief_audit.audit.slug
    for extension in ("pdf", "docx", "md"):
        response = client.get(reverse(FORMAT_URLS[extension], args=[slug]))
        assert response["Content-Disposition"] == (
            f'attachment; filename="{slug}-learning-brief.{extension}"'
        )


def test_pdf_fetcher_serves_only_local_static_files():
    fetcher = StaticFilesFetcher()
    css = fetcher.fetch(f"{BASE_URL}static/maca/brief-print.css")
    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    for url in (
        "https://example.org/static/maca/brief-print.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        f"{BASE_URL}static/../../config/settings.py",
        f"{BASE_URL}static/%2e%2e/config/settings.py",
        f"{BASE_URL}media/anything",
    ):
        assert static_path_for(url) is None, url
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def _style(paragraph: Any) -> str:
    return paragraph.style.name if paragraph.style is not None else ""
