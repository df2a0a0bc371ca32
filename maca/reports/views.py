"""The learning brief, the audit report, the comparison with an earlier audit and the 7-minute
briefing, on the web and as downloads. Each view checks access, builds its document and hands
it to a renderer; everything else lives in `brief.py`, `report.py`, `comparison.py`,
`briefing.py` and `renderers/`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.shortcuts import render as render_page
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maca.accounts.requests import SignedInRequest
from maca.audits.models import Audit
from maca.audits.selectors import (
    AuditAccess,
    audit_access_for,
    audits_visible_to,
    require_learning,
)
from maca.core.errors import Refused
from maca.core.throttling import render_throttled, render_uncounted
from maca.reports import draft_renders, snapshots
from maca.reports.briefing import build_briefing
from maca.reports.comparison import build_comparison
from maca.reports.disclosure_check import (
    acceptances_for,
    disclosure_accept,
    require_check_viewer,
    run_check,
)
from maca.reports.kept_renders import kept_render, name_for
from maca.reports.models import BriefSnapshot, DisclosureScope, DraftRender
from maca.reports.renderers import FORMATS, render
from maca.reports.renderers.page import brief_context
from maca.reports.report import AuditReport, build_report
from maca.reports.snapshots import draft_state, published_brief, published_report

DOWNLOADS = [
    ("pdf", "reports:brief-pdf"),
    ("docx", "reports:brief-docx"),
    ("md", "reports:brief-md"),
]


def brief(request: SignedInRequest, slug: str) -> HttpResponse:
    """The brief: while the audit is published, its latest published version; `?version=N`
    shows an earlier one as it was published."""
    access = audit_access_for(request.user, slug)
    asked = request.GET.get("version", "")
    snapshot: BriefSnapshot | None
    if asked:
        if not asked.isdigit():
            raise Http404("No such version")
        snapshot = snapshots.brief_version(access, int(asked))
        learning_brief = snapshots.brief_from_data(snapshot.brief)
    else:
        learning_brief, snapshot = published_brief(access)
    versions = snapshots.brief_versions(access) if access.audit.is_published else []
    draft = None if asked else draft_state(access)
    # Downloads are of the brief readers see now, so an earlier version offers none.
    download_links = (
        []
        if asked
        else [
            (FORMATS[extension].label, reverse(name, args=[slug])) for extension, name in DOWNLOADS
        ]
    )
    context = brief_context(
        learning_brief,
        access=access,
        audit=access.audit,
        download_links=download_links,
        snapshot=snapshot,
        versions=versions,
        draft=draft,
        nav_section="audits",
        tab="brief",
    )
    return render_page(request, "reports/brief.html", context)


def brief_draft(request: SignedInRequest, slug: str) -> HttpResponse:
    """The draft of the next version beside the version readers see: what changed and since
    when, line by line; coordinators publish it (the disclosure check runs again) or discard
    it."""
    access = audit_access_for(request.user, slug)
    draft = draft_state(access)
    if draft is None:
        raise Http404("No draft")
    asked_to_discard = request.method == "POST" and request.POST.get("decision") == "discard"
    if request.method == "POST" and (request.POST.get("confirm") or not asked_to_discard):
        return _brief_draft_decide(request, access, draft)
    if asked_to_discard and not access.is_coordinator:
        raise Http404("No audit found")
    context = {
        "access": access,
        "audit": access.audit,
        "draft": draft,
        # Discarding cannot be undone from here: ask once more before doing it.
        "confirm_discard": asked_to_discard,
        "nav_section": "audits",
        "tab": "brief",
    }
    return render_page(request, "reports/brief_draft.html", context)


def _brief_draft_decide(
    request: SignedInRequest, access: AuditAccess, draft: snapshots.DraftState
) -> HttpResponse:
    if not access.is_coordinator:
        raise Http404("No audit found")
    decision = request.POST.get("decision", "")
    try:
        if decision == "publish":
            published = snapshots.brief_publish_next(access=access, by=request.user)
            messages.success(request, f"Version {published.version} is published.")
            return redirect("reports:brief", access.audit.slug)
        if decision == "discard":
            undone = snapshots.brief_draft_discard(access=access, by=request.user)
            messages.success(
                request,
                f"The draft is discarded: {undone} change{'s' if undone != 1 else ''} undone.",
            )
            return redirect("reports:brief", access.audit.slug)
    except Refused as refusal:
        messages.error(request, refusal.text)
        return redirect("reports:brief-draft", access.audit.slug)
    raise Http404("No such decision")


@require_http_methods(["GET", "HEAD", "POST"])
@render_throttled
def brief_download(request: SignedInRequest, slug: str, extension: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    learning_brief, snapshot = published_brief(access)
    if snapshot is None and extension in draft_renders.FORMATS[DraftRender.Kind.BRIEF]:
        return _draft_download(request, access, DraftRender.Kind.BRIEF, extension)
    if request.method == "POST":
        return _published_meanwhile(request)
    if snapshot is None:
        rendered = render(learning_brief, extension)
        content, filename = rendered.content, rendered.filename
    else:
        content = kept_render(
            snapshot.brief,
            name_for("brief", extension),
            lambda: render(learning_brief, extension).content,
        )
        filename = f"{learning_brief.filename_stem}.{extension}"
    response = HttpResponse(content, content_type=FORMATS[extension].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A draft brief changes as the panel writes; never let a cache serve an old one.
    response["Cache-Control"] = "private, no-store"
    return response


# --- Audit report ---------------------------------------------------------------------------

REPORT_DOWNLOADS = [("PDF", "reports:report-pdf"), ("Word document", "reports:report-docx")]
_REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _report_and_version(
    request: HttpRequest, access: AuditAccess
) -> tuple[AuditReport, BriefSnapshot | None]:
    """Readers get the published version's report. The audit's coordinators and panel work
    on the live one, with the cases behind the figures, and may ask for what readers see
    (`?published=1`)."""
    if access.sees_every_agency and not request.GET.get("published"):
        return build_report(access), None
    return published_report(access)


def report(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    audit_report, _ = _report_and_version(request, access)
    context = {
        "access": access,
        "audit": access.audit,
        "report": audit_report,
        "showing_published": bool(request.GET.get("published")) or not access.sees_every_agency,
        "download_links": [(label, reverse(name, args=[slug])) for label, name in REPORT_DOWNLOADS],
        "nav_section": "audits",
        "tab": "report",
    }
    return render_page(request, "reports/report.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@render_throttled
def report_download(request: SignedInRequest, slug: str, extension: str) -> HttpResponse:
    from maca.reports.renderers.report import render_report_docx, render_report_pdf

    access = audit_access_for(request.user, slug)
    audit_report, snapshot = _report_and_version(request, access)
    if snapshot is None:
        return _draft_download(request, access, DraftRender.Kind.REPORT, extension)
    if request.method == "POST":
        return _published_meanwhile(request)

    def make() -> bytes:
        if extension == "pdf":
            return render_report_pdf(audit_report)
        return render_report_docx(audit_report)

    content = kept_render(snapshot.report, name_for("report", extension), make)
    response = HttpResponse(content, content_type=_REPORT_TYPES[extension])
    filename = f"{audit_report.filename_stem}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Comparison with an earlier audit -------------------------------------------------------


def compare(request: SignedInRequest, slug: str) -> HttpResponse:
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


def briefing(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    learning_brief, _ = published_brief(access)
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


@require_http_methods(["GET", "HEAD", "POST"])
@render_throttled
def briefing_pdf(request: SignedInRequest, slug: str) -> HttpResponse:
    from maca.reports.renderers.briefing import render_briefing_pdf

    access = audit_access_for(request.user, slug)
    learning_brief, snapshot = published_brief(access)
    brief_url = request.build_absolute_uri(reverse("reports:brief", args=[slug]))
    if snapshot is None:
        return _draft_download(
            request, access, DraftRender.Kind.BRIEFING, "pdf", brief_url=brief_url
        )
    if request.method == "POST":
        return _published_meanwhile(request)

    def make() -> bytes:
        return render_briefing_pdf(
            lambda detail: build_briefing(learning_brief, brief_url=brief_url, detail=detail)
        )

    content = kept_render(snapshot.brief, name_for("briefing", "pdf", varies_by=brief_url), make)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{slug}-7-minute-briefing.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Files of drafts, made by the worker ----------------------------------------------------


# Where each draft file is asked for: the same address as the published version's download.
_DRAFT_REQUESTS: dict[tuple[str, str], str] = {
    (DraftRender.Kind.BRIEF, "pdf"): "reports:brief-pdf",
    (DraftRender.Kind.BRIEF, "docx"): "reports:brief-docx",
    (DraftRender.Kind.REPORT, "pdf"): "reports:report-pdf",
    (DraftRender.Kind.REPORT, "docx"): "reports:report-docx",
    (DraftRender.Kind.BRIEFING, "pdf"): "reports:briefing-pdf",
}
_FORMAT_NAMES = {"pdf": "PDF", "docx": "Word document"}


def _draft_download(
    request: SignedInRequest, access: AuditAccess, kind: str, extension: str, *, brief_url: str = ""
) -> HttpResponse:
    """A draft's file is made by the worker, so asking for one is a POST (the button); opening
    the address (a link, a bookmark, a browser fetching ahead) only shows the button and the
    file already asked for, and never starts one."""
    if request.method == "POST":
        job = draft_renders.draft_render_request(
            access=access, by=request.user, kind=kind, extension=extension, brief_url=brief_url
        )
        return redirect("reports:draft-render", access.audit.slug, job.public_id)
    if (kind, extension) not in _DRAFT_REQUESTS:
        raise Http404("No such download")
    render_uncounted(request)  # the page with the button costs nothing to serve
    context = {
        "access": access,
        "audit": access.audit,
        "kind_label": DraftRender.Kind(kind).label,
        "extension": extension,
        "format_name": _FORMAT_NAMES[extension],
        "latest": draft_renders.draft_render_latest(
            access, request.user, kind, extension, brief_url
        ),
        "back_url": reverse(_DRAFT_PAGES[kind], args=[access.audit.slug]),
        "nav_section": "audits",
        "tab": kind,
    }
    response = render_page(request, "reports/draft_request.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _published_meanwhile(request: HttpRequest) -> HttpResponse:
    """A draft file asked for after the audit was published: the published file is there to
    download, so the button leads to it."""
    return redirect(request.get_full_path())


def draft_render(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    """The file being made: its progress (followed by a script, or by reloading), then the
    link to download it."""
    access = audit_access_for(request.user, slug)
    job = draft_renders.draft_render_for(access, request.user, public_id)
    context = {
        "access": access,
        "audit": access.audit,
        "job": job,
        "format_name": _FORMAT_NAMES.get(job.extension, job.extension.upper()),
        "request_url": reverse(_DRAFT_REQUESTS[(job.kind, job.extension)], args=[slug]),
        "back_url": reverse(_DRAFT_PAGES[job.kind], args=[slug]),
        "nav_section": "audits",
        "tab": job.kind,
    }
    response = render_page(request, "reports/draft_render.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


_DRAFT_PAGES: dict[str, str] = {
    DraftRender.Kind.BRIEF: "reports:brief",
    DraftRender.Kind.REPORT: "reports:report",
    DraftRender.Kind.BRIEFING: "reports:briefing",
}


def draft_render_status(request: SignedInRequest, slug: str, public_id: str) -> JsonResponse:
    access = audit_access_for(request.user, slug)
    job = draft_renders.draft_render_for(access, request.user, public_id)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "message": job.progress_message,
            "finished": job.is_finished,
            "url": reverse("reports:draft-render", args=[slug, job.public_id]),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def draft_render_download(request: SignedInRequest, slug: str, public_id: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    job = draft_renders.draft_render_for(access, request.user, public_id)
    content_type = (
        FORMATS[job.extension].content_type
        if job.kind == DraftRender.Kind.BRIEF
        else _REPORT_TYPES[job.extension]
    )
    response = HttpResponse(draft_renders.draft_render_content(job), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    # A draft changes as the panel writes; never let a cache serve an old one.
    response["Cache-Control"] = "private, no-store"
    return response


# --- Disclosure check -----------------------------------------------------------------------


def disclosure(request: SignedInRequest, slug: str) -> HttpResponse:
    """The disclosure check: what would identify a child in the brief (or the export), where
    it is, and the coordinators' decisions about each. Coordinators accept hits here."""
    access = audit_access_for(request.user, slug)
    scope = request.GET.get("scope", DisclosureScope.PUBLISH)
    if scope not in DisclosureScope.values:
        raise Http404("No such check")
    require_check_viewer(access, scope)
    errors: dict[str, str] = {}
    reasons: dict[str, str] = {}
    if request.method == "POST":
        if not access.is_coordinator:
            raise Http404("No audit found")
        chosen = request.POST.get("fingerprint", "")
        reason = request.POST.get("reason", "")
        try:
            accepted = disclosure_accept(
                access=access, scope=scope, fingerprint_value=chosen, reason=reason, by=request.user
            )
        except Refused as refusal:
            if refusal.about("reason"):
                errors[chosen] = " ".join(refusal.about("reason"))
                reasons[chosen] = reason
            else:
                messages.error(request, refusal.text)
                return redirect(_disclosure_url(slug, scope))
        else:
            messages.success(request, f"Accepted: {accepted.location}.")
            return redirect(_disclosure_url(slug, scope))
    result = run_check(access.audit, scope)
    groups = [
        {
            "label": group.label,
            "edit_url": group.edit_url,
            "items": [
                {
                    "checked": item,
                    "anchor": f"reason-{item.hit.fingerprint[:16]}",
                    "error": errors.get(item.hit.fingerprint, ""),
                    "reason": reasons.get(item.hit.fingerprint, ""),
                }
                for item in group.hits
            ],
        }
        for group in result.groups
    ]
    context = {
        "access": access,
        "audit": access.audit,
        "result": result,
        "groups": groups,
        "scope": scope,
        "scopes": [
            (value, label, _disclosure_url(slug, value))
            for value, label in DisclosureScope.choices
            if access.is_coordinator or value == DisclosureScope.PUBLISH
        ],
        "can_accept": access.is_coordinator,
        "error_list": [(f"reason-{key[:16]}", message) for key, message in errors.items()],
        "log": acceptances_for(access.audit, scope),
        "nav_section": "audits",
        "tab": "disclosure",
    }
    status = 400 if errors else 200
    return render_page(request, "reports/disclosure.html", context, status=status)


def _disclosure_url(slug: str, scope: str) -> str:
    url = reverse("reports:disclosure", args=[slug])
    return url if scope == DisclosureScope.PUBLISH else f"{url}?scope={scope}"
