"""The audit itself: grading scales, audit tools, the plan, cases, agency returns,
escalations of live risk and the panel's moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from maca.accounts.models import Agency
from maca.audits import codes
from maca.core.history import HistoryManager
from maca.core.models import TimeStampedModel
from maca.core.partial_dates import PartialDate, PartialDateField, range_text

# --- Grading scales -------------------------------------------------------------------------


class GradingScale(models.Model):
    """A scale as data, so a partnership can add its own (Ofsted 4-point, RAG, 0–10…)."""

    class Kind(models.TextChoices):
        ORDINAL = "ordinal", "Ordinal judgement"
        COMPLIANCE = "compliance", "Compliance (met / not met)"
        NUMERIC = "numeric", "Numeric scaling"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    higher_is_better = models.BooleanField(
        default=True, help_text="Ofsted grades run 1 (best) to 4; Signs of Safety 0 to 10 (best)."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GradeLevel(models.Model):
    """One point on a scale. `outcome` lets compliance scales roll up as met / partly / not met."""

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"
        NOT_APPLICABLE = "not_applicable", "Not applicable"
        NONE = "", "No compliance meaning"

    scale = models.ForeignKey(GradingScale, on_delete=models.CASCADE, related_name="levels")
    value = models.IntegerField(help_text="Ordinal position on the scale.")
    code = models.CharField(max_length=20)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="grade_value_unique"),
            models.UniqueConstraint(fields=["scale", "code"], name="grade_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label


# --- Taxonomies -----------------------------------------------------------------------------


class Need(models.Model):
    """A need or risk a child may have (domestic abuse, exploitation risk, seeking asylum…)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


# --- Audit tools ----------------------------------------------------------------------------


class AuditTool(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ToolVersion(TimeStampedModel):
    """A fixed set of sections and questions. A version that has answers is frozen."""

    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tool", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="tool_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool} v{self.number}"


