"""Reads for moderating one child: every agency's answers side by side, the spread of grades
per section and overall, suggested grades, and what the panel has recorded so far.

Only the audit's coordinators and panel see this (others get a 404). Every read is a fixed
number of queries, however many agencies, sections and questions the audit has.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.dateformat import format as date_format

from maca.accounts.models import Agency
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    Case,
    Discrepancy,
    GradeLevel,
    GradingScale,
    PanelGrade,
    Question,
    ReturnStatus,
    SectionSummary,
    ToolSection,
)
from maca.audits.selectors import AuditAccess
from maca.learning.models import Finding

# Returns the panel moderates: submitted and onwards. A draft may still change, so it is
# listed but its grades are not part of the spread or the suggestions.
FINAL_RETURN_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.SIGNED_OFF, ReturnStatus.ACCEPTED)

Outcome = GradeLevel.Outcome


def require_moderator(access: AuditAccess) -> None:
    """Moderation shows every agency's account: the audit's coordinators and panel only."""
    if not access.sees_every_agency:
        raise Http404("No audit found")


# --- Spread and suggestions -----------------------------------------------------------------


def goodness(level: GradeLevel, scale: GradingScale) -> int:
    """A sort key from worst to best, whichever way the scale runs."""
    return level.value if scale.higher_is_better else -level.value


@dataclass(frozen=True)
class SpreadItem:
    level: GradeLevel
    count: int
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class GradeSpread:
    """Agencies' own grades for one section (or overall), worst first, with two suggestions
    the panel may take or leave: the lowest grade and the median grade."""

    items: tuple[SpreadItem, ...]
    lowest: GradeLevel | None
    median: GradeLevel | None
    graded: int

    @property
    def summary(self) -> str:
        if not self.graded:
            return "No agency has graded this yet."
        return ", ".join(f"{item.level.label} {item.count}" for item in self.items if item.count)


def grade_spread(
    grades: Iterable[tuple[str, GradeLevel | None]], scale: GradingScale | None
) -> GradeSpread:
    """`grades` pairs an agency's short name with its grade. Grades meaning 'not applicable'
    count in the spread but not in the suggestions. With an even number of grades the median
    is the lower of the two middle ones: a suggestion should not flatter practice."""
    if scale is None:
        return GradeSpread(items=(), lowest=None, median=None, graded=0)
    by_level: dict[int, list[str]] = {}
    levels: dict[int, GradeLevel] = {}
    ranked: list[GradeLevel] = []
    for agency, level in grades:
        if level is None or level.scale_id != scale.pk:
            continue
        by_level.setdefault(level.pk, []).append(agency)
        levels[level.pk] = level
        if level.outcome != Outcome.NOT_APPLICABLE:
            ranked.append(level)
    ordered = sorted(levels.values(), key=lambda level: goodness(level, scale))
    ranked.sort(key=lambda level: goodness(level, scale))
    return GradeSpread(
        items=tuple(
            SpreadItem(level, len(by_level[level.pk]), tuple(by_level[level.pk]))
            for level in ordered
        ),
        lowest=ranked[0] if ranked else None,
        median=ranked[(len(ranked) - 1) // 2] if ranked else None,
        graded=sum(len(names) for names in by_level.values()),
    )


# --- One child, every agency ----------------------------------------------------------------


@dataclass(frozen=True)
class ShownAnswer:
    """What the page shows of one agency's answer. Read as plain values rather than model
    instances: the largest audits put 480 of them on one page."""

    value: str
    evidence: str
    reason: str
    outcome: str  # the grade's outcome, "" when the answer has no grade


@dataclass(frozen=True)
class AnswerCell:
    agency: Agency
    answer: ShownAnswer | None  # None: the question applies but the agency gave no answer


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    cells: tuple[AnswerCell, ...]
    outcomes: tuple[tuple[str, int], ...]
    discrepancies: tuple[Discrepancy, ...]

    @property
    def accounts_differ(self) -> bool:
        """Some agencies say met and others not met: worth the panel's attention."""
        found = {outcome for outcome, count in self.outcomes if count}
        return "Met" in found and bool({"Not met", "Partly met"} & found)

    @property
    def meta(self) -> str:
        """The line under the question: its standard, the earlier learning it checks, and how
        many agencies answered met, partly met and so on."""
        question, parts = self.question, []
        if question.standard:
            parts.append(f"Standard: {question.standard}. ")
        point = question.learning_point
        if point is not None:
            parts.append(f"Checks {point.review.short_name} learning point {point.order}. ")
        parts.append("; ".join(f"{label}: {count}" for label, count in self.outcomes))
        return "".join(parts)


