"""Changes to returns and escalations. Each function runs in one transaction and writes its
history entry in it; a step that is no longer allowed (the return was submitted meanwhile, the
escalation already acknowledged) is refused with a message rather than applied twice.

Saves are guarded by the return's `revision`: the save is an UPDATE … WHERE revision = n, so
of two people who opened the same version, the second to save is refused and told, on SQLite
and PostgreSQL alike, and no answer is overwritten unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from maca.accounts.models import Agency, Role, User
from maca.audits.models import (
    AgencyReturn,
    Answer,
    Audit,
    Case,
    Escalation,
    GradeLevel,
    ReturnStatus,
    SectionSummary,
    ToolVersion,
)
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused
from maca.core.history import recorded_as
from maca.core.templatetags.time_tags import clock_time
from maca.returns import deadlines
from maca.returns.selectors import (
    EDITABLE_STATUSES,
    REVIEWABLE_STATUSES,
    SEND_BACK_STATUSES,
    ReturnContext,
    escalation_permissions,
    saved_input,
)
from maca.returns.structure import (
    AnswerInput,
    Option,
    Problem,
    QuestionItem,
    ReturnInput,
    ReturnStructure,
    SummaryInput,
    problems_for_submit,
)

# --- Errors people are shown ----------------------------------------------------------------


class ReturnError(Refused):
    """A change to a return or escalation that cannot be made; `text` says why, in words for
    the person."""


class StaleReturn(ReturnError):
    """Someone saved the return after this person opened it."""

    def __init__(self, agency_return: AgencyReturn, user: User) -> None:
        self.current = agency_return
        when = _when(agency_return.last_saved_at or agency_return.updated_at)
        if agency_return.last_saved_by_id and agency_return.last_saved_by_id == user.pk:
            who = "You saved this return in another window or tab"
        else:
            name = agency_return.last_saved_by or "someone else"
            who = f"Someone else ({name}) saved this return"
        super().__init__(
            f"{who} {when} after you opened it. Your changes have not been saved; they are shown "
            "below so you can copy them. Where the saved version differs, it is shown under "
            "each answer. Check both, then save again: saving again replaces the saved version "
            "with what is in the form."
        )


class ReturnIncomplete(ReturnError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "Your answers have been saved as a draft, but the return cannot be submitted "
            "until the problems below are put right."
        )


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "just now"
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"at {clock_time(local)}"
    return f"on {local.day} {local:%B} at {clock_time(local)}"


# --- Saving a return ------------------------------------------------------------------------


def _is_auditor_for(user: User, access: AuditAccess, agency_id: int) -> bool:
    auditors = access.roles.agency_ids_by_role.get(Role.AGENCY_AUDITOR, frozenset())
    return agency_id in auditors and agency_id in access.agency_ids


def _level(options: tuple[Option, ...], code: str) -> GradeLevel | None:
    option = next((o for o in options if o.value == code), None)
    return option.level if option else None


def _return_values(structure: ReturnStructure, data: ReturnInput) -> dict[str, Any]:
    overall = _level(structure.overall_options, data.overall_grade)
    return {
        "auditor_role": data.auditor_role,
        "period_reviewed": data.period_reviewed,
        "records_examined": data.records_examined,
        "auditor_was_involved": data.auditor_was_involved,
        "good_practice": data.good_practice,
        "areas_for_development": data.areas_for_development,
        "recommendations": data.recommendations,
        "overall_grade_id": overall.pk if overall else None,
        "overall_reason": data.overall_reason,
        "immediate_concern": data.immediate_concern,
    }


@transaction.atomic
def return_save_draft(
    *,
    context: ReturnContext,
    user: User,
    data: ReturnInput,
    revision: int,
    via: str = "form",
) -> AgencyReturn:
    """Save the return's values as they stand, if nobody has saved it since `revision`. The
    history (`maca.core.history`) records each changed value under "saved" or "uploaded"."""
    with recorded_as("uploaded" if via == "workbook" else "saved"):
        return _save_draft(context=context, user=user, data=data, revision=revision, via=via)


def _save_draft(
    *, context: ReturnContext, user: User, data: ReturnInput, revision: int, via: str
) -> AgencyReturn:
    permissions = context.permissions
    allowed = permissions.can_upload if via == "workbook" else permissions.can_edit
    if not allowed:
        raise PermissionDenied("This return cannot be changed")
    now = timezone.now()
    values = _return_values(context.structure, data)
    auditor_id = None
    if _is_auditor_for(user, context.access, context.agency.pk):
        auditor_id = user.pk
    agency_return = context.agency_return
    if agency_return is None:
        if revision != 0:
            raise _refusal(context, revision, user)
        try:
            with transaction.atomic():
                agency_return = AgencyReturn.objects.create(
                    case=context.case,
                    agency=context.agency,
                    status=ReturnStatus.DRAFT,
                    revision=1,
                    auditor_id=auditor_id,
                    last_saved_by=user,
                    last_saved_at=now,
                    **values,
                )
        except IntegrityError:
            # Someone else started this return a moment ago.
            raise _refusal(context, revision, user) from None
    else:
        new_status = (
            ReturnStatus.DRAFT
            if agency_return.status == ReturnStatus.NOT_STARTED
            else agency_return.status
        )
        extra = {"auditor_id": auditor_id} if auditor_id and not agency_return.auditor_id else {}
        updated = AgencyReturn.objects.filter(
            pk=agency_return.pk, revision=revision, status__in=EDITABLE_STATUSES
        ).update(
            revision=revision + 1,
            status=new_status,
            last_saved_by=user,
            last_saved_at=now,
            updated_at=now,
            **values,
            **extra,
        )
        if not updated:
            raise _refusal(context, revision, user)
    created_answers = _write_answers(agency_return, context.structure, data)
    _write_summaries(agency_return, context.structure, data)
    if created_answers and context.structure.version is not None:
        freeze_tool_version(context.structure.version, now)
    agency_return.refresh_from_db()
    return agency_return


def freeze_tool_version(version: ToolVersion, now: dt.datetime) -> None:
    """A version with answers is frozen: its questions can no longer change (the tool builder
    makes a new version instead). Only the first answer sets the moment."""
    ToolVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(frozen_at=now)


def _refusal(context: ReturnContext, revision: int, user: User) -> ReturnError:
    current = (
        AgencyReturn.objects.filter(case=context.case, agency=context.agency)
        .select_related("last_saved_by")
        .first()
    )
    if current is None:
        return ReturnError("This return could not be saved. Reload the page and try again.")
    if current.revision != revision:
        return StaleReturn(current, user)
    return ReturnError(
        f"This return is now '{current.get_status_display()}' and can no longer be changed. "
        "Your changes have not been saved; they are shown below."
    )


def _answer_values(item: QuestionItem, answer: AnswerInput) -> dict[str, Any]:
    kind = item.kind
    level = _level(item.options, answer.option) if item.uses_scale else None
    if kind == "single_choice":
        choices = [answer.option] if answer.option else []
    elif kind == "multiple_choice":
        choices = list(answer.choices)
    else:
        choices = []
    return {
        "grade_id": level.pk if level else None,
        "choices": choices,
        "date_value": answer.date_value if kind == "date" else None,
        "number_value": answer.number_value if kind == "number" else None,
        "text_value": answer.text_value if kind == "text" else "",
        "evidence": answer.evidence,
        "reason": answer.reason,
    }


ANSWER_FIELDS = [
    "grade",
    "choices",
    "date_value",
    "number_value",
    "text_value",
    "evidence",
    "reason",
]


def _write_answers(
    agency_return: AgencyReturn, structure: ReturnStructure, data: ReturnInput
) -> bool:
    """The answers to the questions on the form; answers to questions that do not apply to the
    agency are left alone. Returns whether any answer was created."""
    wanted = []
    for item in structure.questions:
        given = data.answers.get(item.question.pk) or AnswerInput()
        wanted.append(_Row(item.question, _answer_values(item, given), given.is_blank()))
    return _upsert_rows(Answer, agency_return, "question", wanted, ANSWER_FIELDS) > 0


SUMMARY_FIELDS = [
    "good_practice",
    "areas_for_development",
    "recommendations",
    "grade",
    "grade_reason",
]


def _write_summaries(
    agency_return: AgencyReturn, structure: ReturnStructure, data: ReturnInput
) -> None:
    """The summary and grade of each section on the form."""
    wanted = []
    for section in structure.sections:
        given = data.summaries.get(section.section.pk) or SummaryInput()
        level = _level(section.grade_options, given.grade)
        values = {
            "good_practice": given.good_practice,
            "areas_for_development": given.areas_for_development,
            "recommendations": given.recommendations,
            "grade_id": level.pk if level else None,
            "grade_reason": given.grade_reason,
        }
        wanted.append(_Row(section.section, values, given.is_blank()))
    _upsert_rows(SectionSummary, agency_return, "section", wanted, SUMMARY_FIELDS)


@dataclass
class _Row:
    """What one answer or section summary of a return should hold."""

    owner: Model  # the question or section the row belongs to
    values: dict[str, Any]
    blank: bool


def _upsert_rows(
    model: type[Answer] | type[SectionSummary],
    agency_return: AgencyReturn,
    owner_field: str,
    wanted: list[_Row],
    fields: list[str],
) -> int:
    """Create, change or empty one return's rows of `model`, one per owner, in one query for
    each kind of write. A blank row is not created, but an existing one is emptied rather than
    deleted, so its history stays. Returns how many rows were created."""
    manager = model._default_manager
    existing = {
        getattr(row, f"{owner_field}_id"): row
        for row in manager.filter(
            agency_return=agency_return,
            **{f"{owner_field}_id__in": [row.owner.pk for row in wanted]},
        )
    }
    to_create: list[Any] = []
    to_update: list[Any] = []
    for row in wanted:
        current = existing.get(row.owner.pk)
        if current is None:
            if not row.blank:
                to_create.append(
                    model(agency_return=agency_return, **{owner_field: row.owner}, **row.values)
                )
            continue
        changed = [name for name, value in row.values.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, row.values[name])
        if changed:
            to_update.append(current)
    manager.bulk_create(to_create)
    if to_update:
        manager.bulk_update(to_update, fields)
    return len(to_create)


# --- Moving a return on ---------------------------------------------------------------------


def _transition(
    *,
    agency_return: AgencyReturn,
    user: User,
    allowed_from: frozenset[str],
    to_status: str,
    action: str,
    values: dict[str, Any],
    revision: int | None = None,
) -> AgencyReturn:
    now = timezone.now()
    filters: dict[str, Any] = {"pk": agency_return.pk, "status__in": allowed_from}
    if revision is not None:
        filters["revision"] = revision
    with recorded_as(action):
        updated = AgencyReturn.objects.filter(**filters).update(
            status=to_status, revision=F("revision") + 1, updated_at=now, **values
        )
    if not updated:
        current = AgencyReturn.objects.select_related("last_saved_by").get(pk=agency_return.pk)
        if revision is not None and current.revision != revision:
            raise ReturnError(
                "The return has changed since you opened it. Read it again before you "
                f"{action.replace('_', ' ')} it."
            )
        raise ReturnError(
            f"This return is now '{current.get_status_display()}', so it cannot be {_PAST[action]}."
        )
    agency_return.refresh_from_db()
    return agency_return


_PAST = {
    "submit": "submitted",
    "sign_off": "signed off",
    "accept": "accepted",
    "send_back": "sent back",
}


@transaction.atomic
def return_submit(*, context: ReturnContext, user: User, revision: int) -> AgencyReturn:
    """Submit the return as saved at `revision`, if it has everything a return needs."""
    if not context.permissions.can_edit:
        raise PermissionDenied("This return cannot be submitted")
    agency_return = (
        AgencyReturn.objects.select_for_update(of=("self",))
        .select_related("overall_grade")
        .filter(case=context.case, agency=context.agency)
        .first()
    )
    if agency_return is None:
        raise ReturnError("Save the return before you submit it.")
    if agency_return.revision != revision:
        raise StaleReturn(agency_return, user)
    problems = problems_for_submit(context.structure, saved_input(context.structure, agency_return))
    if problems:
        raise ReturnIncomplete(problems)
    submitted = _transition(
        agency_return=agency_return,
        user=user,
        allowed_from=EDITABLE_STATUSES,
        to_status=ReturnStatus.SUBMITTED,
        action="submit",
        values={"submitted_at": timezone.now()},
        revision=revision,
    )
    _notify_after_commit("notify_return_submitted", submitted.pk)
    return submitted


def _notify_after_commit(task_name: str, object_id: int) -> None:
    """Queue an e-mail task once the change is saved: the worker sends it, once."""
    from maca.returns import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.enqueue(object_id))


@transaction.atomic
def return_sign_off(
    *, context: ReturnContext, user: User, revision: int | None = None
) -> AgencyReturn:
    """The agency lead confirms the submitted return is a fair account of the agency's work."""
    if not context.permissions.can_sign_off or context.agency_return is None:
        raise PermissionDenied("This return cannot be signed off")
    signed_off = _transition(
        agency_return=context.agency_return,
        user=user,
        allowed_from=frozenset({ReturnStatus.SUBMITTED}),
        to_status=ReturnStatus.SIGNED_OFF,
        action="sign_off",
        values={"signed_off_by": user, "signed_off_at": timezone.now()},
        revision=revision,
    )
    _notify_after_commit("notify_return_signed_off", signed_off.pk)
    return signed_off


