"""Reads of audits, cases and returns, always scoped to the person asking.

Every function takes the user (or an `AuditAccess` already checked for them) and returns only
what their roles allow; anything outside their scope is a 404, never a 403, so its existence
is not disclosed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import Count, Q, QuerySet, Value, When
from django.http import Http404

from maca.accounts.models import Agency, Role, User
from maca.accounts.selectors import Roles, roles_of
from maca.audits.models import (
    AUDIT_STATUS_ORDER,
    AgencyInvolvement,
    AgencyReturn,
    Audit,
    AuditAgency,
    AuditFigures,
    AuditStatus,
    Case,
    CohortUnit,
    Escalation,
    GradeCount,
    Need,
    PanelGrade,
    ReturnStatus,
)
from maca.core.partial_dates import PartialDate

PUBLISHED_STATUSES = AUDIT_STATUS_ORDER[AUDIT_STATUS_ORDER.index(AuditStatus.PUBLISHED) :]


def role_scope(user: User, roles: Roles, *, audit_path: str, agency_path: str) -> Q:
    """What someone works on, by their roles: coordinators the audits they coordinate, panel
    members the audits on whose panel they sit, agency leads and auditors what concerns their
    agencies. `audit_path` leads from the rows filtered to their audit ("" for audits
    themselves, "audit__" for an action); `agency_path` to the agencies concerned. Readers'
    published audits are not in it: each list adds them its own way."""
    condition = Q(pk__in=[])
    if roles.has(Role.COORDINATOR):
        condition |= Q(**{f"{audit_path}coordinators": user})
    if roles.has(Role.PANEL_MEMBER):
        condition |= Q(**{f"{audit_path}panel_memberships__user": user})
    if roles.agency_ids:
        condition |= Q(**{f"{agency_path}__in": roles.agency_ids})
    return condition


def _visibility_filter(user: User, roles: Roles) -> Q | None:
    """The audits someone may open at all, or None for none."""
    conditions = role_scope(user, roles, audit_path="", agency_path="audit_agencies__agency_id")
    if roles.has(Role.READER):
        conditions |= Q(status__in=PUBLISHED_STATUSES)
    return conditions


def audits_visible_to(user: User) -> QuerySet[Audit]:
    roles = roles_of(user)
    condition = _visibility_filter(user, roles)
    ids = Audit.objects.filter(condition).values("pk")
    return (
        Audit.objects.filter(pk__in=ids)
        .annotate(
            case_count=Count("cases", distinct=True),
            agency_count=Count("audit_agencies", distinct=True),
        )
        .order_by("-audit_date", "title")
    )


@dataclass(frozen=True)
class AuditFilters:
    search: str = ""
    status: str = ""
    year: str = ""
    theme: str = ""

    @property
    def any(self) -> bool:
        return bool(self.search or self.status or self.year or self.theme)


@dataclass(frozen=True)
class AuditList:
    audits: list[Audit]
    years: list[str]
    themes: list[str]
    total: int  # of the audits the person can see, before filtering


def audit_list_for(user: User, filters: AuditFilters) -> AuditList:
    """The audits someone can see, truly newest first: audits under way with no date yet
    (just started) at the top, then by audit date, latest first, then the latest made.
    Filtered by words in the title or theme, stage, year of the audit date and theme."""
    visible = audits_visible_to(user)
    undated = Q(audit_date="") | Q(audit_date__isnull=True)
    place = SqlCase(
        When(undated & ~Q(status__in=PUBLISHED_STATUSES), then=Value(0)),
        When(~undated, then=Value(1)),
        default=Value(2),  # undated and finished: an old record without a date
    )
    audits = visible.annotate(place=place).order_by("place", "-audit_date", "-created_at", "title")
    if filters.search:
        audits = audits.filter(
            Q(title__icontains=filters.search) | Q(theme__icontains=filters.search)
        )
    if filters.status:
        audits = audits.filter(status=filters.status)
    if filters.year:
        audits = audits.filter(audit_date__startswith=filters.year)
    if filters.theme:
        audits = audits.filter(theme=filters.theme)
    facets = list(visible.order_by().values_list("audit_date", "theme"))
    return AuditList(
        audits=list(audits),
        years=sorted({str(d.year) for d, _ in facets if isinstance(d, PartialDate)}, reverse=True),
        themes=sorted({theme for _, theme in facets if theme}),
        total=len(facets),
    )


@dataclass(frozen=True)
class AuditAccess:
    """What one person may see of one audit, worked out once per request."""

    audit: Audit
    roles: Roles
    is_coordinator: bool
    is_panel_member: bool
    agency_ids: frozenset[int]

    @property
    def sees_every_agency(self) -> bool:
        return self.is_coordinator or self.is_panel_member

    @property
    def can_see_cases(self) -> bool:
        """Child-level pages: coordinators, the panel, and agencies for their own returns."""
        return self.sees_every_agency or bool(self.agency_ids)

    @property
    def can_see_learning(self) -> bool:
        """Findings, actions and the brief: drafts only for those who write them."""
        return self.sees_every_agency or self.audit.is_published

    def visible_agency_ids(self, all_ids: list[int]) -> list[int]:
        if self.sees_every_agency:
            return all_ids
        return [agency_id for agency_id in all_ids if agency_id in self.agency_ids]


def audit_access_for(user: User, slug: str) -> AuditAccess:
    roles = roles_of(user)
    audit = (
        audits_visible_to(user)
        .select_related("tool_version__tool", "overall_scale")
        .filter(slug=slug)
        .first()
    )
    if audit is None:
        raise Http404("No audit found")
    is_coordinator = roles.has(Role.COORDINATOR) and audit.coordinators.filter(pk=user.pk).exists()
    is_panel = roles.has(Role.PANEL_MEMBER) and audit.panel_memberships.filter(user=user).exists()
    agency_ids = frozenset(
        AuditAgency.objects.filter(audit=audit, agency_id__in=roles.agency_ids).values_list(
            "agency_id", flat=True
        )
    )
    return AuditAccess(
        audit=audit,
        roles=roles,
        is_coordinator=is_coordinator,
        is_panel_member=is_panel,
        agency_ids=agency_ids,
    )


def require_cases(access: AuditAccess) -> None:
    if not access.can_see_cases:
        raise Http404("No audit found")


def require_learning(access: AuditAccess) -> None:
    if not access.can_see_learning:
        raise Http404("No audit found")


# --- Overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedCount:
    need: Need
    count: int


@dataclass(frozen=True)
class AgeRange:
    youngest: Case | None
    oldest: Case | None


@dataclass(frozen=True)
class CohortProfile:
    case_count: int
    age_range: AgeRange
    needs: list[NeedCount]
    age_bands: list[tuple[str, int]]
    out_of_area_count: int
    uasc_count: int


AGE_BAND_ORDER = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"]


def cohort_profile(audit: Audit) -> CohortProfile:
    """Aggregates about the children; no child is named, so every role that sees the audit may
    see it."""
    cases = list(
        Case.objects.filter(audit=audit).only(
            "id", "pseudonym", "age_weeks", "placed_out_of_area", "is_uasc"
        )
    )
    need_counts = (
        Need.objects.filter(cases__audit=audit)
        .annotate(case_count=Count("cases", filter=Q(cases__audit=audit), distinct=True))
        .order_by("-case_count", "order", "label")
    )
    bands = Counter(case.age_band for case in cases)
    by_age = sorted(cases, key=lambda case: case.age_weeks)
    return CohortProfile(
        case_count=len(cases),
        age_range=AgeRange(by_age[0] if by_age else None, by_age[-1] if by_age else None),
        needs=[NeedCount(need, need.case_count) for need in need_counts],  # type: ignore[attr-defined]
        age_bands=[(band, bands[band]) for band in AGE_BAND_ORDER if bands[band]],
        out_of_area_count=sum(1 for case in cases if case.placed_out_of_area),
        uasc_count=sum(1 for case in cases if case.is_uasc),
    )


@dataclass(frozen=True)
class CountOf:
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    group: str  # "Gender"; empty when the audit gave none
    counts: tuple[CountOf, ...]


@dataclass(frozen=True)
class StatedFigures:
    """The audit's cohort and grades as figures, each from the case rows where they hold it
    and otherwise as the coordinator stated it; `None` and empty where neither does."""

    count: int | None
    unit: str
    description: str
    age_range: str  # only as stated; ages from case rows are in `CohortProfile`
    breakdowns: tuple[Breakdown, ...]
    count_from_case_rows: bool
    grades_of: str
    grades_base: int | None
    grades: tuple[CountOf, ...]
    merged_grades: tuple[CountOf, ...]
    grades_from_case_rows: bool


def stated_figures(audit: Audit, *, case_count: int) -> StatedFigures:
    """What the audit holds as figures. Case rows win: with any, the count is theirs and the
    grades are the panel's overall grades of the children, if it recorded any."""
    stated = audit_figures_row(audit)
    panel = Counter(
        (grade.grade.value, grade.grade.label)
        for grade in PanelGrade.objects.filter(
            case__audit=audit, section__isnull=True
        ).select_related("grade")
    )
    breakdowns: dict[str, list[CountOf]] = {}
    for row in stated.breakdowns.all() if stated else ():
        breakdowns.setdefault(row.group, []).append(CountOf(row.label, row.count))
    if panel:
        grades = tuple(CountOf(label, count) for (_, label), count in sorted(panel.items()))
        merged: tuple[CountOf, ...] = ()
        base: int | None = sum(panel.values())
        grades_of = "the overall grade the panel agreed for each child"
    else:
        rows = list(stated.grades.all()) if stated else []
        grades = tuple(CountOf(row.label, row.count) for row in rows)
        merged = _merged(rows)
        base = stated.grades_base if stated and grades else None
        grades_of = stated.grades_of.strip() if stated else ""
    return StatedFigures(
        count=case_count or (stated.cohort_count if stated else None),
        unit=CohortUnit.CHILDREN if case_count or not stated else stated.cohort_unit,
        description=stated.cohort_description.strip() if stated else "",
        age_range="" if case_count or not stated else stated.age_range.strip(),
        breakdowns=tuple(Breakdown(group, tuple(counts)) for group, counts in breakdowns.items()),
        count_from_case_rows=bool(case_count),
        grades_of=grades_of,
        grades_base=base,
        grades=grades,
        merged_grades=merged,
        grades_from_case_rows=bool(panel),
    )


