"""Forms for findings, actions and follow-up audits.

Forms only parse and check input; services write. Every required field has its own message
naming what is missing, as GOV.UK forms do, and the error summary links to the field.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from maca.accounts.models import Agency, User
from maca.audits.models import Case, Escalation
from maca.core.partial_dates import PartialDate
from maca.learning.models import ActionStatus, Finding, Heading, LearningPoint, Theme

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"^(?:(?P<day>\d{1,2})\s+)?(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})$")
_SLASHED = re.compile(r"^(?:(?P<day>\d{1,2})/)?(?P<month>\d{1,2})/(?P<year>\d{4})$")


def parse_partial_date(text: str) -> PartialDate:
    """A date as people type it: '2022', '2022-03', 'March 2022', 'Mar 2022', '8 March 2022',
    '03/2022' or '8/3/2022' (day first, as in the UK)."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise ValueError("empty")
    try:
        return PartialDate.parse(cleaned)
    except ValueError:
        pass
    match = _DAY_MONTH_YEAR.match(cleaned)
    if match:
        month = _MONTHS.get(match["month"])
        if month is None:
            raise ValueError(f"{match['month']!r} is not a month")
        iso = f"{match['year']}-{month:02d}"
        if match["day"]:
            iso += f"-{int(match['day']):02d}"
        return PartialDate.parse(iso)
    match = _SLASHED.match(cleaned)
    if match:
        iso = f"{match['year']}-{int(match['month']):02d}"
        if match["day"]:
            iso += f"-{int(match['day']):02d}"
        return PartialDate.parse(iso)
    raise ValueError(f"{text!r} is not a date")


class PartialDateFormField(forms.CharField):
    """A date known to the year, month or day, typed as words or digits."""

    def __init__(self, *, label_for_errors: str, **kwargs: Any) -> None:
        self.label_for_errors = label_for_errors
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> PartialDate | None:  # type: ignore[override]
        if isinstance(value, PartialDate):
            return value
        text = super().clean(value)  # length and required checks on the text as typed
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except ValueError:
            raise ValidationError(
                f"Enter the {self.label_for_errors} as a month and year, like March 2022 or "
                "2022-03, or as a full date, like 8 March 2022",
                code="invalid",
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, PartialDate):
            return str(value)
        return value


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class _Checkboxes(forms.ModelMultipleChoiceField):
    """Several choices as GOV.UK checkboxes: usable without JavaScript, unlike a multi-select."""

    widget = forms.CheckboxSelectMultiple


class AgencyChoiceField(_Checkboxes):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if obj.name == obj.short_name else f"{obj.short_name} – {obj.name}"


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.text if len(obj.text) <= 90 else f"{obj.text[:88]}…"
        return f"{obj.code} {text}"


class LearningPointChoiceField(_Checkboxes):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.review.short_name} {obj.order}: {obj.text}"


class CaseChoiceField(_Checkboxes):
    def label_from_instance(self, obj: Any) -> str:
        return obj.pseudonym


class EscalationChoiceField(_Checkboxes):
    def label_from_instance(self, obj: Any) -> str:
        return obj.public_summary or f"Escalation {obj.pk}"


