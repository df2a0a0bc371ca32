"""The return form: reading what was posted, and describing each field for the templates.

The return's questions come from the audit tool, so the form is built from a `ReturnStructure`
rather than declared as a Django form. `parse_return_post` turns the posted values into a
`ReturnInput` and reports input that cannot be read (a date that does not exist, a number that
is not one, an answer that is not on the list); what a return must have before it is submitted
is checked in `structure.problems_for_submit`. The small forms (send back, escalations) are
ordinary Django forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import QueryDict

from maca.audits.models import Escalation, Question
from maca.returns.structure import (
    FIELD_LABELS,
    HEADER_FIELDS,
    OVERALL_TEXT_FIELDS,
    SHORT_TEXT_LIMIT,
    SUMMARY_TEXT_FIELDS,
    TEXT_LIMIT,
    AnswerInput,
    Option,
    QuestionItem,
    ReturnInput,
    ReturnStructure,
    SectionItem,
    SummaryInput,
    display_answer,
    format_number,
    grade_label,
)

KIND = Question.Kind
NUMBER_LIMIT = Decimal("9999999999.99")

Raw = dict[str, Any]


# --- Reading the post -----------------------------------------------------------------------


YES_NO_ANSWERS = {"yes": True, "no": False}


def yes_no_text(value: bool | None, yes: str, no: str) -> str:
    """An answer that may not be given yet, as text: empty when it is not."""
    return "" if value is None else yes if value else no


def raw_from_post(structure: ReturnStructure, data: QueryDict) -> Raw:
    """The posted values the form knows about, as typed (lists for checkboxes)."""
    raw: Raw = {name: data.get(name, "") for name in _flat_names(structure)}
    for item in structure.questions:
        if item.kind == KIND.MULTIPLE_CHOICE:
            raw[item.key] = data.getlist(item.key)
    return raw


def _flat_names(structure: ReturnStructure) -> list[str]:
    names = [*HEADER_NAMES, *OVERALL_NAMES]
    for section in structure.sections:
        names += section_names(section)
    return names


HEADER_NAMES = (*HEADER_FIELDS, "auditor_was_involved")
OVERALL_NAMES = (*OVERALL_TEXT_FIELDS, "overall_grade", "overall_reason", "immediate_concern")


def section_names(section: SectionItem) -> list[str]:
    """The form fields of one section: its questions' answers, evidence and reasons, then its
    summary and grade."""
    names = []
    for item in section.questions:
        names += [item.key, f"{item.key}_evidence", f"{item.key}_reason"]
        if item.kind == KIND.DATE:
            names += [f"{item.key}-day", f"{item.key}-month", f"{item.key}-year"]
    return names + [
        f"{section.key}_{name}" for name in (*SUMMARY_TEXT_FIELDS, "grade", "grade_reason")
    ]


def parse_raw(structure: ReturnStructure, raw: Raw) -> tuple[ReturnInput, dict[str, str]]:
    """Turn raw values into a `ReturnInput`; errors map a field's key to what is wrong."""
    errors: dict[str, str] = {}

    def text(name: str, label: str, limit: int = TEXT_LIMIT) -> str:
        value = str(raw.get(name) or "").replace("\r\n", "\n").strip()
        if len(value) > limit:
            errors[name] = f"{label}: must be {limit:,} characters or fewer"
        return value

    data = ReturnInput(
        auditor_role=text("auditor_role", FIELD_LABELS["auditor_role"], SHORT_TEXT_LIMIT),
        period_reviewed=text("period_reviewed", FIELD_LABELS["period_reviewed"], SHORT_TEXT_LIMIT),
        records_examined=text("records_examined", FIELD_LABELS["records_examined"]),
        auditor_was_involved=YES_NO_ANSWERS.get(str(raw.get("auditor_was_involved") or "")),
        good_practice=text("good_practice", "Good practice"),
        areas_for_development=text("areas_for_development", "Areas for development"),
        recommendations=text("recommendations", "Recommendations"),
        overall_reason=text("overall_reason", FIELD_LABELS["overall_reason"]),
        immediate_concern=raw.get("immediate_concern") == "yes",
    )
    overall = str(raw.get("overall_grade") or "")
    if overall and structure.overall_option(overall) is None:
        errors["overall_grade"] = "Overall grade: choose one of the grades listed"
    data.overall_grade = overall if "overall_grade" not in errors else ""
    for section in structure.sections:
        for item in section.questions:
            answer, message = _parse_answer(item, raw)
            answer.evidence = text(f"{item.key}_evidence", f"{item.code} evidence")
            answer.reason = text(f"{item.key}_reason", f"{item.code} reason")
            if message:
                errors[item.key] = message
            if not answer.is_blank():
                data.answers[item.question.pk] = answer
        summary = SummaryInput(
            **{
                name: text(f"{section.key}_{name}", f"{section.label} {name.replace('_', ' ')}")
                for name in (*SUMMARY_TEXT_FIELDS, "grade_reason")
            }
        )
        grade = str(raw.get(f"{section.key}_grade") or "")
        if grade and not any(option.value == grade for option in section.grade_options):
            errors[f"{section.key}_grade"] = f"{section.label}: choose one of the grades listed"
        else:
            summary.grade = grade
        if not summary.is_blank():
            data.summaries[section.section.pk] = summary
    return data, errors