@dataclass(frozen=True)
class ShownSummary:
    """What the page shows of one agency's summary of a section, read as plain values."""

    grade: GradeLevel | None  # None also when graded on a scale that is not this section's
    grade_label: str
    grade_reason: str
    areas_for_development: str


@dataclass(frozen=True)
class CaseLink:
    """Another child of the audit, for the previous and next links."""

    pk: int
    pseudonym: str


@dataclass(frozen=True)
class SectionSummaryCell:
    agency: Agency
    summary: ShownSummary | None


@dataclass(frozen=True)
class SectionView:
    section: ToolSection
    summaries: tuple[SectionSummaryCell, ...]
    spread: GradeSpread
    agreed: PanelGrade | None
    questions: tuple[QuestionRow, ...]
    levels: tuple[GradeLevel, ...]

    @property
    def is_graded(self) -> bool:
        return self.section.grading_scale_id is not None


@dataclass(frozen=True)
class CaseModeration:
    case: Case
    returns: tuple[AgencyReturn, ...]  # final returns, in the audit's agency order
    pending: tuple[AgencyReturn, ...]  # returns not yet submitted
    not_involved: tuple[Agency, ...]
    sections: tuple[SectionView, ...]
    overall_spread: GradeSpread
    overall_agreed: PanelGrade | None
    overall_levels: tuple[GradeLevel, ...]
    discrepancies: tuple[Discrepancy, ...]
    findings: tuple[Finding, ...]
    questions: tuple[Question, ...]
    previous_case: CaseLink | None
    next_case: CaseLink | None

    @property
    def agencies(self) -> list[Agency]:
        return [agency_return.agency for agency_return in self.returns]

    @property
    def graded_sections(self) -> list[SectionView]:
        return [view for view in self.sections if view.is_graded]


def _outcome_counts(cells: Sequence[AnswerCell]) -> tuple[tuple[str, int], ...]:
    counts: Counter[str] = Counter()
    for cell in cells:
        if cell.answer is not None and cell.answer.outcome:
            counts[Outcome(cell.answer.outcome).label] += 1
    order = [Outcome.MET, Outcome.PARTLY_MET, Outcome.NOT_MET, Outcome.NOT_APPLICABLE]
    return tuple((o.label, counts[o.label]) for o in order if counts[o.label])


def _shown_value(grade: str | None, text: str, choices: str | None, day: Any, number: Any) -> str:
    """The answer as the page shows it: its grade, else text, choices, date or number.
    `choices` is the JSON text, decoded only here: most answers are grades, and decoding 480
    of them to use a few showed in the page's time."""
    if grade:
        return grade
    if text:
        return text
    chosen = json.loads(choices) if choices else None
    if chosen:
        return ", ".join(str(choice) for choice in chosen)
    if day:
        return date_format(day, "j F Y")
    return "" if number is None else str(number)