def audit_figures_row(audit: Audit) -> AuditFigures | None:
    """The figures as the coordinator stated them, for the page that edits them."""
    return AuditFigures.objects.filter(audit=audit).prefetch_related("breakdowns", "grades").first()


def _merged(rows: list[GradeCount]) -> tuple[CountOf, ...]:
    totals: dict[str, int] = {}
    for row in rows:
        if row.merged_into.strip():
            label = row.merged_into.strip()
            totals[label] = totals.get(label, 0) + row.count
    return tuple(CountOf(label, count) for label, count in totals.items())


def audit_agencies(audit: Audit) -> list[Agency]:
    return [
        link.agency for link in AuditAgency.objects.filter(audit=audit).select_related("agency")
    ]


# --- Cases × agencies grid ------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    agency: Agency
    involvement: str
    agency_return: AgencyReturn | None
    is_late: bool

    @property
    def has_return_page(self) -> bool:
        """Whether there is a return to open: the agency knew the child, or it started one."""
        return (
            self.agency_return is not None or self.involvement == AgencyInvolvement.Status.INVOLVED
        )

    @property
    def label(self) -> str:
        if self.involvement == AgencyInvolvement.Status.NOT_INVOLVED:
            return "Nil return"
        if self.agency_return is None:
            return (
                "Not known yet"
                if self.involvement == AgencyInvolvement.Status.NOT_KNOWN
                else ReturnStatus.NOT_STARTED.label
            )
        return self.agency_return.get_status_display()

    @property
    def tag_colour(self) -> str:
        if self.is_late:
            return "red"
        if self.involvement == AgencyInvolvement.Status.NOT_INVOLVED:
            return "grey"
        status = self.agency_return.status if self.agency_return else ReturnStatus.NOT_STARTED
        return _STATUS_COLOURS.get(status, "grey")