@transaction.atomic
def return_accept(
    *, context: ReturnContext, user: User, revision: int | None = None
) -> AgencyReturn:
    if not context.permissions.can_review or context.agency_return is None:
        raise PermissionDenied("This return cannot be accepted")
    return _transition(
        agency_return=context.agency_return,
        user=user,
        allowed_from=REVIEWABLE_STATUSES,
        to_status=ReturnStatus.ACCEPTED,
        action="accept",
        values={"reviewed_by": user, "reviewed_at": timezone.now(), "review_comment": ""},
        revision=revision,
    )


@transaction.atomic
def return_send_back(
    *, context: ReturnContext, user: User, comment: str, revision: int | None = None
) -> AgencyReturn:
    """Send the return back to the agency with what needs to change; they edit and resubmit."""
    if not context.permissions.can_send_back or context.agency_return is None:
        raise PermissionDenied("This return cannot be sent back")
    comment = comment.strip()
    if not comment:
        raise ReturnError("Enter what needs to change before the return is accepted")
    agency_return = _transition(
        agency_return=context.agency_return,
        user=user,
        allowed_from=SEND_BACK_STATUSES,
        to_status=ReturnStatus.SENT_BACK,
        action="send_back",
        values={
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
            "review_comment": comment,
            "signed_off_by": None,
            "signed_off_at": None,
        },
        revision=revision,
    )
    from maca.returns.tasks import notify_return_sent_back

    return_id = agency_return.pk
    transaction.on_commit(lambda: notify_return_sent_back.enqueue(return_id))
    return agency_return


