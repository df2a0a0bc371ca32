"""Download an audit's export (its coordinators), and upload a file to import as a new audit
(any coordinator). Problems with an upload are listed with their JSON paths; nothing is saved.
An upload whose agencies, needs, reviews or scales match stored ones only in part is kept
(encrypted, for its uploader only) while the person chooses, for each, to use the stored one
or add the file's as new."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from maca.accounts.reauth import recent_authentication_required
from maca.accounts.requests import SignedInRequest
from maca.audits.selectors import AuditAccess, audit_access_for
from maca.core.throttling import render_throttled
from maca.exchange.document import DocumentInvalid, Problem
from maca.exchange.forms import ImportForm, MatchChoicesForm
from maca.exchange.matching import MatchesToConfirm, import_plan
from maca.exchange.pending import (
    pending_import_add,
    pending_import_delete,
    pending_import_for,
)
from maca.exchange.schema_build import SCHEMA_PATH
from maca.exchange.selectors import (
    audit_export,
    export_bytes,
    export_filename,
    require_exporter,
)
from maca.exchange.services import (
    SLUG_FIELD,
    ImportResult,
    check_size,
    checked_document,
    import_checked,
    requested_slug_problem,
)
from maca.planning.selectors import require_audit_starter
from maca.reports.disclosure_check import run_check
from maca.reports.models import DisclosureScope


def export(request: SignedInRequest, slug: str) -> HttpResponse:
    # Scope first, so everyone who may not export gets the same 404 whether or not they have
    # confirmed who they are lately (as the identifier reveal does).
    access = audit_access_for(request.user, slug)
    require_exporter(access)
    return _export_confirmed(request, access)


@recent_authentication_required
@render_throttled
def _export_confirmed(request: HttpRequest, access: AuditAccess) -> HttpResponse:
    document = audit_export(access)
    check = run_check(access.audit, DisclosureScope.EXPORT, document=document)
    if check.unresolved_count:
        context = {"access": access, "audit": access.audit, "result": check, "tab": "setup"}
        return render(request, "reports/disclosure_refused.html", context, status=409)
    response = HttpResponse(export_bytes(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(document)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema an import is checked against, for anyone writing a file by hand."""
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")


def import_audit(request: SignedInRequest) -> HttpResponse:
    """Upload and check the file; import at once when every entry matches exactly or is new,
    else keep it and ask about the similar ones."""
    require_audit_starter(request.user)
    if request.method != "POST":
        return _upload_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["document"]
    slug = form.cleaned_data["slug"] or ""
    try:
        check_size(upload.size)
        content = upload.read()
        doc = checked_document(content)
        plan = import_plan(doc)
        if not plan.similar:
            result = import_checked(doc, coordinators=[request.user], slug=slug or None, choices={})
            return _imported(request, result)
        # Asked now, not after the choices: the person can still change it on this page.
        taken = requested_slug_problem(slug) if slug else None
        if taken:
            raise DocumentInvalid([taken])
    except DocumentInvalid as error:
        return _upload_page(request, form, error)
    pending = pending_import_add(
        user=request.user, content=content, filename=upload.name or "", slug=slug
    )
    return redirect("exchange:choose", pending.public_id)


def choose_matches(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    """The similar matches of a kept upload, each to use or add as new; then the import."""
    require_audit_starter(request.user)
    pending = pending_import_for(request.user, public_id)
    content = pending.document.encode("utf-8")
    try:
        doc = checked_document(content)
        plan = import_plan(doc)
        form = MatchChoicesForm(plan, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            result = import_checked(
                doc,
                coordinators=[request.user],
                slug=pending.slug or None,
                choices=form.choices(),
            )
            pending_import_delete(pending)
            return _imported(request, result)
    except DocumentInvalid as error:
        # Something here changed since the upload (its slug was taken, say): start again.
        pending_import_delete(pending)
        return _upload_page(request, ImportForm(), error)
    except MatchesToConfirm as error:
        # Stored rows changed between the page and the answer: ask again about what is new.
        plan = error.plan
        form = MatchChoicesForm(plan)
        messages.warning(
            request,
            "What is stored here changed since the page was shown. Check the choices again.",
        )
    context = {
        "form": form,
        "plan": plan,
        "pending": pending,
        "nav_section": "audits",
    }
    return render(request, "exchange/choose.html", context)


def _imported(request: HttpRequest, result: ImportResult) -> HttpResponse:
    imported = f"Imported '{result.audit.title}' as a new audit."
    told = " ".join([imported, result.match_summary, *result.notes, result.publication_message])
    if result.held_before_publication:
        messages.warning(request, told.strip())
    else:
        messages.success(request, told.strip())
    return redirect("audits:overview", result.audit.slug)


def _upload_page(
    request: HttpRequest, form: ImportForm, error: DocumentInvalid | None = None
) -> HttpResponse:
    problems: list[Problem] = []
    more = error.more if error else 0
    for problem in error.problems if error else []:
        if problem.path == SLUG_FIELD and form.is_bound:
            form.add_error("slug", problem.message)
        else:
            problems.append(problem)
    context = {
        "form": form,
        "problems": problems,
        "more": more,
        "problems_summary": _problems_summary(len(problems) + more),
        "problem_links": [("problems", "See the problems in the file")],
        "nav_section": "audits",
    }
    return render(request, "exchange/import.html", context)


def _problems_summary(count: int) -> str:
    what = "problem" if count == 1 else f"{count} problems"
    return f"Nothing has been saved. Put right the {what} listed below, then upload the file again."
