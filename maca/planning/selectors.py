"""Planning reads, always scoped to the person asking; anything outside scope is a 404.

Tools are partnership-level: every coordinator may see and build them, nobody else may.
An audit's set-up pages are for that audit's coordinators only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from maca.accounts.models import Agency, Role, User
from maca.accounts.selectors import roles_of
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditStatus,
    AuditTool,
    Case,
    Question,
    ReturnStatus,
    ToolSection,
    ToolVersion,
)
from maca.audits.selectors import AuditAccess, audit_access_for
from maca.core.models import ChangeRecord
from maca.identifiers.models import ChildIdentity
from maca.learning.models import AuditReview, LearningPoint
from maca.planning.library import READY_TOOLS, ReadyTool

# --- Who may do what ------------------------------------------------------------------------


def require_tool_builder(user: User) -> None:
    """Any coordinator may build tools; everyone else is told there is nothing here."""
    if not roles_of(user).has(Role.COORDINATOR):
        raise Http404("No tools found")


def may_start_audits(user: User) -> bool:
    return roles_of(user).has(Role.COORDINATOR)


def require_audit_starter(user: User) -> None:
    if not may_start_audits(user):
        raise Http404("Not found")


def setup_access_for(user: User, slug: str) -> AuditAccess:
    """The audit, if this person coordinates it; 404 otherwise (even for its panel)."""
    access = audit_access_for(user, slug)
    if not access.is_coordinator:
        raise Http404("No audit found")
    return access


# --- Tools ----------------------------------------------------------------------------------


def _versions_annotated() -> QuerySet[ToolVersion]:
    answers = Answer.objects.filter(question__section__version=OuterRef("pk"))
    return ToolVersion.objects.annotate(
        audit_count=Count("audits", distinct=True),
        has_answers=Exists(answers),
        question_count=Count("sections__questions", distinct=True),
    ).order_by("number")


def tools_for(user: User) -> list[AuditTool]:
    """Every tool with its versions (`versions_list`), each annotated for the list page."""
    require_tool_builder(user)
    return list(
        AuditTool.objects.order_by("name").prefetch_related(
            Prefetch("versions", queryset=_versions_annotated(), to_attr="versions_list")
        )
    )


@dataclass(frozen=True)
class ReadyToolRow:
    ready: ReadyTool
    added: AuditTool | None


def ready_tools_for(user: User) -> list[ReadyToolRow]:
    require_tool_builder(user)
    added = {tool.slug: tool for tool in AuditTool.objects.filter(slug__in=list(READY_TOOLS))}
    return [ReadyToolRow(ready, added.get(slug)) for slug, ready in READY_TOOLS.items()]


def tool_for(user: User, slug: str) -> AuditTool:
    require_tool_builder(user)
    tool = (
        AuditTool.objects.filter(slug=slug)
        .select_related("copied_from")
        .prefetch_related(
            Prefetch("versions", queryset=_versions_annotated(), to_attr="versions_list")
        )
        .first()
    )
    if tool is None:
        raise Http404("No tool found")
    return tool


def version_for(user: User, tool_slug: str, number: int) -> ToolVersion:
    require_tool_builder(user)
    version = (
        ToolVersion.objects.select_related("tool").filter(tool__slug=tool_slug, number=number)
    ).first()
    if version is None:
        raise Http404("No tool version found")
    return version


def version_is_frozen(version: ToolVersion) -> bool:
    if version.frozen_at is not None:
        return True
    return Answer.objects.filter(question__section__version_id=version.pk).exists()


@dataclass(frozen=True)
class VersionEditor:
    version: ToolVersion
    sections: Sequence[ToolSection]  # each with `questions_list`
    is_frozen: bool
    audits: list[Audit]
    versions: list[ToolVersion]

    @property
    def latest(self) -> ToolVersion:
        return self.versions[-1]

    @property
    def drafts_after(self) -> list[ToolVersion]:
        """Later versions nobody has answered yet: edit one of those rather than add another."""
        return [
            version
            for version in self.versions
            if version.number > self.version.number
            and version.frozen_at is None
            and not version.has_answers  # type: ignore[attr-defined]
        ]

    @property
    def question_count(self) -> int:
        return sum(len(getattr(section, "questions_list", [])) for section in self.sections)


def version_editor(user: User, tool_slug: str, number: int) -> VersionEditor:
    """One version with everything the editor shows, in a fixed number of queries."""
    version = version_for(user, tool_slug, number)
    questions = Question.objects.select_related("scale", "learning_point__review").prefetch_related(
        "applies_to_agencies"
    )
    sections = list(
        ToolSection.objects.filter(version=version)
        .select_related("grading_scale")
        .prefetch_related(Prefetch("questions", queryset=questions, to_attr="questions_list"))
        .order_by("order")
    )
    versions = list(_versions_annotated().filter(tool_id=version.tool_id))
    this = next(item for item in versions if item.pk == version.pk)
    return VersionEditor(
        version=version,
        sections=sections,
        is_frozen=version.frozen_at is not None or this.has_answers,  # type: ignore[attr-defined]
        audits=list(Audit.objects.filter(tool_version=version).order_by("title")),
        versions=versions,
    )


def section_for(version: ToolVersion, section_id: int) -> ToolSection:
    section = ToolSection.objects.filter(version=version, pk=section_id).first()
    if section is None:
        raise Http404("No section found")
    section.version = version
    return section


def question_for(version: ToolVersion, question_id: int) -> Question:
    question = (
        Question.objects.filter(section__version=version, pk=question_id)
        .select_related("section")
        .prefetch_related("applies_to_agencies")
        .first()
    )
    if question is None:
        raise Http404("No question found")
    question.section.version = version
    return question


def learning_points_by_review() -> list[tuple[str, list[LearningPoint]]]:
    grouped: dict[str, list[LearningPoint]] = defaultdict(list)
    for point in LearningPoint.objects.select_related("review").order_by("review__title", "order"):
        grouped[point.review.short_name].append(point)
    return list(grouped.items())


def versions_by_tool() -> list[tuple[str, list[ToolVersion]]]:
    grouped: dict[str, list[ToolVersion]] = defaultdict(list)
    for version in ToolVersion.objects.select_related("tool").order_by("tool__name", "number"):
        grouped[version.tool.name].append(version)
    return list(grouped.items())


# --- An audit's set-up ----------------------------------------------------------------------


@dataclass(frozen=True)
class SetupSummary:
    audit: Audit
    line_count: int
    agency_count: int
    case_count: int
    review_count: int
    involvement_known: int
    involvement_expected: int
    coordinator_count: int = 0
    panel_count: int = 0
    has_chair: bool = False

    @property
    def plan_done(self) -> bool:
        audit = self.audit
        return bool(audit.aim and audit.cohort_definition and self.line_count)

    @property
    def involvement_done(self) -> bool:
        return self.involvement_expected > 0 and self.involvement_known == self.involvement_expected

    @property
    def tasks(self) -> list[SetupTask]:
        audit = self.audit
        return [
            SetupTask(
                "Plan",
                "planning:plan",
                "Theme, aim, terms of reference, lines of enquiry, dates",
                self.plan_done,
            ),
            SetupTask(
                "Agencies",
                "planning:agencies",
                f"{self.agency_count} taking part",
                self.agency_count > 0,
            ),
            SetupTask(
                "Audit tool and grading scale",
                "planning:tool-choice",
                str(audit.tool_version) if audit.tool_version_id else "Not chosen yet",
                audit.tool_version_id is not None and audit.overall_scale_id is not None,
            ),
            SetupTask(
                "Coordinators and panel",
                "planning:people",
                f"{self.coordinator_count} coordinator{'s' if self.coordinator_count != 1 else ''}"
                f", {self.panel_count} on the panel"
                + ("" if self.has_chair or not self.panel_count else ", no chair yet"),
                self.panel_count > 0 and self.has_chair,
            ),
            SetupTask(
                "Earlier reviews to check",
                "planning:reviews",
                f"{self.review_count} linked",
                self.review_count > 0,
                optional=True,
            ),
            SetupTask(
                "Children", "planning:cases", f"{self.case_count} added", self.case_count > 0
            ),
            SetupTask(
                "Which agencies knew each child",
                "planning:involvement",
                f"{self.involvement_known} of {self.involvement_expected} answered",
                self.involvement_done,
            ),
        ]


@dataclass(frozen=True)
class SetupTask:
    name: str
    url_name: str
    hint: str
    done: bool
    optional: bool = False

    @property
    def key(self) -> str:
        return self.url_name.split(":")[1]


def setup_summary(access: AuditAccess) -> SetupSummary:
    audit = access.audit
    agency_count = AuditAgency.objects.filter(audit=audit).count()
    case_count = Case.objects.filter(audit=audit).count()
    known = (
        AgencyInvolvement.objects.filter(case__audit=audit, agency__audit_agencies__audit=audit)
        .exclude(status=AgencyInvolvement.Status.NOT_KNOWN)
        .count()
    )
    return SetupSummary(
        audit=audit,
        line_count=audit.lines_of_enquiry.count(),
        agency_count=agency_count,
        case_count=case_count,
        review_count=AuditReview.objects.filter(audit=audit).count(),
        involvement_known=known,
        involvement_expected=agency_count * case_count,
        coordinator_count=audit.coordinators.count(),
        **_panel_counts(audit),
    )


def _panel_counts(audit: Audit) -> dict[str, Any]:
    counts = audit.panel_memberships.aggregate(
        panel_count=Count("pk"), chairs=Count("pk", filter=Q(is_chair=True))
    )
    return {"panel_count": counts["panel_count"], "has_chair": counts["chairs"] > 0}


@dataclass(frozen=True)
class AuditPeople:
    coordinator_candidates: list[Any]
    panel_candidates: list[Any]
    coordinator_ids: list[int]
    panel_ids: list[int]
    chair_id: int | None


def people_with_role(role: str, *, keep: Collection[int] = ()) -> list[User]:
    """Active people holding `role`, and anyone in `keep` (already named on the audit) even if
    they no longer hold it, so a form never silently drops them."""
    return list(
        User.objects.filter(Q(is_active=True, role_assignments__role=role) | Q(pk__in=list(keep)))
        .distinct()
        .order_by("full_name", "email")
    )


def audit_people_for_setup(access: AuditAccess) -> AuditPeople:
    """Who coordinates the audit and sits on its panel, and who could."""
    audit = access.audit
    coordinator_ids = sorted(audit.coordinators.values_list("pk", flat=True))
    memberships = list(audit.panel_memberships.values_list("user_id", "is_chair"))
    panel_ids = sorted(user_id for user_id, _ in memberships)
    chair = next((user_id for user_id, is_chair in memberships if is_chair), None)
    return AuditPeople(
        coordinator_candidates=people_with_role(Role.COORDINATOR, keep=coordinator_ids),
        panel_candidates=people_with_role(Role.PANEL_MEMBER, keep=panel_ids),
        coordinator_ids=coordinator_ids,
        panel_ids=panel_ids,
        chair_id=chair,
    )


@dataclass(frozen=True)
class AgencyChoice:
    agency: Agency
    link: AuditAgency | None
    has_work: bool


def agency_choices(access: AuditAccess) -> list[AgencyChoice]:
    """Every active agency, and any inactive one already taking part, marked if chosen."""
    audit = access.audit
    links = {link.agency_id: link for link in AuditAgency.objects.filter(audit=audit)}
    busy = set(
        AgencyReturn.objects.filter(case__audit=audit)
        .filter(Q(answers__isnull=False) | ~Q(status=ReturnStatus.NOT_STARTED))
        .values_list("agency_id", flat=True)
    )
    agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=list(links))).order_by("name")
    return [AgencyChoice(agency, links.get(agency.pk), agency.pk in busy) for agency in agencies]


def cases_for_setup(access: AuditAccess) -> list[Case]:
    """The audit's children, with needs and whether identifiers are held (never their values)."""
    return list(
        Case.objects.filter(audit=access.audit)
        .prefetch_related("needs")
        .annotate(has_identity=Exists(ChildIdentity.objects.filter(case=OuterRef("pk"))))
        .order_by("order", "pseudonym")
    )