_STATUS_COLOURS: dict[str, str] = {
    ReturnStatus.NOT_STARTED: "grey",
    ReturnStatus.DRAFT: "yellow",
    ReturnStatus.SUBMITTED: "blue",
    ReturnStatus.SIGNED_OFF: "turquoise",
    ReturnStatus.SENT_BACK: "orange",
    ReturnStatus.ACCEPTED: "green",
}

_COMPLETE_STATUSES = {ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF, ReturnStatus.ACCEPTED}


@dataclass(frozen=True)
class GridRow:
    case: Case
    cells: list[GridCell]


@dataclass(frozen=True)
class AgencyProgress:
    agency: Agency
    expected: int
    complete: int
    late: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.expected) if self.expected else 100


@dataclass(frozen=True)
class GridFilters:
    agency_id: int | None = None
    status: str = ""  # a ReturnStatus, or "none" for no return begun
    late_only: bool = False

    @property
    def any(self) -> bool:
        return bool(self.agency_id or self.status or self.late_only)

    def keeps(self, cell: GridCell) -> bool:
        if self.status == "none" and cell.agency_return is not None:
            return False
        if self.status not in ("", "none") and (
            cell.agency_return is None or cell.agency_return.status != self.status
        ):
            return False
        return cell.is_late or not self.late_only