class ToolSection(models.Model):
    version = models.ForeignKey(ToolVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)
    grading_scale = models.ForeignKey(
        GradingScale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Scale for the section grade; none means the section is not graded.",
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="section_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        GRADED = "graded", "Graded on a scale, with a reason"
        COMPLIANCE = "compliance", "Yes / No / Partial / N/A"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        DATE = "date", "Date"
        NUMBER = "number", "Number"
        TEXT = "text", "Free text"

    section = models.ForeignKey(ToolSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=20, help_text="Short reference, e.g. 'Q6.2'.")
    text = models.TextField()
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, null=True, blank=True)
    choices = models.JSONField(default=list, blank=True, help_text="Options for choice kinds.")
    requires_reason = models.BooleanField(default=False)
    standard = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'CPPCR 2010 reg 28: statutory visits'."
    )
    applies_to_sectors = models.JSONField(
        default=list, blank=True, help_text="Sector codes; empty means every agency."
    )
    applies_to_agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="+",
        help_text="Particular agencies; with no sectors either, it applies to every agency.",
    )
    learning_point = models.ForeignKey(
        "learning.LearningPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="question_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def applies_to(self, agency: Agency) -> bool:
        """Call with `applies_to_agencies` prefetched when checking many questions."""
        agency_ids = {item.pk for item in self.applies_to_agencies.all()}
        if not self.applies_to_sectors and not agency_ids:
            return True
        return agency.sector in self.applies_to_sectors or agency.pk in agency_ids


# --- The audit and its plan -----------------------------------------------------------------


class AuditStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SAMPLING = "sampling", "Sampling"
    RETURNS_OPEN = "returns_open", "Returns open"
    MODERATION = "moderation", "Moderation"
    FINDINGS = "findings", "Findings"
    PUBLISHED = "published", "Published"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSED = "closed", "Closed"


AUDIT_STATUS_ORDER = list(AuditStatus.values)


class Audit(TimeStampedModel):
    class Kind(models.TextChoices):
        CASE_AUDIT = "case_audit", "Multi-agency case audit"
        SELF_ASSESSMENT = "self_assessment", "Section 11 / section 175 self-assessment"

    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CASE_AUDIT)
    title = models.CharField(max_length=300)
    theme = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=AuditStatus.choices, default="draft")

    # Plan
    rationale = models.TextField(blank=True, help_text="Why this theme was chosen.")
    aim = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    cohort_definition = models.TextField(
        blank=True, help_text="Which children, e.g. 'looked after and placed out of area'."
    )
    lookback_months = models.PositiveIntegerField(null=True, blank=True)
    lawful_basis = models.TextField(
        blank=True, help_text="e.g. 'Children Act 2004 s16H information request'."
    )
    partnership_names = models.TextField(
        blank=True,
        help_text="The partnership or partnerships that ran the audit, one a line; blank "
        "means this deployment's partnership.",
    )
    audit_date = PartialDateField(
        blank=True, help_text="When the audit took place, to the day or the month."
    )
    audit_date_until = PartialDateField(
        blank=True, help_text="Where the audit ran over a time: when it ended."
    )
    returns_due = models.DateField(null=True, blank=True)
    panel_date = models.DateField(null=True, blank=True)
    reaudit_due = PartialDateField(blank=True, help_text="When learning will be checked again.")
    published_on = models.DateField(null=True, blank=True)

    tool_version = models.ForeignKey(
        ToolVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    overall_scale = models.ForeignKey(
        GradingScale, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )

    # Sample, written for inspectors asking how it was drawn
    sample_method = models.CharField(max_length=100, blank=True)
    sample_frame_size = models.PositiveIntegerField(null=True, blank=True)
    sample_seed = models.CharField(max_length=64, blank=True)
    sample_notes = models.TextField(blank=True)
    census_date = models.DateField(null=True, blank=True)

    # Retention of child identifiers (maca.identifiers.retention): they are purged a set time
    # after the audit closes unless a hold with a reason is set. One hold at a time, on the
    # audit itself, so its history records every hold set or lifted, by whom and why.
    closed_at = models.DateTimeField(null=True, blank=True)
    identifiers_purged_at = models.DateTimeField(null=True, blank=True)
    retention_hold_reason = models.TextField(blank=True)
    retention_hold_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    retention_hold_set_at = models.DateTimeField(null=True, blank=True)

    agencies = models.ManyToManyField(Agency, through="AuditAgency", related_name="audits")
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_audits", blank=True
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PanelMembership", related_name="panel_audits"
    )

    objects = HistoryManager()

    class Meta:
        ordering = ["-audit_date", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return AUDIT_STATUS_ORDER.index(self.status) >= AUDIT_STATUS_ORDER.index("published")

    @property
    def partnerships(self) -> tuple[str, ...]:
        """Who ran the audit, as it says; the deployment's partnership when it says none."""
        names = tuple(line.strip() for line in self.partnership_names.splitlines() if line.strip())
        return names or (settings.PARTNERSHIP_NAME,)

    @property
    def date_text(self) -> str:
        """When it took place as people write it: '8 March 2022', '2016/17', '15–19 January
        2024'; empty when not known."""
        start, end = self.audit_date, self.audit_date_until
        if not isinstance(start, PartialDate):
            return ""
        return range_text(start, end if isinstance(end, PartialDate) else None)


class LineOfEnquiry(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="lines_of_enquiry")
    order = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["audit", "order"]
        verbose_name_plural = "lines of enquiry"


class AuditAgency(models.Model):
    """An agency asked to take part in an audit."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="audit_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="audit_agencies")
    order = models.PositiveIntegerField(default=0)
    returns_due = models.DateField(
        null=True, blank=True, help_text="Overrides the audit's due date for this agency."
    )

    class Meta:
        ordering = ["audit", "order", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "agency"], name="audit_agency_unique")
        ]


class PanelMembership(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="panel_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_chair = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "user"], name="panel_membership_unique")
        ]


# --- Cases ----------------------------------------------------------------------------------


class Case(TimeStampedModel):
    """One audited child, known here only by a pseudonym. Identifiers live in `identifiers`."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="cases")
    pseudonym = models.CharField(max_length=40, help_text="e.g. 'Child A'.")
    order = models.PositiveIntegerField(default=0)
    age_weeks = models.PositiveIntegerField(
        help_text="Age in whole weeks at the audit date; shown as weeks, months or years."
    )
    gender = models.CharField(max_length=40, blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="cases")

    # Placement facts (903 codes where the 903 has one)
    legal_status = models.CharField(max_length=4, blank=True, help_text="903 LS code, e.g. C2.")
    placement_type = models.CharField(max_length=4, blank=True, help_text="903 PLACE code.")
    placement_provider = models.CharField(max_length=4, blank=True, help_text="903 PR code.")
    placed_out_of_area = models.BooleanField(null=True)
    placement_distance_miles = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True
    )
    placement_area = models.CharField(max_length=100, blank=True, help_text="Host authority.")
    placement_moves_12m = models.PositiveIntegerField(null=True, blank=True)
    missing_episodes_12m = models.PositiveIntegerField(null=True, blank=True)
    is_uasc = models.BooleanField(default=False)
    facts = models.JSONField(
        default=dict, blank=True, help_text="Further facts and compliance flags from the 903."
    )

    objects = HistoryManager()

    class Meta:
        ordering = ["audit", "order", "pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "pseudonym"], name="case_pseudonym_unique")
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def age_display(self) -> str:
        weeks = self.age_weeks
        if weeks < 13:
            return f"{weeks} week{'s' if weeks != 1 else ''}"
        if weeks < 104:
            months = weeks * 12 // 52
            return f"{months} months"
        years = weeks // 52
        return f"{years} years"

    @property
    def legal_status_label(self) -> str:
        return codes.label(codes.LEGAL_STATUS, self.legal_status)

    @property
    def placement_type_label(self) -> str:
        return codes.label(codes.PLACEMENT_TYPE, self.placement_type)

    @property
    def placement_provider_label(self) -> str:
        return codes.label(codes.PLACEMENT_PROVIDER, self.placement_provider)

    @property
    def age_band(self) -> str:
        years = self.age_weeks // 52
        if years < 1:
            return "Under 1"
        if years < 5:
            return "1 to 4"
        if years < 10:
            return "5 to 9"
        if years < 16:
            return "10 to 15"
        return "16 and over"


class AgencyInvolvement(models.Model):
    """Whether an agency knew a child. A 'not involved' answer is itself a nil return."""

    class Status(models.TextChoices):
        INVOLVED = "involved", "Involved"
        NOT_INVOLVED = "not_involved", "Not involved (nil return)"
        NOT_KNOWN = "not_known", "Not known yet"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_KNOWN)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = HistoryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="involvement_unique")
        ]


