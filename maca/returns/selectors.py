"""Reads for returns, escalations and the dashboard, always scoped to the person asking.

Anything outside someone's scope is a 404, as in `maca.audits.selectors`, whether they follow
a link or type the address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import Agency, Role, User
from maca.audits.models import (
    AUDIT_STATUS_ORDER,
    ESCALATION_CLOSED_STATUSES,
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditStatus,
    Case,
    Escalation,
    ReturnStatus,
    SectionSummary,
)
from maca.audits.selectors import (
    AuditAccess,
    audits_visible_to,
    cases_visible,
    escalations_for_audit,
    require_cases,
)
from maca.returns.structure import ReturnInput, ReturnStructure, build_structure, input_from_saved

EDITABLE_STATUSES = frozenset(
    {ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.SENT_BACK}
)
COMPLETE_STATUSES = frozenset(
    {ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF, ReturnStatus.ACCEPTED}
)
REVIEWABLE_STATUSES = frozenset({ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF})
SEND_BACK_STATUSES = frozenset(
    {ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF, ReturnStatus.ACCEPTED}
)
# Once the brief is out, returns are the record of what agencies said; nobody edits them.
_RETURNS_CLOSED_FROM = AUDIT_STATUS_ORDER.index(AuditStatus.PUBLISHED)


def returns_closed(audit: Audit) -> bool:
    return AUDIT_STATUS_ORDER.index(audit.status) >= _RETURNS_CLOSED_FROM


# --- One return -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnPermissions:
    can_view: bool
    can_edit: bool
    can_sign_off: bool
    can_review: bool
    can_send_back: bool
    can_upload: bool
    can_raise_escalation: bool


@dataclass
class ReturnContext:
    """Everything a return page, form or service needs about one agency's return for one child,
    read once and checked for the person asking."""

    access: AuditAccess
    case: Case
    agency: Agency
    audit_agency: AuditAgency
    involvement: AgencyInvolvement | None
    agency_return: AgencyReturn | None
    permissions: ReturnPermissions
    structure: ReturnStructure
    saved: ReturnInput
    user: User | None = None
    escalations: list[Escalation] = field(default_factory=list)

    @property
    def audit(self) -> Audit:
        return self.access.audit

    @property
    def status(self) -> str:
        return self.agency_return.status if self.agency_return else ReturnStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(ReturnStatus(self.status).label)

    @property
    def revision(self) -> int:
        return self.agency_return.revision if self.agency_return else 0

    @property
    def due_date(self) -> dt.date | None:
        if self.agency_return and self.agency_return.due_date:
            return self.agency_return.due_date
        return self.audit_agency.returns_due or self.audit.returns_due

    @property
    def is_late(self) -> bool:
        due = self.due_date
        return (
            due is not None and self.status not in COMPLETE_STATUSES and due < timezone.localdate()
        )


def _permissions(access: AuditAccess, agency_id: int, status: str) -> ReturnPermissions:
    roles = access.roles
    acts_for_agency = agency_id in access.agency_ids
    is_lead = acts_for_agency and agency_id in roles.lead_agency_ids()
    open_for_work = not returns_closed(access.audit)
    editable = status in EDITABLE_STATUSES and open_for_work
    return ReturnPermissions(
        can_view=access.sees_every_agency or acts_for_agency,
        can_edit=acts_for_agency and editable,
        can_sign_off=is_lead and status == ReturnStatus.SUBMITTED and open_for_work,
        can_review=access.is_coordinator and status in REVIEWABLE_STATUSES and open_for_work,
        # The coordinator sends a return back at any point of review; the agency's lead, to
        # their own auditor, before signing it off.
        can_send_back=open_for_work
        and (
            (access.is_coordinator and status in SEND_BACK_STATUSES)
            or (is_lead and status == ReturnStatus.SUBMITTED)
        ),
        can_upload=(access.is_coordinator or acts_for_agency) and editable,
        can_raise_escalation=(access.is_coordinator or acts_for_agency) and open_for_work,
    )


def return_context(access: AuditAccess, case_id: int, agency_id: int, user: User) -> ReturnContext:
    """The return of `agency` for the child `case_id`, or 404 if the person may not see it, the
    agency is not in the audit, or the agency owes no return for the child."""
    require_cases(access)
    if not (access.sees_every_agency or agency_id in access.agency_ids):
        raise Http404("No return found")
    case = cases_visible(access).filter(pk=case_id).first()
    audit_agency = (
        AuditAgency.objects.filter(audit=access.audit, agency_id=agency_id)
        .select_related("agency")
        .first()
    )
    if case is None or audit_agency is None:
        raise Http404("No return found")
    involvement = AgencyInvolvement.objects.filter(case=case, agency_id=agency_id).first()
    agency_return = (
        AgencyReturn.objects.filter(case=case, agency_id=agency_id)
        .select_related("overall_grade", "auditor", "signed_off_by", "reviewed_by", "last_saved_by")
        .first()
    )
    involved = involvement is not None and involvement.status == AgencyInvolvement.Status.INVOLVED
    if agency_return is None and not involved:
        raise Http404("No return found")
    status = agency_return.status if agency_return else ReturnStatus.NOT_STARTED
    structure = build_structure(
        access.audit.tool_version, audit_agency.agency, access.audit.overall_scale
    )
    return ReturnContext(
        access=access,
        case=case,
        agency=audit_agency.agency,
        audit_agency=audit_agency,
        involvement=involvement,
        agency_return=agency_return,
        permissions=_permissions(access, agency_id, status),
        structure=structure,
        saved=saved_input(structure, agency_return),
        user=user,
    )


def saved_input(structure: ReturnStructure, agency_return: AgencyReturn | None) -> ReturnInput:
    if agency_return is None:
        return ReturnInput()
    answers = list(Answer.objects.filter(agency_return=agency_return).select_related("grade"))
    summaries = list(
        SectionSummary.objects.filter(agency_return=agency_return).select_related("grade")
    )
    return input_from_saved(structure, agency_return, answers, summaries)


def escalations_from_return(context: ReturnContext) -> list[Escalation]:
    if context.agency_return is None:
        return []
    return list(
        escalations_for_audit(context.access).filter(
            case=context.case, raised_by_agency=context.agency
        )
    )


# --- Escalations ----------------------------------------------------------------------------


def is_overdue(escalation: Escalation, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        escalation.status == Escalation.Status.RAISED
        and escalation.acknowledge_by is not None
        and escalation.acknowledge_by < now
    )


@dataclass(frozen=True)
class EscalationRow:
    escalation: Escalation
    overdue: bool


@dataclass(frozen=True)
class EscalationPermissions:
    can_acknowledge: bool
    can_record_action: bool
    can_resolve: bool
    can_withdraw: bool = False


def escalation_rows(access: AuditAccess) -> list[EscalationRow]:
    require_cases(access)
    now = timezone.now()
    escalations = escalations_for_audit(access).order_by("-raised_at", "-id")
    return [EscalationRow(escalation, is_overdue(escalation, now)) for escalation in escalations]


def escalation_detail(access: AuditAccess, escalation_id: int) -> Escalation:
    require_cases(access)
    escalation = (
        escalations_for_audit(access)
        .select_related(
            "from_return",
            "raised_by",
            "acknowledged_by",
            "actioned_by",
            "resolved_by",
            "withdrawn_by",
        )
        .filter(pk=escalation_id)
        .first()
    )
    if escalation is None:
        raise Http404("No escalation found")
    return escalation


def escalation_permissions(
    access: AuditAccess, escalation: Escalation, user: User | None = None
) -> EscalationPermissions:
    """What the person may do next. Withdrawing (with a reason) is for whoever raised it and
    the coordinators, while it is still open."""
    raised_it = user is not None and escalation.raised_by_id == user.pk
    receives = (
        escalation.raised_to_agency_id in access.agency_ids
        and escalation.raised_to_agency_id in access.roles.lead_agency_ids()
    )
    may_act = access.is_coordinator or receives
    status = escalation.status
    return EscalationPermissions(
        can_acknowledge=may_act and status == Escalation.Status.RAISED,
        can_record_action=may_act and status == Escalation.Status.ACKNOWLEDGED,
        can_resolve=may_act
        and status in {Escalation.Status.ACKNOWLEDGED, Escalation.Status.ACTIONED},
        can_withdraw=(access.is_coordinator or raised_it)
        and status not in ESCALATION_CLOSED_STATUSES,
    )


def open_escalations_like(
    access: AuditAccess, *, case_id: int, agency_id: int, urgency: str, summary: str
) -> list[Escalation]:
    """Open escalations a new one would repeat: the same child, the same receiving agency, and
    the same urgency or the same summary (compared without case or spacing)."""
    same = [
        escalation
        for escalation in escalations_for_audit(access)
        .filter(case_id=case_id, raised_to_agency_id=agency_id)
        .exclude(status__in=ESCALATION_CLOSED_STATUSES)
        .order_by("raised_at", "pk")
        if escalation.urgency == urgency
        or " ".join(escalation.public_summary.lower().split()) == " ".join(summary.lower().split())
    ]
    return same


@dataclass(frozen=True)
class RaiseChoices:
    """What a person may pick when raising an escalation."""

    cases: list[Case]
    agencies: list[Agency]  # the agencies it can go to: those taking part in the audit
    raising_agencies: list[Agency]  # the agencies the person raises it for (none: partnership)


def raise_choices(access: AuditAccess) -> RaiseChoices:
    require_cases(access)
    if not (access.is_coordinator or access.agency_ids):
        raise Http404("No audit found")
    links = list(AuditAgency.objects.filter(audit=access.audit).select_related("agency"))
    agencies = [link.agency for link in links]
    return RaiseChoices(
        cases=list(cases_visible(access).order_by("order", "pseudonym")),
        agencies=agencies,
        raising_agencies=[agency for agency in agencies if agency.pk in access.agency_ids],
    )


def return_for_escalation(access: AuditAccess, return_id: int) -> AgencyReturn | None:
    """A return an escalation may be raised from: the person's own agency's (or any, for the
    coordinator), in this audit."""
    queryset = AgencyReturn.objects.filter(pk=return_id, case__audit=access.audit)
    if not access.is_coordinator:
        queryset = queryset.filter(agency_id__in=access.agency_ids)
    return queryset.select_related("case", "agency").first()


# --- The dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    audit: Audit
    case: Case
    agency: Agency
    status: str
    due: dt.date | None
    is_late: bool

    @property
    def status_label(self) -> str:
        return str(ReturnStatus(self.status).label)


@dataclass(frozen=True)
class EscalationItem:
    escalation: Escalation
    overdue: bool


@dataclass
class Dashboard:
    is_coordinator: bool = False
    is_auditor: bool = False
    is_lead: bool = False
    overdue_escalations: list[EscalationItem] = field(default_factory=list)
    open_escalations: list[EscalationItem] = field(default_factory=list)
    late_returns: list[WorkItem] = field(default_factory=list)
    returns_to_do: list[WorkItem] = field(default_factory=list)
    returns_to_sign_off: list[WorkItem] = field(default_factory=list)
    returns_to_review: list[WorkItem] = field(default_factory=list)
    escalations_to_acknowledge: list[EscalationItem] = field(default_factory=list)
    escalations_to_close: list[EscalationItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.is_coordinator or self.is_auditor or self.is_lead)


_ACTIVE_STATUSES = [
    AuditStatus.SAMPLING,
    AuditStatus.RETURNS_OPEN,
    AuditStatus.MODERATION,
    AuditStatus.FINDINGS,
]


def _work_items(
    audits: QuerySet[Audit], agency_ids: frozenset[int] | None, today: dt.date
) -> list[WorkItem]:
    """Every return owed by the agencies (all agencies when None) in the audits, whether or not
    a return row exists yet, in a fixed number of queries."""
    links = AuditAgency.objects.filter(audit__in=audits).select_related("agency", "audit")
    if agency_ids is not None:
        links = links.filter(agency_id__in=agency_ids)
    link_by_key = {(link.audit_id, link.agency_id): link for link in links}
    if not link_by_key:
        return []
    involvements = AgencyInvolvement.objects.filter(
        case__audit__in=audits, status=AgencyInvolvement.Status.INVOLVED
    ).select_related("case")
    returns = AgencyReturn.objects.filter(case__audit__in=audits).only(
        "id", "case_id", "agency_id", "status", "due_date"
    )
    if agency_ids is not None:
        involvements = involvements.filter(agency_id__in=agency_ids)
        returns = returns.filter(agency_id__in=agency_ids)
    by_case_agency = {(row.case_id, row.agency_id): row for row in returns}
    items = []
    for involvement in involvements:
        case = involvement.case
        link = link_by_key.get((case.audit_id, involvement.agency_id))
        if link is None:
            continue
        row = by_case_agency.get((case.pk, involvement.agency_id))
        status = row.status if row else ReturnStatus.NOT_STARTED
        due = (row.due_date if row else None) or link.returns_due or link.audit.returns_due
        late = status not in COMPLETE_STATUSES and due is not None and due < today
        items.append(WorkItem(link.audit, case, link.agency, status, due, late))
    items.sort(key=lambda item: (item.due or dt.date.max, item.audit.title, item.case.order))
    return items


def dashboard_for(user: User) -> Dashboard:
    from maca.accounts.selectors import roles_of

    roles = roles_of(user)
    today = timezone.localdate()
    now = timezone.now()
    visible = audits_visible_to(user).filter(status__in=_ACTIVE_STATUSES)
    board = Dashboard(
        is_coordinator=roles.has(Role.COORDINATOR),
        is_auditor=roles.has(Role.AGENCY_AUDITOR),
        is_lead=roles.has(Role.AGENCY_LEAD),
    )
    if board.is_coordinator:
        coordinated = Audit.objects.filter(pk__in=visible.values("pk"), coordinators=user)
        items = _work_items(coordinated, None, today)
        board.late_returns = [item for item in items if item.is_late]
        board.returns_to_review = [item for item in items if item.status in REVIEWABLE_STATUSES]
        open_escalations = (
            Escalation.objects.filter(audit__in=coordinated)
            .exclude(status__in=ESCALATION_CLOSED_STATUSES)
            .select_related("audit", "case", "raised_to_agency", "raised_by_agency")
            .order_by("acknowledge_by", "raised_at")
        )
        rows = [EscalationItem(e, is_overdue(e, now)) for e in open_escalations]
        board.overdue_escalations = [row for row in rows if row.overdue]
        board.open_escalations = [row for row in rows if not row.overdue]
    agency_audits = Audit.objects.filter(pk__in=visible.values("pk"))
    auditor_agencies = roles.agency_ids_by_role.get(Role.AGENCY_AUDITOR, frozenset())
    lead_agencies = roles.lead_agency_ids()
    if auditor_agencies or lead_agencies:
        items = _work_items(agency_audits, auditor_agencies | lead_agencies, today)
        board.returns_to_do = [
            item
            for item in items
            if item.status in EDITABLE_STATUSES
            and (item.agency.pk in auditor_agencies or item.agency.pk in lead_agencies)
        ]
        board.returns_to_sign_off = [
            item
            for item in items
            if item.agency.pk in lead_agencies and item.status == ReturnStatus.SUBMITTED
        ]
    if lead_agencies:
        received = (
            Escalation.objects.filter(
                audit__in=agency_audits, raised_to_agency_id__in=lead_agencies
            )
            .filter(Q(status=Escalation.Status.RAISED) | Q(status=Escalation.Status.ACKNOWLEDGED))
            .select_related("audit", "case", "raised_to_agency", "raised_by_agency")
            .order_by("acknowledge_by", "raised_at")
        )
        for escalation in received:
            item = EscalationItem(escalation, is_overdue(escalation, now))
            if escalation.status == Escalation.Status.RAISED:
                board.escalations_to_acknowledge.append(item)
            else:
                board.escalations_to_close.append(item)
    return board
