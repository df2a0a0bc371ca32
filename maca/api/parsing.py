"""A return as the API sends it (answers by question code, sections by order, grades by code)
turned into the `ReturnInput` the returns services save; every value that does not fit the
audit tool is reported with the place it was sent, e.g. `answers[3].option`."""

from __future__ import annotations

from typing import Any

from maca.audits.models import Question
from maca.returns.structure import (
    AnswerInput,
    Problem,
    QuestionItem,
    ReturnInput,
    ReturnStructure,
    SummaryInput,
)

K = Question.Kind
Errors = list[tuple[str, str]]

_VALUE_FIELD: dict[str, str] = {
    K.GRADED: "option",
    K.COMPLIANCE: "option",
    K.SINGLE_CHOICE: "option",
    K.MULTIPLE_CHOICE: "choices",
    K.DATE: "date_value",
    K.NUMBER: "number_value",
    K.TEXT: "text_value",
}
_EMPTY: dict[str, Any] = {
    "option": "",
    "choices": [],
    "date_value": None,
    "number_value": None,
    "text_value": "",
}


def _answer(item: QuestionItem, given: dict[str, Any], at: str, errors: Errors) -> AnswerInput:
    wanted = _VALUE_FIELD[item.kind]
    for name, empty in _EMPTY.items():
        if name != wanted and given.get(name, empty) not in (empty, None):
            errors.append(
                (
                    f"{at}.{name}",
                    f"{item.code} is a {Question.Kind(item.kind).label.lower()} question: "
                    f"give its answer in `{wanted}`",
                )
            )
    answer = AnswerInput(evidence=given.get("evidence", ""), reason=given.get("reason", ""))
    allowed = [option.value for option in item.options]
    if wanted == "option":
        option = given.get("option", "")
        if option and option not in allowed:
            errors.append((f"{at}.option", f"{item.code}: choose one of {', '.join(allowed)}"))
        else:
            answer.option = option
    elif wanted == "choices":
        chosen = list(given.get("choices") or [])
        unknown = [value for value in chosen if value not in allowed]
        if unknown:
            errors.append(
                (f"{at}.choices", f"{item.code}: {', '.join(unknown)} not among {allowed}")
            )
        answer.choices = tuple(value for value in allowed if value in chosen)
    elif wanted == "date_value":
        answer.date_value = given.get("date_value")
    elif wanted == "number_value":
        answer.number_value = given.get("number_value")
    else:
        answer.text_value = given.get("text_value", "")
    return answer


def return_input(structure: ReturnStructure, data: dict[str, Any]) -> tuple[ReturnInput, Errors]:
    """`data` is validated `ReturnWriteSerializer` data."""
    errors: Errors = []
    result = ReturnInput(
        **{  # type: ignore[arg-type]
            name: data.get(name, default)
            for name, default in (
                ("auditor_role", ""),
                ("period_reviewed", ""),
                ("records_examined", ""),
                ("auditor_was_involved", None),
                ("good_practice", ""),
                ("areas_for_development", ""),
                ("recommendations", ""),
                ("overall_reason", ""),
                ("immediate_concern", False),
            )
        }
    )
    overall = data.get("overall_grade", "")
    if overall and structure.overall_option(overall) is None:
        codes = ", ".join(option.value for option in structure.overall_options) or "none"
        errors.append(("overall_grade", f"Choose one of the overall grades: {codes}"))
    else:
        result.overall_grade = overall

    items = {item.code: item for item in structure.questions}
    seen: set[str] = set()
    for index, given in enumerate(data.get("answers", [])):
        at = f"answers[{index}]"
        code = given["question"]
        item = items.get(code)
        if item is None:
            errors.append((f"{at}.question", f"There is no question {code} in this return's tool"))
            continue
        if code in seen:
            errors.append((f"{at}.question", f"{code} is answered more than once"))
            continue
        seen.add(code)
        answer = _answer(item, given, at, errors)
        if not answer.is_blank():
            result.answers[item.question.pk] = answer

    sections = {section.section.order: section for section in structure.sections}
    seen_sections: set[int] = set()
    for index, given in enumerate(data.get("sections", [])):
        at = f"sections[{index}]"
        order = given["section"]
        section = sections.get(order)
        if section is None:
            errors.append((f"{at}.section", f"There is no section {order} in this return's tool"))
            continue
        if order in seen_sections:
            errors.append((f"{at}.section", f"Section {order} is given more than once"))
            continue
        seen_sections.add(order)
        grade = given.get("grade", "")
        if grade and not any(option.value == grade for option in section.grade_options):
            codes = ", ".join(option.value for option in section.grade_options) or "none"
            errors.append((f"{at}.grade", f"Section {order}: choose one of the grades {codes}"))
            grade = ""
        summary = SummaryInput(
            good_practice=given.get("good_practice", ""),
            areas_for_development=given.get("areas_for_development", ""),
            recommendations=given.get("recommendations", ""),
            grade=grade,
            grade_reason=given.get("grade_reason", ""),
        )
        if not summary.is_blank():
            result.summaries[section.section.pk] = summary
    return result, errors


def problem_fields(structure: ReturnStructure, problems: list[Problem]) -> Errors:
    """What a return lacks before submitting, each named by where it goes in the body."""
    questions = {item.key: item for item in structure.questions}
    sections = {section.key: section for section in structure.sections}
    pairs = []
    for problem in problems:
        key = problem.key
        base, _, rest = key.partition("_")
        if base in questions:
            field = f"answers[question={questions[base].code}]" + (f".{rest}" if rest else "")
        elif base in sections:
            field = f"sections[section={sections[base].section.order}]" + (
                f".{rest}" if rest else ""
            )
        else:
            field = key
        pairs.append((field, problem.message))
    return pairs
