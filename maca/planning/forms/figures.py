"""The audit's cohort and grades as figures: typed as lines ("9 boys", "20 good"), read here
into the service's input, with errors that name the line that is wrong."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from maca.audits.models import AuditFigures, CohortUnit
from maca.core.form_base import GovukForm
from maca.planning.services import BreakdownInput, FiguresInput, GradeInput

_COUNT_LINE = re.compile(r"^(?P<count>\d{1,7})\s+(?P<label>\S.{0,99})$")
_NUMBER = forms.TextInput(attrs={"inputmode": "numeric"})


def _count_line(number: int, line: str, example: str) -> tuple[int, str]:
    match = _COUNT_LINE.match(line)
    if not match:
        raise forms.ValidationError(
            f"Line {number} must be a number then what it counts, like '{example}'"
        )
    return int(match["count"]), match["label"].strip()


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, " ".join(line.split())) for n, line in enumerate(text.splitlines(), 1)]


class FiguresForm(GovukForm):
    cohort_count = forms.IntegerField(
        label="How many the audit looked at (optional)",
        required=False,
        min_value=1,
        max_value=10_000_000,
        widget=_NUMBER,
        help_text="Left blank when the audit has children's records here: the count is theirs.",
    )
    cohort_unit = forms.ChoiceField(
        label="What the audit counted",
        choices=CohortUnit.choices,
        initial=CohortUnit.CHILDREN,
        widget=forms.RadioSelect,
    )
    cohort_description = forms.CharField(
        label="What they were (optional)",
        required=False,
        max_length=200,
        help_text="Printed after the count, for example 'to the front door' in '60 referrals "
        "to the front door'.",
    )
    age_range = forms.CharField(
        label="Ages (optional)",
        required=False,
        max_length=100,
        help_text="As the audit gave them, printed after 'aged': for example 'under 2' or "
        "'14 to 17'.",
    )
    breakdowns = forms.CharField(
        label="Counts by characteristic (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One count a line, the number first: '9 boys'. A line ending in a colon, "
        "like 'Gender:', names the group of the counts under it.",
    )
    grades_of = forms.CharField(
        label="What was graded (optional)",
        required=False,
        max_length=200,
        help_text="For example 'the quality of practice' or 'the standard for strategy meetings'.",
    )
    grades_base = forms.IntegerField(
        label="How many were graded (optional)",
        required=False,
        min_value=1,
        max_value=10_000_000,
        widget=_NUMBER,
        help_text="The base of every percentage the brief prints.",
    )
    grades = forms.CharField(
        label="Grades (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One grade a line, the number first: '20 good', '43 met the standard'.",
    )
    merged_grades = forms.CharField(
        label="Grades reported together (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line: the name, a colon, then the grades it joins, for example "
        "'good or outstanding: outstanding, good'.",
    )

    @classmethod
    def initial_for(cls, figures: AuditFigures | None) -> dict[str, Any]:
        if figures is None:
            return {"cohort_unit": CohortUnit.CHILDREN}
        lines, group = [], ""
        for row in figures.breakdowns.all():
            if row.group != group:
                lines.append(f"{row.group}:")
                group = row.group
            lines.append(f"{row.count} {row.label}")
        merged: dict[str, list[str]] = {}
        for grade in figures.grades.all():
            if grade.merged_into:
                merged.setdefault(grade.merged_into, []).append(grade.label)
        return {
            "cohort_count": figures.cohort_count,
            "cohort_unit": figures.cohort_unit,
            "cohort_description": figures.cohort_description,
            "age_range": figures.age_range,
            "breakdowns": "\n".join(lines),
            "grades_of": figures.grades_of,
            "grades_base": figures.grades_base,
            "grades": "\n".join(f"{row.count} {row.label}" for row in figures.grades.all()),
            "merged_grades": "\n".join(
                f"{name}: {', '.join(labels)}" for name, labels in merged.items()
            ),
        }

    def clean_breakdowns(self) -> list[BreakdownInput]:
        rows, group = [], ""
        for number, line in _lines(self.cleaned_data["breakdowns"]):
            if not line:
                continue
            if line.endswith(":"):
                group = line[:-1].strip()[:100]
                continue
            count, label = _count_line(number, line, "9 boys")
            rows.append(BreakdownInput(group=group, label=label, count=count))
        return rows

    def clean_grades(self) -> list[tuple[int, str]]:
        return [
            _count_line(number, line, "20 good")
            for number, line in _lines(self.cleaned_data["grades"])
            if line
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        grades = cleaned.get("grades")
        if grades is None or "merged_grades" not in cleaned:
            return cleaned
        try:
            cleaned["grades"] = _with_merges(grades, cleaned["merged_grades"])
        except forms.ValidationError as error:
            self.add_error("merged_grades", error)
        return cleaned

    def to_input(self) -> FiguresInput:
        data = self.cleaned_data
        return FiguresInput(
            cohort_count=data["cohort_count"],
            cohort_unit=data["cohort_unit"],
            cohort_description=data["cohort_description"],
            age_range=data["age_range"],
            breakdowns=data["breakdowns"],
            grades_of=data["grades_of"],
            grades_base=data["grades_base"],
            grades=data["grades"],
        )


def _with_merges(grades: list[tuple[int, str]], text: str) -> list[GradeInput]:
    """Each grade with the name it is reported together under, if any."""
    by_label = {label.casefold(): label for _, label in grades}
    merged_into: dict[str, str] = {}
    for number, line in _lines(text):
        if not line:
            continue
        name, colon, joined = line.partition(":")
        parts = [part.strip() for part in joined.split(",") if part.strip()]
        if not colon or not name.strip() or len(parts) < 2:
            raise forms.ValidationError(
                f"Line {number} must be a name, a colon, then two or more grades, like "
                "'good or outstanding: outstanding, good'"
            )
        for part in parts:
            label = by_label.get(part.casefold())
            if label is None:
                raise forms.ValidationError(
                    f"Line {number} joins '{part}', which is not one of the grades above"
                )
            if label in merged_into:
                raise forms.ValidationError(
                    f"Line {number} joins '{part}', already reported with '{merged_into[label]}'"
                )
            merged_into[label] = name.strip()[:100]
    return [
        GradeInput(label=label, count=count, merged_into=merged_into.get(label, ""))
        for count, label in grades
    ]