def _parse_answer(item: QuestionItem, raw: Raw) -> tuple[AnswerInput, str]:
    answer = AnswerInput()
    kind = item.kind
    if kind == KIND.MULTIPLE_CHOICE:
        chosen = [str(value) for value in raw.get(item.key) or []]
        allowed = {option.value for option in item.options}
        if any(value not in allowed for value in chosen):
            return answer, f"{item.code}: choose from the answers listed"
        # Kept in the tool's order, so the same answer always reads the same.
        answer.choices = tuple(o.value for o in item.options if o.value in chosen)
        return answer, ""
    if kind == KIND.DATE:
        return _parse_date(item, raw)
    value = str(raw.get(item.key) or "").strip()
    if kind == KIND.NUMBER:
        if not value:
            return answer, ""
        number = parse_number(value)
        if number is None:
            return answer, f"{item.code}: enter a number, like 3 or 2.5"
        answer.number_value = number
        return answer, ""
    if kind == KIND.TEXT:
        answer.text_value = value.replace("\r\n", "\n")
        if len(answer.text_value) > TEXT_LIMIT:
            return answer, f"{item.code}: must be {TEXT_LIMIT:,} characters or fewer"
        return answer, ""
    if value and item.option(value) is None:
        return answer, f"{item.code}: choose one of the answers listed"
    answer.option = value
    return answer, ""


