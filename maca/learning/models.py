"""What an audit learns and what changes because of it: earlier reviews and their learning
points, findings under the brief's three headings, actions, and resources for practitioners."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from maca.accounts.models import Agency
from maca.audits.models import Audit, Case, Escalation, Question
from maca.core.history import HistoryManager
from maca.core.models import TimeStampedModel
from maca.core.partial_dates import PartialDateField


class Review(TimeStampedModel):
    """An earlier review whose learning an audit may check, e.g. 'SCR Georgia'."""

    class Kind(models.TextChoices):
        SCR = "scr", "Serious case review"
        CSPR = "cspr", "Child safeguarding practice review"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        DHR = "dhr", "Domestic homicide review"
        NATIONAL_PANEL = "national_panel", "National panel review"
        THEMATIC = "thematic", "Thematic review"
        # Several reviews read together and linked as one ("relevant reviews from across
        # the country"), so an audit can check learning no single review holds.
        GROUP = "group", "A group of reviews"
        AUDIT = "audit", "Earlier audit"
        INSPECTION = "inspection", "Inspection"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    published = PartialDateField(blank=True)
    summary = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.short_name


class LearningPoint(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="learning_points")
    order = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["review", "order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "order"], name="learning_point_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review} {self.order}: {self.text[:60]}"


class AuditReview(models.Model):
    """An earlier review linked to an audit, with how they relate."""

    class Relationship(models.TextChoices):
        CHECKS_EMBEDDED = "checks_embedded", "Checks learning is embedded"
        PROMPTED_BY = "prompted_by", "Prompted by"
        RELATED = "related", "Related"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="review_links")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="audit_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    note = models.TextField(blank=True, help_text="What the audit checks of this review.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["audit", "order"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "review"], name="audit_review_unique")
        ]


class Theme(models.Model):
    """A cross-cutting practice theme used to tag findings (e.g. 'Exploitation')."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Heading(models.TextChoices):
    WORRY = "worry", "What we are worried about"
    GOOD_PRACTICE = "good_practice", "What good practice did we see"
    LEARNING = "learning", "Themes for learning"


class Finding(TimeStampedModel):
    """One item of the brief.

    Worries and good practice are a sentence or two in `text`; a theme for learning has a
    `title`, what we found in `text`, what needs to happen, and who takes it forward.
    """

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    heading = models.CharField(max_length=20, choices=Heading.choices)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text="The finding; for a theme for learning, what we found.")
    needs_to_happen = models.TextField(blank=True)
    strengths = models.TextField(
        blank=True,
        help_text="For a theme: what is working well, held apart from what we found lacking.",
    )
    taken_forward_by = models.ManyToManyField(
        Agency, blank=True, related_name="findings_taken_forward"
    )
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the brief credits, e.g. 'school, foster carer'.",
    )
    include_in_brief = models.BooleanField(default=True)
    signs_of_safety_scale = models.PositiveSmallIntegerField(null=True, blank=True)

    cases = models.ManyToManyField(Case, blank=True, related_name="findings")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="findings")
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    escalations = models.ManyToManyField(Escalation, blank=True, related_name="findings")
    learning_points = models.ManyToManyField(LearningPoint, blank=True, related_name="findings")
    questions = models.ManyToManyField(
        Question,
        blank=True,
        related_name="findings",
        help_text="Questions of the tool the finding came from, and so the standards it tests.",
    )

    # Bulk updates (reordering, merging) keep their history too (maca.core.history).
    objects = HistoryManager()

    class Meta:
        ordering = ["audit", "heading", "order", "id"]

    def __str__(self) -> str:
        return self.title or self.text[:80]


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    VERIFIED = "verified", "Verified"
    # Past audits often never said where an action got to; the brief then says nothing of it.
    NOT_RECORDED = "not_recorded", "Not recorded"


class Action(TimeStampedModel):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    findings = models.ManyToManyField(Finding, blank=True, related_name="actions")
    order = models.PositiveIntegerField(default=0)
    description = models.TextField()
    # Every listed agency that owns the action, the lead among them; they see it in the
    # tracker. Organisations that are not listed agencies are kept as written, not matched.
    owners = models.ManyToManyField(Agency, related_name="actions")
    lead_owner = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The listed agency that leads; it is one of the owners.",
    )
    lead_owner_name = models.CharField(
        max_length=200, blank=True, help_text="The lead organisation when it is not listed."
    )
    other_owners = models.TextField(
        blank=True, help_text="Contributing organisations that are not listed, one a line."
    )
    lead_name = models.CharField(max_length=200, blank=True, help_text="Named lead.")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due = PartialDateField(blank=True)
    measure_of_success = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    done_on = PartialDateField(blank=True)
    evidence_of_impact = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    include_in_brief = models.BooleanField(default=True)

    objects = HistoryManager()

    class Meta:
        ordering = ["audit", "order", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def other_owner_names(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.other_owners.splitlines() if line.strip())


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    status_before = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)

    class Meta:
        ordering = ["action", "at", "id"]


class ActionReminderKind(models.TextChoices):
    FALLING_DUE = "falling_due", "Falling due"
    OVERDUE = "overdue", "Overdue"


class ActionReminder(models.Model):
    """A reminder sent for an action: one that it falls due soon, one that it is overdue. One
    of each per action and due date, so the daily task never sends the same reminder twice; a
    new due date earns new reminders."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    due = PartialDateField(help_text="The due date the reminder was about.")
    kind = models.CharField(
        max_length=12, choices=ActionReminderKind.choices, default=ActionReminderKind.OVERDUE
    )
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="E-mail addresses it went to.")

    class Meta:
        ordering = ["action", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "due", "kind"], name="action_reminder_once_per_due"
            )
        ]


class Resource(models.Model):
    """A link the brief gives practitioners: a service, a process, a tool, training."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Service information"
        PROCESS = "process", "Process or procedure"
        TOOL = "tool", "Tool"
        TRAINING = "training", "Training"
        REVIEW = "review", "Review or learning brief"
        POLICY = "policy", "Policy"
        OTHER = "other", "Other"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="resources")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True, help_text="Blank when the brief names it without a link.")
    description = models.CharField(
        max_length=300, blank=True, help_text="A sentence of context, e.g. when to use the tool."
    )

    class Meta:
        ordering = ["audit", "order", "id"]

    def __str__(self) -> str:
        return self.title