def _answers_shown(final_ids: Sequence[int]) -> dict[tuple[int, int], ShownAnswer]:
    """The final returns' answers by (return, question)."""
    rows = (
        Answer.objects.filter(agency_return_id__in=final_ids)
        .annotate(choices_json=Cast("choices", TextField()))
        .values_list(
            "agency_return_id",
            "question_id",
            "grade__label",
            "grade__outcome",
            "text_value",
            "choices_json",
            "date_value",
            "number_value",
            "evidence",
            "reason",
        )
    )
    return {
        (return_id, question_id): ShownAnswer(
            value=_shown_value(label, text, choices, day, number),
            evidence=evidence,
            reason=reason,
            outcome=outcome or "",
        )
        for (
            return_id,
            question_id,
            label,
            outcome,
            text,
            choices,
            day,
            number,
            evidence,
            reason,
        ) in rows
    }


def case_moderation(access: AuditAccess, case_id: int) -> CaseModeration:
    require_moderator(access)
    audit = access.audit
    case = _moderated_case(audit, case_id)
    final, pending, not_involved = _case_returns(audit, case)
    sections = list(
        ToolSection.objects.filter(version_id=audit.tool_version_id)
        .select_related("grading_scale")
        .order_by("order")
    )
    questions = list(
        Question.objects.filter(section__version_id=audit.tool_version_id)
        .select_related("learning_point__review")
        .order_by("section__order", "order")
    )
    overall_scale = _overall_scale(audit, final)
    discrepancies = tuple(
        Discrepancy.objects.filter(case=case)
        .select_related("question")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("short_name")))
        .order_by("created_at", "id")
    )
    grid = _Grid.gather(case, final, sections, overall_scale, discrepancies, questions)
    questions_by_section: dict[int, list[Question]] = {}
    for question in questions:
        questions_by_section.setdefault(question.section_id, []).append(question)
    views = tuple(
        _section_view(section, questions_by_section.get(section.pk, []), grid)
        for section in sections
    )
    findings = tuple(
        Finding.objects.filter(audit=audit, cases=case).order_by("heading", "order", "id")
    )
    previous_case, next_case = _neighbours(audit, case)
    return CaseModeration(
        case=case,
        returns=final,
        pending=pending,
        not_involved=not_involved,
        sections=views,
        overall_spread=grade_spread(
            ((row.agency.short_name, row.overall_grade) for row in final), overall_scale
        ),
        overall_agreed=grid.agreed.get(None),
        overall_levels=tuple(
            grid.levels_by_scale.get(overall_scale.pk, []) if overall_scale else []
        ),
        discrepancies=discrepancies,
        findings=findings,
        questions=tuple(questions),
        previous_case=previous_case,
        next_case=next_case,
    )


def _moderated_case(audit: Audit, case_id: int) -> Case:
    case = (
        Case.objects.filter(audit=audit, pk=case_id)
        .prefetch_related("needs")
        .only(
            "id",
            "audit_id",
            "pseudonym",
            "order",
            "age_weeks",
            "gender",
            "legal_status",
            "placement_type",
            "placed_out_of_area",
            "placement_moves_12m",
            "missing_episodes_12m",
            "is_uasc",
        )
        .first()
    )
    if case is None:
        raise Http404("No case found")
    return case


def _case_returns(
    audit: Audit, case: Case
) -> tuple[tuple[AgencyReturn, ...], tuple[AgencyReturn, ...], tuple[Agency, ...]]:
    """The case's final and pending returns in the audit's agency order, and the agencies
    that said they were not involved."""
    order = {
        link.agency_id: index
        for index, link in enumerate(AuditAgency.objects.filter(audit=audit).order_by("order"))
    }
    all_returns = sorted(
        AgencyReturn.objects.filter(case=case).select_related("agency", "overall_grade"),
        key=lambda row: (order.get(row.agency_id, len(order)), row.agency.name),
    )
    final = tuple(row for row in all_returns if row.status in FINAL_RETURN_STATUSES)
    pending = tuple(row for row in all_returns if row.status not in FINAL_RETURN_STATUSES)
    not_involved = tuple(
        row.agency
        for row in AgencyInvolvement.objects.filter(
            case=case, status=AgencyInvolvement.Status.NOT_INVOLVED
        ).select_related("agency")
    )
    return final, pending, not_involved


