"""The return form, and the small forms around returns and escalations.

The return's questions come from the audit tool, so `ReturnForm` is a Django form whose fields
are built from a `ReturnStructure` and drawn by the one GOV.UK kit (templates/govuk/).
`parse_raw` turns the posted values into a `ReturnInput` and reports input that cannot be read
(a date that does not exist, a number that is not one, an answer that is not on the list); the
form's `clean` calls it. What a return must have before it is submitted is checked in
`structure.problems_for_submit`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict

from maca.accounts.models import Agency
from maca.audits.models import Case, Escalation, Question
from maca.core.form_base import (
    DisplayedField,
    GovukCheckboxSelectMultiple,
    GovukDatePartsWidget,
    GovukRadioSelect,
)
from maca.returns.structure import (
    FIELD_LABELS,
    HEADER_FIELDS,
    OVERALL_TEXT_FIELDS,
    SHORT_TEXT_LIMIT,
    SUMMARY_TEXT_FIELDS,
    TEXT_LIMIT,
    AnswerInput,
    Option,
    Problem,
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


# --- The form -------------------------------------------------------------------------------


IMMEDIATE_CONCERN_LABEL = "I have an immediate concern about this child's safety now"
_SMALL_LEGEND = "govuk-fieldset__legend--s"
_SMALL_LABEL = "govuk-label--s"


@dataclass(frozen=True)
class SectionFields:
    """One section's fields in the order of the page: each question's answer with its evidence
    and reason, then the section's summary and, when it is graded, its grade."""

    item: SectionItem
    questions: list[list[BoundField]]
    summary: list[BoundField]


