"""Findings and actions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from maca.api.serializers.common import (
    AuditRefSerializer,
    PartialDateField,
    RelatedIds,
    RelatedStrings,
    short_names,
)
from maca.learning.models import Action, ActionStatus, ActionUpdate, Finding, Heading
from maca.learning.published import PublishedAction
from maca.learning.selectors import is_overdue


class LearningPointRefSerializer(serializers.Serializer):
    review = serializers.CharField(source="review.short_name")
    order = serializers.IntegerField()
    text = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    heading = serializers.ChoiceField(choices=Heading.choices)
    order = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    needs_to_happen = serializers.CharField()
    attribution = serializers.CharField()
    include_in_brief = serializers.BooleanField()
    taken_forward_by = short_names()
    agencies = short_names()
    themes = RelatedStrings("name")
    learning_points = LearningPointRefSerializer(many=True)
    questions = RelatedStrings("code")
    cases = serializers.SerializerMethodField()
    escalations = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            allow_null=True,
            help_text="Pseudonyms; null for people who do not see children (readers, agencies).",
        )
    )
    def get_cases(self, finding: Finding) -> list[str] | None:
        if not self.context["sees_cases"]:
            return None
        return [case.pseudonym for case in finding.cases.all()]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.IntegerField(),
            allow_null=True,
            help_text="Escalation ids; null for people who do not see children.",
        )
    )
    def get_escalations(self, finding: Finding) -> list[int] | None:
        if not self.context["sees_cases"]:
            return None
        return [escalation.pk for escalation in finding.escalations.all()]


class ActionUpdateSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.SerializerMethodField()
    text = serializers.CharField()
    status_before = serializers.ChoiceField(choices=ActionStatus.choices, allow_blank=True)
    status_after = serializers.ChoiceField(choices=ActionStatus.choices, allow_blank=True)

    def get_by(self, update: ActionUpdate) -> str:
        return update.by.full_name if update.by else ""


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    audit = AuditRefSerializer()
    order = serializers.IntegerField()
    description = serializers.CharField()
    owners = short_names()
    lead_name = serializers.SerializerMethodField()
    due = PartialDateField(allow_null=True)
    measure_of_success = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    done_on = PartialDateField(allow_null=True)
    evidence_of_impact = serializers.CharField()
    verified_at = serializers.DateTimeField(allow_null=True)
    include_in_brief = serializers.BooleanField()
    overdue = serializers.SerializerMethodField(help_text="Past its due date and not done.")
    findings = RelatedIds()
    updates = ActionUpdateSerializer(many=True)

    def get_overdue(self, action: Action | PublishedAction) -> bool:
        return is_overdue(action, self.context["today"])

    def get_lead_name(self, action: Action | PublishedAction) -> str:
        if action.lead_name:
            return str(action.lead_name)
        return action.lead.full_name if action.lead else ""


class ActionRightsSerializer(serializers.Serializer):
    can_edit = serializers.BooleanField()
    can_update_progress = serializers.BooleanField()
    can_verify = serializers.BooleanField()


class ActionDetailSerializer(ActionSerializer):
    rights = serializers.SerializerMethodField()
    next_statuses = serializers.SerializerMethodField()

    @extend_schema_field(ActionRightsSerializer)
    def get_rights(self, action: Action) -> Any:
        return ActionRightsSerializer(self.context["detail"].rights).data

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=ActionStatus.choices))
    )
    def get_next_statuses(self, action: Action) -> list[str]:
        detail = self.context["detail"]
        statuses = [value for value, _ in detail.next_statuses]
        if detail.rights.can_verify and action.status == ActionStatus.DONE:
            statuses.append(ActionStatus.VERIFIED.value)
        return statuses


class ActionStatusWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    done_on = PartialDateField(
        required=False, allow_null=True, default=None, help_text="When marking it done."
    )
    evidence_of_impact = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20000,
        default="",
        help_text="Required to verify (coordinator only).",
    )
