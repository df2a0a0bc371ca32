"""Pages for returns, escalations and the dashboard. Each view reads through a scoped selector,
calls one service, and renders; everything that decides lives in selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from maca.accounts.requests import signed_in_user
from maca.audits.models import AgencyReturn, Escalation
from maca.audits.selectors import AuditAccess, audit_access_for
from maca.core.errors import add_refusal
from maca.core.forms import error_links, field_anchor
from maca.core.templatetags.time_tags import clock_time
from maca.core.uploads import XLSX, upload_problem
from maca.returns import conf, notify, selectors, services
from maca.returns.forms import (
    AcknowledgeForm,
    ActionForm,
    EscalationForm,
    ResolveForm,
    ReturnForm,
    SendBackForm,
    UploadForm,
    WithdrawForm,
    build_readonly_view,
    raw_from_input,
    raw_from_post,
)
from maca.returns.parts import (
    COMPLETED,
    ReturnPart,
    part_for,
    part_statuses,
    with_part_posted,
)
from maca.returns.selectors import ReturnContext
from maca.returns.structure import ReturnInput, problems_for_submit
from maca.returns.workbook import (
    CONTENT_TYPE,
    WorkbookInvalid,
    build_return_workbook,
    workbook_filename,
)

# --- One return -----------------------------------------------------------------------------


def _context(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> ReturnContext:
    access = audit_access_for(signed_in_user(request), slug)
    context = selectors.return_context(access, case_id, agency_id, signed_in_user(request))
    if not context.permissions.can_view:
        raise Http404("No return found")
    return context


def _urls(context: ReturnContext) -> dict[str, str]:
    args = [context.audit.slug, context.case.pk, context.agency.pk]
    return {
        name.replace("-", "_"): reverse(f"returns:{name}", args=args)
        for name in (
            "return",
            "return-all",
            "autosave",
            "sign-off",
            "accept",
            "send-back",
            "workbook",
            "upload",
        )
    }


def _revision(request: HttpRequest) -> int:
    try:
        return max(0, int(request.POST.get("revision", "")))
    except ValueError:
        return -1  # never matches: the save is refused as stale, nothing is lost


def _saved_form(context: ReturnContext) -> ReturnForm:
    """The return's form holding what is saved."""
    return ReturnForm(context.structure, raw_from_input(context.structure, context.saved))