@transaction.atomic
def return_import_xlsx(*, context: ReturnContext, user: User, content: bytes) -> AgencyReturn:
    """Save a filled return workbook as a draft, or refuse it whole with every problem named by
    its cell (`workbook.WorkbookInvalid`)."""
    from maca.returns.workbook import read_return_workbook

    if not context.permissions.can_upload:
        raise PermissionDenied("This return cannot be changed")
    data, revision = read_return_workbook(context, content)
    return return_save_draft(
        context=context, user=user, data=data, revision=revision, via="workbook"
    )


# --- Escalations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationRequest:
    case: Case
    raised_to_agency: Agency
    raised_by_agency: Agency | None
    from_return: AgencyReturn | None
    urgency: str
    concern: str
    public_summary: str
    disagreement_policy_used: bool = False


@transaction.atomic
def escalation_raise(
    *,
    access: AuditAccess,
    user: User,
    request: EscalationRequest,
    now: dt.datetime | None = None,
) -> Escalation:
    """Record an escalation and tell the receiving agency's leads and the coordinators at once.
    It must be acknowledged by the deadline its urgency sets, counted in working days."""
    if not (access.is_coordinator or access.agency_ids):
        raise PermissionDenied("You cannot raise an escalation in this audit")
    if request.case.audit_id != access.audit.pk:
        raise PermissionDenied("That child is not in this audit")
    if (
        request.raised_by_agency is not None
        and request.raised_by_agency.pk not in access.agency_ids
    ):
        raise PermissionDenied("You do not act for that agency")
    if request.raised_by_agency is None and not access.is_coordinator:
        raise ReturnError("Choose the agency you are raising the escalation for")
    if request.urgency not in Escalation.Urgency.values:
        raise ReturnError("Choose how urgent it is")
    now = now or timezone.now()
    from_return = request.from_return
    if from_return is not None and from_return.case_id != request.case.pk:
        from_return = None
    with recorded_as("raise"):
        escalation = Escalation.objects.create(
            audit=access.audit,
            case=request.case,
            from_return=from_return,
            raised_by=user,
            raised_by_agency=request.raised_by_agency,
            raised_to_agency=request.raised_to_agency,
            raised_at=now,
            urgency=request.urgency,
            status=Escalation.Status.RAISED,
            concern=request.concern.strip(),
            public_summary=request.public_summary.strip(),
            acknowledge_by=deadlines.acknowledge_by(now, request.urgency),
            disagreement_policy_used=request.disagreement_policy_used,
        )
    from maca.returns.tasks import notify_escalation_raised

    escalation_id = escalation.pk
    transaction.on_commit(lambda: notify_escalation_raised.enqueue(escalation_id))
    return escalation


