"""Forms of the moderation page. Choices come from what the page already loaded (the child's
returns, the tool's questions, the scales' levels), so rendering them costs no query and a
posted id from elsewhere is refused as an invalid choice."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from maca.audits.models import GradeLevel, Question, ToolSection
from maca.learning.models import Heading
from maca.moderation.selectors import CaseModeration

NOT_AGREED = ("", "Not agreed yet")


def _question_label(question: Question) -> str:
    text = question.text if len(question.text) <= 90 else f"{question.text[:88]}…"
    return f"{question.code} {text}"


def _level_choices(levels: tuple[GradeLevel, ...]) -> list[tuple[str, str]]:
    return [NOT_AGREED, *((str(level.pk), level.label) for level in levels)]


@dataclass(frozen=True)
class PlainControl:
    """A select or text box of the page's forms as plain values, drawn by
    templates/moderation/_plain_select.html or in the agreed-grades loop with the markup of
    govuk/select.html and govuk/textarea.html. The page has thirteen selects (eleven agreed
    grades, and forty questions twice): drawn through the general field templates (an
    include, a widget context and a dictionary per option each) they cost more than the rest
    of the forms put together."""

    id: str
    name: str
    label: str
    hint: str
    error: str  # the first error, or ""
    value: str
    options: tuple[tuple[str, str], ...] = ()  # value, label

    @property
    def describedby(self) -> str:
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    @property
    def options_html(self) -> SafeString:
        """The options, the one matching the value selected; every value escaped."""
        return mark_safe(  # every value escaped
            "".join(
                f'<option value="{escape(key)}"{" selected" if key == self.value else ""}>'
                f"{escape(label)}</option>"
                for key, label in self.options
            )
        )


def _plain(field: BoundField, *, with_options: bool = False) -> PlainControl:
    raw = field.value()
    value = "" if raw is None else str(raw)
    choices = getattr(field.field, "choices", ()) if with_options else ()
    return PlainControl(
        id=field.auto_id,
        name=field.html_name,
        label=str(field.label),
        hint=str(field.help_text),
        error=str(field.errors[0]) if field.errors else "",
        value=value,
        options=tuple((str(key), str(label)) for key, label in choices),
    )


class AgreedGradesForm(forms.Form):
    """The panel's agreed grade, with its reason, for each graded section and overall. A
    section left at 'Not agreed yet' with no reason is left as it was."""

    def __init__(self, *args: Any, moderation: CaseModeration, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        self.rows: list[tuple[ToolSection | None, str, str, dict[str, GradeLevel]]] = []
        for view in moderation.graded_sections:
            key = f"section_{view.section.pk}"
            self.rows.append(
                (
                    view.section,
                    key,
                    f"{view.section.order}. {view.section.title}",
                    {str(level.pk): level for level in view.levels},
                )
            )
            if view.agreed is not None:
                initial[f"{key}_grade"] = str(view.agreed.grade_id)
                initial[f"{key}_reason"] = view.agreed.reason
        if moderation.overall_levels:
            self.rows.append(
                (
                    None,
                    "overall",
                    "Overall",
                    {str(level.pk): level for level in moderation.overall_levels},
                )
            )
            if moderation.overall_agreed is not None:
                initial["overall_grade"] = str(moderation.overall_agreed.grade_id)
                initial["overall_reason"] = moderation.overall_agreed.reason
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for _, key, title, levels in self.rows:
            self.fields[f"{key}_grade"] = forms.ChoiceField(
                label=f"Agreed grade: {title}",
                choices=_level_choices(tuple(levels.values())),
                required=False,
                error_messages={"invalid_choice": f"Choose a grade on the scale for {title}"},
            )
            self.fields[f"{key}_reason"] = forms.CharField(
                label=f"Reason for the agreed grade: {title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.agreed: list[tuple[ToolSection | None, GradeLevel, str]] = []
        for section, key, title, levels in self.rows:
            grade = cleaned.get(f"{key}_grade") or ""
            reason = (cleaned.get(f"{key}_reason") or "").strip()
            if grade and not reason:
                self.add_error(
                    f"{key}_reason", f"Enter the reason for the agreed grade for {title}"
                )
            elif reason and not grade:
                self.add_error(f"{key}_grade", f"Choose the agreed grade for {title}")
            elif grade:
                self.agreed.append((section, levels[grade], reason))
        if not self.errors and not self.agreed:
            first = f"{self.rows[0][1]}_grade" if self.rows else None
            self.add_error(first, "Choose at least one agreed grade, with its reason")
        return cleaned

    def grouped(self) -> list[tuple[str, PlainControl, PlainControl]]:
        """Each section's title with its grade and reason, as plain values."""
        return [
            (
                title,
                _plain(self[f"{key}_grade"], with_options=True),
                _plain(self[f"{key}_reason"]),
            )
            for _, key, title, _ in self.rows
        ]


