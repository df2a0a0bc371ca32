"""Reads of findings, actions, earlier reviews and resources, and who may change them.

Reads of one audit take an `AuditAccess` from `maca.audits.selectors.audit_access_for`, so the
audit has already been checked against the person asking. Actions are also read across audits
(the tracker): `actions_visible_to` scopes them to the person's roles, and anything outside
that scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.http import Http404

from maca.accounts.models import AGENCY_ROLES, Agency, Role, RoleAssignment, User
from maca.accounts.selectors import roles_of
from maca.audits.models import (
    PUBLIC_ESCALATION_FIELDS,
    Audit,
    AuditAgency,
    Case,
    Escalation,
    Question,
)
from maca.audits.selectors import (
    PUBLISHED_STATUSES,
    AuditAccess,
    require_learning,
    role_scope,
)
from maca.core.partial_dates import PartialDate
from maca.learning.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AuditReview,
    Finding,
    Heading,
    LearningPoint,
    Resource,
)
from maca.learning.published import PublishedAction, published_actions


@dataclass(frozen=True)
class FindingsByHeading:
    worries: list[Finding]
    good_practice: list[Finding]
    learning: list[Finding]

    def __iter__(self) -> Iterator[tuple[str, list[Finding]]]:
        yield Heading.WORRY, self.worries
        yield Heading.GOOD_PRACTICE, self.good_practice
        yield Heading.LEARNING, self.learning

    @property
    def count(self) -> int:
        return len(self.worries) + len(self.good_practice) + len(self.learning)


def findings_queryset(access: AuditAccess) -> QuerySet[Finding]:
    require_learning(access)
    return (
        Finding.objects.filter(audit=access.audit)
        .order_by("heading", "order", "id")
        .prefetch_related(
            "taken_forward_by",
            "agencies",
            "themes",
            Prefetch("cases", queryset=Case.objects.only("id", "pseudonym", "order")),
            "escalations",
            Prefetch("learning_points", queryset=LearningPoint.objects.select_related("review")),
        )
    )


def findings_by_heading(
    access: AuditAccess, *, brief_only: bool = False, with_actions: bool = False
) -> FindingsByHeading:
    findings = findings_queryset(access)
    if brief_only:
        findings = findings.filter(include_in_brief=True)
    if with_actions:
        findings = findings.prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("order", "id")),
            Prefetch("questions", queryset=_questions()),
        )
    grouped: dict[str, list[Finding]] = {heading: [] for heading in Heading.values}
    for finding in findings:
        grouped[finding.heading].append(finding)
    return FindingsByHeading(
        worries=grouped[Heading.WORRY],
        good_practice=grouped[Heading.GOOD_PRACTICE],
        learning=grouped[Heading.LEARNING],
    )


def actions_for_audit(access: AuditAccess, *, brief_only: bool = False) -> list[Action]:
    require_learning(access)
    actions = (
        Action.objects.filter(audit=access.audit)
        .select_related("lead", "verified_by")
        .prefetch_related(
            "owners",
            Prefetch("findings", queryset=Finding.objects.only("id", "title", "text", "heading")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")),
        )
        .order_by("order", "id")
    )
    if brief_only:
        actions = actions.filter(include_in_brief=True)
    return list(actions)


def review_links_for_audit(access: AuditAccess) -> list[AuditReview]:
    require_learning(access)
    return list(
        AuditReview.objects.filter(audit=access.audit)
        .select_related("review")
        .prefetch_related("review__learning_points")
        .order_by("order", "id")
    )


def resources_for_audit(access: AuditAccess) -> list[Resource]:
    require_learning(access)
    return list(Resource.objects.filter(audit=access.audit).order_by("order", "id"))


# --- Who may write --------------------------------------------------------------------------


def can_edit_learning(access: AuditAccess) -> bool:
    """Findings and actions are written by the audit's coordinators and panel."""
    return access.sees_every_agency


def require_learning_editor(access: AuditAccess) -> None:
    if not can_edit_learning(access):
        raise Http404("No audit found")


def require_coordinator(access: AuditAccess) -> None:
    if not access.is_coordinator:
        raise Http404("No audit found")


def _questions() -> QuerySet[Question]:
    return Question.objects.select_related("learning_point__review").order_by(
        "section__order", "order"
    )


# --- Findings board -------------------------------------------------------------------------


def finding_for_edit(access: AuditAccess, finding_id: int) -> Finding:
    require_learning_editor(access)
    finding = (
        findings_queryset(access)
        .prefetch_related("actions", Prefetch("questions", queryset=_questions()))
        .filter(pk=finding_id)
        .first()
    )
    if finding is None:
        raise Http404("No finding found")
    return finding


@dataclass(frozen=True)
class FindingChoices:
    """What a finding of this audit may link to."""

    agencies: QuerySet[Agency]
    all_agencies: QuerySet[Agency]
    cases: QuerySet[Case] | None
    learning_points: QuerySet[LearningPoint]
    escalations: QuerySet[Escalation]

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "agencies": self.agencies,
            "all_agencies": self.all_agencies,
            "cases": self.cases,
            "learning_points": self.learning_points,
            "escalations": self.escalations,
        }


