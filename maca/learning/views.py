"""Findings board, actions and the tracker. Views parse input, call one service or selector, and
render; access is checked by the selectors (404 outside a person's scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from maca.accounts.reauth import recent_authentication_required
from maca.accounts.requests import SignedInRequest
from maca.audits.selectors import AuditAccess, audit_access_for
from maca.core.errors import Refused, add_refusal
from maca.core.throttling import render_throttled
from maca.learning import exports, selectors, services
from maca.learning.forms import (
    ActionForm,
    ActionNoteForm,
    ActionStatusForm,
    ActionVerifyForm,
    FindingForm,
    FollowUpForm,
    MergeForm,
    TrackerFilterForm,
    finding_initial,
)
from maca.learning.models import Action, Finding


def _audit_context(access: AuditAccess, tab: str, **extra: Any) -> dict[str, Any]:
    return {"access": access, "audit": access.audit, "nav_section": "audits", "tab": tab, **extra}


# --- Findings board -------------------------------------------------------------------------


def _published_part(access: AuditAccess, anchor: str) -> HttpResponse | None:
    """Once an audit is published, everyone but those who write its learning reads the
    findings and actions as published: the brief's version, which passed the disclosure
    check, never the rows as edited since."""
    if access.audit.is_published and not selectors.can_edit_learning(access):
        return redirect(f"{reverse('reports:brief', args=[access.audit.slug])}#{anchor}")
    return None


def findings(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    if (published := _published_part(access, "brief-worries")) is not None:
        return published
    can_edit = selectors.can_edit_learning(access)
    context = _audit_context(
        access,
        "findings",
        findings=selectors.findings_by_heading(access, with_actions=True),
        can_edit=can_edit,
    )
    return render(request, "learning/findings.html", context)


def _links(form: FindingForm) -> services.FindingLinks:
    data = form.cleaned_data
    return services.FindingLinks(
        agencies=list(data["agencies"]),
        taken_forward_by=list(data["taken_forward_by"]),
        cases=list(data.get("cases") or []),
        themes=list(data["themes"]),
        learning_points=list(data["learning_points"]),
        escalations=list(data["escalations"]),
    )


def _finding_values(form: FindingForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "heading": data["heading"],
        "title": data["title"],
        "text": data["text"],
        "needs_to_happen": data["needs_to_happen"],
        "strengths": data["strengths"],
        "attribution": data["attribution"],
        "include_in_brief": data["include_in_brief"],
    }


def finding_new(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    choices = selectors.finding_choices(access)
    initial = {"include_in_brief": True, "heading": request.GET.get("heading", "")}
    form = FindingForm(request.POST or None, initial=initial, **choices.as_kwargs())
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(
                access=access, links=_links(form), **_finding_values(form)
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Finding added")
            return redirect(f"{reverse('learning:findings', args=[slug])}#finding-{finding.pk}")
    context = _audit_context(access, "findings", form=form, finding=None)
    return render(request, "learning/finding_form.html", context)


def finding_edit(request: SignedInRequest, slug: str, finding_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    finding = selectors.finding_for_edit(access, finding_id)
    choices = selectors.finding_choices(access)
    form = FindingForm(
        request.POST or None, initial=finding_initial(finding), **choices.as_kwargs()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(
                access=access,
                finding=finding,
                links=_links(form),
                keep_cases=choices.cases is None,
                **_finding_values(form),
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Finding saved")
            return redirect(f"{reverse('learning:findings', args=[slug])}#finding-{finding.pk}")
    context = _audit_context(access, "findings", form=form, finding=finding)
    return render(request, "learning/finding_form.html", context)


@require_POST
def finding_move(request: SignedInRequest, slug: str, finding_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    finding = selectors.finding_for_edit(access, finding_id)
    direction = request.POST.get("direction", "")
    try:
        services.finding_move(access=access, finding=finding, direction=direction)
    except Refused as refusal:
        messages.error(request, refusal.text)
    return redirect(f"{reverse('learning:findings', args=[slug])}#finding-{finding.pk}")


@require_POST
def finding_brief(request: SignedInRequest, slug: str, finding_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    finding = selectors.finding_for_edit(access, finding_id)
    include = request.POST.get("include") == "1"
    services.finding_set_in_brief(access=access, finding=finding, include=include)
    messages.success(
        request, "Finding added to the brief" if include else "Finding taken out of the brief"
    )
    return redirect(f"{reverse('learning:findings', args=[slug])}#finding-{finding.pk}")


def finding_merge(request: SignedInRequest, slug: str, finding_id: int) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    finding = selectors.finding_for_edit(access, finding_id)
    form = MergeForm(request.POST or None, candidates=selectors.merge_candidates(access, finding))
    if request.method == "POST" and form.is_valid():
        other: Finding = form.cleaned_data["other"]
        try:
            services.finding_merge(access=access, into=finding, other=other)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Findings merged")
            return redirect(f"{reverse('learning:findings', args=[slug])}#finding-{finding.pk}")
    context = _audit_context(access, "findings", form=form, finding=finding)
    return render(request, "learning/finding_merge.html", context)


# --- Actions of one audit -------------------------------------------------------------------


def actions(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    if (published := _published_part(access, "brief-actions")) is not None:
        return published
    context = _audit_context(
        access,
        "actions",
        actions=selectors.actions_for_audit(access),
        can_edit=selectors.can_edit_learning(access),
    )
    return render(request, "learning/actions.html", context)


def _action_fields(form: ActionForm) -> services.ActionFields:
    data = form.cleaned_data
    return services.ActionFields(
        description=data["description"],
        owners=list(data["owners"]),
        lead_owner=data["lead_owner"],
        lead_owner_name=data["lead_owner_name"],
        other_owners=data["other_owners"],
        lead_name=data["lead_name"],
        lead=data["lead"],
        due=data["due"],
        measure_of_success=data["measure_of_success"],
        include_in_brief=data["include_in_brief"],
    )


def action_new(request: SignedInRequest, slug: str, finding_id: int | None = None) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    finding = selectors.finding_for_edit(access, finding_id) if finding_id else None
    selectors.require_learning_editor(access)
    initial: dict[str, Any] = {"include_in_brief": True}
    if finding is not None:
        initial["owners"] = [agency.pk for agency in finding.taken_forward_by.all()]
        initial["description"] = finding.needs_to_happen
    form = ActionForm(
        request.POST or None,
        initial=initial,
        agencies=selectors.owner_choices(),
        leads=selectors.lead_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                access=access,
                by=request.user,
                fields=_action_fields(form),
                findings=[finding] if finding else [],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Action added")
            return redirect("tracker:detail", action_id=action.pk)
    context = _audit_context(access, "actions", form=form, finding=finding)
    return render(request, "learning/action_form.html", context)


# --- Follow-up audit ------------------------------------------------------------------------


def follow_up(request: SignedInRequest, slug: str) -> HttpResponse:
    access = audit_access_for(request.user, slug)
    selectors.require_coordinator(access)
    audit = access.audit
    form = FollowUpForm(request.POST or None, initial={"title": f"{audit.title} (re-audit)"})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.audit_follow_up_create(
                access=access,
                by=request.user,
                title=form.cleaned_data["title"],
                audit_date=form.cleaned_data["audit_date"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Re-audit '{created.title}' started as a draft")
            return redirect("audits:overview", slug=created.slug)
    follow_ups = list(audit.follow_ups.order_by("-created_at"))
    context = _audit_context(access, "overview", form=form, follow_ups=follow_ups)
    return render(request, "learning/follow_up_form.html", context)


# --- Tracker across audits ------------------------------------------------------------------


def _tracker_filters(
    request: SignedInRequest,
) -> tuple[TrackerFilterForm, selectors.TrackerFilters]:
    form = TrackerFilterForm(request.GET or None, agencies=selectors.tracker_agencies(request.user))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.TrackerFilters(
            agency=data["agency"], status=data["status"], overdue=data["overdue"]
        )
    else:
        filters = selectors.TrackerFilters()
    return form, filters


def tracker(request: SignedInRequest) -> HttpResponse:
    form, filters = _tracker_filters(request)
    today = timezone.localdate()
    query = request.GET.urlencode()
    context = {
        "form": form,
        "tracker": selectors.tracker(request.user, filters, today=today),
        "export_query": f"?{query}" if query else "",
        "nav_section": "actions",
    }
    return render(request, "learning/tracker.html", context)


@recent_authentication_required
@render_throttled
def tracker_export(request: SignedInRequest, extension: str) -> HttpResponse:
    _, filters = _tracker_filters(request)
    rows = selectors.tracker(request.user, filters, today=timezone.localdate()).rows
    if extension == "csv":
        content, content_type = exports.tracker_csv(rows), "text/csv; charset=utf-8"
    else:
        content = exports.tracker_xlsx(rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="actions-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _detail_context(detail: selectors.ActionDetail, **forms: Any) -> dict[str, Any]:
    action = detail.action
    return {
        "detail": detail,
        "action": action,
        "audit": action.audit,
        "status_form": forms.get("status_form")
        or ActionStatusForm(allowed=detail.next_statuses, prefix="status"),
        "note_form": forms.get("note_form") or ActionNoteForm(prefix="note"),
        "verify_form": forms.get("verify_form") or ActionVerifyForm(prefix="verify"),
        "failed_form": forms.get("failed_form"),
        "nav_section": "actions",
    }


def action_detail(request: SignedInRequest, action_id: int) -> HttpResponse:
    detail = selectors.action_detail(request.user, action_id, today=timezone.localdate())
    return render(request, "learning/action_detail.html", _detail_context(detail))


def _rerender(request: HttpRequest, detail: selectors.ActionDetail, **forms: Any) -> HttpResponse:
    context = _detail_context(detail, **forms)
    return render(request, "learning/action_detail.html", context)


@require_POST
def action_status(request: SignedInRequest, action_id: int) -> HttpResponse:
    today = timezone.localdate()
    detail = selectors.action_detail(request.user, action_id, today=today)
    if not detail.rights.can_update_progress:
        raise Http404("No action found")
    form = ActionStatusForm(request.POST, allowed=detail.next_statuses, prefix="status")
    if form.is_valid():
        try:
            services.action_status_change(
                rights=detail.rights,
                action=detail.action,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                done_on=form.cleaned_data["done_on"],
                today=today,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Status updated")
            return redirect("tracker:detail", action_id=action_id)
    return _rerender(request, detail, status_form=form, failed_form=form)


@require_POST
def action_note(request: SignedInRequest, action_id: int) -> HttpResponse:
    detail = selectors.action_detail(request.user, action_id, today=timezone.localdate())
    if not detail.rights.can_update_progress:
        raise Http404("No action found")
    form = ActionNoteForm(request.POST, prefix="note")
    if form.is_valid():
        services.action_note_add(
            rights=detail.rights,
            action=detail.action,
            by=request.user,
            text=form.cleaned_data["text"],
        )
        messages.success(request, "Update added")
        return redirect("tracker:detail", action_id=action_id)
    return _rerender(request, detail, note_form=form, failed_form=form)


@require_POST
def action_verify(request: SignedInRequest, action_id: int) -> HttpResponse:
    detail = selectors.action_detail(request.user, action_id, today=timezone.localdate())
    if not detail.rights.can_verify:
        raise Http404("No action found")
    form = ActionVerifyForm(request.POST, prefix="verify")
    if form.is_valid():
        try:
            services.action_verify(
                rights=detail.rights,
                action=detail.action,
                by=request.user,
                evidence_of_impact=form.cleaned_data["evidence_of_impact"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Action verified and closed")
            return redirect("tracker:detail", action_id=action_id)
    return _rerender(request, detail, verify_form=form, failed_form=form)


def action_edit(request: SignedInRequest, action_id: int) -> HttpResponse:
    detail = selectors.action_detail(request.user, action_id, today=timezone.localdate())
    if not detail.rights.can_edit:
        raise Http404("No action found")
    action: Action = detail.action
    initial = {
        "description": action.description,
        "owners": [agency.pk for agency in action.owners.all()],
        "lead_owner": action.lead_owner_id,
        "lead_owner_name": action.lead_owner_name,
        "other_owners": action.other_owners,
        "lead_name": action.lead_name,
        "lead": action.lead_id,
        "due": action.due,
        "measure_of_success": action.measure_of_success,
        "include_in_brief": action.include_in_brief,
    }
    form = ActionForm(
        request.POST or None,
        initial=initial,
        agencies=selectors.owner_choices(),
        leads=selectors.lead_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                rights=detail.rights, action=action, by=request.user, fields=_action_fields(form)
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Action saved")
            return redirect("tracker:detail", action_id=action_id)
    context = {
        "form": form,
        "action": action,
        "audit": action.audit,
        "finding": None,
        "nav_section": "actions",
    }
    return render(request, "learning/action_form.html", context)