class DiscrepancyForm(forms.Form):
    question = forms.ChoiceField(
        label="Question",
        required=False,
        help_text="Optional: the question on which the accounts differ.",
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies whose accounts differ",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the agencies whose accounts differ",
            "invalid_choice": "Choose agencies that made a return for this child",
        },
    )
    description = forms.CharField(
        label="What differs",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: police record a domestic abuse incident; social care has none.",
        error_messages={"required": "Enter what differs between the agencies' accounts"},
    )

    def __init__(self, *args: Any, moderation: CaseModeration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {str(q.pk): q for q in moderation.questions}
        self.agency_map = {str(a.pk): a for a in moderation.agencies}
        question: Any = self.fields["question"]
        question.choices = [("", "Not about one question")] + [
            (key, _question_label(q)) for key, q in self.questions.items()
        ]
        question.error_messages["invalid_choice"] = "Choose a question of this audit's tool"
        agencies: Any = self.fields["agencies"]
        agencies.choices = [(key, a.short_name) for key, a in self.agency_map.items()]

    def question_control(self) -> PlainControl:
        return _plain(self["question"], with_options=True)

    def clean_agencies(self) -> list[Any]:
        chosen = self.cleaned_data["agencies"]
        if len(chosen) < 2:
            raise forms.ValidationError("Choose at least two agencies whose accounts differ")
        return [self.agency_map[key] for key in chosen]

    def clean_question(self) -> Question | None:
        key = self.cleaned_data["question"]
        return self.questions[key] if key else None


class CaseFindingForm(forms.Form):
    heading = forms.ChoiceField(
        label="Heading",
        choices=Heading.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the heading the finding goes under"},
    )
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Needed for a theme for learning.",
    )
    text = forms.CharField(
        label="What the panel found",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the panel found"},
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies it came from",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose agencies that made a return for this child"},
    )
    question = forms.ChoiceField(
        label="Question, standard or earlier learning it relates to",
        required=False,
        help_text="Links the finding to the question's standard and, where the question "
        "checks an earlier review, to its learning point.",
    )
    include_in_brief = forms.BooleanField(label="Include in the learning brief", required=False)

    def __init__(self, *args: Any, moderation: CaseModeration, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"include_in_brief": True})
        super().__init__(*args, **kwargs)
        self.questions = {str(q.pk): q for q in moderation.questions}
        self.agency_map = {str(a.pk): a for a in moderation.agencies}
        question: Any = self.fields["question"]
        question.choices = [("", "None")] + [
            (key, _question_label(q) + (f" ({q.standard})" if q.standard else ""))
            for key, q in self.questions.items()
        ]
        question.error_messages["invalid_choice"] = "Choose a question of this audit's tool"
        agencies: Any = self.fields["agencies"]
        agencies.choices = [(key, a.short_name) for key, a in self.agency_map.items()]

    def question_control(self) -> PlainControl:
        return _plain(self["question"], with_options=True)

    def clean_agencies(self) -> list[Any]:
        return [self.agency_map[key] for key in self.cleaned_data["agencies"]]

    def clean_question(self) -> Question | None:
        key = self.cleaned_data["question"]
        return self.questions[key] if key else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("heading") == Heading.LEARNING and not cleaned.get("title", "").strip():
            self.add_error("title", "Enter a title for the theme for learning")
        return cleaned
