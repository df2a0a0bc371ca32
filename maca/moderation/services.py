"""Writes of the moderation panel: agreed grades, discrepancies, and findings about a child.

Agencies' own grades are never touched: the panel's grade is a PanelGrade beside them, and
every change to it is kept by the audit trail (`maca.core.history`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from maca.accounts.models import Agency, User
from maca.audits.models import Case, Discrepancy, GradeLevel, PanelGrade, Question, ToolSection
from maca.audits.selectors import AuditAccess
from maca.core.errors import Refused
from maca.learning.models import Finding
from maca.learning.services import FindingLinks, finding_create
from maca.moderation.selectors import require_moderator


@dataclass(frozen=True)
class AgreedGrade:
    section: ToolSection | None  # None: the overall grade
    grade: GradeLevel
    reason: str


def _require_case(access: AuditAccess, case: Case) -> None:
    require_moderator(access)
    if case.audit_id != access.audit.pk:
        raise Refused("That child is not in this audit")


def _require_tool_question(access: AuditAccess, question: Question | None) -> None:
    if question is None:
        return
    in_tool = Question.objects.filter(
        pk=question.pk, section__version_id=access.audit.tool_version_id
    ).exists()
    if not in_tool:
        raise Refused({"question": "Choose a question of this audit's tool"})


@transaction.atomic
def panel_grades_record(
    *, access: AuditAccess, case: Case, grades: Sequence[AgreedGrade], by: User
) -> int:
    """Record the panel's agreed grades; returns how many changed. All or nothing."""
    _require_case(access, case)
    audit = access.audit
    existing = {
        row.section_id: row for row in PanelGrade.objects.select_for_update().filter(case=case)
    }
    changed = 0
    for agreed in grades:
        section = agreed.section
        if section is not None:
            if section.version_id != audit.tool_version_id or section.grading_scale_id is None:
                raise Refused("That section is not graded in this audit's tool")
            if agreed.grade.scale_id != section.grading_scale_id:
                raise Refused(f"Choose a grade on the scale for {section.title}")
        elif audit.overall_scale_id and agreed.grade.scale_id != audit.overall_scale_id:
            raise Refused("Choose an overall grade on the audit's scale")
        reason = agreed.reason.strip()
        if not reason:
            raise Refused("Enter the reason for each agreed grade")
        key = section.pk if section else None
        current = existing.get(key)
        if current is not None and current.grade_id == agreed.grade.pk and current.reason == reason:
            continue
        if current is None:
            PanelGrade.objects.create(
                case=case, section=section, grade=agreed.grade, reason=reason, recorded_by=by
            )
        else:
            current.grade = agreed.grade
            current.reason = reason
            current.recorded_by = by
            current.save()
        changed += 1
    return changed


@transaction.atomic
def discrepancy_record(
    *,
    access: AuditAccess,
    case: Case,
    agencies: Sequence[Agency],
    description: str,
    question: Question | None,
    by: User,
) -> Discrepancy:
    _require_case(access, case)
    if len({agency.pk for agency in agencies}) < 2:
        raise Refused({"agencies": "Choose at least two agencies whose accounts differ"})
    if not description.strip():
        raise Refused({"description": "Enter what differs between the agencies' accounts"})
    _require_tool_question(access, question)
    discrepancy = Discrepancy.objects.create(
        case=case, question=question, description=description.strip(), recorded_by=by
    )
    discrepancy.agencies.set(list(agencies))
    return discrepancy


@transaction.atomic
def case_finding_record(
    *,
    access: AuditAccess,
    case: Case,
    heading: str,
    text: str,
    title: str = "",
    needs_to_happen: str = "",
    agencies: Sequence[Agency] = (),
    question: Question | None = None,
    include_in_brief: bool = True,
) -> Finding:
    """A finding made while moderating one child: linked to the child, the agencies, and the
    question (so its standard) and, where the question checks an earlier review, its
    learning point."""
    _require_case(access, case)
    _require_tool_question(access, question)
    return finding_create(
        access=access,
        heading=heading,
        text=text,
        title=title,
        needs_to_happen=needs_to_happen,
        include_in_brief=include_in_brief,
        links=FindingLinks(
            agencies=agencies,
            cases=[case],
            questions=[question] if question else [],
            learning_points=[question.learning_point]
            if question is not None and question.learning_point is not None
            else [],
        ),
    )