def case_for_setup(access: AuditAccess, case_id: int) -> Case:
    case = (
        Case.objects.filter(audit=access.audit, pk=case_id)
        .prefetch_related("needs")
        .annotate(has_identity=Exists(ChildIdentity.objects.filter(case=OuterRef("pk"))))
        .first()
    )
    if case is None:
        raise Http404("No case found")
    case.audit = access.audit
    return case


@dataclass(frozen=True)
class InvolvementCell:
    case_id: int
    agency: Agency
    status: str
    involvement: AgencyInvolvement | None
    agency_return: AgencyReturn | None
    locked: bool  # the return has begun, so the agency must stay involved

    @property
    def field_name(self) -> str:
        return involvement_field_name(self.case_id, self.agency.pk)


@dataclass(frozen=True)
class InvolvementRow:
    case: Case
    cells: list[InvolvementCell] = field(default_factory=list)


@dataclass(frozen=True)
class InvolvementTable:
    agencies: list[Agency]
    rows: list[InvolvementRow]

    def current(self) -> dict[tuple[int, int], str]:
        return {
            (row.case.pk, cell.agency.pk): cell.status for row in self.rows for cell in row.cells
        }


def involvement_field_name(case_id: int, agency_id: int) -> str:
    return f"involvement-{case_id}-{agency_id}"