def parse_number(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > NUMBER_LIMIT:
        return None
    return number.quantize(Decimal("0.01")).normalize() if number % 1 else number.quantize(1)


def _parse_date(item: QuestionItem, raw: Raw) -> tuple[AnswerInput, str]:
    answer = AnswerInput()
    parts = [str(raw.get(f"{item.key}-{part}") or "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return answer, ""
    if not all(parts):
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        return answer, f"{item.code}: the date must include a {' and a '.join(missing)}"
    try:
        day, month, year = (int(part) for part in parts)
        if year < 1900 or year > 2100:
            raise ValueError
        answer.date_value = dt.date(year, month, day)
    except ValueError:
        return answer, f"{item.code}: enter a real date, for example 27 3 2026"
    return answer, ""


# --- Describing the fields for the templates ------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool
    hint: str = ""


@dataclass
class FieldView:
    """One field of the return form, ready to render (templates/govuk/fieldview/)."""

    widget: str  # radios, checkboxes, textarea, input, date, checkbox
    name: str
    id: str
    label: str
    hint: str = ""
    error: str = ""
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    inline: bool = False
    rows: int = 3
    legend_class: str = "govuk-fieldset__legend--s"
    label_class: str = ""
    input_class: str = ""
    day: str = ""
    month: str = ""
    year: str = ""
    saved: str = ""  # what the saved version holds, shown when someone else saved in between
    input_mode: str = ""
    legend: str = ""  # a single checkbox's question, when it has one
    autocomplete: str = ""

    @property
    def describedby(self) -> str:
        parts = []
        if self.hint:
            parts.append(f"{self.id}-hint")
        if self.error:
            parts.append(f"{self.id}-error")
        if self.saved:
            parts.append(f"{self.id}-saved")
        return " ".join(parts)

    @property
    def anchor(self) -> str:
        return f"{self.id}-day" if self.widget == "date" else self.id


@dataclass
class QuestionView:
    item: QuestionItem
    answer: FieldView
    evidence: FieldView | None
    reason: FieldView | None
    standard: str


@dataclass
class SectionView:
    item: SectionItem
    questions: list[QuestionView]
    summary: list[FieldView]
    grade: FieldView | None
    grade_reason: FieldView | None


@dataclass
class ReturnFormView:
    header: list[FieldView]
    sections: list[SectionView]
    overall: list[FieldView]
    error_list: list[tuple[str, str]]  # (anchor id, message), in the order of the form


def _choices(key: str, options: tuple[Option, ...], selected: set[str]) -> list[Choice]:
    return [
        Choice(
            value=option.value,
            label=option.label,
            id=key if index == 0 else f"{key}-{index + 1}",
            checked=option.value in selected,
            hint=option.level.description if option.level and option.level.description else "",
        )
        for index, option in enumerate(options)
    ]


def _textarea(name: str, label: str, raw: Raw, errors: dict[str, str], **extra: Any) -> FieldView:
    return FieldView(
        widget="textarea",
        name=name,
        id=name,
        label=label,
        value=str(raw.get(name) or ""),
        error=errors.get(name, ""),
        **extra,
    )


def raw_from_input(structure: ReturnStructure, data: ReturnInput) -> Raw:
    """A `ReturnInput` as the form holds it."""
    raw: Raw = {name: getattr(data, name) for name in (*HEADER_FIELDS, *OVERALL_TEXT_FIELDS)}
    raw["auditor_was_involved"] = yes_no_text(data.auditor_was_involved, "yes", "no")
    raw["overall_grade"] = data.overall_grade
    raw["overall_reason"] = data.overall_reason
    raw["immediate_concern"] = "yes" if data.immediate_concern else ""
    for section in structure.sections:
        for item in section.questions:
            answer = data.answer(item.question.pk)
            key = item.key
            raw[f"{key}_evidence"] = answer.evidence
            raw[f"{key}_reason"] = answer.reason
            if item.kind == KIND.MULTIPLE_CHOICE:
                raw[key] = list(answer.choices)
            elif item.kind == KIND.DATE:
                value = answer.date_value
                raw[f"{key}-day"] = str(value.day) if value else ""
                raw[f"{key}-month"] = str(value.month) if value else ""
                raw[f"{key}-year"] = str(value.year) if value else ""
            elif item.kind == KIND.NUMBER:
                raw[key] = "" if answer.number_value is None else format_number(answer.number_value)
            elif item.kind == KIND.TEXT:
                raw[key] = answer.text_value
            else:
                raw[key] = answer.option
        summary = data.summary(section.section.pk)
        for name in (*SUMMARY_TEXT_FIELDS, "grade", "grade_reason"):
            raw[f"{section.key}_{name}"] = getattr(summary, name)
    return raw


def build_form_view(
    structure: ReturnStructure,
    raw: Raw,
    errors: dict[str, str],
    *,
    saved: ReturnInput | None = None,
    mine: ReturnInput | None = None,
) -> ReturnFormView:
    """Every field of the return with its value and any error. With `saved` and `mine`, each
    field whose saved value differs from the person's own shows the saved one too."""
    header = _header_views(raw, errors)
    sections = [_section_view(section, raw, errors) for section in structure.sections]
    overall = _overall_views(structure, raw, errors)
    if saved is not None and mine is not None:
        for section_view in sections:
            _mark_section_saved(section_view, saved, mine)
        _mark_overall_saved(structure, overall, saved, mine)
        _mark_header_saved(header, saved, mine)
    return ReturnFormView(header, sections, overall, _error_anchors(header, sections, overall))


def _error_anchors(
    header: list[FieldView], sections: list[SectionView], overall: list[FieldView]
) -> list[tuple[str, str]]:
    """Each field's error as (anchor id, message), in the order the fields are on the form."""
    views: list[FieldView | None] = [*header]
    for section in sections:
        for question in section.questions:
            views += [question.answer, question.evidence, question.reason]
        views += [*section.summary, section.grade, section.grade_reason]
    views += overall
    return [(view.anchor, view.error) for view in views if view is not None and view.error]


def _header_views(raw: Raw, errors: dict[str, str]) -> list[FieldView]:
    """About this return: who audited which records, for what period."""
    return [
        FieldView(
            widget="input",
            name="auditor_role",
            id="auditor_role",
            label=FIELD_LABELS["auditor_role"],
            hint="Your job title, for example 'Named nurse for safeguarding'.",
            value=str(raw.get("auditor_role") or ""),
            error=errors.get("auditor_role", ""),
        ),
        FieldView(
            widget="input",
            name="period_reviewed",
            id="period_reviewed",
            label=FIELD_LABELS["period_reviewed"],
            hint="For example '1 March 2025 to 28 February 2026'.",
            value=str(raw.get("period_reviewed") or ""),
            error=errors.get("period_reviewed", ""),
        ),
        _textarea(
            "records_examined",
            FIELD_LABELS["records_examined"],
            raw,
            errors,
            hint="Which of your agency's records you looked at.",
        ),
        FieldView(
            widget="radios",
            name="auditor_was_involved",
            id="auditor_was_involved",
            label=FIELD_LABELS["auditor_was_involved"],
            hint="An auditor should not audit their own work with the child.",
            choices=_choices(
                "auditor_was_involved",
                (Option("yes", "Yes"), Option("no", "No")),
                # Nothing chosen until the auditor answers: a default would answer for them.
                {str(raw.get("auditor_was_involved") or "")},
            ),
            inline=True,
            error=errors.get("auditor_was_involved", ""),
        ),
    ]


def _question_view(item: QuestionItem, raw: Raw, errors: dict[str, str]) -> QuestionView:
    """One question: its answer, and its evidence and reason where the tool asks for them."""
    evidence = (
        _textarea(
            f"{item.key}_evidence",
            f"Evidence for {item.code}",
            raw,
            errors,
            hint="What in your records shows this, with dates.",
            label_class="govuk-label--s",
        )
        if item.shows_evidence
        else None
    )
    reason = (
        _textarea(
            f"{item.key}_reason",
            f"Reason for {item.code}" + ("" if item.needs_reason else " (if N/A or Partial)"),
            raw,
            errors,
            label_class="govuk-label--s",
            rows=2,
        )
        if item.shows_reason
        else None
    )
    answer = _answer_view(item, raw, errors)
    return QuestionView(item, answer, evidence, reason, item.question.standard)


def _section_view(section: SectionItem, raw: Raw, errors: dict[str, str]) -> SectionView:
    """One section: its questions, then its summary and, when it is graded, its grade."""
    questions = [_question_view(item, raw, errors) for item in section.questions]
    summary = [
        _textarea(
            f"{section.key}_{name}",
            f"{FIELD_LABELS[name]} in section {section.section.order}",
            raw,
            errors,
            label_class="govuk-label--s",
        )
        for name in SUMMARY_TEXT_FIELDS
    ]
    if not section.is_graded:
        return SectionView(section, questions, summary, None, None)
    grade = FieldView(
        widget="radios",
        name=f"{section.key}_grade",
        id=f"{section.key}_grade",
        label=f"Grade for section {section.section.order}, {section.section.title}",
        choices=_choices(
            f"{section.key}_grade",
            section.grade_options,
            {str(raw.get(f"{section.key}_grade") or "")},
        ),
        error=errors.get(f"{section.key}_grade", ""),
    )
    grade_reason = _textarea(
        f"{section.key}_grade_reason",
        f"Reason for the grade for section {section.section.order}",
        raw,
        errors,
        label_class="govuk-label--s",
    )
    return SectionView(section, questions, summary, grade, grade_reason)


IMMEDIATE_CONCERN_LABEL = "I have an immediate concern about this child's safety now"


def _overall_views(structure: ReturnStructure, raw: Raw, errors: dict[str, str]) -> list[FieldView]:
    """The return's summary: what went well and what to develop, the overall grade when the
    tool has one, and the immediate concern."""
    overall = [
        _textarea(name, FIELD_LABELS[name], raw, errors, rows=5) for name in OVERALL_TEXT_FIELDS
    ]
    if structure.overall_options:
        overall.append(
            FieldView(
                widget="radios",
                name="overall_grade",
                id="overall_grade",
                label="Overall grade for your agency's work with the child",
                legend_class="govuk-fieldset__legend--m",
                choices=_choices(
                    "overall_grade",
                    structure.overall_options,
                    {str(raw.get("overall_grade") or "")},
                ),
                error=errors.get("overall_grade", ""),
            )
        )
        overall.append(
            _textarea("overall_reason", FIELD_LABELS["overall_reason"], raw, errors, rows=4)
        )
    overall.append(
        FieldView(
            widget="checkbox",
            name="immediate_concern",
            id="immediate_concern",
            legend="Immediate concern",
            label=IMMEDIATE_CONCERN_LABEL,
            hint="Tick this and raise an escalation at once: it goes to the agency that can act "
            "and to the audit's coordinator. Do not wait for the panel.",
            value="yes",
            choices=[
                Choice(
                    "yes",
                    IMMEDIATE_CONCERN_LABEL,
                    "immediate_concern",
                    raw.get("immediate_concern") == "yes",
                )
            ],
        )
    )
    return overall


def _mark_section_saved(view: SectionView, saved: ReturnInput, mine: ReturnInput) -> None:
    """Show the saved value beside each field of a section whose saved value differs from the
    person's own."""
    section = view.item
    for question in view.questions:
        _mark_saved(question.item, question.answer, question.evidence, question.reason, saved, mine)
    old, new = saved.summary(section.section.pk), mine.summary(section.section.pk)
    for summary_view, name in zip(view.summary, SUMMARY_TEXT_FIELDS, strict=True):
        if getattr(old, name) != getattr(new, name):
            summary_view.saved = getattr(old, name) or "(empty)"
    if view.grade is not None and old.grade != new.grade:
        view.grade.saved = grade_label(section.grade_options, old.grade) or "(no grade)"
    if view.grade_reason is not None and old.grade_reason != new.grade_reason:
        view.grade_reason.saved = old.grade_reason or "(empty)"


def _mark_overall_saved(
    structure: ReturnStructure, overall: list[FieldView], saved: ReturnInput, mine: ReturnInput
) -> None:
    for view in overall:
        name = view.name
        old_value = getattr(saved, name, None)
        new_value = getattr(mine, name, None)
        if old_value != new_value:
            if name == "overall_grade":
                view.saved = grade_label(structure.overall_options, saved.overall_grade)
            elif isinstance(old_value, bool):
                view.saved = "Ticked" if old_value else "Not ticked"
            else:
                view.saved = str(old_value or "") or "(empty)"


def _mark_header_saved(header: list[FieldView], saved: ReturnInput, mine: ReturnInput) -> None:
    for view in header:
        old_value = getattr(saved, view.name)
        if old_value != getattr(mine, view.name):
            view.saved = (
                ("Yes" if old_value else "No") if isinstance(old_value, bool) else old_value
            ) or "(empty)"


def _mark_saved(
    item: QuestionItem,
    answer_view: FieldView,
    evidence: FieldView | None,
    reason: FieldView | None,
    saved: ReturnInput,
    mine: ReturnInput,
) -> None:
    old, new = saved.answer(item.question.pk), mine.answer(item.question.pk)
    old_text, new_text = display_answer(item, old), display_answer(item, new)
    if old_text != new_text:
        answer_view.saved = old_text or "(no answer)"
    if evidence is not None and old.evidence != new.evidence:
        evidence.saved = old.evidence or "(empty)"
    if reason is not None and old.reason != new.reason:
        reason.saved = old.reason or "(empty)"


def _answer_view(item: QuestionItem, raw: Raw, errors: dict[str, str]) -> FieldView:
    key = item.key
    question = item.question
    hint = " ".join(
        part
        for part in (
            question.help_text,
            f"Standard: {question.standard}." if question.standard else "",
        )
        if part
    )
    common: dict[str, Any] = {
        "name": key,
        "id": key,
        "label": item.label,
        "hint": hint,
        "error": errors.get(key, ""),
    }
    if item.kind == KIND.MULTIPLE_CHOICE:
        selected = {str(value) for value in raw.get(key) or []}
        hint = (hint + " " if hint else "") + "Select all that apply."
        return FieldView(
            widget="checkboxes",
            **{**common, "hint": hint},
            choices=_choices(key, item.options, selected),
        )
    if item.kind in {KIND.GRADED, KIND.COMPLIANCE, KIND.SINGLE_CHOICE}:
        selected = {str(raw.get(key) or "")}
        choices = _choices(key, item.options, selected)
        inline = len(item.options) > 6 or all(len(o.label) <= 8 for o in item.options)
        if len(item.options) > 6:
            for choice in choices:
                choice.hint = ""  # a 0–10 scale reads as one row of numbers
        return FieldView(widget="radios", **common, choices=choices, inline=inline)
    if item.kind == KIND.DATE:
        return FieldView(
            widget="date",
            **{**common, "hint": (hint + " " if hint else "") + "For example, 27 3 2026"},
            day=str(raw.get(f"{key}-day") or ""),
            month=str(raw.get(f"{key}-month") or ""),
            year=str(raw.get(f"{key}-year") or ""),
        )
    if item.kind == KIND.NUMBER:
        return FieldView(
            widget="input",
            **common,
            value=str(raw.get(key) or ""),
            input_class="govuk-input--width-10",
            input_mode="decimal",
        )
    return FieldView(widget="textarea", **common, value=str(raw.get(key) or ""), rows=5)


# --- Small forms ----------------------------------------------------------------------------


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        help_text="The auditor sees this comment with the return.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter what needs to change before the return is accepted"},
    )


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Upload the filled workbook",
        help_text="The .xlsx file downloaded for this return, 5 MB or smaller.",
        error_messages={"required": "Choose the filled workbook (.xlsx) to upload"},
    )