@dataclass(frozen=True)
class ReturnsGrid:
    agencies: list[Agency]
    rows: list[GridRow]
    progress: list[AgencyProgress]
    total_rows: int = 0  # children before filtering

    def filtered(self, filters: GridFilters) -> ReturnsGrid:
        """The grid with one agency's column only and the children whose cells match; the
        progress table stays whole."""
        columns = [
            index
            for index, agency in enumerate(self.agencies)
            if filters.agency_id in (None, agency.pk)
        ]
        rows = []
        for row in self.rows:
            cells = [row.cells[index] for index in columns]
            matching = [cell for cell in cells if cell.has_return_page]
            if not (filters.status or filters.late_only) or any(
                filters.keeps(cell) for cell in matching
            ):
                rows.append(GridRow(row.case, cells))
        return ReturnsGrid(
            agencies=[self.agencies[index] for index in columns],
            rows=rows,
            progress=self.progress,
            total_rows=len(self.rows),
        )

    @property
    def expected(self) -> int:
        return sum(item.expected for item in self.progress)

    @property
    def complete(self) -> int:
        return sum(item.complete for item in self.progress)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.expected) if self.expected else 100

    @property
    def late(self) -> int:
        return sum(item.late for item in self.progress)


def returns_grid(access: AuditAccess, *, today: dt.date) -> ReturnsGrid:
    """Each case against each agency the person may see, in a fixed number of queries."""
    require_cases(access)
    audit = access.audit
    links = list(AuditAgency.objects.filter(audit=audit).select_related("agency"))
    visible = set(access.visible_agency_ids([link.agency_id for link in links]))
    links = [link for link in links if link.agency_id in visible]
    agencies = [link.agency for link in links]
    due_by_agency = {link.agency_id: link.returns_due or audit.returns_due for link in links}

    cases = list(cases_visible(access).order_by("order", "pseudonym"))
    involvement = {
        (row.case_id, row.agency_id): row.status
        for row in AgencyInvolvement.objects.filter(case__audit=audit, agency_id__in=visible)
    }
    returns = {
        (row.case_id, row.agency_id): row
        for row in AgencyReturn.objects.filter(case__audit=audit, agency_id__in=visible).only(
            "id", "case_id", "agency_id", "status", "due_date", "submitted_at"
        )
    }
    expected: Counter[int] = Counter()
    complete: Counter[int] = Counter()
    late: Counter[int] = Counter()
    rows = []
    for case in cases:
        cells = []
        for agency in agencies:
            status = involvement.get((case.pk, agency.pk), AgencyInvolvement.Status.NOT_KNOWN)
            agency_return = returns.get((case.pk, agency.pk))
            due = (agency_return.due_date if agency_return else None) or due_by_agency[agency.pk]
            done = agency_return is not None and agency_return.status in _COMPLETE_STATUSES
            owes = status == AgencyInvolvement.Status.INVOLVED
            if owes:
                expected[agency.pk] += 1
                complete[agency.pk] += int(done)
            is_late = owes and not done and due is not None and due < today
            late[agency.pk] += int(is_late)
            cells.append(GridCell(agency, status, agency_return, is_late))
        rows.append(GridRow(case, cells))
    progress = [
        AgencyProgress(agency, expected[agency.pk], complete[agency.pk], late[agency.pk])
        for agency in agencies
    ]
    return ReturnsGrid(agencies=agencies, rows=rows, progress=progress, total_rows=len(rows))


