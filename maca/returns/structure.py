"""A return's shape and its values, independent of where the values come from.

`ReturnStructure` is the audit tool as one agency sees it: the sections and the questions that
apply to the agency, each with the answers it allows. `ReturnInput` is one set of values for
it, whether typed in the browser, read from an uploaded workbook or loaded from the database.
The checks a return must pass before it is submitted live here, so the web form and the
workbook refuse the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from maca.accounts.models import Agency
from maca.audits.models import (
    AgencyReturn,
    Answer,
    GradeLevel,
    GradingScale,
    Question,
    SectionSummary,
    ToolSection,
    ToolVersion,
)

K = Question.Kind
COMPLIANCE_SCALE = "ynpna"  # used for a compliance question whose tool gave no scale
TEXT_LIMIT = 20_000
SHORT_TEXT_LIMIT = 200

# --- The shape ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    level: GradeLevel | None = None


@dataclass(frozen=True)
class QuestionItem:
    question: Question
    options: tuple[Option, ...] = ()

    @property
    def key(self) -> str:
        return f"q{self.question.pk}"

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def label(self) -> str:
        return f"{self.question.code} {self.question.text}"

    @property
    def has_options(self) -> bool:
        return self.kind in {K.GRADED, K.COMPLIANCE, K.SINGLE_CHOICE, K.MULTIPLE_CHOICE}

    @property
    def uses_scale(self) -> bool:
        return self.kind in {K.GRADED, K.COMPLIANCE}

    @property
    def shows_evidence(self) -> bool:
        return self.kind != K.TEXT

    @property
    def needs_reason(self) -> bool:
        return self.kind == K.GRADED or self.question.requires_reason

    @property
    def shows_reason(self) -> bool:
        # Compliance answers carry a reason for N/A or Partial; graded ones must have one.
        return self.needs_reason or self.kind == K.COMPLIANCE

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    def option_by_label(self, label: str) -> Option | None:
        wanted = label.strip().casefold()
        return next(
            (
                option
                for option in self.options
                if option.label.casefold() == wanted or option.value.casefold() == wanted
            ),
            None,
        )


@dataclass(frozen=True)
class SectionItem:
    section: ToolSection
    questions: tuple[QuestionItem, ...]
    grade_options: tuple[Option, ...] = ()

    @property
    def key(self) -> str:
        return f"s{self.section.pk}"

    @property
    def label(self) -> str:
        return f"Section {self.section.order} {self.section.title}"

    @property
    def is_graded(self) -> bool:
        return bool(self.grade_options)


@dataclass(frozen=True)
class ReturnStructure:
    sections: tuple[SectionItem, ...]
    overall_options: tuple[Option, ...]
    version: ToolVersion | None = None

    @property
    def questions(self) -> list[QuestionItem]:
        return [item for section in self.sections for item in section.questions]

    def overall_option(self, value: str) -> Option | None:
        return next((o for o in self.overall_options if o.value == value), None)


def _level_options(levels: list[GradeLevel]) -> tuple[Option, ...]:
    return tuple(Option(level.code, level.label, level) for level in levels)


def build_structure(
    version: ToolVersion | None, agency: Agency, overall_scale: GradingScale | None
) -> ReturnStructure:
    """The tool as `agency` sees it, in four queries however many questions it has."""
    levels_by_scale: dict[int, list[GradeLevel]] = defaultdict(list)
    compliance_scale_id = None
    for level in GradeLevel.objects.select_related("scale").order_by("scale_id", "value"):
        levels_by_scale[level.scale_id].append(level)
        if level.scale.slug == COMPLIANCE_SCALE:
            compliance_scale_id = level.scale_id
    if version is None:
        return ReturnStructure((), _overall(levels_by_scale, overall_scale), None)
    sections = ToolSection.objects.filter(version=version).prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("order").prefetch_related("applies_to_agencies"),
        )
    )
    items = []
    for section in sections.order_by("order"):
        questions = []
        for question in section.questions.all():
            if not question.applies_to(agency):
                continue
            questions.append(
                QuestionItem(
                    question,
                    question_options(
                        question, section, levels_by_scale, compliance_scale_id, overall_scale
                    ),
                )
            )
        if not questions:
            continue
        grade_options = (
            _level_options(levels_by_scale[section.grading_scale_id])
            if section.grading_scale_id
            else ()
        )
        items.append(SectionItem(section, tuple(questions), grade_options))
    return ReturnStructure(tuple(items), _overall(levels_by_scale, overall_scale), version)


def _overall(
    levels_by_scale: dict[int, list[GradeLevel]], scale: GradingScale | None
) -> tuple[Option, ...]:
    return _level_options(levels_by_scale[scale.pk]) if scale else ()


def question_options(
    question: Question,
    section: ToolSection,
    levels_by_scale: dict[int, list[GradeLevel]],
    compliance_scale_id: int | None,
    overall_scale: GradingScale | None,
) -> tuple[Option, ...]:
    """The answers a question offers, each with its grade level where it has one: the
    structure of a return, and the API's description of a tool, both list them."""
    if question.kind in {K.SINGLE_CHOICE, K.MULTIPLE_CHOICE}:
        return tuple(Option(str(choice), str(choice)) for choice in question.choices or [])
    if question.kind == K.COMPLIANCE:
        scale_id = question.scale_id or compliance_scale_id
    elif question.kind == K.GRADED:
        scale_id = (
            question.scale_id
            or section.grading_scale_id
            or (overall_scale.pk if overall_scale else None)
        )
    else:
        return ()
    return _level_options(levels_by_scale[scale_id]) if scale_id else ()


