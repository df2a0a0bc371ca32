"""The learning brief, the audit report, the comparison with an earlier audit and the 7-minute
briefing, on the web and as downloads. Each view checks access, builds its document and hands
it to a renderer; everything else lives in `brief.py`, `report.py`, `comparison.py`,
`briefing.py` and `renderers/`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.urls import reverse

from maca.audits.models import Audit
from maca.audits.selectors import audit_access_for, audits_visible_to, require_learning
from maca.reports.brief import build_brief
from maca.reports.briefing import build_briefing
from maca.reports.comparison import build_comparison
from maca.reports.renderers import FORMATS, render
from maca.reports.renderers.page import brief_context
from maca.reports.report import build_report

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


# --- Audit report ---------------------------------------------------------------------------

REPORT_DOWNLOADS = [("PDF", "reports:report-pdf"), ("Word document", "reports:report-docx")]
_REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def report(request: HttpRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    audit_report = build_report(access)
    context = {
        "access": access,
        "audit": access.audit,
        "report": audit_report,
        "download_links": [(label, reverse(name, args=[slug])) for label, name in REPORT_DOWNLOADS],
        "nav_section": "audits",
        "tab": "report",
    }
    return render_page(request, "reports/report.html", context)


def report_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    from maca.reports.renderers.report import render_report_docx, render_report_pdf

    access = audit_access_for(request.user, slug)
    audit_report = build_report(access)
    content = (
        render_report_pdf(audit_report) if extension == "pdf" else render_report_docx(audit_report)
    )
    response = HttpResponse(content, content_type=_REPORT_TYPES[extension])
    filename = f"{audit_report.filename_stem}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Comparison with an earlier audit -------------------------------------------------------


def compare(request: HttpRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    require_learning(access)
    audit = access.audit
    other_slug = request.GET.get("with", "")
    if not other_slug and audit.follow_up_of_id is not None:
        other_slug = Audit.objects.filter(pk=audit.follow_up_of_id).values_list("slug", flat=True)[
            0
        ]
    candidates = [
        item
        for item in audits_visible_to(request.user).filter(tool_version_id=audit.tool_version_id)
        if item.pk != audit.pk
    ]
    comparison = None
    if other_slug:
        other = audit_access_for(request.user, other_slug)
        if other.audit.pk == audit.pk:
            raise Http404("Choose another audit")
        comparison = build_comparison(other, access)
    context = {
        "access": access,
        "audit": audit,
        "comparison": comparison,
        "candidates": candidates,
        "nav_section": "audits",
        "tab": "compare",
    }
    return render_page(request, "reports/compare.html", context)


# --- 7-minute briefing ----------------------------------------------------------------------


def briefing(request: HttpRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    learning_brief = build_brief(access)
    context = {
        "access": access,
        "audit": access.audit,
        "briefing": build_briefing(
            learning_brief,
            brief_url=request.build_absolute_uri(reverse("reports:brief", args=[slug])),
        ),
        "download_links": [("One-page PDF", reverse("reports:briefing-pdf", args=[slug]))],
        "nav_section": "audits",
        "tab": "briefing",
    }
    return render_page(request, "reports/briefing.html", context)


def briefing_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from maca.reports.renderers.briefing import render_briefing_pdf

    access = audit_access_for(request.user, slug)
    learning_brief = build_brief(access)
    brief_url = request.build_absolute_uri(reverse("reports:brief", args=[slug]))
    content = render_briefing_pdf(
        lambda detail: build_briefing(learning_brief, brief_url=brief_url, detail=detail)
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{slug}-7-minute-briefing.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