def finding_choices(access: AuditAccess) -> FindingChoices:
    require_learning_editor(access)
    audit = access.audit
    agency_ids = AuditAgency.objects.filter(audit=audit).values("agency_id")
    return FindingChoices(
        agencies=Agency.objects.filter(pk__in=agency_ids).order_by("name"),
        # An agency that did not audit can still take a theme forward (e.g. the ICB).
        all_agencies=Agency.objects.filter(is_active=True).order_by("name"),
        cases=Case.objects.filter(audit=audit).order_by("order", "pseudonym")
        if access.sees_every_agency
        else None,
        learning_points=LearningPoint.objects.filter(
            review__audit_links__audit=audit
        ).select_related("review"),
        escalations=Escalation.objects.filter(audit=audit).only(*PUBLIC_ESCALATION_FIELDS),
    )


def merge_candidates(access: AuditAccess, finding: Finding) -> QuerySet[Finding]:
    require_learning_editor(access)
    return (
        Finding.objects.filter(audit=access.audit)
        .exclude(pk=finding.pk)
        .order_by("heading", "order", "id")
    )


# --- Actions: who sees and who may change what ----------------------------------------------

OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS)

# What an action may move to next. Verifying has its own service (only the coordinator may,
# with evidence of impact); a done action can be reopened if the work turns out unfinished.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    ActionStatus.PROPOSED: (ActionStatus.AGREED,),
    ActionStatus.AGREED: (ActionStatus.IN_PROGRESS, ActionStatus.DONE),
    ActionStatus.IN_PROGRESS: (ActionStatus.DONE,),
    ActionStatus.DONE: (ActionStatus.IN_PROGRESS,),
    ActionStatus.VERIFIED: (),
    ActionStatus.NOT_RECORDED: (ActionStatus.AGREED, ActionStatus.IN_PROGRESS, ActionStatus.DONE),
}


def overdue_q(today: dt.date) -> Q:
    """Actions past their due date and not done. A due date known to the month is overdue once
    that month has ended: the ISO text compares with today's text cut to the same precision,
    which works alike on SQLite and PostgreSQL."""
    iso = today.isoformat()
    return Q(status__in=OPEN_STATUSES) & (
        Q(due_length=4, due__lt=iso[:4])
        | Q(due_length=7, due__lt=iso[:7])
        | Q(due_length=10, due__lt=iso)
    )


def overdue_actions(*, today: dt.date) -> QuerySet[Action]:
    return Action.objects.annotate(due_length=Length("due")).filter(overdue_q(today))


# How long before its due date an action's owners hear that it falls due.
FALLING_DUE_DAYS = 7


def actions_falling_due(*, today: dt.date) -> list[Action]:
    """Open actions whose due date ends within the next week (a month-precise date: the end
    of that month), earliest first. Few actions are open at once, so the window is worked out
    here rather than in SQL over the partial-date text."""
    horizon = today + dt.timedelta(days=FALLING_DUE_DAYS)
    actions = (
        Action.objects.filter(status__in=OPEN_STATUSES)
        .exclude(due__isnull=True)
        .exclude(due="")
        .select_related("audit", "lead")
        .prefetch_related("owners", "audit__coordinators")
    )
    due_soon: list[tuple[dt.date, int, Action]] = []
    for action in actions:
        due = action.due
        if isinstance(due, PartialDate) and today <= due.latest() <= horizon:
            due_soon.append((due.latest(), action.pk, action))
    return [action for _, _, action in sorted(due_soon, key=lambda row: row[:2])]


def is_overdue(action: Action | PublishedAction, today: dt.date) -> bool:
    due = action.due
    return (
        action.status in OPEN_STATUSES
        and due is not None
        and not isinstance(due, str)
        and due.latest() < today
    )


def _action_scope(user: User) -> Q:
    # An agency's people work on the actions their agency owns.
    return role_scope(user, roles_of(user), audit_path="audit__", agency_path="owners")


def actions_visible_to(user: User) -> QuerySet[Action]:
    """The actions someone works with: coordinators those of audits they coordinate; agency
    leads and auditors the actions their agency owns; panel members those of their audits.
    Readers read published audits' actions as published instead (`published_actions_read_by`),
    never the rows as edited since."""
    ids = Action.objects.filter(_action_scope(user)).values("pk")
    return Action.objects.filter(pk__in=ids)


def published_actions_read_by(user: User) -> list[PublishedAction]:
    """For a reader, the actions of every published audit as its latest version has them,
    except those they also work with (which they see as they are)."""
    if not roles_of(user).has(Role.READER):
        return []
    audits = list(Audit.objects.filter(status__in=PUBLISHED_STATUSES).only("id", "slug", "title"))
    worked_on = set(actions_visible_to(user).filter(audit__in=audits).values_list("pk", flat=True))
    return [action for action in published_actions(audits) if action.pk not in worked_on]


