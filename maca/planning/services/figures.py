"""Writing the cohort and grades an audit states as figures (maca.audits.models.AuditFigures).

Everything is checked before anything is written, and the figures are saved whole or not at
all; each row's history is kept by the tracked models, so who stated which figure stays known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from maca.audits.models import (
    UNIT_WORDS,
    Audit,
    AuditFigures,
    Case,
    CohortBreakdown,
    CohortUnit,
    GradeCount,
)
from maca.core.errors import Refused


@dataclass(frozen=True)
class BreakdownInput:
    group: str
    label: str
    count: int


@dataclass(frozen=True)
class GradeInput:
    label: str
    count: int
    merged_into: str = ""


@dataclass(frozen=True)
class FiguresInput:
    cohort_count: int | None = None
    cohort_unit: str = CohortUnit.CHILDREN
    cohort_description: str = ""
    age_range: str = ""
    breakdowns: Sequence[BreakdownInput] = ()
    grades_of: str = ""
    grades_base: int | None = None
    grades: Sequence[GradeInput] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.cohort_count
            or self.cohort_description.strip()
            or self.age_range.strip()
            or self.breakdowns
            or self.grades_of.strip()
            or self.grades_base
            or self.grades
        )


@transaction.atomic
def audit_figures_set(*, audit: Audit, data: FiguresInput) -> AuditFigures | None:
    """Replace the audit's stated figures with `data`; all blank removes them."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    _refuse_what_does_not_add_up(locked, data)
    figures = AuditFigures.objects.filter(audit=locked).first()
    if data.is_empty:
        if figures is not None:
            figures.delete()
        return None
    figures = figures or AuditFigures(audit=locked)
    figures.cohort_count = data.cohort_count
    figures.cohort_unit = data.cohort_unit
    figures.cohort_description = data.cohort_description.strip()
    figures.age_range = data.age_range.strip()
    figures.grades_of = data.grades_of.strip()
    figures.grades_base = data.grades_base
    figures.save()
    _replace_breakdowns(figures, data.breakdowns)
    _replace_grades(figures, data.grades)
    return figures


def _replace_breakdowns(figures: AuditFigures, rows: Sequence[BreakdownInput]) -> None:
    wanted = [(row.group.strip(), row.label.strip(), row.count) for row in rows]
    kept = [(row.group, row.label, row.count) for row in figures.breakdowns.all()]
    if wanted == kept:
        return
    # One delete per row, not a bulk one, so each leaves its own history record.
    for row in figures.breakdowns.all():
        row.delete()
    for order, (group, label, count) in enumerate(wanted, 1):
        CohortBreakdown.objects.create(
            figures=figures, order=order, group=group, label=label, count=count
        )


def _replace_grades(figures: AuditFigures, rows: Sequence[GradeInput]) -> None:
    wanted = [(row.label.strip(), row.count, row.merged_into.strip()) for row in rows]
    kept = [(row.label, row.count, row.merged_into) for row in figures.grades.all()]
    if wanted == kept:
        return
    for row in figures.grades.all():
        row.delete()
    for order, (label, count, merged_into) in enumerate(wanted, 1):
        GradeCount.objects.create(
            figures=figures, order=order, label=label, count=count, merged_into=merged_into
        )


def _refuse_what_does_not_add_up(audit: Audit, data: FiguresInput) -> None:
    problems: dict[str, str] = {}
    if data.cohort_unit not in CohortUnit.values:
        problems["cohort_unit"] = "Choose what the audit counted from the list"
    case_count = Case.objects.filter(audit=audit).count()
    count = case_count or data.cohort_count
    if case_count:
        if data.cohort_count not in (None, case_count):
            problems["cohort_count"] = (
                f"This audit holds the records of {case_count} children, so its count is "
                f"theirs: leave the count blank or enter {case_count}"
            )
        if data.cohort_unit != CohortUnit.CHILDREN:
            problems["cohort_unit"] = (
                "This audit holds children's records, so it counted children: choose Children"
            )
    unit = UNIT_WORDS.get(data.cohort_unit, ("", ""))[1]
    totals: dict[str, int] = {}
    for row in data.breakdowns:
        totals[row.group.strip()] = totals.get(row.group.strip(), 0) + row.count
    for group, total in totals.items():
        if count and total > count:
            what = f"The counts under {group}" if group else "The counts"
            problems["breakdowns"] = (
                f"{what} add up to {total}, more than the {count} {unit} in the cohort"
            )
    problems.update(_grade_problems(data))
    if problems:
        raise Refused(problems)


def _grade_problems(data: FiguresInput) -> dict[str, str]:
    if data.grades and not data.grades_base:
        return {"grades_base": "Enter how many were graded: the base of every percentage"}
    if data.grades_base and not data.grades:
        return {"grades": "Enter the grades, or leave how many were graded blank"}
    labels = [row.label.strip().casefold() for row in data.grades]
    if len(set(labels)) != len(labels):
        return {"grades": "Each grade can be given once: add the counts of a repeated grade"}
    total = sum(row.count for row in data.grades)
    if data.grades_base and total > data.grades_base:
        return {"grades": f"The grades add up to {total}, more than the {data.grades_base} graded"}
    return {}