class EscalationForm(forms.Form):
    case = forms.TypedChoiceField(
        label="Which child is it about?",
        coerce=int,
        error_messages={"required": "Choose the child"},
    )
    raised_by_agency = forms.TypedChoiceField(
        label="Which agency are you raising it for?",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"required": "Choose the agency you are raising it for"},
    )
    raised_to_agency = forms.TypedChoiceField(
        label="Which agency does it go to?",
        help_text="Its safeguarding lead is told at once and must acknowledge it.",
        coerce=int,
        error_messages={"required": "Choose the agency the escalation goes to"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Escalation.Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent it is"},
    )
    concern = forms.CharField(
        label="The concern",
        help_text="What you found and why the child is at risk now, or which statutory task was "
        "missed. Only people who may see the child's case read this.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter the concern"},
    )
    public_summary = forms.CharField(
        label="Summary for the learning brief",
        help_text="One sentence with nothing that could identify the child: no names, "
        "pseudonyms, dates of birth, places or dates. For example 'A child's return home "
        "interview was not offered after a missing episode'.",
        max_length=300,
        error_messages={"required": "Enter a summary for the learning brief"},
    )
    disagreement_policy_used = forms.BooleanField(
        label="The partnership's escalation (professional disagreement) policy was used",
        required=False,
    )
    from_return = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        cases: list[Any],
        agencies: list[Any],
        raising_agencies: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ChoiceField)
        case_field.choices = [("", "Choose a child"), *((c.pk, c.pseudonym) for c in cases)]
        to_field = self.fields["raised_to_agency"]
        assert isinstance(to_field, forms.ChoiceField)
        to_field.choices = [("", "Choose an agency"), *((a.pk, a.name) for a in agencies)]
        by_field = self.fields["raised_by_agency"]
        assert isinstance(by_field, forms.ChoiceField)
        by_field.choices = [("", "Choose your agency"), *((a.pk, a.name) for a in raising_agencies)]
        # A coordinator raises for the partnership; an agency's people raise for their agency.
        by_field.required = bool(raising_agencies)
        self.pseudonyms = {c.pk: c.pseudonym for c in cases}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        summary = cleaned.get("public_summary") or ""
        pseudonym = self.pseudonyms.get(cleaned.get("case") or 0, "")
        if pseudonym and names_the_child(summary, pseudonym):
            self.add_error(
                "public_summary",
                f"The summary for the learning brief must not name the child ('{pseudonym}')",
            )
        return cleaned