def tracker_order(action: Action | PublishedAction) -> tuple[str, int, int]:
    return (action.audit.title, action.order, action.pk)


def published_actions_filtered(
    user: User, filters: TrackerFilters, *, today: dt.date
) -> list[PublishedAction]:
    """What `published_actions_read_by` gives, filtered as the tracker's rows are."""
    actions = published_actions_read_by(user)
    if filters.agency is not None:
        actions = [a for a in actions if filters.agency.pk in {o.pk for o in a.owners.all()}]
    if filters.status:
        actions = [action for action in actions if action.status == filters.status]
    if filters.overdue:
        actions = [action for action in actions if is_overdue(action, today)]
    return actions


@dataclass(frozen=True)
class ActionRights:
    can_edit: bool
    can_update_progress: bool
    can_verify: bool
    sees_cases: bool


def _rights(user: User, action: Action) -> ActionRights:
    roles = roles_of(user)
    audit = action.audit
    coordinator_ids = {person.pk for person in audit.coordinators.all()}
    panel_ids = {membership.user_id for membership in audit.panel_memberships.all()}
    is_coordinator = roles.has(Role.COORDINATOR) and user.pk in coordinator_ids
    is_panel = roles.has(Role.PANEL_MEMBER) and user.pk in panel_ids
    owns = bool(roles.agency_ids & {agency.pk for agency in action.owners.all()})
    return ActionRights(
        can_edit=is_coordinator or is_panel,
        can_update_progress=is_coordinator or is_panel or owns,
        can_verify=is_coordinator,
        sees_cases=is_coordinator or is_panel,
    )


@dataclass(frozen=True)
class ActionDetail:
    action: Action
    rights: ActionRights
    is_overdue: bool
    next_statuses: list[tuple[str, str]]


def action_detail(user: User, action_id: int, *, today: dt.date) -> ActionDetail:
    action = (
        actions_visible_to(user)
        .select_related("audit", "lead", "verified_by")
        .prefetch_related(
            "owners",
            "audit__coordinators",
            "audit__panel_memberships",
            Prefetch("findings", queryset=Finding.objects.order_by("heading", "order")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")),
            "reminders",
        )
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("No action found")
    rights = _rights(user, action)
    allowed = [
        (status, ActionStatus(status).label)
        for status in NEXT_STATUSES[action.status]
        if rights.can_update_progress
    ]
    return ActionDetail(
        action=action,
        rights=rights,
        is_overdue=is_overdue(action, today),
        next_statuses=allowed,
    )


def lead_choices() -> QuerySet[User]:
    """People who may lead an action: anyone acting for an agency, or a coordinator."""
    ids = RoleAssignment.objects.filter(role__in=[*sorted(AGENCY_ROLES), Role.COORDINATOR]).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


def owner_choices() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


# --- The tracker ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackerFilters:
    agency: Agency | None = None
    status: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class TrackerRow:
    action: Action | PublishedAction
    is_overdue: bool
    last_update: ActionUpdate | None


@dataclass(frozen=True)
class Tracker:
    rows: list[TrackerRow]
    total: int
    overdue: int
    by_status: list[tuple[str, str, int]]


def tracker_agencies(user: User) -> QuerySet[Agency]:
    """Agencies that own at least one action the person can see, for the filter."""
    published = {
        owner.pk for action in published_actions_read_by(user) for owner in action.owners.all()
    }
    return (
        Agency.objects.filter(
            Q(actions__in=actions_visible_to(user).values("pk")) | Q(pk__in=published)
        )
        .distinct()
        .order_by("name")
    )


def tracker_actions(user: User, filters: TrackerFilters, *, today: dt.date) -> QuerySet[Action]:
    actions = actions_visible_to(user).annotate(due_length=Length("due"))
    if filters.agency is not None:
        actions = actions.filter(owners=filters.agency)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.filter(overdue_q(today))
    return actions


def tracker(user: User, filters: TrackerFilters, *, today: dt.date) -> Tracker:
    """Every action the person may see across all audits, filtered, in a fixed number of
    queries however many audits and actions there are."""
    queryset = tracker_actions(user, filters, today=today)
    actions = list(
        queryset.select_related("audit", "lead")
        .prefetch_related(
            "owners", Prefetch("updates", queryset=ActionUpdate.objects.order_by("at", "id"))
        )
        .order_by("audit__title", "order", "id")
    )
    everything: list[Action | PublishedAction] = [
        *actions,
        *published_actions_filtered(user, filters, today=today),
    ]
    counts: dict[str, int] = {}
    rows = []
    for action in sorted(everything, key=tracker_order):
        counts[action.status] = counts.get(action.status, 0) + 1
        updates = list(action.updates.all())
        rows.append(TrackerRow(action, is_overdue(action, today), updates[-1] if updates else None))
    return Tracker(
        rows=rows,
        total=len(rows),
        overdue=sum(1 for row in rows if row.is_overdue),
        by_status=[
            (value, str(label), counts.get(value, 0)) for value, label in ActionStatus.choices
        ],
    )
