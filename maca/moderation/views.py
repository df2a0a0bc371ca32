"""The moderation panel's pages: the children of an audit, and one child with every agency's
account side by side. Only the audit's coordinators and panel see them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maca.accounts.requests import SignedInRequest
from maca.audits.selectors import audit_access_for
from maca.core.errors import Refused, add_refusal
from maca.moderation import selectors, services
from maca.moderation.forms import AgreedGradesForm, CaseFindingForm, DiscrepancyForm


def moderation_list(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    rows, graded_sections = selectors.moderation_rows(access)
    context = {
        "access": access,
        "audit": access.audit,
        "rows": rows,
        "graded_sections": graded_sections,
        "nav_section": "audits",
        "tab": "moderation",
    }
    return render(request, "moderation/case_list.html", context)


def _page(
    request: SignedInRequest, slug: str, case_id: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    moderation = selectors.case_moderation(access, case_id)
    context = {
        "access": access,
        "audit": access.audit,
        "moderation": moderation,
        "case": moderation.case,
        "grades_form": forms.get("grades_form")
        or AgreedGradesForm(moderation=moderation, prefix="grades"),
        "discrepancy_form": forms.get("discrepancy_form")
        or DiscrepancyForm(moderation=moderation, prefix="discrepancy"),
        "finding_form": forms.get("finding_form")
        or CaseFindingForm(moderation=moderation, prefix="finding"),
        "failed_form": forms.get("failed_form"),
        "nav_section": "audits",
        "tab": "moderation",
    }
    return render(request, "moderation/case.html", context, status=status)


def moderate_case(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    return _page(request, slug, case_id)


def _case_url(slug: str, case_id: int, anchor: str) -> str:
    return f"{reverse('moderation:case', args=[slug, case_id])}#{anchor}"


@require_POST
def record_grades(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    moderation = selectors.case_moderation(access, case_id)
    form = AgreedGradesForm(request.POST, moderation=moderation, prefix="grades")
    if form.is_valid():
        try:
            changed = services.panel_grades_record(
                access=access,
                case=moderation.case,
                grades=[
                    services.AgreedGrade(section, grade, reason)
                    for section, grade, reason in form.agreed
                ],
                by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Agreed grades recorded ({changed} changed)" if changed else "No grade changed",
            )
            return redirect(_case_url(slug, case_id, "agreed-grades"))
    return _page(request, slug, case_id, grades_form=form, failed_form=form)


@require_POST
def record_discrepancy(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    moderation = selectors.case_moderation(access, case_id)
    form = DiscrepancyForm(request.POST, moderation=moderation, prefix="discrepancy")
    if form.is_valid():
        try:
            services.discrepancy_record(
                access=access,
                case=moderation.case,
                agencies=form.cleaned_data["agencies"],
                description=form.cleaned_data["description"],
                question=form.cleaned_data["question"],
                by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Discrepancy recorded")
            return redirect(_case_url(slug, case_id, "discrepancies"))
    return _page(request, slug, case_id, discrepancy_form=form, failed_form=form)


@require_POST
def record_finding(request: SignedInRequest, slug: str, case_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    moderation = selectors.case_moderation(access, case_id)
    form = CaseFindingForm(request.POST, moderation=moderation, prefix="finding")
    if form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.case_finding_record(
                access=access,
                case=moderation.case,
                heading=data["heading"],
                text=data["text"],
                title=data["title"],
                needs_to_happen=data["needs_to_happen"],
                agencies=data["agencies"],
                question=data["question"],
                include_in_brief=data["include_in_brief"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Finding recorded")
            return redirect(
                reverse("learning:finding-action-new", args=[slug, finding.pk])
                if request.POST.get("then") == "action"
                else _case_url(slug, case_id, "findings")
            )
    return _page(request, slug, case_id, finding_form=form, failed_form=form)