def _escalation_step(
    *,
    escalation: Escalation,
    user: User,
    allowed_from: set[str],
    to_status: str,
    action: str,
    values: dict[str, Any],
) -> Escalation:
    now = timezone.now()
    with recorded_as(action):
        updated = Escalation.objects.filter(pk=escalation.pk, status__in=allowed_from).update(
            status=to_status, updated_at=now, **values
        )
    if not updated:
        current = Escalation.objects.get(pk=escalation.pk)
        raise ReturnError(
            f"This escalation is now '{current.get_status_display()}', so it cannot be "
            f"{action}. Nothing has been changed."
        )
    escalation.refresh_from_db()
    return escalation


@transaction.atomic
def escalation_acknowledge(
    *, access: AuditAccess, user: User, escalation: Escalation, note: str = ""
) -> Escalation:
    if not escalation_permissions(access, escalation).can_acknowledge:
        raise PermissionDenied("You cannot acknowledge this escalation")
    now = timezone.now()
    acknowledged = _escalation_step(
        escalation=escalation,
        user=user,
        allowed_from={Escalation.Status.RAISED},
        to_status=Escalation.Status.ACKNOWLEDGED,
        action="acknowledged",
        values={
            "acknowledged_at": now,
            "acknowledged_by": user,
            "acknowledgement_note": note.strip(),
        },
    )
    _notify_after_commit("notify_escalation_acknowledged", acknowledged.pk)
    return acknowledged


