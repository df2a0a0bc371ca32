"""Forms of the tool builder."""

from __future__ import annotations

from typing import Any

from django import forms

from maca.accounts.models import Agency, Sector
from maca.audits.models import GradingScale, Question
from maca.core.form_base import GovukForm, LinesField
from maca.learning.models import LearningPoint
from maca.planning.services import QuestionInput
from maca.planning.services.tools import DOWN, UP

K = Question.Kind
CHOICE_KINDS = {K.SINGLE_CHOICE, K.MULTIPLE_CHOICE}
COMPLIANCE_SCALE = "ynpna"


class ToolForm(GovukForm):
    name = forms.CharField(label="Name of the tool", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the tool audits, so coordinators choosing a tool can tell them apart.",
    )


class VersionNotesForm(GovukForm):
    notes = forms.CharField(
        label="Notes on this version",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed from the version before, and why.",
    )


class SectionForm(GovukForm):
    title = forms.CharField(label="Section title", max_length=200)
    help_text = forms.CharField(
        label="Guidance for auditors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown at the top of the section on the return.",
    )
    grading_scale = forms.ModelChoiceField(
        label="Grade for the section",
        queryset=GradingScale.objects.order_by("name"),
        required=False,
        empty_label="Not graded",
        help_text="Auditors grade the section as a whole on this scale, with a reason.",
    )


class MoveForm(GovukForm):
    direction = forms.ChoiceField(label="Direction", choices=[(UP, "Up"), (DOWN, "Down")])


class LearningPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LearningPoint) -> str:
        text = obj.text if len(obj.text) <= 90 else obj.text[:87] + "…"
        return f"{obj.order}. {text}"


class QuestionForm(GovukForm):
    code = forms.CharField(
        label="Reference",
        error_messages={"required": "Enter a reference for the question, like Q6.2"},
        max_length=20,
        help_text="A short reference auditors and the panel use, for example Q6.2.",
    )
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question"},
    )
    help_text = forms.CharField(
        label="Help text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Guidance shown under the question on the return.",
    )
    kind = forms.ChoiceField(
        label="How is it answered?",
        choices=K.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the question is answered"},
    )
    scale = forms.ModelChoiceField(
        label="Scale for a graded question",
        queryset=GradingScale.objects.order_by("name"),
        required=False,
        empty_label="Choose a scale",
        help_text="Only for graded questions. Auditors must give a reason for the grade.",
    )
    choices = LinesField(
        label="Options",
        required=False,
        max_line_length=200,
        max_lines=30,
        help_text="Only for single and multiple choice questions. Enter each option on its "
        "own line.",
    )
    requires_reason = forms.BooleanField(
        label="Auditors must give a reason or evidence for their answer",
        required=False,
        help_text="Graded questions always need a reason.",
    )
    standard = forms.CharField(
        label="Standard it tests (optional)",
        max_length=300,
        required=False,
        help_text="For example, CPPCR 2010 reg 28: statutory visits.",
    )
    applies_to_sectors = forms.MultipleChoiceField(
        label="Sectors it applies to (optional)",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave these and the agencies below empty to ask every agency.",
    )
    applies_to_agencies = forms.ModelMultipleChoiceField(
        label="Particular agencies it applies to (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="As well as every agency in the sectors ticked above.",
    )
    learning_point = LearningPointChoiceField(
        label="Learning point of an earlier review it checks (optional)",
        queryset=LearningPoint.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(
        self,
        *args: Any,
        learning_points: list[tuple[str, list[LearningPoint]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agencies = self.fields["applies_to_agencies"]
        assert isinstance(agencies, forms.ModelMultipleChoiceField)
        agencies.queryset = Agency.objects.filter(is_active=True).order_by("name")
        point_field = self.fields["learning_point"]
        assert isinstance(point_field, forms.ModelChoiceField)
        point_field.queryset = LearningPoint.objects.select_related("review")
        groups = learning_points or []
        point_field.choices = [("", "None")] + [
            (review, [(point.pk, point_field.label_from_instance(point)) for point in points])
            for review, points in groups
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind is None:
            return data
        scale = data.get("scale")
        choices = data.get("choices") or []
        if kind == K.GRADED:
            if scale is None and "scale" not in self.errors:
                self.add_error("scale", "Choose the scale for a graded question")
            data["requires_reason"] = True
        elif kind == K.COMPLIANCE:
            if scale is not None and scale.slug != COMPLIANCE_SCALE:
                self.add_error(
                    "scale",
                    "A yes / no / partial / N/A question uses that scale; leave the scale "
                    "empty or choose Graded",
                )
            data["scale"] = GradingScale.objects.filter(slug=COMPLIANCE_SCALE).first()
        elif scale is not None:
            self.add_error("scale", "Only graded questions have a scale; leave it empty")
        if kind in CHOICE_KINDS:
            if len(choices) < 2 and "choices" not in self.errors:
                self.add_error("choices", "Enter at least two options, one per line")
            duplicates = sorted(
                {c for c in choices if [x.lower() for x in choices].count(c.lower()) > 1}
            )
            if duplicates:
                self.add_error("choices", f"Options must differ; {duplicates[0]} is there twice")
        elif choices:
            self.add_error(
                "choices",
                "Only single and multiple choice questions have options; remove them or "
                "change how the question is answered",
            )
        return data

    def to_input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            code=data["code"].strip(),
            text=data["text"].strip(),
            kind=data["kind"],
            help_text=data["help_text"].strip(),
            scale=data["scale"],
            choices=data["choices"] if data["kind"] in CHOICE_KINDS else [],
            requires_reason=data["requires_reason"],
            standard=data["standard"].strip(),
            applies_to_sectors=data["applies_to_sectors"],
            applies_to_agencies=list(data["applies_to_agencies"]),
            learning_point=data["learning_point"],
        )

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "code": question.code,
            "text": question.text,
            "help_text": question.help_text,
            "kind": question.kind,
            "scale": question.scale_id if question.kind == K.GRADED else None,
            "choices": list(question.choices),
            "requires_reason": question.requires_reason,
            "standard": question.standard,
            "applies_to_sectors": list(question.applies_to_sectors),
            "applies_to_agencies": [agency.pk for agency in question.applies_to_agencies.all()],
            "learning_point": question.learning_point_id,
        }
