"""Report figures (aggregates only: never a child) and the learning brief."""

from __future__ import annotations

from rest_framework import serializers


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class NeedCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CohortFiguresSerializer(serializers.Serializer):
    case_count = serializers.IntegerField()
    age_bands = CountSerializer(many=True)
    needs = NeedCountSerializer(many=True)
    out_of_area_count = serializers.IntegerField()
    uasc_count = serializers.IntegerField()


class OutcomeCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    partly = serializers.IntegerField()
    not_met = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    applicable = serializers.IntegerField(help_text="The denominator: N/A is left out.")
    percent_met = serializers.IntegerField(source="percent", allow_null=True)


class StandardComplianceSerializer(serializers.Serializer):
    standard = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField())
    counts = OutcomeCountsSerializer()


class DistributionSerializer(serializers.Serializer):
    label = serializers.CharField()
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text="In the order of the scale's `levels`."
    )
    total = serializers.IntegerField()


class ScaleViewSerializer(serializers.Serializer):
    slug = serializers.CharField(source="scale.slug", allow_null=True)
    levels = serializers.ListField(source="labels", child=serializers.CharField())


class GradeFiguresSerializer(serializers.Serializer):
    section_scale = ScaleViewSerializer()
    by_section = DistributionSerializer(many=True)
    agreed_by_section = DistributionSerializer(many=True)
    overall_scale = ScaleViewSerializer()
    by_agency = DistributionSerializer(many=True)
    agreed_overall = DistributionSerializer(allow_null=True)


class SelfAgainstAgreedSerializer(serializers.Serializer):
    agency = serializers.CharField()
    more_positive = serializers.IntegerField()
    same = serializers.IntegerField()
    less_positive = serializers.IntegerField()


class LabelCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class EscalationFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_urgency = LabelCountSerializer(many=True)
    by_status = LabelCountSerializer(many=True)
    acknowledged_in_time = serializers.IntegerField()
    with_deadline = serializers.IntegerField()
    resolved = serializers.IntegerField()


class ActionFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = LabelCountSerializer(many=True)
    verified = serializers.IntegerField()
    open = serializers.IntegerField()


class PointCheckSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    text = serializers.CharField()
    question_codes = serializers.ListField(child=serializers.CharField())
    counts = OutcomeCountsSerializer()
    sentence = serializers.CharField()


class ReviewCheckSerializer(serializers.Serializer):
    title = serializers.CharField()
    short_name = serializers.CharField()
    relationship = serializers.CharField()
    points = PointCheckSerializer(many=True)


class ThemeCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    findings = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    is_draft = serializers.BooleanField()
    returns_counted = serializers.IntegerField(
        help_text="Returns counted in the figures (submitted, signed off or accepted)."
    )
    returns_total = serializers.IntegerField()
    cohort = CohortFiguresSerializer()
    compliance = StandardComplianceSerializer(many=True)
    overall_compliance = OutcomeCountsSerializer()
    grades = GradeFiguresSerializer()
    self_against_agreed = SelfAgainstAgreedSerializer(many=True)
    escalations = EscalationFiguresSerializer()
    actions = ActionFiguresSerializer()
    learning_embedded = ReviewCheckSerializer(many=True)
    themes = ThemeCountSerializer(many=True)


# --- The brief ------------------------------------------------------------------------------


class BriefItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.CharField()


class BriefThemeSerializer(serializers.Serializer):
    title = serializers.CharField()
    found = serializers.ListField(child=serializers.CharField())
    needs_to_happen = serializers.ListField(child=serializers.CharField())
    taken_forward_by = serializers.ListField(child=serializers.CharField())


class BriefEscalationSerializer(serializers.Serializer):
    summary = serializers.CharField()
    outcome = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.CharField()


class BriefActionSerializer(serializers.Serializer):
    description = serializers.CharField()
    owners = serializers.ListField(child=serializers.CharField())
    lead_name = serializers.CharField()
    due = serializers.CharField()
    status = serializers.CharField()
    status_text = serializers.CharField()
    measure_of_success = serializers.CharField()


class BriefLearningCheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    sentence = serializers.CharField()


class BriefReviewSerializer(serializers.Serializer):
    title = serializers.CharField()
    relationship = serializers.CharField()
    note = serializers.ListField(child=serializers.CharField())
    learning_points = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()
    embedded = BriefLearningCheckSerializer(many=True)


class BriefResourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()


class BriefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    theme = serializers.CharField()
    partnership_name = serializers.CharField()
    date_text = serializers.CharField()
    published_on = serializers.CharField()
    is_draft = serializers.BooleanField(
        help_text="True until the audit is published; drafts are for coordinators and panel."
    )
    intro = serializers.ListField(child=serializers.CharField())
    children = serializers.ListField(child=serializers.CharField())
    needs = serializers.ListField(child=serializers.CharField())
    worries = BriefItemSerializer(many=True)
    good_practice = BriefItemSerializer(many=True)
    themes = BriefThemeSerializer(many=True)
    escalations = BriefEscalationSerializer(many=True)
    actions = BriefActionSerializer(many=True)
    reviews = BriefReviewSerializer(many=True)
    agencies = serializers.ListField(child=serializers.CharField())
    agencies_text = serializers.CharField()
    resources = BriefResourceSerializer(many=True)
    reaudit_text = serializers.CharField()
    markdown = serializers.SerializerMethodField(help_text="The whole brief as Markdown.")

    def get_markdown(self, brief: object) -> str:
        return str(self.context["markdown"])