class ReturnForm(forms.Form):
    """The return as a form, built from its `ReturnStructure`: one field per value the page
    posts, named as it posts them (`q12`, `q12_evidence`, `q12-day`, `s3_grade`…), with ids
    the same as the names. `clean` reads the values with `parse_raw`, so the one-page form, a
    part's page and the autosave refuse the same things in the same words; `return_input` is
    the result.

    `only` keeps the fields of one part of the return (`ReturnPart.names`); the rest of `raw`
    is still read, so a part is saved with the others as they were. With `saved` and `mine`,
    each field whose saved value differs from the person's own notes the saved one."""

    bound_field_class = DisplayedField

    def __init__(
        self,
        structure: ReturnStructure,
        raw: Raw,
        *,
        only: frozenset[str] | None = None,
        saved: ReturnInput | None = None,
        mine: ReturnInput | None = None,
    ) -> None:
        super().__init__(data=raw, auto_id="%s", label_suffix="")
        self.structure = structure
        self.raw = raw
        self.only = only
        self.field_display: dict[str, dict[str, Any]] = {}
        self.return_input = ReturnInput()
        self._add_header()
        for section in structure.sections:
            self._add_section(section)
        self._add_overall()
        self.saved_notes = (
            saved_notes(structure, saved, mine) if saved is not None and mine is not None else {}
        )

    def clean(self) -> dict[str, Any]:
        self.return_input, errors = parse_raw(self.structure, self.raw)
        for key, message in errors.items():
            # A value posted for a field this page does not show is named in the summary.
            self.add_error(key if key in self.fields else None, message)
        return self.cleaned_data

    def add_problems(self, problems: Iterable[Problem]) -> None:
        """What stops the return being submitted, each beside its field."""
        for problem in problems:
            self.add_error(problem.key if problem.key in self.fields else None, problem.message)

    # The fields in groups, for the templates.

    @property
    def header(self) -> list[BoundField]:
        return self._bound(HEADER_NAMES)

    @property
    def sections(self) -> list[SectionFields]:
        groups = []
        for section in self.structure.sections:
            questions = [
                self._bound((item.key, f"{item.key}_evidence", f"{item.key}_reason"))
                for item in section.questions
            ]
            summary = self._bound(
                [
                    f"{section.key}_{name}"
                    for name in (*SUMMARY_TEXT_FIELDS, "grade", "grade_reason")
                ]
            )
            if any(questions) or summary:
                groups.append(SectionFields(section, [q for q in questions if q], summary))
        return groups

    @property
    def overall(self) -> list[BoundField]:
        return self._bound(OVERALL_NAMES)

    def _bound(self, names: Iterable[str]) -> list[BoundField]:
        return [self[name] for name in names if name in self.fields]

    # Building the fields.

    def _add(self, name: str, field: forms.Field, **display: Any) -> None:
        if self.only is None or name in self.only:
            self.fields[name] = field
            self.field_display[name] = display

    def _add_textarea(
        self, name: str, label: str, *, hint: str = "", rows: int = 3, label_class: str = ""
    ) -> None:
        widget = forms.Textarea(attrs={"rows": rows})
        self._add(name, _posted(label, widget, hint), label_class=label_class)

    def _add_radios(
        self,
        name: str,
        label: str,
        options: tuple[Option, ...],
        *,
        hint: str = "",
        inline: bool = False,
        legend_class: str = _SMALL_LEGEND,
        option_hints: bool = True,
    ) -> None:
        hints = {
            option.value: option.level.description
            for option in options
            if option_hints and option.level and option.level.description
        }
        widget = GovukRadioSelect(choices=_choices(options), hints=hints)
        field = _posted(label, widget, hint)
        self._add(name, field, small=True, inline=inline, legend_class=legend_class)

    def _add_header(self) -> None:
        """About this return: who audited which records, for what period."""
        for name, hint in (
            ("auditor_role", "Your job title, for example 'Named nurse for safeguarding'."),
            ("period_reviewed", "For example '1 March 2025 to 28 February 2026'."),
        ):
            self._add(name, _posted(FIELD_LABELS[name], forms.TextInput(), hint))
        self._add_textarea(
            "records_examined",
            FIELD_LABELS["records_examined"],
            hint="Which of your agency's records you looked at.",
        )
        # Nothing chosen until the auditor answers: a default would answer for them.
        self._add_radios(
            "auditor_was_involved",
            FIELD_LABELS["auditor_was_involved"],
            (Option("yes", "Yes"), Option("no", "No")),
            hint="An auditor should not audit their own work with the child.",
            inline=True,
        )

    def _add_section(self, section: SectionItem) -> None:
        """One section: its questions, then its summary and, when it is graded, its grade."""
        order = section.section.order
        for item in section.questions:
            self._add_question(item)
        for name in SUMMARY_TEXT_FIELDS:
            self._add_textarea(
                f"{section.key}_{name}",
                f"{FIELD_LABELS[name]} in section {order}",
                label_class=_SMALL_LABEL,
            )
        if section.is_graded:
            self._add_radios(
                f"{section.key}_grade",
                f"Grade for section {order}, {section.section.title}",
                section.grade_options,
            )
            self._add_textarea(
                f"{section.key}_grade_reason",
                f"Reason for the grade for section {order}",
                label_class=_SMALL_LABEL,
            )

    def _add_question(self, item: QuestionItem) -> None:
        """One question: its answer, and its evidence and reason where the tool asks for them."""
        self._add_answer(item)
        if item.shows_evidence:
            self._add_textarea(
                f"{item.key}_evidence",
                f"Evidence for {item.code}",
                hint="What in your records shows this, with dates.",
                label_class=_SMALL_LABEL,
            )
        if item.shows_reason:
            self._add_textarea(
                f"{item.key}_reason",
                f"Reason for {item.code}" + ("" if item.needs_reason else " (if N/A or Partial)"),
                rows=2,
                label_class=_SMALL_LABEL,
            )

    def _add_answer(self, item: QuestionItem) -> None:
        key, label, hint = item.key, item.label, _question_hint(item.question)
        if item.kind == KIND.MULTIPLE_CHOICE:
            boxes = GovukCheckboxSelectMultiple(choices=_choices(item.options))
            field = _posted(label, boxes, _joined(hint, "Select all that apply."))
            self._add(key, field, small=True, legend_class=_SMALL_LEGEND)
        elif item.kind in {KIND.GRADED, KIND.COMPLIANCE, KIND.SINGLE_CHOICE}:
            many = len(item.options) > 6  # a 0–10 scale reads as one row of numbers
            inline = many or all(len(option.label) <= 8 for option in item.options)
            self._add_radios(
                key, label, item.options, hint=hint, inline=inline, option_hints=not many
            )
        elif item.kind == KIND.DATE:
            field = _posted(label, GovukDatePartsWidget(), _joined(hint, "For example, 27 3 2026"))
            self._add(key, field, legend_class=_SMALL_LEGEND)
        elif item.kind == KIND.NUMBER:
            number = forms.TextInput(attrs={"inputmode": "decimal"})
            self._add(key, _posted(label, number, hint), input_class="govuk-input--width-10")
        else:
            self._add_textarea(key, label, hint=hint, rows=5)

    def _add_overall(self) -> None:
        """The return's summary: what went well and what to develop, the overall grade when the
        tool has one, and the immediate concern."""
        for name in OVERALL_TEXT_FIELDS:
            self._add_textarea(name, FIELD_LABELS[name], rows=5)
        if self.structure.overall_options:
            self._add_radios(
                "overall_grade",
                "Overall grade for your agency's work with the child",
                self.structure.overall_options,
                legend_class="govuk-fieldset__legend--m",
            )
            self._add_textarea("overall_reason", FIELD_LABELS["overall_reason"], rows=4)
        widget = GovukCheckboxSelectMultiple(choices=[("yes", IMMEDIATE_CONCERN_LABEL)])
        hint = (
            "Tick this and raise an escalation at once: it goes to the agency that can act and "
            "to the audit's coordinator. Do not wait for the panel."
        )
        field = _posted(FIELD_LABELS["immediate_concern"], widget, hint)
        self._add("immediate_concern", field, legend_class="govuk-fieldset__legend--m")