# --- The values -----------------------------------------------------------------------------


@dataclass
class AnswerInput:
    option: str = ""  # a level code (graded, compliance) or the choice (single choice)
    choices: tuple[str, ...] = ()
    date_value: dt.date | None = None
    number_value: Decimal | None = None
    text_value: str = ""
    evidence: str = ""
    reason: str = ""

    def has_answer(self, kind: str) -> bool:
        if kind == K.MULTIPLE_CHOICE:
            return bool(self.choices)
        if kind == K.DATE:
            return self.date_value is not None
        if kind == K.NUMBER:
            return self.number_value is not None
        if kind == K.TEXT:
            return bool(self.text_value.strip())
        return bool(self.option)

    def is_blank(self) -> bool:
        return not (
            self.option
            or self.choices
            or self.date_value
            or self.number_value is not None
            or self.text_value
            or self.evidence
            or self.reason
        )


@dataclass
class SummaryInput:
    good_practice: str = ""
    areas_for_development: str = ""
    recommendations: str = ""
    grade: str = ""
    grade_reason: str = ""

    def is_blank(self) -> bool:
        return not any(
            (
                self.good_practice,
                self.areas_for_development,
                self.recommendations,
                self.grade,
                self.grade_reason,
            )
        )


HEADER_FIELDS = ("auditor_role", "period_reviewed", "records_examined")
OVERALL_TEXT_FIELDS = ("good_practice", "areas_for_development", "recommendations")
SUMMARY_TEXT_FIELDS = ("good_practice", "areas_for_development", "recommendations")

FIELD_LABELS = {
    "auditor_role": "Your role",
    "period_reviewed": "Period reviewed",
    "records_examined": "Records examined",
    "auditor_was_involved": "Did you work with the child yourself?",
    "good_practice": "Good practice",
    "areas_for_development": "Areas for development",
    "recommendations": "Recommendations",
    "overall_grade": "Overall grade",
    "overall_reason": "Reason for the overall grade",
    "immediate_concern": "Immediate concern",
    "grade": "Section grade",
    "grade_reason": "Reason for the section grade",
}


@dataclass
class ReturnInput:
    auditor_role: str = ""
    period_reviewed: str = ""
    records_examined: str = ""
    auditor_was_involved: bool | None = None  # None: not answered yet
    good_practice: str = ""
    areas_for_development: str = ""
    recommendations: str = ""
    overall_grade: str = ""
    overall_reason: str = ""
    immediate_concern: bool = False
    answers: dict[int, AnswerInput] = field(default_factory=dict)
    summaries: dict[int, SummaryInput] = field(default_factory=dict)

    def answer(self, question_id: int) -> AnswerInput:
        return self.answers.get(question_id) or AnswerInput()

    def summary(self, section_id: int) -> SummaryInput:
        return self.summaries.get(section_id) or SummaryInput()