# --- Agency returns -------------------------------------------------------------------------


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"
    SIGNED_OFF = "signed_off", "Signed off by agency lead"
    SENT_BACK = "sent_back", "Sent back"
    ACCEPTED = "accepted", "Accepted"


class AgencyReturn(TimeStampedModel):
    """One agency's audit of its own records about one child."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED
    )
    due_date = models.DateField(null=True, blank=True)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returns_audited",
    )
    auditor_role = models.CharField(max_length=200, blank=True)
    period_reviewed = models.CharField(max_length=200, blank=True)
    records_examined = models.TextField(blank=True)
    auditor_was_involved = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        help_text="The auditor worked with the child (should be avoided); empty until answered.",
    )

    good_practice = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    overall_grade = models.ForeignKey(
        GradeLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overall_reason = models.TextField(blank=True)
    immediate_concern = models.BooleanField(default=False)

    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, help_text="Why it was sent back.")
    revision = models.PositiveIntegerField(
        default=1, help_text="Raised on every save, so a stale edit is refused, not merged."
    )
    announced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its agency's people were e-mailed that it is open; never twice.",
    )
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_saved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the answers were last saved, by a person or upload."
    )

    objects = HistoryManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="return_unique")]

    def __str__(self) -> str:
        return f"{self.agency} return for {self.case}"


class SectionSummary(models.Model):
    """Per section of a return: the three boxes partnerships ask for, and a grade."""

    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.CASCADE, related_name="section_summaries"
    )
    section = models.ForeignKey(ToolSection, on_delete=models.PROTECT, related_name="+")
    good_practice = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    grade = models.ForeignKey(
        GradeLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grade_reason = models.TextField(blank=True)

    objects = HistoryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_return", "section"], name="section_summary_unique"
            )
        ]


class Answer(models.Model):
    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    grade = models.ForeignKey(
        GradeLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choices = models.JSONField(default=list, blank=True)
    date_value = models.DateField(null=True, blank=True)
    number_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text_value = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    objects = HistoryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_return", "question"], name="answer_unique")
        ]


# --- Escalation of live risk ----------------------------------------------------------------


class Escalation(TimeStampedModel):
    class Urgency(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate safeguarding"
        STATUTORY_OVERDUE = "statutory_overdue", "Statutory task overdue"
        PRACTICE = "practice", "Practice concern"

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ACTIONED = "actioned", "Action taken"
        RESOLVED = "resolved", "Resolved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="escalations")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="escalations"
    )
    from_return = models.ForeignKey(
        AgencyReturn, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations_raised"
    )
    raised_to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="escalations_received"
    )
    raised_at = models.DateTimeField()
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RAISED)
    concern = models.TextField(help_text="Full detail; seen only by those who may see the case.")
    public_summary = models.CharField(
        max_length=300, help_text="Without identifying detail: what the brief says."
    )
    acknowledge_by = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(
        blank=True, help_text="The receiving agency's first response, given on acknowledging."
    )
    action_taken = models.TextField(blank=True)
    actioned_at = models.DateTimeField(null=True, blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True)
    public_outcome = models.CharField(max_length=300, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disagreement_policy_used = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(
        blank=True, help_text="Why it was withdrawn, e.g. raised in error or a duplicate."
    )

    objects = HistoryManager()

    class Meta:
        ordering = ["audit", "raised_at"]

    def __str__(self) -> str:
        return self.public_summary


# The only escalation fields that may be made public (brief, report, figures, the choice of
# escalations a finding cites): load no others where the public sees them, so `concern`,
# `outcome` and the case can never be printed by mistake.
PUBLIC_ESCALATION_FIELDS = (
    "id",
    "audit_id",
    "raised_at",
    "urgency",
    "status",
    "public_summary",
    "public_outcome",
)

# An escalation in one of these needs nothing more from anyone.
ESCALATION_CLOSED_STATUSES = frozenset({Escalation.Status.RESOLVED, Escalation.Status.WITHDRAWN})


# --- Moderation -----------------------------------------------------------------------------


class PanelGrade(TimeStampedModel):
    """The panel's agreed grade for a case, per section or overall (section empty).

    Agencies' own grades stay on their returns; this never overwrites them.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="panel_grades")
    section = models.ForeignKey(
        ToolSection, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grade = models.ForeignKey(GradeLevel, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = HistoryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "section"], name="panel_grade_unique_section"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(section__isnull=True), name="panel_grade_one_overall"
            ),
        ]