class FindingForm(forms.Form):
    """A finding under one of the brief's three headings. Choices come from the audit, so a
    posted id from another audit is refused as an invalid choice."""

    heading = forms.ChoiceField(
        label="Heading",
        choices=Heading.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Choose the heading the finding goes under"),
    )
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Needed for a theme for learning, e.g. 'Domestic abuse while children are in "
        "care'.",
    )
    text = forms.CharField(
        label="What we found",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("Enter what the panel found"),
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a theme for learning: the action or recommendation.",
    )
    strengths = forms.CharField(
        label="What is working well",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a theme for learning: strengths, printed apart from what we found.",
    )
    attribution = forms.CharField(
        label="Who the brief credits",
        required=False,
        max_length=200,
        help_text="For good practice, e.g. 'school, foster carer'.",
    )
    include_in_brief = forms.BooleanField(label="Include in the learning brief", required=False)
    agencies = AgencyChoiceField(
        label="Agencies it came from", queryset=Agency.objects.none(), required=False
    )
    taken_forward_by = AgencyChoiceField(
        label="Who takes it forward",
        queryset=Agency.objects.none(),
        required=False,
        help_text="For a theme for learning: its owners.",
    )
    cases = CaseChoiceField(label="Children", queryset=Case.objects.none(), required=False)
    themes = _Checkboxes(label="Themes", queryset=Theme.objects.all(), required=False)
    learning_points = LearningPointChoiceField(
        label="Learning from earlier reviews", queryset=LearningPoint.objects.none(), required=False
    )
    escalations = EscalationChoiceField(
        label="Escalations", queryset=Escalation.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        all_agencies: QuerySet[Agency],
        cases: QuerySet[Case] | None,
        learning_points: QuerySet[LearningPoint],
        escalations: QuerySet[Escalation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["agencies"].queryset = agencies
        fields["taken_forward_by"].queryset = all_agencies
        fields["learning_points"].queryset = learning_points
        fields["escalations"].queryset = escalations
        if cases is None:
            del self.fields["cases"]
        else:
            fields["cases"].queryset = cases

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("heading") == Heading.LEARNING and not cleaned.get("title", "").strip():
            self.add_error("title", "Enter a title for the theme for learning")
        return cleaned


def finding_initial(finding: Finding) -> dict[str, Any]:
    """The form's starting values for an existing finding (relations prefetched)."""
    return {
        "heading": finding.heading,
        "title": finding.title,
        "text": finding.text,
        "needs_to_happen": finding.needs_to_happen,
        "strengths": finding.strengths,
        "attribution": finding.attribution,
        "include_in_brief": finding.include_in_brief,
        "agencies": [agency.pk for agency in finding.agencies.all()],
        "taken_forward_by": [agency.pk for agency in finding.taken_forward_by.all()],
        "cases": [case.pk for case in finding.cases.all()],
        "themes": [theme.pk for theme in finding.themes.all()],
        "learning_points": [point.pk for point in finding.learning_points.all()],
        "escalations": [escalation.pk for escalation in finding.escalations.all()],
    }


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        label="Finding to merge into this one",
        queryset=Finding.objects.none(),
        error_messages={
            "required": "Choose the finding to merge into this one",
            "invalid_choice": "Choose a finding of this audit to merge",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["other"]
        field.queryset = candidates
        field.widget = forms.RadioSelect()
        field.widget.choices = field.choices
        field.label_from_instance = lambda obj: (
            f"{obj.get_heading_display()}: {obj.title or obj.text[:120]}"
        )


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


NO_OWNER = "Choose at least one owner agency, or write the lead organisation"


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Enter what the action is"),
    )
    owners = AgencyChoiceField(
        label="Owner agencies",
        queryset=Agency.objects.none(),
        required=False,
        help_text="Every listed agency that owns the action; they see it in the tracker.",
        error_messages={
            "invalid_choice": "Choose owner agencies from the list",
            "invalid_pk_value": "Choose owner agencies from the list",
        },
    )
    lead_owner = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No lead, or not a listed agency",
        help_text="Optional. The owner that leads; the others contribute.",
        error_messages={"invalid_choice": "Choose the lead organisation from the list"},
    )
    lead_owner_name = forms.CharField(
        label="Lead organisation, if it is not listed",
        required=False,
        max_length=200,
        help_text="Optional. As the organisation calls itself; it is kept as you write it.",
    )
    other_owners = forms.CharField(
        label="Other contributing organisations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. Organisations that are not listed agencies, one a line.",
    )
    lead_name = forms.CharField(
        label="Named lead",
        required=False,
        max_length=200,
        help_text="The person who leads the action, e.g. 'Detective Inspector, public protection'.",
    )
    lead = LeadChoiceField(
        label="Lead's account (for reminders)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No account",
    )
    due = PartialDateFormField(
        label="Due",
        label_for_errors="due date",
        required=False,
        help_text="Optional. A month and year, like March 2022 or 2022-03, or a full date.",
    )
    measure_of_success = forms.CharField(
        label="Measure of success",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How we will know it has worked.",
    )
    include_in_brief = forms.BooleanField(label="Include in the learning brief", required=False)

    def __init__(
        self, *args: Any, agencies: QuerySet[Agency], leads: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owners"].queryset = agencies
        fields["lead_owner"].queryset = agencies
        fields["lead"].queryset = leads

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("lead_owner") or cleaned.get("lead_owner_name", "").strip()
        if "owners" in cleaned and not cleaned["owners"] and not named:
            self.add_error("owners", NO_OWNER)
        return cleaned


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the action's new status",
            "invalid_choice": "Choose one of the statuses shown",
        },
    )
    note = forms.CharField(
        label="What has happened",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Goes in the action's update log.",
    )
    done_on = PartialDateFormField(
        label="Done on",
        label_for_errors="date it was done",
        required=False,
        help_text="When marking it done. Leave empty for today.",
    )

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["status"]
        field.choices = allowed
        field.widget.choices = allowed


class ActionNoteForm(forms.Form):
    text = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Enter the update"),
    )


class ActionVerifyForm(forms.Form):
    evidence_of_impact = forms.CharField(
        label="Evidence of impact",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows the action changed practice, e.g. a dip sample or re-audit result.",
        error_messages=_required("Enter the evidence of impact that shows the action worked"),
    )


class TrackerFilterForm(forms.Form):
    """Filters of the action tracker, read from the query string; bad values are ignored."""

    agency = forms.ModelChoiceField(
        label="Owner agency", queryset=Agency.objects.none(), required=False, empty_label="Any"
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *ActionStatus.choices], required=False
    )
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["agency"]
        field.queryset = agencies


class FollowUpForm(forms.Form):
    title = forms.CharField(
        label="Title of the re-audit",
        max_length=300,
        error_messages=_required("Enter a title for the re-audit"),
    )
    audit_date = PartialDateFormField(
        label="When it will take place",
        label_for_errors="date of the re-audit",
        required=False,
        help_text="Optional. A month and year, like March 2024.",
    )