@dataclass(frozen=True)
class _Grid:
    """The final returns' answers and section summaries, the panel's agreed grades and the
    discrepancies, looked up by return, question and section to lay out the comparison."""

    final: tuple[AgencyReturn, ...]
    answers: dict[tuple[int, int], ShownAnswer]
    summaries: dict[tuple[int, int], ShownSummary]
    agreed: dict[int | None, PanelGrade]
    levels_by_scale: dict[int, list[GradeLevel]]
    discrepancies_by_question: dict[int | None, list[Discrepancy]]
    agencies_by_question: dict[int, set[int]]  # a question's own agencies, beside its sectors

    @classmethod
    def gather(
        cls,
        case: Case,
        final: tuple[AgencyReturn, ...],
        sections: list[ToolSection],
        overall_scale: GradingScale | None,
        discrepancies: tuple[Discrepancy, ...],
        questions: list[Question],
    ) -> _Grid:
        final_ids = [row.pk for row in final]
        scale_ids = {s.grading_scale_id for s in sections if s.grading_scale_id}
        if overall_scale is not None:
            scale_ids.add(overall_scale.pk)
        levels_by_scale: dict[int, list[GradeLevel]] = {}
        for level in GradeLevel.objects.filter(scale_id__in=scale_ids).order_by("scale", "value"):
            levels_by_scale.setdefault(level.scale_id, []).append(level)
        by_question: dict[int | None, list[Discrepancy]] = {}
        for discrepancy in discrepancies:
            by_question.setdefault(discrepancy.question_id, []).append(discrepancy)
        levels = {level.pk: level for scale in levels_by_scale.values() for level in scale}
        return cls(
            final=final,
            answers=_answers_shown(final_ids),
            summaries=_summaries_shown(final_ids, levels),
            agreed={
                row.section_id: row
                for row in PanelGrade.objects.filter(case=case).select_related("grade")
            },
            levels_by_scale=levels_by_scale,
            discrepancies_by_question=by_question,
            agencies_by_question=_agencies_by_question(questions),
        )


def _summaries_shown(
    final_ids: Sequence[int], levels: dict[int, GradeLevel]
) -> dict[tuple[int, int], ShownSummary]:
    """The final returns' section summaries by (return, section), as plain values: a grade
    that matters to the spread is on the section's scale, so among `levels` already read."""
    rows = SectionSummary.objects.filter(agency_return_id__in=final_ids).values_list(
        "agency_return_id",
        "section_id",
        "grade_id",
        "grade__label",
        "grade_reason",
        "areas_for_development",
    )
    return {
        (return_id, section_id): ShownSummary(
            grade=levels.get(grade_id) if grade_id is not None else None,
            grade_label=label or "",
            grade_reason=reason,
            areas_for_development=areas,
        )
        for return_id, section_id, grade_id, label, reason, areas in rows
    }


def _agencies_by_question(questions: list[Question]) -> dict[int, set[int]]:
    """The agencies each question is limited to, read from the link table in one query
    rather than as Agency rows per question: only their ids are compared."""
    links = Question.applies_to_agencies.through.objects.filter(
        question_id__in=[question.pk for question in questions]
    ).values_list("question_id", "agency_id")
    by_question: dict[int, set[int]] = {}
    for question_id, agency_id in links:
        by_question.setdefault(question_id, set()).add(agency_id)
    return by_question


