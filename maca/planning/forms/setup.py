"""Forms of an audit's set-up: the plan, agencies, tool and earlier reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from maca.accounts.models import Agency, Sector, User
from maca.audits.models import Audit, GradingScale, ToolVersion
from maca.core.form_base import GovukDateField, GovukForm, LinesField, PartialDateField
from maca.learning.models import AuditReview, Review
from maca.planning.selectors import AgencyChoice, AuditPeople
from maca.planning.services import AgencyInput, PlanInput, ReviewInput

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Web address must use only lower-case letters, numbers and hyphens, like cla-2024",
)


class NewAuditForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=300,
        help_text="For example, Children looked after placed out of area, March 2025.",
    )
    theme = forms.CharField(
        label="Theme",
        max_length=200,
        help_text="For example, Children looked after placed out of area.",
    )
    slug = forms.CharField(
        label="Web address (optional)",
        max_length=60,
        required=False,
        validators=[slug_validator],
        help_text="A short name for the audit's pages, like cla-2025. Leave empty and one is "
        "made from the title.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class PlanForm(GovukForm):
    title = forms.CharField(label="Title", max_length=300)
    theme = forms.CharField(label="Theme", max_length=200)
    slug = forms.CharField(
        label="Web address",
        max_length=60,
        validators=[slug_validator],
        help_text="Changing it changes the address of every page of the audit.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    rationale = forms.CharField(
        label="Why this theme",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The reviews, data or earlier audits that led to it.",
    )
    aim = forms.CharField(label="Aim", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    terms_of_reference = forms.CharField(
        label="Terms of reference", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    cohort_definition = forms.CharField(
        label="Cohort definition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Which children, for example looked after on 31 January and placed outside "
        "the local authority's boundary.",
    )
    lines_of_enquiry = LinesField(
        label="Key lines of enquiry",
        required=False,
        max_line_length=1000,
        max_lines=30,
        help_text="Enter each line of enquiry on its own line.",
    )
    lookback_months = forms.IntegerField(
        label="Look-back period in months",
        required=False,
        min_value=1,
        max_value=240,
        help_text="How far back agencies look in their records, for example 12.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    partnership_names = forms.CharField(
        label="Partnerships that ran the audit (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, as the brief should name them. Left blank, the brief names "
        "this site's partnership.",
    )
    lawful_basis = forms.CharField(
        label="Lawful basis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, Children Act 2004 s16H information request.",
    )
    audit_date = PartialDateField(
        label="Audit date",
        required=False,
        help_text="A day, a month, a year or a financial year, for example 8 March 2022, "
        "March 2022 or 2016/17 (write 'academic year 2016/17' for an academic year).",
    )
    audit_date_until = PartialDateField(
        label="Audit ended (optional)",
        required=False,
        help_text="Only if the audit ran over a time, for example 19 January 2024 for an "
        "audit held from 15 to 19 January 2024.",
    )
    returns_due = GovukDateField(
        label="Returns due",
        required=False,
        help_text="Agencies with their own due date keep it. For example, 27 3 2025.",
    )
    panel_date = GovukDateField(
        label="Panel meeting", required=False, help_text="For example, 3 4 2025."
    )
    reaudit_due = PartialDateField(
        label="Re-audit due",
        required=False,
        help_text="When the learning will be checked again, for example March 2026.",
    )

    @staticmethod
    def initial_for(audit: Audit) -> dict[str, Any]:
        initial = {name: getattr(audit, name) for name in PlanInput.FIELDS}
        initial["lines_of_enquiry"] = list(
            audit.lines_of_enquiry.order_by("order").values_list("text", flat=True)
        )
        return initial

    def to_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            **{name: data[name] for name in PlanInput.FIELDS},
            lines_of_enquiry=data["lines_of_enquiry"],
        )


class StatusChangeForm(GovukForm):
    expected = forms.CharField(label="Stage you saw", widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why move on now?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept in the audit's history with the list above.",
    )


class AgenciesForm(GovukForm):
    """Tick the agencies taking part; each may have its own returns due date."""

    agencies = forms.MultipleChoiceField(
        label="Agencies taking part",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[AgencyChoice], **kwargs: Any) -> None:
        self.agency_choices = choices
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(choice.agency.pk), choice.agency.name) for choice in choices]
        if not self.is_bound:
            self.initial["agencies"] = [str(c.agency.pk) for c in choices if c.link]
        for choice in choices:
            name = self.due_field_name(choice.agency)
            self.fields[name] = GovukDateField(
                label=f"{choice.agency.name}: returns due (optional)", required=False
            )
            if not self.is_bound and choice.link and choice.link.returns_due:
                self.initial[name] = choice.link.returns_due

    @staticmethod
    def due_field_name(agency: Agency) -> str:
        return f"due_{agency.pk}"

    def rows(self) -> list[dict[str, Any]]:
        ticked = set(self["agencies"].value() or [])
        return [
            {
                "choice": choice,
                "checkbox_id": f"{self['agencies'].auto_id}_{index}",
                "value": str(choice.agency.pk),
                "checked": str(choice.agency.pk) in ticked,
                "due": self[self.due_field_name(choice.agency)],
            }
            for index, choice in enumerate(self.agency_choices)
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        ticked = set(data.get("agencies") or [])
        for choice in self.agency_choices:
            name = self.due_field_name(choice.agency)
            if data.get(name) and str(choice.agency.pk) not in ticked:
                self.add_error(
                    name,
                    f"Tick {choice.agency.name} to give it a due date, or remove the date",
                )
        return data

    def chosen(self) -> dict[int, dt.date | None]:
        data = self.cleaned_data
        return {int(agency_id): data.get(f"due_{agency_id}") for agency_id in data["agencies"]}


class AgencyDetailsForm(GovukForm):
    name = forms.CharField(
        label="Name of the agency",
        max_length=200,
        help_text="For example, Example Community Health NHS Trust.",
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=40,
        help_text="How briefs and tables name it, for example Community health.",
    )
    sector = forms.ChoiceField(label="Sector", choices=Sector.choices, widget=forms.RadioSelect)
    description = forms.CharField(label="Description (optional)", max_length=300, required=False)

    def to_input(self) -> AgencyInput:
        data = self.cleaned_data
        return AgencyInput(
            name=data["name"].strip(),
            short_name=data["short_name"].strip(),
            sector=data["sector"],
            description=data["description"].strip(),
        )


class AgencyForm(AgencyDetailsForm):
    """A new agency, added to the audit being set up."""

    returns_due = GovukDateField(
        label="Its returns due (optional)",
        required=False,
        help_text="Leave empty to use the audit's date.",
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ToolVersion) -> str:
        state = "frozen" if obj.frozen_at else "draft"
        return f"{obj.tool.name}, version {obj.number} ({state})"


class ToolChoiceForm(GovukForm):
    tool_version = VersionChoiceField(
        label="Audit tool version",
        queryset=ToolVersion.objects.select_related("tool"),
        required=False,
        empty_label="Not chosen yet",
        help_text="The audit uses exactly this version. Later versions of the tool do not "
        "change it.",
    )
    overall_scale = forms.ModelChoiceField(
        label="Scale for each return's overall grade",
        queryset=GradingScale.objects.order_by("name"),
        required=False,
        empty_label="Not chosen yet",
    )

    def __init__(
        self, *args: Any, versions: list[tuple[str, list[ToolVersion]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tool_version"]
        assert isinstance(field, VersionChoiceField)
        field.choices = [("", "Not chosen yet")] + [
            (
                tool,
                [(v.pk, f"Version {v.number}{'' if v.frozen_at else ' (draft)'}") for v in items],
            )
            for tool, items in versions
        ]


RELATIONSHIP_HINT = (
    "Checks learning is embedded: the audit tests whether the review's learning points are "
    "now practice. Prompted by: the review is why the audit happens."
)


class ReviewLinkForm(GovukForm):
    review = forms.ModelChoiceField(
        label="Earlier review",
        queryset=Review.objects.order_by("title"),
        empty_label="Choose a review",
    )
    relationship = forms.ChoiceField(
        label="How it relates to this audit",
        choices=AuditReview.Relationship.choices,
        widget=forms.RadioSelect,
        help_text=RELATIONSHIP_HINT,
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the audit checks of this review.",
    )


class NewReviewForm(GovukForm):
    title = forms.CharField(
        label="Title of the review",
        max_length=200,
        help_text="For example, Serious Case Review: Child D.",
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=60,
        help_text="How the audit refers to it, for example SCR Child D.",
    )
    kind = forms.ChoiceField(label="Kind of review", choices=Review.Kind.choices)
    published = PartialDateField(
        label="Published (optional)",
        required=False,
        help_text="For example, June 2020 or 2020.",
    )
    summary = forms.CharField(
        label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(
        label="Link to the review (optional)", required=False, assume_scheme="https"
    )
    learning_points = LinesField(
        label="Learning points",
        max_lines=50,
        help_text="Enter each learning point on its own line. Questions in a tool can then be "
        "linked to them.",
    )
    relationship = forms.ChoiceField(
        label="How it relates to this audit",
        choices=AuditReview.Relationship.choices,
        widget=forms.RadioSelect,
        help_text=RELATIONSHIP_HINT,
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def to_input(self) -> ReviewInput:
        data = self.cleaned_data
        return ReviewInput(
            title=data["title"].strip(),
            short_name=data["short_name"].strip(),
            kind=data["kind"],
            learning_points=data["learning_points"],
            published=data["published"],
            summary=data["summary"].strip(),
            url=data["url"],
        )


class AuditPeopleForm(GovukForm):
    """The audit's coordinators, its panel and the panel's chair."""

    coordinators = forms.TypedMultipleChoiceField(
        label="Coordinators",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="They set the audit up, see every child and move it through its stages.",
    )
    panel = forms.TypedMultipleChoiceField(
        label="Panel members",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They moderate every child's returns side by side and agree findings.",
    )
    chair = forms.TypedChoiceField(
        label="Chair of the panel",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, people: AuditPeople, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "coordinators": people.coordinator_ids,
                "panel": people.panel_ids,
                "chair": people.chair_id or "",
            },
        )
        super().__init__(*args, **kwargs)
        self._choices("coordinators", people.coordinator_candidates)
        self._choices("panel", people.panel_candidates)
        self._choices("chair", people.panel_candidates, none="No chair yet")
        self.fields["coordinators"].error_messages["required"] = "Choose at least one coordinator"

    def _choices(self, name: str, candidates: list[User], none: str = "") -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        choices = [(person.pk, _person_label(person)) for person in candidates]
        field.choices = [("", none), *choices] if none else choices


def _person_label(person: User) -> str:
    name = person.full_name or person.email
    inactive = "" if person.is_active else " (deactivated)"
    return f"{name}, {person.email}{inactive}" if person.full_name else f"{name}{inactive}"