@transaction.atomic
def escalation_record_action(
    *, access: AuditAccess, user: User, escalation: Escalation, action_taken: str
) -> Escalation:
    if not escalation_permissions(access, escalation).can_record_action:
        raise PermissionDenied("You cannot record action on this escalation")
    if not action_taken.strip():
        raise ReturnError("Enter the action taken")
    return _escalation_step(
        escalation=escalation,
        user=user,
        allowed_from={Escalation.Status.ACKNOWLEDGED},
        to_status=Escalation.Status.ACTIONED,
        action="actioned",
        values={
            "action_taken": action_taken.strip(),
            "actioned_at": timezone.now(),
            "actioned_by": user,
        },
    )


@transaction.atomic
def escalation_resolve(
    *,
    access: AuditAccess,
    user: User,
    escalation: Escalation,
    outcome: str,
    public_outcome: str,
) -> Escalation:
    if not escalation_permissions(access, escalation).can_resolve:
        raise PermissionDenied("You cannot close this escalation")
    if not outcome.strip() or not public_outcome.strip():
        raise ReturnError("Enter the outcome and the outcome for the learning brief")
    return _escalation_step(
        escalation=escalation,
        user=user,
        allowed_from={Escalation.Status.ACKNOWLEDGED, Escalation.Status.ACTIONED},
        to_status=Escalation.Status.RESOLVED,
        action="resolved",
        values={
            "outcome": outcome.strip(),
            "public_outcome": public_outcome.strip(),
            "resolved_at": timezone.now(),
            "resolved_by": user,
        },
    )


@transaction.atomic
def escalation_withdraw(
    *, access: AuditAccess, user: User, escalation: Escalation, reason: str
) -> Escalation:
    """Take back an escalation raised in error or twice, with the reason, in its history. It
    stays on the list as withdrawn and no longer counts as outstanding."""
    if not escalation_permissions(access, escalation, user).can_withdraw:
        raise PermissionDenied("You cannot withdraw this escalation")
    if not reason.strip():
        raise ReturnError("Enter why the escalation is being withdrawn")
    withdrawn = _escalation_step(
        escalation=escalation,
        user=user,
        allowed_from={
            Escalation.Status.RAISED,
            Escalation.Status.ACKNOWLEDGED,
            Escalation.Status.ACTIONED,
        },
        to_status=Escalation.Status.WITHDRAWN,
        action="withdrawn",
        values={
            "withdrawal_reason": reason.strip(),
            "withdrawn_at": timezone.now(),
            "withdrawn_by": user,
        },
    )
    _notify_after_commit("notify_escalation_withdrawn", withdrawn.pk)
    return withdrawn


def reminders_send_now(*, audit: Audit, today: dt.date) -> None:
    """Queue the reminders a coordinator previewed for one audit; the worker sends them."""
    from maca.returns.tasks import send_reminders_now

    audit_id, day = audit.pk, today.isoformat()
    transaction.on_commit(lambda: send_reminders_now.enqueue(audit_id, day))
