"""What the reports app keeps: decisions that something the disclosure check found may stay."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from maca.audits.models import Audit
from maca.reports.brief_sections import SectionKind


class DisclosureScope(models.TextChoices):
    PUBLISH = "publish", "Publishing the brief"
    EXPORT = "export", "Exporting the audit"


class DisclosureAcceptance(models.Model):
    """A coordinator's decision that one hit of the disclosure check may stay, with why.

    The match itself is not stored (it may be a child's identifier): only a keyed hash of the
    kind, the match and where it is. Editing the text moves or removes the match, so the hash
    no longer fits any hit and the acceptance stops applying on its own.
    """

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="disclosure_acceptances"
    )
    scope = models.CharField(max_length=10, choices=DisclosureScope.choices)
    kind = models.CharField(max_length=30)
    fingerprint = models.CharField(max_length=64)
    location = models.CharField(max_length=300, help_text="Where the match was, as shown.")
    reason = models.TextField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_by_name = models.CharField(max_length=200)
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["audit", "accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "scope", "fingerprint"], name="disclosure_acceptance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.kind} at {self.location}"


class BriefSnapshot(models.Model):
    """The learning brief as it was published: readers see exactly what was checked and
    agreed, whatever is edited afterwards. Moving the audit back and publishing again makes
    the next version; earlier versions stay."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="brief_snapshots")
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_by_name = models.CharField(max_length=200)
    brief = models.JSONField(help_text="The brief's data, as every format renders it.")
    markdown = models.TextField(help_text="The brief as Markdown, as published.")
    report = models.JSONField(
        default=dict, help_text="The audit report as a reader sees it, as published."
    )
    frozen = models.JSONField(
        default=dict, help_text="What other parts of maca keep of this version, by name."
    )
    discarded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a draft of the next version was last discarded."
    )

    class Meta:
        ordering = ["audit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "version"], name="brief_snapshot_version")
        ]

    def __str__(self) -> str:
        return f"Published version {self.version}"


# --- Brief templates ------------------------------------------------------------------------
# They live in reports, beside the brief they shape: nothing below reports needs them, and the
# audit's choice is a row here pointing at the audit rather than a field on it, so the audits
# app stays unaware of how briefs are laid out.


class BriefTemplate(models.Model):
    """A partnership's shape for briefs. Shipped templates cannot change; a partnership makes
    its own by copying one."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    document_name = models.CharField(
        max_length=100, help_text="What the document calls itself, e.g. 'Learning brief'."
    )
    is_shipped = models.BooleanField(default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    class Meta:
        ordering = ["-is_shipped", "name"]

    def __str__(self) -> str:
        return self.name


class BriefTemplateVersion(models.Model):
    """A fixed list of sections. A version a brief was published with is frozen, so the
    published brief and its template keep telling the same story; changing it means a new
    version, and audits keep the version they chose."""

    template = models.ForeignKey(BriefTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="brief_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class BriefTemplateSection(models.Model):
    version = models.ForeignKey(
        BriefTemplateVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    heading = models.CharField(max_length=200)
    lead_in = models.TextField(blank=True, help_text="Printed under the heading, before it.")
    text = models.TextField(
        blank=True,
        help_text="Your own text: the body of a text section, one question a line for "
        "questions for reflection.",
    )
    if_empty = models.TextField(
        blank=True,
        help_text="What to say when the audit holds nothing for this section. Left blank, an "
        "empty section is left out.",
    )
    is_shown = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.heading


class AuditBriefTemplate(models.Model):
    """The template version an audit's brief follows; an audit without one follows the
    learning brief."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="brief_template")
    version = models.ForeignKey(
        BriefTemplateVersion, on_delete=models.PROTECT, related_name="audits"
    )

    def __str__(self) -> str:
        return f"{self.audit}: {self.version}"


class AuditLink(models.Model):
    """Another audit the brief covers with its own, and how they relate: a programme of audits
    published as one briefing, or this year's audit beside last year's. The audit's own
    `follow_up_of` needs no link; it is printed anyway."""

    class Relationship(models.TextChoices):
        SAME_PROGRAMME = "same_programme", "Part of the same programme"
        FOLLOWS_UP = "follows_up", "This audit follows it up"
        REAUDIT = "reaudit", "This audit re-audits it"
        COMPARED = "compared", "Compared with it, year on year"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="brief_links")
    other = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    note = models.TextField(blank=True, help_text="What the brief says of it, if anything.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["audit", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "other"], name="audit_link_once"),
            models.CheckConstraint(
                condition=~models.Q(audit=models.F("other")), name="audit_link_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit} – {self.other}"


# --- Downloads of drafts, made by the worker ------------------------------------------------


class DraftRender(models.Model):
    """A PDF or Word file of a draft (the live brief, report or 7-minute briefing), made by
    the task worker while the person watches its progress, then downloaded from the `renders`
    storage. Only the person who asked sees it; a newer request replaces it."""

    class Kind(models.TextChoices):
        BRIEF = "brief", "Learning brief"
        REPORT = "report", "Audit report"
        BRIEFING = "briefing", "7-minute briefing"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be made"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="draft_renders")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    extension = models.CharField(max_length=5)
    brief_url = models.CharField(
        max_length=500, blank=True, help_text="The brief's address, printed in a briefing."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    stored_name = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.extension}) of {self.audit}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