def _posted(label: str, widget: forms.Widget, hint: str = "") -> forms.Field:
    """A field that keeps the value as posted: `parse_raw` reads and checks it."""
    return forms.Field(label=label, help_text=hint, required=False, widget=widget)


def _choices(options: tuple[Option, ...]) -> list[tuple[str, str]]:
    return [(option.value, option.label) for option in options]


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _question_hint(question: Question) -> str:
    return _joined(
        question.help_text, f"Standard: {question.standard}." if question.standard else ""
    )


def saved_notes(
    structure: ReturnStructure, saved: ReturnInput, mine: ReturnInput
) -> dict[str, str]:
    """What the saved version holds, by field, wherever it differs from the person's own."""
    notes: dict[str, str] = {}
    for name in HEADER_NAMES:
        old = getattr(saved, name)
        if old != getattr(mine, name):
            notes[name] = (("Yes" if old else "No") if isinstance(old, bool) else old) or "(empty)"
    for section in structure.sections:
        notes.update(_section_notes(section, saved, mine))
    for name in OVERALL_NAMES:
        old, new = getattr(saved, name), getattr(mine, name)
        if old == new:
            continue
        if name == "overall_grade":
            notes[name] = grade_label(structure.overall_options, old)
        elif isinstance(old, bool):
            notes[name] = "Ticked" if old else "Not ticked"
        else:
            notes[name] = str(old or "") or "(empty)"
    return notes


def _section_notes(section: SectionItem, saved: ReturnInput, mine: ReturnInput) -> dict[str, str]:
    notes: dict[str, str] = {}
    for item in section.questions:
        old, new = saved.answer(item.question.pk), mine.answer(item.question.pk)
        old_text = display_answer(item, old)
        if old_text != display_answer(item, new):
            notes[item.key] = old_text or "(no answer)"
        if old.evidence != new.evidence:
            notes[f"{item.key}_evidence"] = old.evidence or "(empty)"
        if old.reason != new.reason:
            notes[f"{item.key}_reason"] = old.reason or "(empty)"
    old_summary, new_summary = saved.summary(section.section.pk), mine.summary(section.section.pk)
    for name in (*SUMMARY_TEXT_FIELDS, "grade_reason"):
        if getattr(old_summary, name) != getattr(new_summary, name):
            notes[f"{section.key}_{name}"] = getattr(old_summary, name) or "(empty)"
    if old_summary.grade != new_summary.grade:
        notes[f"{section.key}_grade"] = (
            grade_label(section.grade_options, old_summary.grade) or "(no grade)"
        )
    return notes


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
        cases: Sequence[Case],
        agencies: Sequence[Agency],
        raising_agencies: Sequence[Agency],
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
