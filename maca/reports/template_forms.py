"""Forms for brief templates: one per section on the template's page, the audit's choice, and
the other audits its brief covers."""

from __future__ import annotations

from typing import Any

from django import forms

from maca.audits.models import Audit
from maca.core.form_base import GovukForm
from maca.reports.brief_sections import SectionKind
from maca.reports.models import AuditLink, BriefTemplateSection, BriefTemplateVersion


class SectionForm(GovukForm):
    order = forms.IntegerField(label="Position", min_value=1, max_value=99)
    heading = forms.CharField(label="Heading", max_length=200)
    lead_in = forms.CharField(
        label="Lead-in (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Printed under the heading, before the section's content.",
    )
    text = forms.CharField(
        label="Your text (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The body of a text section; one question a line for questions.",
    )
    if_empty = forms.CharField(
        label="What to say when the audit holds nothing for it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Left blank, an empty section is left out of the brief.",
    )
    is_shown = forms.BooleanField(label="Show this section in the brief", required=False)

    def __init__(self, *args: Any, section: BriefTemplateSection, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"section-{section.pk}")
        kwargs.setdefault(
            "initial",
            {
                field: getattr(section, field)
                for field in ("order", "heading", "lead_in", "text", "if_empty", "is_shown")
            },
        )
        super().__init__(*args, **kwargs)
        self.section = section


class AddSectionForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of section", choices=SectionKind.choices)
    new_heading = forms.CharField(label="Heading (optional)", max_length=200, required=False)


class VersionChoiceField(forms.ModelChoiceField[BriefTemplateVersion]):
    def label_from_instance(self, obj: BriefTemplateVersion) -> str:
        return f"{obj.template.name}, version {obj.number}"


class TemplateChoiceForm(GovukForm):
    version = VersionChoiceField(
        label="Brief template",
        queryset=BriefTemplateVersion.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, choices: list[BriefTemplateVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            BriefTemplateVersion.objects.filter(pk__in=[c.pk for c in choices])
            .select_related("template")
            .order_by("-template__is_shipped", "template__name", "-number")
        )


class AuditLinkForm(GovukForm):
    other = forms.TypedChoiceField(label="Audit", coerce=int, choices=())
    relationship = forms.ChoiceField(
        label="How it relates to this audit",
        choices=AuditLink.Relationship.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What the brief says of it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, which part of the programme it was.",
    )

    def __init__(self, *args: Any, audits: list[Audit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose an audit")] + [
            (audit.pk, f"{audit.title} ({audit.date_text})" if audit.date_text else audit.title)
            for audit in audits
        ]
