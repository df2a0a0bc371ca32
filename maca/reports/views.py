"""The learning brief on the web and as downloads. Each view checks access, builds the brief
and hands it to a renderer; everything else lives in `brief.py` and `renderers/`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.urls import reverse

from maca.audits.selectors import audit_access_for
from maca.reports.brief import build_brief
from maca.reports.renderers import FORMATS, render
from maca.reports.renderers.page import brief_context

DOWNLOADS = [
    ("pdf", "reports:brief-pdf"),
    ("docx", "reports:brief-docx"),
    ("md", "reports:brief-md"),
]


def brief(request: HttpRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    learning_brief = build_brief(access)
    download_links = [
        (FORMATS[extension].label, reverse(name, args=[slug])) for extension, name in DOWNLOADS
    ]
    context = brief_context(
        learning_brief,
        access=access,
        audit=access.audit,
        download_links=download_links,
        nav_section="audits",
        tab="brief",
    )
    return render_page(request, "reports/brief.html", context)


def brief_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    rendered = render(build_brief(access), extension)
    response = HttpResponse(rendered.content, content_type=rendered.format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    # A draft brief changes as the panel writes; never let a cache serve an old one.
    response["Cache-Control"] = "private, no-store"
    return response