def input_from_saved(
    structure: ReturnStructure,
    agency_return: AgencyReturn | None,
    answers: list[Answer],
    summaries: list[SectionSummary],
) -> ReturnInput:
    """The values as stored. Grades become level codes, the way the form and workbook hold
    them; load answers and summaries with their grade, and the return with its overall grade."""
    if agency_return is None:
        return ReturnInput()
    data = ReturnInput(
        auditor_role=agency_return.auditor_role,
        period_reviewed=agency_return.period_reviewed,
        records_examined=agency_return.records_examined,
        auditor_was_involved=agency_return.auditor_was_involved,
        good_practice=agency_return.good_practice,
        areas_for_development=agency_return.areas_for_development,
        recommendations=agency_return.recommendations,
        overall_grade=agency_return.overall_grade.code if agency_return.overall_grade else "",
        overall_reason=agency_return.overall_reason,
        immediate_concern=agency_return.immediate_concern,
    )
    for answer in answers:
        choices = tuple(str(choice) for choice in answer.choices or [])
        data.answers[answer.question_id] = AnswerInput(
            option=answer.grade.code if answer.grade else "",
            choices=choices,
            date_value=answer.date_value,
            number_value=answer.number_value,
            text_value=answer.text_value,
            evidence=answer.evidence,
            reason=answer.reason,
        )
    _single_choice_in_option(structure, data)
    for summary in summaries:
        data.summaries[summary.section_id] = SummaryInput(
            good_practice=summary.good_practice,
            areas_for_development=summary.areas_for_development,
            recommendations=summary.recommendations,
            grade=summary.grade.code if summary.grade else "",
            grade_reason=summary.grade_reason,
        )
    return data


def _single_choice_in_option(structure: ReturnStructure, data: ReturnInput) -> None:
    """Single-choice answers are stored in `choices`; the form holds them in `option`."""
    for item in structure.questions:
        if item.kind == K.SINGLE_CHOICE and item.question.pk in data.answers:
            answer = data.answers[item.question.pk]
            if not answer.option and answer.choices:
                answer.option = answer.choices[0]
                answer.choices = ()


# --- Checks before submitting ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    key: str  # the field it is about, e.g. "q12", "q12_reason", "s3_grade", "overall_grade"
    message: str


MISSING_ANSWER: dict[str, str] = {
    K.GRADED: "choose an answer",
    K.COMPLIANCE: "choose an answer",
    K.SINGLE_CHOICE: "choose an answer",
    K.MULTIPLE_CHOICE: "choose at least one answer",
    K.DATE: "enter a date",
    K.NUMBER: "enter a number",
    K.TEXT: "enter an answer",
}


def problems_for_submit(structure: ReturnStructure, data: ReturnInput) -> list[Problem]:
    """Everything a return lacks before it can be submitted, in the order of the form."""
    problems = [
        Problem(name, f"{FIELD_LABELS[name]}: enter {FIELD_LABELS[name].lower()}")
        for name in HEADER_FIELDS
        if not getattr(data, name).strip()
    ]
    if data.auditor_was_involved is None:
        label = FIELD_LABELS["auditor_was_involved"]
        problems.append(Problem("auditor_was_involved", f"{label.rstrip('?')}: choose yes or no"))
    for section in structure.sections:
        not_applicable_only = True
        for item in section.questions:
            answer = data.answer(item.question.pk)
            if not answer.has_answer(item.kind):
                problems.append(Problem(item.key, f"{item.label}: {MISSING_ANSWER[item.kind]}"))
                not_applicable_only = False
                continue
            option = item.option(answer.option) if item.uses_scale else None
            is_na = bool(option and option.level and option.level.outcome == "not_applicable")
            not_applicable_only = not_applicable_only and is_na
            if item.needs_reason and not answer.reason.strip():
                what = "the grade" if item.kind == K.GRADED else "the answer"
                problems.append(
                    Problem(f"{item.key}_reason", f"{item.code}: give a reason for {what}")
                )
        if section.is_graded and not not_applicable_only:
            summary = data.summary(section.section.pk)
            if not summary.grade:
                problems.append(
                    Problem(f"{section.key}_grade", f"{section.label}: choose a section grade")
                )
            if not summary.grade_reason.strip():
                problems.append(
                    Problem(
                        f"{section.key}_grade_reason",
                        f"{section.label}: give a reason for the section grade",
                    )
                )
    if structure.overall_options:
        if not data.overall_grade:
            problems.append(Problem("overall_grade", "Overall grade: choose a grade"))
        if not data.overall_reason.strip():
            problems.append(Problem("overall_reason", "Overall grade: give a reason for the grade"))
    return problems


# --- Showing values -------------------------------------------------------------------------


def display_answer(item: QuestionItem, answer: AnswerInput) -> str:
    """An answer as a person reads it: 'Partial', '3 March 2026', 'A; B'."""
    if item.kind == K.MULTIPLE_CHOICE:
        return "; ".join(answer.choices)
    if item.kind == K.DATE:
        return f"{answer.date_value.day} {answer.date_value:%B %Y}" if answer.date_value else ""
    if item.kind == K.NUMBER:
        return "" if answer.number_value is None else format_number(answer.number_value)
    if item.kind == K.TEXT:
        return answer.text_value
    option = item.option(answer.option)
    return option.label if option else answer.option


def format_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def grade_label(options: tuple[Option, ...], code: str) -> str:
    option = next((o for o in options if o.value == code), None)
    return option.label if option else code