def _section_view(section: ToolSection, questions: list[Question], grid: _Grid) -> SectionView:
    rows = []
    for question in questions:
        applies = _applies_to(question, grid.agencies_by_question.get(question.pk, set()))
        cells = tuple(
            AnswerCell(row.agency, grid.answers.get((row.pk, question.pk)))
            for row in grid.final
            if applies(row.agency) or (row.pk, question.pk) in grid.answers
        )
        rows.append(
            QuestionRow(
                question,
                cells,
                _outcome_counts(cells),
                tuple(grid.discrepancies_by_question.get(question.pk, [])),
            )
        )
    cells_for_section = tuple(
        SectionSummaryCell(row.agency, grid.summaries.get((row.pk, section.pk)))
        for row in grid.final
    )
    spread = grade_spread(
        (
            (cell.agency.short_name, cell.summary.grade if cell.summary else None)
            for cell in cells_for_section
        ),
        section.grading_scale,
    )
    return SectionView(
        section=section,
        summaries=cells_for_section,
        spread=spread,
        agreed=grid.agreed.get(section.pk),
        questions=tuple(rows),
        levels=tuple(grid.levels_by_scale.get(section.grading_scale_id or 0, [])),
    )


def _neighbours(audit: Audit, case: Case) -> tuple[CaseLink | None, CaseLink | None]:
    """The cases before and after this one in the audit's order, for previous and next."""
    neighbours = [
        CaseLink(pk, pseudonym)
        for pk, pseudonym in Case.objects.filter(audit=audit)
        .order_by("order", "pseudonym", "id")
        .values_list("pk", "pseudonym")
    ]
    index = next(i for i, item in enumerate(neighbours) if item.pk == case.pk)
    return (
        neighbours[index - 1] if index > 0 else None,
        neighbours[index + 1] if index + 1 < len(neighbours) else None,
    )


def _applies_to(question: Question, agency_ids: set[int]) -> Callable[[Agency], bool]:
    """`Question.applies_to`, with the question's agencies read once rather than once for
    every agency: 40 questions x 12 agencies is 480 checks on the largest audits."""
    sectors = question.applies_to_sectors
    if not sectors and not agency_ids:
        return lambda agency: True
    return lambda agency: agency.sector in sectors or agency.pk in agency_ids


def _overall_scale(audit: Audit, returns: Sequence[AgencyReturn]) -> GradingScale | None:
    """The audit's overall scale, or failing that the scale the agencies graded on."""
    if audit.overall_scale is not None:
        return audit.overall_scale
    for row in returns:
        if row.overall_grade is not None:
            return GradingScale.objects.filter(pk=row.overall_grade.scale_id).first()
    return None


# --- The list of children -------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationRow:
    case: Case
    final_returns: int
    pending_returns: int
    agreed_sections: int
    overall: PanelGrade | None
    discrepancies: int


def moderation_rows(access: AuditAccess) -> tuple[list[ModerationRow], int]:
    """Each child with how far moderation has got; and the number of graded sections."""
    require_moderator(access)
    audit = access.audit
    cases = list(
        Case.objects.filter(audit=audit)
        .annotate(
            final_returns=Count(
                "returns", filter=Q(returns__status__in=FINAL_RETURN_STATUSES), distinct=True
            ),
            all_returns=Count("returns", distinct=True),
            agreed_sections=Count(
                "panel_grades", filter=Q(panel_grades__section__isnull=False), distinct=True
            ),
            discrepancy_count=Count("discrepancies", distinct=True),
        )
        .order_by("order", "pseudonym")
    )
    overall = {
        row.case_id: row
        for row in PanelGrade.objects.filter(
            case__audit=audit, section__isnull=True
        ).select_related("grade")
    }
    graded = ToolSection.objects.filter(
        version_id=audit.tool_version_id, grading_scale__isnull=False
    ).count()
    rows = [
        ModerationRow(
            case=case,
            final_returns=case.final_returns,  # type: ignore[attr-defined]
            pending_returns=case.all_returns - case.final_returns,  # type: ignore[attr-defined]
            agreed_sections=case.agreed_sections,  # type: ignore[attr-defined]
            overall=overall.get(case.pk),
            discrepancies=case.discrepancy_count,  # type: ignore[attr-defined]
        )
        for case in cases
    ]
    return rows, graded
