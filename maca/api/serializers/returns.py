"""Agency returns: read, save as a draft (PUT) and submit.

Answers are given by question code and sections by their order, as the audit tool shows them
(`GET /audits/{slug}/tool/`); grades and options by the codes the tool lists for them.
"""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from maca.api.serializers.common import AgencyRefSerializer, CaseRefSerializer
from maca.audits.models import Escalation, ReturnStatus
from maca.returns.selectors import is_overdue
from maca.returns.structure import SHORT_TEXT_LIMIT, TEXT_LIMIT

NUMBER_LIMIT = Decimal("9999999999.99")
ID_MAX = 10**18 - 1
REVISION_MAX = 2_147_483_647


class ReturnSummarySerializer(serializers.Serializer):
    case = CaseRefSerializer()
    agency = AgencyRefSerializer()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    revision = serializers.IntegerField()
    due_date = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    overall_grade = serializers.CharField(source="overall_grade.code", allow_null=True)
    immediate_concern = serializers.BooleanField()


class AnswerReadSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.code", help_text="The question's code.")
    section = serializers.IntegerField(source="question.section.order")
    option = serializers.CharField(
        help_text="Grade or compliance level code, or the single choice; empty if none."
    )
    choices = serializers.ListField(child=serializers.CharField())
    date_value = serializers.DateField(allow_null=True)
    number_value = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    text_value = serializers.CharField()
    evidence = serializers.CharField()
    reason = serializers.CharField()


class SectionSummaryReadSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="section.order")
    good_practice = serializers.CharField()
    areas_for_development = serializers.CharField()
    recommendations = serializers.CharField()
    grade = serializers.CharField(source="grade.code", allow_null=True)
    grade_reason = serializers.CharField()


class PermissionsSerializer(serializers.Serializer):
    can_edit = serializers.BooleanField()
    can_sign_off = serializers.BooleanField()
    can_review = serializers.BooleanField()
    can_send_back = serializers.BooleanField()


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class ReturnDetailSerializer(serializers.Serializer):
    case = CaseRefSerializer()
    agency = AgencyRefSerializer()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    revision = serializers.IntegerField(help_text="Send this back when you save or submit.")
    due_date = serializers.DateField(allow_null=True)
    auditor_role = serializers.CharField()
    period_reviewed = serializers.CharField()
    records_examined = serializers.CharField()
    auditor_was_involved = serializers.BooleanField(allow_null=True)
    good_practice = serializers.CharField()
    areas_for_development = serializers.CharField()
    recommendations = serializers.CharField()
    overall_grade = serializers.CharField(allow_null=True)
    overall_reason = serializers.CharField()
    immediate_concern = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    review_comment = serializers.CharField()
    answers = AnswerReadSerializer(many=True)
    sections = SectionSummaryReadSerializer(many=True)
    permissions = PermissionsSerializer()
    problems_before_submit = ProblemSerializer(
        many=True, help_text="What the return still lacks before it can be submitted."
    )


# --- Writing --------------------------------------------------------------------------------


def _text(limit: int = TEXT_LIMIT) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=limit, default="")


class AnswerWriteSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=20, help_text="The question's code, e.g. Q6.2.")
    option = _text(SHORT_TEXT_LIMIT)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=SHORT_TEXT_LIMIT),
        required=False,
        default=list,
        max_length=100,
    )
    date_value = serializers.DateField(required=False, allow_null=True, default=None)
    number_value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        max_value=NUMBER_LIMIT,
        min_value=-NUMBER_LIMIT,
        coerce_to_string=False,
    )
    text_value = _text()
    evidence = _text()
    reason = _text()


class SectionSummaryWriteSerializer(serializers.Serializer):
    section = serializers.IntegerField(
        min_value=0, max_value=REVISION_MAX, help_text="The section's order in the tool."
    )
    good_practice = _text()
    areas_for_development = _text()
    recommendations = _text()
    grade = _text(SHORT_TEXT_LIMIT)
    grade_reason = _text()


class ReturnWriteSerializer(serializers.Serializer):
    """The whole return as it should now stand: anything left out is saved empty."""

    revision = serializers.IntegerField(
        min_value=0,
        max_value=REVISION_MAX,
        help_text="The revision you read (0 for a return not yet started).",
    )
    auditor_role = _text(SHORT_TEXT_LIMIT)
    period_reviewed = _text(SHORT_TEXT_LIMIT)
    records_examined = _text()
    auditor_was_involved = serializers.BooleanField(required=False, allow_null=True, default=None)
    good_practice = _text()
    areas_for_development = _text()
    recommendations = _text()
    overall_grade = _text(SHORT_TEXT_LIMIT)
    overall_reason = _text()
    immediate_concern = serializers.BooleanField(required=False, default=False)
    answers = AnswerWriteSerializer(many=True, required=False, default=list, max_length=500)
    sections = SectionSummaryWriteSerializer(
        many=True, required=False, default=list, max_length=100
    )


class SubmitSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0, max_value=REVISION_MAX, help_text="The revision you read."
    )


# --- Escalations ----------------------------------------------------------------------------


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRefSerializer(allow_null=True)
    raised_by_agency = AgencyRefSerializer(allow_null=True)
    raised_to_agency = AgencyRefSerializer()
    raised_at = serializers.DateTimeField()
    urgency = serializers.ChoiceField(choices=Escalation.Urgency.choices)
    status = serializers.ChoiceField(choices=Escalation.Status.choices)
    concern = serializers.CharField()
    public_summary = serializers.CharField()
    acknowledge_by = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledgement_note = serializers.CharField()
    action_taken = serializers.CharField()
    actioned_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    public_outcome = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    disagreement_policy_used = serializers.BooleanField()
    overdue = serializers.SerializerMethodField(help_text="Not acknowledged by its deadline.")

    def get_overdue(self, escalation: Escalation) -> bool:
        return is_overdue(escalation, self.context["now"])


class ReturnFilterSerializer(serializers.Serializer):
    case = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="A case id."
    )
    agency = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="An agency id."
    )
    status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False)
