"""What the reports app keeps: decisions that something the disclosure check found may stay."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from maca.audits.models import Audit


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