def names_the_child(text: str, pseudonym: str) -> bool:
    """Whether `text` uses the pseudonym as words of its own: "Child A" is in "Child A was
    placed", not in "A child at risk" (whose "child a" runs into "at")."""
    words = r"\s+".join(re.escape(word) for word in pseudonym.split())
    return re.search(rf"(?<!\w){words}(?!\w)", text, flags=re.IGNORECASE) is not None


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Response (optional)",
        help_text="What your agency is doing first, and who is dealing with it.",
        widget=forms.Textarea,
        required=False,
        max_length=TEXT_LIMIT,
    )


class ActionForm(forms.Form):
    action_taken = forms.CharField(
        label="Action taken",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter the action taken"},
    )


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        help_text="What happened for the child. Only people who may see the case read this.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter the outcome"},
    )
    public_outcome = forms.CharField(
        label="Outcome for the learning brief",
        help_text="One sentence with nothing that could identify the child.",
        max_length=300,
        error_messages={"required": "Enter the outcome for the learning brief"},
    )


# --- Read-only views ------------------------------------------------------------------------


@dataclass
class ReadonlyRow:
    label: str
    value: str
    evidence: str = ""
    reason: str = ""


@dataclass
class ReadonlySection:
    item: SectionItem
    rows: list[ReadonlyRow]
    summary: list[ReadonlyRow]


def build_readonly_view(structure: ReturnStructure, data: ReturnInput) -> list[ReadonlySection]:
    sections = []
    for section in structure.sections:
        rows = [
            ReadonlyRow(
                item.label,
                display_answer(item, data.answer(item.question.pk)),
                data.answer(item.question.pk).evidence,
                data.answer(item.question.pk).reason,
            )
            for item in section.questions
        ]
        summary = data.summary(section.section.pk)
        summary_rows = [
            ReadonlyRow(FIELD_LABELS[name], getattr(summary, name)) for name in SUMMARY_TEXT_FIELDS
        ]
        if section.is_graded:
            summary_rows.append(
                ReadonlyRow(
                    "Section grade",
                    grade_label(section.grade_options, summary.grade),
                    reason=summary.grade_reason,
                )
            )
        sections.append(ReadonlySection(section, rows, summary_rows))
    return sections


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being withdrawn?",
        help_text="For example, raised in error or a duplicate of another escalation. Kept in "
        "its history.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter why the escalation is being withdrawn"},
    )