class Discrepancy(TimeStampedModel):
    """Where agencies' accounts of the same child disagree; often the key multi-agency finding."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="discrepancies")
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agencies = models.ManyToManyField(Agency, related_name="+")
    description = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = HistoryManager()

    class Meta:
        verbose_name_plural = "discrepancies"


# --- The audit's own figures ----------------------------------------------------------------


class CohortUnit(models.TextChoices):
    """What the audit counted; the brief's words follow it ("60 referrals", "one family")."""

    CHILDREN = "children", "Children"
    YOUNG_PEOPLE = "young_people", "Young people"
    FAMILIES = "families", "Families"
    REFERRALS = "referrals", "Referrals"
    ASSESSMENTS = "assessments", "Assessments"
    RECORDS = "records", "Records"
    EPISODES = "episodes", "Episodes"


# (one, many) for each unit, as a sentence uses them.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    CohortUnit.CHILDREN: ("child", "children"),
    CohortUnit.YOUNG_PEOPLE: ("young person", "young people"),
    CohortUnit.FAMILIES: ("family", "families"),
    CohortUnit.REFERRALS: ("referral", "referrals"),
    CohortUnit.ASSESSMENTS: ("assessment", "assessments"),
    CohortUnit.RECORDS: ("record", "records"),
    CohortUnit.EPISODES: ("episode", "episodes"),
}


class AuditFigures(models.Model):
    """What an audit states as figures rather than as one row per child: a past audit known
    only from its published report ("45 early help assessments", "69% good or outstanding"),
    or an audit adding what its case rows do not hold. Where case rows exist, the cohort's
    count and ages come from them instead (maca.audits.selectors.cohort_figures)."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="figures")
    cohort_count = models.PositiveIntegerField(null=True, blank=True)
    cohort_unit = models.CharField(
        max_length=20, choices=CohortUnit.choices, default=CohortUnit.CHILDREN
    )
    cohort_description = models.CharField(
        max_length=200, blank=True, help_text="After the unit, e.g. 'to the front door'."
    )
    age_range = models.CharField(
        max_length=100, blank=True, help_text="As the audit gave it: 'under 2', '14 to 17'."
    )
    grades_of = models.CharField(
        max_length=200, blank=True, help_text="What was graded, e.g. 'the quality of practice'."
    )
    grades_base = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many were graded: the base of every percentage."
    )

    objects = HistoryManager()

    class Meta:
        verbose_name_plural = "audit figures"

    def __str__(self) -> str:
        return f"Figures for {self.audit}"


class CohortBreakdown(models.Model):
    """One count of the cohort by a characteristic, e.g. 9 boys (group 'Gender')."""

    figures = models.ForeignKey(AuditFigures, on_delete=models.CASCADE, related_name="breakdowns")
    order = models.PositiveIntegerField()
    group = models.CharField(max_length=100, blank=True)
    label = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    objects = HistoryManager()

    class Meta:
        ordering = ["figures", "order"]

    def __str__(self) -> str:
        return f"{self.count} {self.label}"


class GradeCount(models.Model):
    """How many were given one grade. Bands sharing a `merged_into` label are also reported
    together ("good or outstanding"), as audits often publish them."""

    figures = models.ForeignKey(AuditFigures, on_delete=models.CASCADE, related_name="grades")
    order = models.PositiveIntegerField()
    label = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    merged_into = models.CharField(max_length=100, blank=True)

    objects = HistoryManager()

    class Meta:
        ordering = ["figures", "order"]

    def __str__(self) -> str:
        return f"{self.count} {self.label}"
