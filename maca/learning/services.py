"""Writes for findings, actions, reminders and follow-up audits.

Every function is keyword-only, runs in one transaction and checks the person's rights again
(views check first, so a refusal here is a bug, and shows as a 404 like any other).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from maca.accounts.models import Agency, Role, RoleAssignment, User
from maca.accounts.notifications import notify_emails
from maca.audits.models import Audit, AuditAgency, AuditStatus, Case, Escalation, LineOfEnquiry
from maca.audits.models import Question as ToolQuestion
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused
from maca.core.partial_dates import PartialDate
from maca.learning.models import (
    Action,
    ActionReminder,
    ActionReminderKind,
    ActionStatus,
    ActionUpdate,
    AuditReview,
    Finding,
    Heading,
    LearningPoint,
    Theme,
)
from maca.learning.selectors import (
    NEXT_STATUSES,
    ActionRights,
    actions_falling_due,
    overdue_actions,
    require_coordinator,
    require_learning_editor,
)

# --- Findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingLinks:
    agencies: Sequence[Agency] = ()
    taken_forward_by: Sequence[Agency] = ()
    cases: Sequence[Case] = ()
    themes: Sequence[Theme] = ()
    learning_points: Sequence[LearningPoint] = ()
    escalations: Sequence[Escalation] = ()
    questions: Sequence[ToolQuestion] = ()

    def apply(self, finding: Finding, *, replace: bool) -> None:
        for name in (
            "agencies",
            "taken_forward_by",
            "cases",
            "themes",
            "learning_points",
            "escalations",
            "questions",
        ):
            targets = list(getattr(self, name))
            manager = getattr(finding, name)
            if replace:
                manager.set(targets)
            elif targets:
                manager.add(*targets)


def _next_order(audit: Audit, heading: str) -> int:
    top = Finding.objects.filter(audit=audit, heading=heading).aggregate(top=Max("order"))["top"]
    return (top or 0) + 1


@transaction.atomic
def finding_create(
    *,
    access: AuditAccess,
    heading: str,
    text: str,
    title: str = "",
    needs_to_happen: str = "",
    strengths: str = "",
    attribution: str = "",
    include_in_brief: bool = True,
    links: FindingLinks = FindingLinks(),
) -> Finding:
    require_learning_editor(access)
    if heading not in Heading.values:
        raise Refused({"heading": "Choose the heading the finding goes under"})
    finding = Finding.objects.create(
        audit=access.audit,
        heading=heading,
        order=_next_order(access.audit, heading),
        title=title.strip(),
        text=text.strip(),
        needs_to_happen=needs_to_happen.strip(),
        strengths=strengths.strip(),
        attribution=attribution.strip(),
        include_in_brief=include_in_brief,
    )
    links.apply(finding, replace=True)
    return finding


@transaction.atomic
def finding_update(
    *,
    access: AuditAccess,
    finding: Finding,
    heading: str,
    text: str,
    title: str = "",
    needs_to_happen: str = "",
    strengths: str = "",
    attribution: str = "",
    include_in_brief: bool = True,
    links: FindingLinks,
    keep_cases: bool = False,
) -> Finding:
    """`keep_cases` leaves the children as they are, for editors who were not shown them."""
    require_learning_editor(access)
    _require_same_audit(access, finding)
    if heading != finding.heading:
        finding.order = _next_order(access.audit, heading)
        finding.heading = heading
    finding.title = title.strip()
    finding.text = text.strip()
    finding.needs_to_happen = needs_to_happen.strip()
    finding.strengths = strengths.strip()
    finding.attribution = attribution.strip()
    finding.include_in_brief = include_in_brief
    finding.save()
    cases = list(finding.cases.all()) if keep_cases else links.cases
    FindingLinks(
        agencies=links.agencies,
        taken_forward_by=links.taken_forward_by,
        cases=cases,
        themes=links.themes,
        learning_points=links.learning_points,
        escalations=links.escalations,
        questions=list(finding.questions.all()),
    ).apply(finding, replace=True)
    _renumber(access.audit)
    return finding


@transaction.atomic
def finding_set_in_brief(*, access: AuditAccess, finding: Finding, include: bool) -> Finding:
    require_learning_editor(access)
    _require_same_audit(access, finding)
    if finding.include_in_brief != include:
        finding.include_in_brief = include
        finding.save(update_fields=["include_in_brief", "updated_at"])
    return finding


@transaction.atomic
def finding_move(*, access: AuditAccess, finding: Finding, direction: str) -> None:
    """Swap a finding with its neighbour under the same heading ('up' or 'down')."""
    require_learning_editor(access)
    _require_same_audit(access, finding)
    if direction not in {"up", "down"}:
        raise Refused({"direction": "Choose to move the finding up or down"})
    siblings = _renumber(access.audit, heading=finding.heading)
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == finding.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    first, second = siblings[index], siblings[other]
    first.order, second.order = second.order, first.order
    Finding.objects.bulk_update([first, second], ["order"])


@transaction.atomic
def finding_merge(*, access: AuditAccess, into: Finding, other: Finding) -> Finding:
    """Two findings become one: `other`'s words are added to `into`'s, every link of either is
    kept, its actions now point at `into`, and `other` is deleted."""
    require_learning_editor(access)
    _require_same_audit(access, into)
    _require_same_audit(access, other)
    if into.pk == other.pk:
        raise Refused({"other": "Choose a different finding to merge into this one"})
    into.title = into.title or other.title
    into.text = _join_text(into.text, other.text)
    into.needs_to_happen = _join_text(into.needs_to_happen, other.needs_to_happen)
    into.attribution = ", ".join(
        dict.fromkeys(part for part in (into.attribution, other.attribution) if part.strip())
    )
    into.include_in_brief = into.include_in_brief or other.include_in_brief
    into.save()
    FindingLinks(
        agencies=list(other.agencies.all()),
        taken_forward_by=list(other.taken_forward_by.all()),
        cases=list(other.cases.all()),
        themes=list(other.themes.all()),
        learning_points=list(other.learning_points.all()),
        escalations=list(other.escalations.all()),
        questions=list(other.questions.all()),
    ).apply(into, replace=False)
    for action in other.actions.all():
        action.findings.add(into)
    other.delete()
    _renumber(access.audit)
    return into


def _join_text(first: str, second: str) -> str:
    first, second = first.strip(), second.strip()
    if not second or second in first:
        return first
    if not first:
        return second
    return f"{first}\n\n{second}"


def _renumber(audit: Audit, heading: str | None = None) -> list[Finding]:
    """Orders 1, 2, 3… under each heading, keeping the present order; returns the findings of
    `heading` (all of them when None) in order."""
    rows = list(
        Finding.objects.filter(audit=audit).only("id", "heading", "order").order_by("order", "id")
    )
    changed = []
    result = []
    counters: dict[str, int] = {}
    for row in rows:
        counters[row.heading] = counters.get(row.heading, 0) + 1
        if row.order != counters[row.heading]:
            row.order = counters[row.heading]
            changed.append(row)
        if heading is None or row.heading == heading:
            result.append(row)
    if changed:
        Finding.objects.bulk_update(changed, ["order"])
    return result


def _require_same_audit(access: AuditAccess, item: Finding | Action) -> None:
    if item.audit_id != access.audit.pk:
        raise Refused("That item belongs to another audit")


# --- Actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFields:
    description: str
    owners: Sequence[Agency]
    lead_name: str = ""
    lead_owner: Agency | None = None
    lead_owner_name: str = ""
    other_owners: str = ""
    lead: User | None = None
    due: PartialDate | None = None
    measure_of_success: str = ""
    include_in_brief: bool = True


def _log(action: Action, *, by: User, text: str, before: str = "", after: str = "") -> None:
    ActionUpdate.objects.create(
        action=action,
        at=timezone.now(),
        by=by,
        text=text,
        status_before=before,
        status_after=after,
    )


def _check_action_fields(fields: ActionFields) -> None:
    errors = {}
    if not fields.description.strip():
        errors["description"] = "Enter what the action is"
    if not (fields.owners or fields.lead_owner or fields.lead_owner_name.strip()):
        errors["owners"] = "Choose at least one owner agency, or write the lead organisation"
    if fields.lead_owner and fields.lead_owner_name.strip():
        errors["lead_owner_name"] = (
            "Give the lead organisation once: choose it from the list or write it, not both"
        )
    if errors:
        raise Refused(errors)


@transaction.atomic
def action_create(
    *, access: AuditAccess, by: User, fields: ActionFields, findings: Iterable[Finding] = ()
) -> Action:
    require_learning_editor(access)
    _check_action_fields(fields)
    findings = list(findings)
    for finding in findings:
        _require_same_audit(access, finding)
    top = Action.objects.filter(audit=access.audit).aggregate(top=Max("order"))["top"]
    action = Action.objects.create(
        audit=access.audit,
        order=(top or 0) + 1,
        description=fields.description.strip(),
        lead_name=fields.lead_name.strip(),
        lead=fields.lead,
        lead_owner=fields.lead_owner,
        lead_owner_name=fields.lead_owner_name.strip(),
        other_owners=_owner_lines(fields.other_owners),
        due=cast(Any, fields.due),  # a PartialDateField; django-stubs sees its CharField
        measure_of_success=fields.measure_of_success.strip(),
        include_in_brief=fields.include_in_brief,
        status=ActionStatus.PROPOSED,
    )
    action.owners.set(_all_owners(fields))
    action.findings.set(findings)
    _log(action, by=by, text="Action proposed.", after=ActionStatus.PROPOSED)
    return action


_FIELD_LABELS = {
    "description": "action",
    "lead_name": "named lead",
    "lead": "lead's account",
    "due": "due date",
    "measure_of_success": "measure of success",
    "include_in_brief": "whether it is in the brief",
    "owners": "owner agencies",
    "lead_owner": "lead organisation",
    "lead_owner_name": "lead organisation",
    "other_owners": "other owners",
}


def _all_owners(fields: ActionFields) -> list[Agency]:
    """The listed owners, the lead among them: owning agencies see the action."""
    owners = list(fields.owners)
    if fields.lead_owner is not None and fields.lead_owner not in owners:
        owners.insert(0, fields.lead_owner)
    return owners


def _owner_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def action_update(
    *, rights: ActionRights, action: Action, by: User, fields: ActionFields
) -> Action:
    if not rights.can_edit:
        raise Refused("You cannot change this action")
    _check_action_fields(fields)
    changed = []
    values = {
        "description": fields.description.strip(),
        "lead_name": fields.lead_name.strip(),
        "lead": fields.lead,
        "lead_owner": fields.lead_owner,
        "lead_owner_name": fields.lead_owner_name.strip(),
        "other_owners": _owner_lines(fields.other_owners),
        "due": fields.due,
        "measure_of_success": fields.measure_of_success.strip(),
        "include_in_brief": fields.include_in_brief,
    }
    for name, value in values.items():
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed.append(name)
    owners = _all_owners(fields)
    if {agency.pk for agency in owners} != set(action.owners.values_list("pk", flat=True)):
        action.owners.set(owners)
        changed.append("owners")
    if changed:
        action.save()
        _log(action, by=by, text="Changed: " + ", ".join(_FIELD_LABELS[n] for n in changed) + ".")
    return action


@transaction.atomic
def action_status_change(
    *,
    rights: ActionRights,
    action: Action,
    by: User,
    status: str,
    note: str = "",
    done_on: PartialDate | None = None,
    today: dt.date,
) -> Action:
    if not rights.can_update_progress:
        raise Refused("You cannot update this action")
    action = Action.objects.select_for_update().get(pk=action.pk)
    if status == ActionStatus.VERIFIED:
        raise Refused({"status": "Only the coordinator verifies, with evidence of impact"})
    if status not in NEXT_STATUSES[action.status]:
        raise Refused(
            {"status": f"A {action.get_status_display().lower()} action cannot become that"}
        )
    before = action.status
    action.status = status
    if status == ActionStatus.DONE:
        action.done_on = cast(Any, done_on or PartialDate.of(today))
    elif before == ActionStatus.DONE:
        action.done_on = cast(Any, None)
    action.save()
    label = ActionStatus(status).label.lower()
    text = note.strip() or f"Marked {label}."
    _log(action, by=by, text=text, before=before, after=status)
    return action


@transaction.atomic
def action_note_add(*, rights: ActionRights, action: Action, by: User, text: str) -> ActionUpdate:
    if not rights.can_update_progress:
        raise Refused("You cannot update this action")
    if not text.strip():
        raise Refused({"text": "Enter the update"})
    return ActionUpdate.objects.create(
        action=action, at=timezone.now(), by=by, text=text.strip(), status_before=""
    )


@transaction.atomic
def action_verify(
    *, rights: ActionRights, action: Action, by: User, evidence_of_impact: str
) -> Action:
    """Close an action: only the audit's coordinator, only once it is done, only with evidence
    of impact."""
    if not rights.can_verify:
        raise Refused("Only the audit's coordinator can verify an action")
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.DONE:
        raise Refused("Only an action marked done can be verified")
    if not evidence_of_impact.strip():
        raise Refused(
            {"evidence_of_impact": "Enter the evidence of impact that shows the action worked"}
        )
    action.status = ActionStatus.VERIFIED
    action.evidence_of_impact = evidence_of_impact.strip()
    action.verified_by = by
    action.verified_at = timezone.now()
    action.save()
    _log(
        action,
        by=by,
        text=f"Verified. Evidence of impact: {action.evidence_of_impact}",
        before=ActionStatus.DONE,
        after=ActionStatus.VERIFIED,
    )
    return action


# --- Overdue reminders ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderResult:
    sent: int
    skipped: int


def action_reminders_send(*, today: dt.date) -> ReminderResult:
    """E-mail the lead, the owner agencies' leads and the coordinators of every overdue
    action, once per action and due date."""
    candidates = (
        overdue_actions(today=today)
        .select_related("audit", "lead")
        .prefetch_related("owners", "audit__coordinators")
    )
    return _reminders_send(list(candidates), ActionReminderKind.OVERDUE)


def action_falling_due_reminders_send(*, today: dt.date) -> ReminderResult:
    """E-mail the same people a week before an action falls due, once per action and due
    date; a due date moved later earns a new reminder."""
    return _reminders_send(actions_falling_due(today=today), ActionReminderKind.FALLING_DUE)


def _reminders_send(actions: list[Action], kind: str) -> ReminderResult:
    """Each reminder is recorded and sent in its own transaction, so a mail failure leaves no
    record and the next run tries again; the unique (action, due, kind) row means a second
    run, or a second worker running at the same time, never sends it twice."""
    sent = skipped = 0
    already = set(ActionReminder.objects.filter(kind=kind).values_list("action_id", "due"))
    lead_emails = _agency_lead_emails()
    for action in actions:
        due = action.due
        assert isinstance(due, PartialDate)
        if (action.pk, due.isoformat()) in already:
            skipped += 1
            continue
        recipients = _reminder_recipients(action, lead_emails)
        if not recipients:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                ActionReminder.objects.create(
                    action=action, due=due, kind=kind, sent_at=timezone.now(), recipients=recipients
                )
                subject, body = _reminder_text(action, due, kind)
                notify_emails(recipients, subject, body)
        except IntegrityError:
            skipped += 1  # another worker sent it first
            continue
        sent += 1
    return ReminderResult(sent=sent, skipped=skipped)


def _agency_lead_emails() -> dict[int, list[str]]:
    emails: dict[int, list[str]] = {}
    rows = RoleAssignment.objects.filter(role=Role.AGENCY_LEAD, user__is_active=True).values_list(
        "agency_id", "user__email"
    )
    for agency_id, email in rows:
        emails.setdefault(agency_id, []).append(email)
    return emails


def _reminder_recipients(action: Action, lead_emails: dict[int, list[str]]) -> list[str]:
    recipients: list[str] = []
    if action.lead is not None and action.lead.is_active and action.lead.email:
        recipients.append(action.lead.email)
    for agency in action.owners.all():
        recipients.extend(lead_emails.get(agency.pk, []))
    recipients.extend(user.email for user in action.audit.coordinators.all() if user.is_active)
    return sorted(set(recipients))


def _reminder_text(action: Action, due: PartialDate, kind: str) -> tuple[str, str]:
    owners = ", ".join(agency.short_name for agency in action.owners.all())
    if kind == ActionReminderKind.OVERDUE:
        subject = f"Overdue action: {action.description[:60]}"
        opening = (
            f"This action from the audit '{action.audit.title}' was due {due} and is not done yet."
        )
    else:
        subject = f"Action due {due}: {action.description[:60]}"
        opening = f"This action from the audit '{action.audit.title}' is due {due}."
    lines = [
        opening,
        "",
        f"Action: {action.description}",
        f"Owners: {owners}",
        f"Status: {action.get_status_display()}",
    ]
    if action.lead_name:
        lines.append(f"Lead: {action.lead_name}")
    lines += [
        "",
        "Please record progress in the action tracker, or agree a new due date with the "
        "audit's coordinator.",
    ]
    return subject, "\n".join(lines)


# --- Follow-up audits -----------------------------------------------------------------------


@transaction.atomic
def audit_follow_up_create(
    *, access: AuditAccess, by: User, title: str, audit_date: PartialDate | None = None
) -> Audit:
    """A re-audit of `access.audit`: same tool version, theme, scale, agencies, earlier reviews
    and lines of enquiry; a new, empty sample; status draft; the person asking coordinates it."""
    require_coordinator(access)
    baseline = access.audit
    if not title.strip():
        raise Refused({"title": "Enter a title for the re-audit"})
    follow_up = Audit.objects.create(
        slug=_unique_slug(title),
        kind=baseline.kind,
        title=title.strip(),
        theme=baseline.theme,
        status=AuditStatus.DRAFT,
        rationale=f"Re-audit of '{baseline.title}', to check whether its learning has been "
        "embedded.",
        aim=baseline.aim,
        terms_of_reference=baseline.terms_of_reference,
        cohort_definition=baseline.cohort_definition,
        lookback_months=baseline.lookback_months,
        lawful_basis=baseline.lawful_basis,
        audit_date=cast(Any, audit_date),
        tool_version=baseline.tool_version,
        overall_scale=baseline.overall_scale,
        follow_up_of=baseline,
    )
    follow_up.coordinators.set([by, *baseline.coordinators.all()])
    AuditAgency.objects.bulk_create(
        AuditAgency(audit=follow_up, agency_id=link.agency_id, order=link.order)
        for link in AuditAgency.objects.filter(audit=baseline)
    )
    LineOfEnquiry.objects.bulk_create(
        LineOfEnquiry(audit=follow_up, order=line.order, text=line.text)
        for line in LineOfEnquiry.objects.filter(audit=baseline)
    )
    AuditReview.objects.bulk_create(
        AuditReview(
            audit=follow_up,
            review_id=link.review_id,
            relationship=AuditReview.Relationship.CHECKS_EMBEDDED,
            note=link.note,
            order=link.order,
        )
        for link in AuditReview.objects.filter(audit=baseline)
    )
    return follow_up


def _unique_slug(title: str) -> str:
    base = slugify(title)[:50].strip("-") or "re-audit"
    slug, number = base, 2
    while Audit.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug
