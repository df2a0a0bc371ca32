"""Download an audit's export (its coordinators), and upload a file to import as a new audit
(any coordinator). Problems with an upload are listed with their JSON paths; nothing is saved."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from maca.accounts.reauth import recent_authentication_required
from maca.accounts.requests import SignedInRequest
from maca.audits.selectors import AuditAccess, audit_access_for
from maca.core.throttling import render_throttled
from maca.exchange.document import DocumentInvalid, Problem
from maca.exchange.forms import ImportForm
from maca.exchange.schema_build import SCHEMA_PATH
from maca.exchange.selectors import (
    audit_export,
    export_bytes,
    export_filename,
    require_exporter,
)
from maca.exchange.services import SLUG_FIELD, audit_import, check_size
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
    require_audit_starter(request.user)
    problems: list[Problem] = []
    more = 0
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                check_size(upload.size)
                content = upload.read()
                result = audit_import(
                    content=content,
                    coordinators=[request.user],
                    slug=form.cleaned_data["slug"] or None,
                )
            except DocumentInvalid as error:
                for problem in error.problems:
                    if problem.path == SLUG_FIELD:
                        form.add_error("slug", problem.message)
                    else:
                        problems.append(problem)
                more = error.more
            else:
                imported = f"Imported '{result.audit.title}' as a new audit."
                told = " ".join([imported, *result.notes, result.publication_message]).strip()
                if result.held_before_publication:
                    messages.warning(request, told)
                else:
                    messages.success(request, told)
                return redirect("audits:overview", result.audit.slug)
    else:
        form = ImportForm()
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