def involvement_table(access: AuditAccess) -> InvolvementTable:
    """Every child against every agency taking part, in a fixed number of queries."""
    audit = access.audit
    agencies = [
        link.agency for link in AuditAgency.objects.filter(audit=audit).select_related("agency")
    ]
    cases = list(
        Case.objects.filter(audit=audit)
        .only("id", "pseudonym", "order", "age_weeks")
        .order_by("order", "pseudonym")
    )
    involvements = {
        (row.case_id, row.agency_id): row
        for row in AgencyInvolvement.objects.filter(case__audit=audit).select_related("recorded_by")
    }
    answered = Answer.objects.filter(agency_return=OuterRef("pk"))
    returns = {
        (row.case_id, row.agency_id): row
        for row in AgencyReturn.objects.filter(case__audit=audit)
        .annotate(has_answers=Exists(answered))
        .only("id", "case_id", "agency_id", "status", "due_date")
    }
    rows = []
    for case in cases:
        cells = []
        for agency in agencies:
            key = (case.pk, agency.pk)
            involvement = involvements.get(key)
            agency_return = returns.get(key)
            locked = agency_return is not None and (
                agency_return.has_answers  # type: ignore[attr-defined]
                or agency_return.status != ReturnStatus.NOT_STARTED
            )
            cells.append(
                InvolvementCell(
                    case_id=case.pk,
                    agency=agency,
                    status=involvement.status
                    if involvement
                    else AgencyInvolvement.Status.NOT_KNOWN,
                    involvement=involvement,
                    agency_return=agency_return,
                    locked=locked,
                )
            )
        rows.append(InvolvementRow(case, cells))
    return InvolvementTable(agencies=agencies, rows=rows)