def _render_return(
    request: HttpRequest,
    context: ReturnContext,
    *,
    form: ReturnForm | None = None,
    conflict: str = "",
    problem_lead: str = "",
    revision: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole return on one page: `form` (what was posted, or else what is saved) for
    someone who may change it, the saved answers to read for anyone else."""
    if form is None and context.permissions.can_edit:
        form = _saved_form(context)
    page = _page(
        context,
        form=form,
        readonly=None if form else build_readonly_view(context.structure, context.saved),
        revision=context.revision if revision is None else revision,
        conflict=conflict,
        problem_lead=problem_lead,
    )
    return render(request, "returns/return.html", page, status=status)


def _page(context: ReturnContext, **extra: Any) -> dict[str, Any]:
    """What every page of one return shows: its facts, what the person may do, its links."""
    return {
        "access": context.access,
        "audit": context.audit,
        "ctx": context,
        "case": context.case,
        "agency": context.agency,
        "agency_return": context.agency_return,
        "permissions": context.permissions,
        "escalations": selectors.escalations_from_return(context),
        "urls": _urls(context),
        "escalate_url": _escalate_url(context),
        "nav_section": "audits",
        "tab": "returns",
        **extra,
    }


def _render_tasks(request: HttpRequest, context: ReturnContext) -> HttpResponse:
    """The return's page for someone who fills it: its parts with their status, each linking
    to its own page, and the button that submits the return as saved."""
    if not context.permissions.can_edit:
        return _render_return(request, context)
    saved = raw_from_input(context.structure, context.saved)
    problems = problems_for_submit(context.structure, context.saved)
    tasks = part_statuses(context.structure, saved, problems)
    completed = sum(1 for task in tasks if task.status == COMPLETED)
    page = _page(context, tasks=tasks, completed=completed, revision=context.revision)
    return render(request, "returns/return.html", page)


def _part_form(context: ReturnContext, part: ReturnPart, raw: dict[str, Any]) -> ReturnForm:
    """The fields of one part; the rest of `raw` goes along unseen, so it is saved as it was."""
    return ReturnForm(context.structure, raw, only=part.names)


def _render_part(
    request: HttpRequest,
    context: ReturnContext,
    part: ReturnPart,
    *,
    form: ReturnForm | None = None,
    conflict: str = "",
) -> HttpResponse:
    if form is None:
        form = _part_form(context, part, raw_from_input(context.structure, context.saved))
    page = _page(context, part=part, form=form, revision=context.revision, conflict=conflict)
    return render(request, "returns/return_part.html", page)


def return_part(
    request: HttpRequest, slug: str, case_id: int, agency_id: int, part_slug: str
) -> HttpResponse:
    """One part of the return on its own page: "Save and continue" saves it as a draft (the
    other parts keep what was saved) and moves to the next part, then back to the task list."""
    context = _context(request, slug, case_id, agency_id)
    if not context.permissions.can_edit:
        return redirect(_urls(context)["return"])
    part, next_part = part_for(context.structure, part_slug)
    if request.method != "POST":
        return _render_part(request, context, part)
    saved = raw_from_input(context.structure, context.saved)
    raw = with_part_posted(context.structure, saved, request.POST, part)
    form = _part_form(context, part, raw)
    if not form.is_valid():
        return _render_part(request, context, part, form=form)
    data = form.return_input
    try:
        services.return_save_draft(
            context=context, user=signed_in_user(request), data=data, revision=_revision(request)
        )
    except services.StaleReturn as refusal:
        return _render_conflict(request, slug, case_id, agency_id, raw, data, refusal)
    except services.ReturnError as refusal:
        return _render_part(request, context, part, form=form, conflict=refusal.text)
    messages.success(request, f"{part.title}: your answers have been saved as a draft.")
    if request.POST.get("action") != "continue":
        return redirect("returns:part", slug, case_id, agency_id, part.slug)
    if next_part is None:
        return redirect(_urls(context)["return"])
    return redirect("returns:part", slug, case_id, agency_id, next_part.slug)


def return_all(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    """Every part on one page, for those who would rather fill it that way; it posts to the
    return's own address."""
    return _render_return(request, _context(request, slug, case_id, agency_id))


def _escalate_url(context: ReturnContext) -> str:
    url = reverse("returns:escalation-new", args=[context.audit.slug])
    query = f"?case={context.case.pk}"
    if context.agency_return is not None:
        query += f"&return={context.agency_return.pk}"
    return url + query


def return_page(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    if request.method != "POST":
        return _render_tasks(request, context)
    if context.agency.pk not in context.access.agency_ids:
        raise Http404("No return found")
    if request.POST.get("action") == "submit-saved":
        return _submit(request, slug, case_id, agency_id, _revision(request))
    raw = raw_from_post(context.structure, request.POST)
    form = ReturnForm(context.structure, raw)
    if not context.permissions.can_edit:
        return _render_return(
            request,
            context,
            form=form,
            conflict=f"This return is now '{context.status_label}' and can no longer be changed. "
            "Your changes have not been saved; they are shown below.",
        )
    if not form.is_valid():
        return _render_return(request, context, form=form, revision=_revision(request))
    data = form.return_input
    revision = _revision(request)
    try:
        agency_return = services.return_save_draft(
            context=context, user=signed_in_user(request), data=data, revision=revision
        )
    except services.StaleReturn as refusal:
        return _render_conflict(request, slug, case_id, agency_id, raw, data, refusal)
    except services.ReturnError as refusal:
        return _render_return(request, context, form=form, conflict=refusal.text)
    if request.POST.get("action") == "submit":
        return _submit(request, slug, case_id, agency_id, agency_return.revision)
    saved_at = timezone.localtime(agency_return.last_saved_at or timezone.now())
    note = f"Your answers were saved as a draft at {clock_time(saved_at)}."
    if data.immediate_concern:
        note += " You marked an immediate concern: raise an escalation now if you have not."
    messages.success(request, note)
    return redirect(_urls(context)["return"])


def _submit(
    request: HttpRequest, slug: str, case_id: int, agency_id: int, revision: int
) -> HttpResponse:
    """Submit the return as saved at `revision`; what stops it is shown on the one-page form,
    each problem beside its field."""
    fresh = _context(request, slug, case_id, agency_id)
    try:
        services.return_submit(context=fresh, user=signed_in_user(request), revision=revision)
    except services.ReturnIncomplete as incomplete:
        form = _saved_form(fresh)
        form.add_problems(incomplete.problems)
        return _render_return(request, fresh, form=form, problem_lead=incomplete.text)
    except services.ReturnError as refusal:
        return _render_return(request, fresh, conflict=refusal.text)
    messages.success(
        request,
        "Return submitted. Your agency's lead can now sign it off; the coordinator will "
        "accept it or send it back.",
    )
    return redirect(_urls(fresh)["return"])


def _render_conflict(
    request: HttpRequest,
    slug: str,
    case_id: int,
    agency_id: int,
    raw: dict[str, Any],
    mine: ReturnInput,
    refusal: services.StaleReturn,
) -> HttpResponse:
    """Someone saved in between: show the person's own values in the form, the saved values
    beside them where they differ, and let a second save (knowingly) replace the saved ones."""
    fresh = _context(request, slug, case_id, agency_id)
    form = ReturnForm(fresh.structure, raw, saved=fresh.saved, mine=mine)
    if not fresh.permissions.can_edit:
        return _render_return(
            request,
            fresh,
            form=form,
            conflict=f"{refusal.text} The return is now '{fresh.status_label}' and can no "
            "longer be changed here.",
            status=409,
        )
    return _render_return(
        request, fresh, form=form, conflict=refusal.text, revision=fresh.revision, status=409
    )


@require_POST
def autosave(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    if context.agency.pk not in context.access.agency_ids:
        raise Http404("No return found")
    if not context.permissions.can_edit:
        return JsonResponse(
            {"saved": False, "message": f"Not saved: the return is now {context.status_label}."},
            status=409,
        )
    raw = raw_from_post(context.structure, request.POST)
    if request.POST.get("part"):
        part, _next = part_for(context.structure, request.POST["part"])
        saved = raw_from_input(context.structure, context.saved)
        raw = with_part_posted(context.structure, saved, request.POST, part)
    form = ReturnForm(context.structure, raw)
    if not form.is_valid():
        return JsonResponse(
            {
                "saved": False,
                "message": "Not saved automatically: some answers need correcting. Choose "
                "'Save as draft' to see which.",
            },
            status=400,
        )
    try:
        agency_return = services.return_save_draft(
            context=context,
            user=signed_in_user(request),
            data=form.return_input,
            revision=_revision(request),
        )
    except services.ReturnError as refusal:
        return JsonResponse(
            {
                "saved": False,
                "stale": isinstance(refusal, services.StaleReturn),
                "message": "Not saved automatically: someone else has saved this return since "
                "you opened it. Choose 'Save as draft' to compare your answers with theirs.",
            },
            status=409,
        )
    saved_at = timezone.localtime(agency_return.last_saved_at or timezone.now())
    return JsonResponse(
        {"saved": True, "revision": agency_return.revision, "saved_at": clock_time(saved_at)}
    )


def _step(
    request: HttpRequest,
    context: ReturnContext,
    allowed: bool,
    action: Callable[..., AgencyReturn],
    done: str,
    **kwargs: Any,
) -> HttpResponse:
    if not allowed:
        raise Http404("No return found")
    try:
        action(
            context=context,
            user=signed_in_user(request),
            revision=_revision(request) or None,
            **kwargs,
        )
    except services.ReturnError as refusal:
        messages.error(request, refusal.text)
        return redirect(_urls(context)["return"])
    messages.success(request, done)
    return redirect(_urls(context)["return"])


@require_POST
def sign_off(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    return _step(
        request,
        context,
        context.permissions.can_sign_off,
        services.return_sign_off,
        "Return signed off. The coordinator will now accept it or send it back.",
    )


@require_POST
def accept(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    return _step(
        request,
        context,
        context.permissions.can_review,
        services.return_accept,
        "Return accepted.",
    )


def send_back(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    if not context.permissions.can_send_back:
        raise Http404("No return found")
    form = SendBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_send_back(
                context=context,
                user=signed_in_user(request),
                comment=form.cleaned_data["comment"],
                revision=_revision(request) or None,
            )
        except services.ReturnError as refusal:
            add_refusal(form, refusal, field="comment")
        else:
            messages.success(request, "Return sent back. The auditor has been told by e-mail.")
            return redirect(_urls(context)["return"])
    return render(
        request,
        "returns/send_back.html",
        {
            "access": context.access,
            "audit": context.audit,
            "ctx": context,
            "case": context.case,
            "agency": context.agency,
            "form": form,
            "revision": context.revision,
            "urls": _urls(context),
            "nav_section": "audits",
            "tab": "returns",
        },
    )


def workbook(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    if not (context.access.is_coordinator or context.agency.pk in context.access.agency_ids):
        raise Http404("No return found")
    response = HttpResponse(build_return_workbook(context), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(context)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def upload(request: HttpRequest, slug: str, case_id: int, agency_id: int) -> HttpResponse:
    context = _context(request, slug, case_id, agency_id)
    if not context.permissions.can_upload:
        raise Http404("No return found")
    form = UploadForm(request.POST or None, request.FILES or None)
    workbook_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["workbook"]
        problem = upload_problem(upload_file, XLSX, conf.workbook_max_bytes())
        if problem:
            form.add_error("workbook", problem)
        else:
            try:
                services.return_import_xlsx(
                    context=context, user=signed_in_user(request), content=upload_file.read()
                )
            except WorkbookInvalid as invalid:
                workbook_errors = invalid.errors
                form.add_error(
                    "workbook",
                    "The workbook has problems, listed above. Nothing has been saved.",
                )
            except services.ReturnError as refusal:
                add_refusal(form, refusal, field="workbook")
            else:
                messages.success(
                    request,
                    "Workbook uploaded. Its answers are saved as a draft: check them, then "
                    "submit the return.",
                )
                return redirect(_urls(context)["return"])
    # The workbook's own problems are listed one by one, each linking to the file input.
    anchor = field_anchor(form["workbook"])
    error_list = [(anchor, message) for message in workbook_errors] or error_links(form)
    return render(
        request,
        "returns/upload.html",
        {
            "access": context.access,
            "audit": context.audit,
            "ctx": context,
            "case": context.case,
            "agency": context.agency,
            "form": form,
            "error_list": error_list,
            "urls": _urls(context),
            "nav_section": "audits",
            "tab": "returns",
        },
    )


# --- Escalations ----------------------------------------------------------------------------


def _audit(request: HttpRequest, slug: str) -> AuditAccess:
    access = audit_access_for(signed_in_user(request), slug)
    if not access.can_see_cases:
        raise Http404("No audit found")
    return access


def reminders_now(request: HttpRequest, slug: str) -> HttpResponse:
    """Preview who would get which reminder for this audit, and send them now."""
    access = audit_access_for(signed_in_user(request), slug)
    if not access.is_coordinator:
        raise Http404("No audit found")
    today = timezone.localdate()
    if request.method == "POST":
        services.reminders_send_now(audit=access.audit, today=today)
        messages.success(request, "Reminders are being sent.")
        return redirect("audits:grid", slug)
    context = {
        "access": access,
        "audit": access.audit,
        "previews": notify.reminders_now_preview(access.audit.pk, today),
        "nav_section": "audits",
        "tab": "returns",
    }
    return render(request, "returns/reminders_now.html", context)


def escalation_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = _audit(request, slug)
    rows = selectors.escalation_rows(access)
    return render(
        request,
        "returns/escalations.html",
        {
            "access": access,
            "audit": access.audit,
            "rows": rows,
            "overdue_count": sum(1 for row in rows if row.overdue),
            "can_raise": access.is_coordinator or bool(access.agency_ids),
            "nav_section": "audits",
            "tab": "escalations",
        },
    )


def escalation_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = _audit(request, slug)
    choices = selectors.raise_choices(access)
    initial: dict[str, Any] = {}
    from_return = None
    return_id = request.GET.get("return") or request.POST.get("from_return")
    if return_id and str(return_id).isdigit():
        from_return = selectors.return_for_escalation(access, int(return_id))
    if request.GET.get("case", "").isdigit():
        initial["case"] = int(request.GET["case"])
    if from_return is not None:
        initial.update(case=from_return.case_id, from_return=from_return.pk)
        if from_return.agency_id in access.agency_ids:
            initial["raised_by_agency"] = from_return.agency_id
    if len(choices.raising_agencies) == 1:
        initial.setdefault("raised_by_agency", choices.raising_agencies[0].pk)
    form = EscalationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cases=choices.cases,
        agencies=choices.agencies,
        raising_agencies=choices.raising_agencies,
    )
    duplicates: list[Escalation] = []
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        duplicates = selectors.open_escalations_like(
            access,
            case_id=cleaned["case"],
            agency_id=cleaned["raised_to_agency"],
            urgency=cleaned["urgency"],
            summary=cleaned["public_summary"],
        )
        # Raising it anyway confirms the escalations the warning listed, not others: a change
        # of child or agency, or one raised meanwhile, warns again.
        if request.POST.get("confirm_duplicate") == duplicates_key(duplicates):
            duplicates = []
        if not duplicates:
            raised = _raise_escalation(request, access, form, choices, from_return)
            if raised is not None:
                return raised
    return render(
        request,
        "returns/escalation_new.html",
        {
            "access": access,
            "audit": access.audit,
            "form": form,
            "asks_raising_agency": bool(choices.raising_agencies),
            "from_return": from_return,
            "duplicates": duplicates,
            "duplicates_key": duplicates_key(duplicates),
            "nav_section": "audits",
            "tab": "escalations",
        },
    )


def duplicates_key(duplicates: list[Escalation]) -> str:
    """The open escalations a warning listed, as the form sends back to raise it anyway."""
    return ",".join(str(escalation.pk) for escalation in duplicates)


def _raise_escalation(
    request: HttpRequest,
    access: AuditAccess,
    form: EscalationForm,
    choices: selectors.RaiseChoices,
    from_return: AgencyReturn | None,
) -> HttpResponse | None:
    """Raise it and go to its page; None (with the refusal on the form) if refused."""
    cleaned = form.cleaned_data
    cases = {case.pk: case for case in choices.cases}
    agencies = {agency.pk: agency for agency in choices.agencies}
    raised_by = agencies.get(cleaned["raised_by_agency"] or 0)
    if from_return is not None and from_return.case_id != cleaned["case"]:
        from_return = None
    try:
        escalation = services.escalation_raise(
            access=access,
            user=signed_in_user(request),
            request=services.EscalationRequest(
                case=cases[cleaned["case"]],
                raised_to_agency=agencies[cleaned["raised_to_agency"]],
                raised_by_agency=raised_by,
                from_return=from_return,
                urgency=cleaned["urgency"],
                concern=cleaned["concern"],
                public_summary=cleaned["public_summary"],
                disagreement_policy_used=cleaned["disagreement_policy_used"],
            ),
        )
    except services.ReturnError as refusal:
        add_refusal(form, refusal)
        return None
    deadline = timezone.localtime(escalation.acknowledge_by)
    messages.success(
        request,
        f"Escalation raised. The leads of {escalation.raised_to_agency.short_name} and the "
        f"audit's coordinator have been told; it must be acknowledged by the end of "
        f"{deadline:%A} {deadline.day} {deadline:%B %Y}.",
    )
    return redirect("returns:escalation", slug=access.audit.slug, escalation_id=escalation.pk)


def escalation_detail(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    access = _audit(request, slug)
    escalation = selectors.escalation_detail(access, escalation_id)
    return _render_escalation(request, access, escalation)


def _render_escalation(
    request: HttpRequest,
    access: AuditAccess,
    escalation: Escalation,
    *,
    acknowledge: AcknowledgeForm | None = None,
    action: ActionForm | None = None,
    resolve: ResolveForm | None = None,
    withdraw: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    permissions = selectors.escalation_permissions(access, escalation, signed_in_user(request))
    acknowledge = acknowledge or AcknowledgeForm()
    action = action or ActionForm()
    resolve = resolve or ResolveForm()
    withdraw = withdraw or WithdrawForm()
    return render(
        request,
        "returns/escalation_detail.html",
        {
            "access": access,
            "audit": access.audit,
            "escalation": escalation,
            "overdue": selectors.is_overdue(escalation),
            "permissions": permissions,
            "acknowledge": acknowledge,
            "action": action,
            "resolve": resolve,
            "withdraw": withdraw,
            "nav_section": "audits",
            "tab": "escalations",
        },
        status=status,
    )


def _escalation_step(
    request: HttpRequest, slug: str, escalation_id: int, step: str
) -> HttpResponse:
    access = _audit(request, slug)
    escalation = selectors.escalation_detail(access, escalation_id)
    permissions = selectors.escalation_permissions(access, escalation, signed_in_user(request))
    allowed = {
        "acknowledge": permissions.can_acknowledge,
        "action": permissions.can_record_action,
        "resolve": permissions.can_resolve,
        "withdraw": permissions.can_withdraw,
    }[step]
    if not allowed:
        raise Http404("No escalation found")
    forms_by_step = {
        "acknowledge": AcknowledgeForm(request.POST),
        "action": ActionForm(request.POST),
        "resolve": ResolveForm(request.POST),
        "withdraw": WithdrawForm(request.POST),
    }
    form = forms_by_step[step]
    if not form.is_valid():
        invalid: dict[str, Any] = {step: form}
        return _render_escalation(request, access, escalation, **invalid)
    cleaned = form.cleaned_data
    try:
        if step == "acknowledge":
            services.escalation_acknowledge(
                access=access,
                user=signed_in_user(request),
                escalation=escalation,
                note=cleaned["note"],
            )
            done = "Escalation acknowledged."
        elif step == "action":
            services.escalation_record_action(
                access=access,
                user=signed_in_user(request),
                escalation=escalation,
                action_taken=cleaned["action_taken"],
            )
            done = "Action recorded."
        elif step == "withdraw":
            services.escalation_withdraw(
                access=access,
                user=signed_in_user(request),
                escalation=escalation,
                reason=cleaned["reason"],
            )
            done = "Escalation withdrawn. It stays on the list, marked withdrawn."
        else:
            services.escalation_resolve(
                access=access,
                user=signed_in_user(request),
                escalation=escalation,
                outcome=cleaned["outcome"],
                public_outcome=cleaned["public_outcome"],
            )
            done = "Escalation closed with its outcome."
    except services.ReturnError as refusal:
        messages.error(request, refusal.text)
    else:
        messages.success(request, done)
    return redirect("returns:escalation", slug=slug, escalation_id=escalation_id)


@require_POST
def escalation_acknowledge(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _escalation_step(request, slug, escalation_id, "acknowledge")


@require_POST
def escalation_action(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _escalation_step(request, slug, escalation_id, "action")


@require_POST
def escalation_resolve(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _escalation_step(request, slug, escalation_id, "resolve")


def escalation_withdraw(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _escalation_step(request, slug, escalation_id, "withdraw")


# --- Dashboard ------------------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard_for(signed_in_user(request))
    return render(request, "returns/dashboard.html", {"board": board, "nav_section": "dashboard"})
