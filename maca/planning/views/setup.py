"""Setting up an audit: the plan, stage, agencies, tool, earlier reviews, children and
which agencies knew them. Only the audit's coordinators reach these pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maca.accounts.requests import SignedInRequest
from maca.audits.models import AuditStatus
from maca.audits.selectors import AuditAccess, audit_figures_row, cohort_profile
from maca.core.errors import Refused, add_refusal
from maca.planning import selectors, services
from maca.planning.forms.cases import CaseForm, InvolvementForm
from maca.planning.forms.figures import FiguresForm
from maca.planning.forms.setup import (
    AgenciesForm,
    AgencyForm,
    AuditPeopleForm,
    NewAuditForm,
    NewReviewForm,
    PlanForm,
    ReviewLinkForm,
    StatusChangeForm,
    ToolChoiceForm,
)


def _context(access: AuditAccess, **extra: Any) -> dict[str, Any]:
    return {
        "access": access,
        "audit": access.audit,
        "nav_section": "audits",
        "tab": "setup",
        **extra,
    }


def audit_create(request: SignedInRequest) -> HttpResponse:
    selectors.require_audit_starter(request.user)
    form = NewAuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{audit.title} started. You are its coordinator.")
            return redirect("planning:setup", audit.slug)
    return render(request, "planning/setup/audit_new.html", {"form": form, "nav_section": "audits"})


def setup(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    summary = selectors.setup_summary(access)
    return render(request, "planning/setup/setup.html", _context(access, summary=summary))


def plan(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(access.audit))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_plan_update(audit=access.audit, data=form.to_input())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Plan saved.")
            return redirect("planning:setup", audit.slug)
    return render(request, "planning/setup/plan.html", _context(access, form=form))


def status(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    audit = access.audit
    moves = []
    for direction in (services.FORWARD, services.BACK):
        target = services.audit_status_target(audit, direction)
        if target is not None:
            moves.append({"direction": direction, "label": AuditStatus(target).label})
    context = _context(access, moves=moves, history=selectors.audit_stage_moves(access))
    return render(request, "planning/setup/status.html", context)


def status_change(request: SignedInRequest, slug: str, direction: str) -> HttpResponse:
    """Confirm, then move the audit one stage forward or back."""
    access = selectors.setup_access_for(request.user, slug)
    audit = access.audit
    target = services.audit_status_target(audit, direction)
    if target is None:
        messages.error(request, f"The audit cannot move {direction} from its current stage.")
        return redirect("planning:status", slug)
    form = StatusChangeForm(request.POST or None, initial={"expected": audit.status})
    forward = direction == services.FORWARD
    blockers = services.audit_status_blockers(audit, target) if forward else []
    outstanding = services.audit_status_outstanding(audit, target) if forward else []
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_status_advance(
                audit=audit,
                direction=direction,
                expected=form.cleaned_data["expected"],
                override_reason=form.cleaned_data["reason"],
            )
        except Refused as refusal:
            if not refusal.about("reason"):
                messages.error(request, refusal.text)
                return redirect("planning:status", slug)
            add_refusal(form, refusal)
        else:
            messages.success(request, f"The audit is now at {AuditStatus(target).label}.")
            return redirect("planning:status", slug)
    context = _context(
        access,
        form=form,
        direction=direction,
        target_label=AuditStatus(target).label,
        blockers=blockers,
        outstanding=outstanding,
    )
    return render(request, "planning/setup/status_confirm.html", context)


def agencies(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    form = AgenciesForm(request.POST or None, choices=selectors.agency_choices(access))
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_agencies_set(audit=access.audit, chosen=form.chosen())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Agencies taking part saved.")
            return redirect("planning:agencies", slug)
    return render(request, "planning/setup/agencies.html", _context(access, form=form))


def agency_create(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                data=form.to_input(),
                audit=access.audit,
                returns_due=form.cleaned_data["returns_due"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{agency.name} added and taking part in this audit.")
            return redirect("planning:agencies", slug)
    return render(request, "planning/setup/agency_new.html", _context(access, form=form))


def people(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    form = AuditPeopleForm(request.POST or None, people=selectors.audit_people_for_setup(access))
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_people_set(
                audit=access.audit,
                coordinator_ids=form.cleaned_data["coordinators"],
                panel_ids=form.cleaned_data["panel"],
                chair_id=form.cleaned_data["chair"],
                by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Coordinators and panel saved.")
            return redirect("planning:setup", slug)
    return render(request, "planning/setup/people.html", _context(access, form=form))


def tool(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    audit = access.audit
    form = ToolChoiceForm(
        request.POST or None,
        initial={"tool_version": audit.tool_version_id, "overall_scale": audit.overall_scale_id},
        versions=selectors.versions_by_tool(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_tool_set(audit=audit, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Tool and scale saved.")
            return redirect("planning:setup", slug)
    return render(request, "planning/setup/tool.html", _context(access, form=form))


def figures(request: SignedInRequest, slug: str) -> HttpResponse:
    """The cohort and grades as figures, for audits known by their figures rather than (or
    as well as) by one row per child."""
    access = selectors.setup_access_for(request.user, slug)
    form = FiguresForm(
        request.POST or None, initial=FiguresForm.initial_for(audit_figures_row(access.audit))
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_figures_set(audit=access.audit, data=form.to_input())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Figures saved.")
            return redirect("planning:setup", access.audit.slug)
    case_count = cohort_profile(access.audit).case_count
    context = _context(access, form=form, case_count=case_count)
    return render(request, "planning/setup/figures.html", context)


def reviews(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    form = ReviewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.audit_review_link(audit=access.audit, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{link.review.short_name} linked to this audit.")
            return redirect("planning:reviews", slug)
    links = selectors.review_links_for_setup(access)
    return render(request, "planning/setup/reviews.html", _context(access, form=form, links=links))


def review_create(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    form = NewReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.review_create(
                data=form.to_input(),
                audit=access.audit,
                relationship=form.cleaned_data["relationship"],
                note=form.cleaned_data["note"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{link.review.short_name} recorded and linked.")
            return redirect("planning:reviews", slug)
    return render(request, "planning/setup/review_new.html", _context(access, form=form))


@require_POST
def review_unlink(request: SignedInRequest, slug: str, link_id: int) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    link = selectors.review_link_for_setup(access, link_id)
    services.audit_review_unlink(link=link)
    messages.success(request, f"{link.review.short_name} is no longer linked to this audit.")
    return redirect("planning:reviews", slug)


# --- Children -------------------------------------------------------------------------------


def cases(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    rows = selectors.cases_for_setup(access)
    return render(request, "planning/setup/cases.html", _context(access, cases=rows))


def case_create(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    count = access.audit.cases.count()
    suggested = f"Child {chr(ord('A') + count)}" if count < 26 else ""
    form = CaseForm(request.POST or None, initial={"pseudonym": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                audit=access.audit, data=form.to_input(), identifiers=form.identifiers()
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{case.pseudonym} added.")
            return redirect("planning:cases", slug)
    return render(request, "planning/setup/case_form.html", _context(access, form=form, case=None))


def case_edit(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    case = selectors.case_for_setup(access, case_id)
    form = CaseForm(request.POST or None, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, data=form.to_input(), identifiers=form.identifiers())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{case.pseudonym} saved.")
            return redirect("planning:cases", slug)
    return render(request, "planning/setup/case_form.html", _context(access, form=form, case=case))


def case_delete(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    case = selectors.case_for_setup(access, case_id)
    refusal = None
    if request.method == "POST":
        try:
            services.case_delete(case=case)
        except Refused as error:
            refusal = error.text
        else:
            messages.success(request, f"{case.pseudonym} removed from the audit.")
            return redirect("planning:cases", slug)
    error_list = [("main-content", refusal)] if refusal else []
    context = _context(access, case=case, refusal=refusal, error_list=error_list)
    return render(
        request, "planning/setup/case_delete.html", context, status=409 if refusal else 200
    )


def involvement(request: SignedInRequest, slug: str) -> HttpResponse:
    access = selectors.setup_access_for(request.user, slug)
    table = selectors.involvement_table(access)
    form = InvolvementForm(table, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.involvement_set(
                audit=access.audit, statuses=form.statuses, by=request.user
            )
        except services.InvolvementRefused as refusal:
            form.add_problems(refusal.problems)
        else:
            messages.success(
                request,
                f"Saved: {result.changed} change{'s' if result.changed != 1 else ''}; "
                f"{result.returns_created} return{'s' if result.returns_created != 1 else ''} "
                "opened.",
            )
            return redirect("planning:involvement", slug)
    context = _context(access, table=table, form=form, rows=form.rows())
    return render(request, "planning/setup/involvement.html", context)