# --- Escalations ----------------------------------------------------------------------------


def escalations_for_audit(access: AuditAccess) -> QuerySet[Escalation]:
    """Escalations the person may see in full: all for coordinator and panel, otherwise those
    raised by or to their agency."""
    queryset = Escalation.objects.filter(audit=access.audit).select_related(
        "raised_to_agency", "raised_by_agency", "case"
    )
    if access.sees_every_agency:
        return queryset
    if not access.agency_ids:
        return queryset.none()
    return queryset.filter(
        Q(raised_to_agency_id__in=access.agency_ids) | Q(raised_by_agency_id__in=access.agency_ids)
    )


@dataclass(frozen=True)
class StatusStep:
    value: str
    label: str
    state: str  # "done", "current" or "to_do"


def status_steps(audit: Audit) -> list[StatusStep]:
    """The audit's place in its life, for the overview's step list."""
    current = AUDIT_STATUS_ORDER.index(audit.status)
    steps = []
    for index, (value, label) in enumerate(AuditStatus.choices):
        state = "done" if index < current else "current" if index == current else "to_do"
        steps.append(StatusStep(value, str(label), state))
    return steps


# --- One case -------------------------------------------------------------------------------


def cases_visible(access: AuditAccess) -> QuerySet[Case]:
    """Coordinator and panel see every child; an agency sees the children it was asked about."""
    require_cases(access)
    cases = Case.objects.filter(audit=access.audit)
    if access.sees_every_agency:
        return cases
    return cases.filter(
        Q(involvements__agency_id__in=access.agency_ids)
        | Q(returns__agency_id__in=access.agency_ids)
    ).distinct()


@dataclass(frozen=True)
class CaseAgencyRow:
    agency: Agency
    involvement: AgencyInvolvement | None
    agency_return: AgencyReturn | None


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    agencies: list[CaseAgencyRow]
    escalations: list[Escalation]


def case_detail(access: AuditAccess, case_id: int) -> CaseDetail:
    case = cases_visible(access).prefetch_related("needs").filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    links = list(AuditAgency.objects.filter(audit=access.audit).select_related("agency"))
    visible = set(access.visible_agency_ids([link.agency_id for link in links]))
    involvement = {
        row.agency_id: row
        for row in AgencyInvolvement.objects.filter(case=case, agency_id__in=visible)
    }
    returns = {
        row.agency_id: row
        for row in AgencyReturn.objects.filter(case=case, agency_id__in=visible).select_related(
            "auditor", "overall_grade"
        )
    }
    rows = [
        CaseAgencyRow(link.agency, involvement.get(link.agency_id), returns.get(link.agency_id))
        for link in links
        if link.agency_id in visible
    ]
    escalations = list(escalations_for_audit(access).filter(case=case))
    return CaseDetail(case=case, agencies=rows, escalations=escalations)
