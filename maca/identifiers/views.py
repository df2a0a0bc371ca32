"""Pages for child identifiers: the reveal (coordinators, with a reason, after confirming who they
are), the access log and its CSV export, an agency's own reference, and retention holds."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from maca.accounts.reauth import recent_authentication_required
from maca.accounts.requests import SignedInRequest
from maca.audits.models import Case
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused, add_refusal
from maca.core.spreadsheets import safe_cell
from maca.core.throttling import render_throttled
from maca.identifiers import selectors, services
from maca.identifiers.forms import (
    AccessLogFilterForm,
    AgencyReferenceForm,
    RetentionHoldForm,
    RevealForm,
)
from maca.identifiers.models import FIELD_LABELS, IdentifierAccess

LOG_PAGE_SIZE = 50


def _no_store(response: HttpResponse) -> HttpResponse:
    # Identifiers and the log must not stay in a browser's or proxy's cache.
    response["Cache-Control"] = "no-store"
    return response


# --- Reveal ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reveal(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    # Scope first, so everyone who may not reveal gets the same 404 whether or not they have
    # confirmed who they are lately.
    access, case = selectors.reveal_case_for(request.user, slug, case_id)
    return _reveal_confirmed(request, access, case)


@recent_authentication_required
def _reveal_confirmed(request: SignedInRequest, access: AuditAccess, case: Case) -> HttpResponse:
    held = selectors.held_fields(case)
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and held and form.is_valid():
        try:
            revealed = services.identifiers_reveal(
                user=request.user,
                audit=access.audit,
                case=case,
                purpose=form.cleaned_data["purpose"],
                reason=form.cleaned_data["reason"],
                ip_address=services.client_ip(request),
            )
        except Refused as refusal:
            add_refusal(form, refusal)
    context = {
        "access": access,
        "audit": access.audit,
        "case": case,
        "held": [FIELD_LABELS[name] for name in held],
        "form": form,
        "revealed": revealed,
        "nav_section": "audits",
        "tab": "returns",
    }
    return _no_store(render(request, "identifiers/reveal.html", context))


# --- The access log ----------------------------------------------------------------------------


@require_GET
def access_log(request: SignedInRequest) -> HttpResponse:
    selectors.access_log_scope(request.user)  # 404 for anyone who may not read it
    form = AccessLogFilterForm(request.GET or None, user=request.user)
    entries = selectors.access_log_for(request.user, form.filters())
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "nav_section": "identifiers",
    }
    return _no_store(render(request, "identifiers/access_log.html", context))


CSV_HEADERS = (
    "When",
    "What",
    "Who",
    "Audit",
    "Child (pseudonym)",
    "Identifiers shown",
    "Purpose",
    "Reason",
    "IP address",
)


@require_GET
def access_log_csv(request: SignedInRequest) -> HttpResponse:
    selectors.access_log_scope(request.user)
    return _access_log_csv_confirmed(request)


@recent_authentication_required
@render_throttled
def _access_log_csv_confirmed(request: SignedInRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    entries = list(selectors.access_log_for(request.user, filters))
    services.access_log_export_record(
        user=request.user,
        filters=filters,
        rows=len(entries),
        ip_address=services.client_ip(request),
    )
    response = HttpResponse(_log_csv(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="identifier-access-log-{stamp}.csv"'
    return _no_store(response)


def _log_csv(entries: list[IdentifierAccess]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADERS)
    for entry in entries:
        row = [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.get_kind_display(),
            entry.user_name,
            entry.audit_title,
            entry.case_pseudonym,
            entry.field_labels,
            entry.get_purpose_display() if entry.purpose else "",
            entry.reason,
            entry.ip_address or "",
        ]
        writer.writerow([safe_cell(str(value)) for value in row])
    # A byte-order mark lets Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- An agency's own reference -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def agency_reference(
    request: SignedInRequest, slug: str, case_id: int, agency_id: int
) -> HttpResponse:
    target = selectors.agency_reference_case_for(request.user, slug, case_id, agency_id)
    access, case, agency, reference = target.access, target.case, target.agency, target.reference
    initial = {"reference": reference.reference if reference else ""}
    form = AgencyReferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.agency_reference_set(
                case=case, agency=agency, reference=form.cleaned_data["reference"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"{agency.short_name}'s reference for {case.pseudonym} "
                f"{'saved' if saved else 'removed'}.",
            )
            return redirect("audits:case", access.audit.slug, case.pk)
    context = {
        "access": access,
        "audit": access.audit,
        "case": case,
        "agency": agency,
        "form": form,
        "nav_section": "audits",
        "tab": "returns",
    }
    return _no_store(render(request, "identifiers/agency_reference.html", context))


# --- Retention ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def retention(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.coordinator_access_for(request.user, slug)
    audit = access.audit
    lifting = bool(audit.retention_hold_reason)
    form = RetentionHoldForm(request.POST or None, lifting=lifting)
    if request.method == "POST" and form.is_valid():
        change = services.retention_hold_lift if lifting else services.retention_hold_set
        try:
            change(audit=audit, user=request.user, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Hold lifted." if lifting else "Hold set.")
            return redirect("identifiers:retention", audit.slug)
    identities, references = selectors.identity_counts(audit)
    context: dict[str, Any] = {
        "access": access,
        "audit": audit,
        "retention": selectors.retention_of(audit),
        "retention_days": selectors.retention_days(),
        "identities": identities,
        "references": references,
        "form": form,
        "lifting": lifting,
        "nav_section": "audits",
        "tab": "overview",
    }
    return render(request, "identifiers/retention.html", context)
