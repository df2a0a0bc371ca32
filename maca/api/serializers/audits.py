"""Audits, their tools and their cases (pseudonyms and facts; never an identifier)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from maca.accounts.models import Role, Sector
from maca.api.selectors import ToolVersionView
from maca.api.serializers.common import AgencyRefSerializer, PartialDateField, RelatedStrings
from maca.audits.models import (
    AgencyInvolvement,
    Audit,
    AuditStatus,
    Case,
    GradeLevel,
    GradingScale,
    Question,
)


class MeRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    agency = AgencyRefSerializer(allow_null=True)


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = MeRoleSerializer(many=True)


class ToolRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="tool.slug")
    name = serializers.CharField(source="tool.name")
    version = serializers.IntegerField(source="number")


class AuditListSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    theme = serializers.CharField()
    kind = serializers.ChoiceField(choices=Audit.Kind.choices)
    status = serializers.ChoiceField(choices=AuditStatus.choices)
    audit_date = PartialDateField(allow_null=True)
    returns_due = serializers.DateField(allow_null=True)
    panel_date = serializers.DateField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    case_count = serializers.IntegerField()
    agency_count = serializers.IntegerField()
    tool = ToolRefSerializer(source="tool_version", allow_null=True)
    follow_up_of = serializers.SlugField(source="follow_up_of.slug", allow_null=True)


class AccessSerializer(serializers.Serializer):
    is_coordinator = serializers.BooleanField()
    is_panel_member = serializers.BooleanField()
    agency_ids = serializers.ListField(child=serializers.IntegerField())
    can_see_cases = serializers.BooleanField()
    can_see_learning = serializers.BooleanField()


class AuditAgencySerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    returns_due = serializers.DateField(allow_null=True)


class SampleSerializer(serializers.Serializer):
    method = serializers.CharField(source="sample_method")
    frame_size = serializers.IntegerField(source="sample_frame_size", allow_null=True)
    census_date = serializers.DateField(allow_null=True)
    notes = serializers.CharField(source="sample_notes")


class AuditDetailSerializer(AuditListSerializer):
    rationale = serializers.CharField()
    aim = serializers.CharField()
    terms_of_reference = serializers.CharField()
    cohort_definition = serializers.CharField()
    lookback_months = serializers.IntegerField(allow_null=True)
    lawful_basis = serializers.CharField()
    reaudit_due = PartialDateField(allow_null=True)
    overall_scale = serializers.SlugField(source="overall_scale.slug", allow_null=True)
    sample = SampleSerializer(source="*")
    lines_of_enquiry = serializers.SerializerMethodField()
    agencies = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lines_of_enquiry(self, audit: Audit) -> list[str]:
        return [line.text for line in audit.lines_of_enquiry.all()]

    @extend_schema_field(AuditAgencySerializer(many=True))
    def get_agencies(self, audit: Audit) -> Any:
        return AuditAgencySerializer(self.context["agency_links"], many=True).data

    @extend_schema_field(AccessSerializer)
    def get_access(self, audit: Audit) -> Any:
        access = self.context["access"]
        return AccessSerializer(
            {
                "is_coordinator": access.is_coordinator,
                "is_panel_member": access.is_panel_member,
                "agency_ids": sorted(access.agency_ids),
                "can_see_cases": access.can_see_cases,
                "can_see_learning": access.can_see_learning,
            }
        ).data


# --- Tools ----------------------------------------------------------------------------------


class GradeLevelSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    outcome = serializers.ChoiceField(choices=GradeLevel.Outcome.choices, allow_blank=True)


class GradingScaleSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=GradingScale.Kind.choices)
    higher_is_better = serializers.BooleanField()
    levels = GradeLevelSerializer(source="levels_list", many=True)


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to send as the answer's `option`.")
    label = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.id")
    order = serializers.IntegerField(source="question.order")
    code = serializers.CharField(source="question.code")
    text = serializers.CharField(source="question.text")
    help_text = serializers.CharField(source="question.help_text")
    kind = serializers.ChoiceField(source="question.kind", choices=Question.Kind.choices)
    scale = serializers.SlugField(source="scale.slug", allow_null=True)
    options = OptionSerializer(many=True)
    requires_reason = serializers.BooleanField(source="question.requires_reason")
    standard = serializers.CharField(source="question.standard")
    applies_to_sectors = serializers.ListField(
        source="question.applies_to_sectors", child=serializers.ChoiceField(choices=Sector.choices)
    )
    applies_to_agencies = RelatedStrings("short_name", source="question.applies_to_agencies")


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="section.id")
    order = serializers.IntegerField(source="section.order")
    title = serializers.CharField(source="section.title")
    help_text = serializers.CharField(source="section.help_text")
    grading_scale = serializers.SlugField(source="section.grading_scale.slug", allow_null=True)
    questions = QuestionSerializer(many=True)


class ToolVersionSerializer(serializers.Serializer):
    tool = serializers.SerializerMethodField()
    number = serializers.IntegerField(source="version.number")
    notes = serializers.CharField(source="version.notes")
    frozen_at = serializers.DateTimeField(source="version.frozen_at", allow_null=True)
    sections = SectionSerializer(many=True)
    scales = GradingScaleSerializer(many=True)

    @extend_schema_field(
        serializers.DictField(child=serializers.CharField(), help_text="slug and name")
    )
    def get_tool(self, view: ToolVersionView) -> dict[str, str]:
        tool = view.version.tool
        return {"slug": tool.slug, "name": tool.name}


class ToolVersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    notes = serializers.CharField()
    frozen_at = serializers.DateTimeField(allow_null=True)
    audit_count = serializers.IntegerField()
    question_count = serializers.IntegerField()


class ToolListSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    versions = ToolVersionSummarySerializer(source="versions_list", many=True)


# --- Cases ----------------------------------------------------------------------------------


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField()
    order = serializers.IntegerField()
    age_weeks = serializers.IntegerField()
    age_display = serializers.CharField()
    age_band = serializers.CharField()
    gender = serializers.CharField()
    needs = RelatedStrings("code")
    legal_status = serializers.CharField()
    placement_type = serializers.CharField()
    placement_provider = serializers.CharField()
    placed_out_of_area = serializers.BooleanField(allow_null=True)
    placement_distance_miles = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    placement_area = serializers.CharField()
    placement_moves_12m = serializers.IntegerField(allow_null=True)
    missing_episodes_12m = serializers.IntegerField(allow_null=True)
    is_uasc = serializers.BooleanField()
    facts = serializers.DictField(help_text="Further facts and compliance flags from the 903.")


class InvolvementSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    status = serializers.ChoiceField(choices=AgencyInvolvement.Status.choices)
    note = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    involvement = serializers.SerializerMethodField()

    @extend_schema_field(InvolvementSerializer(many=True))
    def get_involvement(self, case: Case) -> Any:
        return InvolvementSerializer(self.context["involvement"], many=True).data