def review_links_for_setup(access: AuditAccess) -> list[AuditReview]:
    return list(
        AuditReview.objects.filter(audit=access.audit)
        .select_related("review")
        .prefetch_related("review__learning_points")
        .order_by("order")
    )


def review_link_for_setup(access: AuditAccess, link_id: int) -> AuditReview:
    link = (
        AuditReview.objects.filter(audit=access.audit, pk=link_id).select_related("review").first()
    )
    if link is None:
        raise Http404("No linked review found")
    return link


# --- Stage ----------------------------------------------------------------------------------

# The history record written when a coordinator moves an audit on with things still
# outstanding (`services.audit_status_advance`): what was outstanding and why they moved on.
MOVED_ON = "moved on"


@dataclass(frozen=True)
class StageMove:
    at: dt.datetime
    by: str
    old: str
    new: str
    outstanding: str = ""
    reason: str = ""


def audit_stage_moves(access: AuditAccess) -> list[StageMove]:
    """Each move of the audit from one stage to another, newest first, by whom, with what was
    still outstanding and the reason given for moving on regardless. Read from the audit's
    history, so a move made by the API, a command or an import is here too."""
    records = (
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Audit),
            object_id=str(access.audit.pk),
        )
        .filter(Q(changes__has_key="status") | Q(action=MOVED_ON))
        .exclude(action="create")
        .order_by("at", "id")
    )
    moves: list[StageMove] = []
    for record in records:
        changes = record.changes
        if record.action == MOVED_ON:
            # Written just after the move it explains, in the same transaction.
            if moves:
                moves[-1] = replace(
                    moves[-1],
                    outstanding=changes.get("Outstanding", ["", ""])[1],
                    reason=changes.get("Reason for moving on", ["", ""])[1],
                )
            continue
        old, new = changes["status"]
        moves.append(StageMove(record.at, record.actor_name, _stage_label(old), _stage_label(new)))
    return moves[::-1]


def _stage_label(value: str) -> str:
    return str(AuditStatus(value).label) if value in AuditStatus.values else value
