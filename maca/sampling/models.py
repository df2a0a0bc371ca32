"""Imports of SSDA903 extracts and the samples drawn from them.

The extract itself is not in the database: it is kept as encrypted Arrow IPC files in the
`extracts` storage (by default `conf.sampling_dir()`), one folder per import (a million
episode rows do not belong in SQLite via the ORM). The database holds what people see and
decide: status, progress, the problems found, and the record of each draw for inspectors.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models

from maca.audits.models import Audit, Case
from maca.core.models import TimeStampedModel


class ImportBatch(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Checking the files"
        NEEDS_DECISION = "needs_decision", "Problems found: decide what to do"
        READY = "ready", "Ready for sampling"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Could not be imported"

    class Decision(models.TextChoices):
        LEAVE_OUT = "leave_out", "Leave out the rows with problems"
        REFUSE = "refuse", "Refuse the import"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, null=True, blank=True, related_name="imports_903"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    uploads = models.JSONField(
        default=list, blank=True, help_text="Files waiting to be read: stored name, name, year."
    )
    years = models.JSONField(default=list, blank=True)
    files = models.JSONField(default=list, blank=True, help_text="File, table, year, rows.")
    home_districts = models.JSONField(default=list, blank=True)
    location_source = models.CharField(max_length=20, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    fatal_problems = models.JSONField(default=list, blank=True)
    problem_summary = models.JSONField(
        default=list, blank=True, help_text="Counts by file, column, rule and severity."
    )
    problem_sample = models.JSONField(default=list, blank=True, help_text="The first problems.")
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    child_count = models.PositiveIntegerField(null=True, blank=True)
    children_with_problems = models.PositiveIntegerField(default=0)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "903 import"

    def __str__(self) -> str:
        return f"903 import {self.public_id}"

    @property
    def storage_name(self) -> str:
        """The kept extract's folder in the `extracts` storage (`extract.extract_store`)."""
        return f"import-{self.public_id}"

    @property
    def upload_folder(self) -> str:
        """Where the uploaded files wait for the worker, in the `extracts` storage."""
        return f"uploads/{self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def same_as_at(self) -> dt.datetime | None:
        """When the earlier import of the very same files was made, if there was one."""
        earlier = (self.summary or {}).get("same_as") or {}
        return dt.datetime.fromisoformat(earlier["created_at"]) if "created_at" in earlier else None

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.READY

    @property
    def year_labels(self) -> str:
        return ", ".join(f"{year - 1}/{str(year)[-2:]}" for year in self.years)


class SampleDraw(TimeStampedModel):
    """How a sample was drawn, written so an inspector can follow and repeat it."""

    class Method(models.TextChoices):
        RANDOM = "random", "Simple random sample"
        STRATIFIED = "stratified", "Stratified random sample (proportional)"

    class Strata(models.TextChoices):
        AGE_BAND = "age_band", "Age band"
        NEED = "need", "Category of need"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="sample_draws")
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="draws"
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    census_date = models.DateField()
    filters = models.JSONField(default=dict)
    steps = models.JSONField(default=list, help_text="Each filter with the count after it.")
    method = models.CharField(max_length=20, choices=Method.choices)
    stratify_by = models.CharField(max_length=20, choices=Strata.choices, blank=True)
    size = models.PositiveIntegerField()
    seed = models.CharField(max_length=20)
    frame_size = models.PositiveIntegerField()
    strata = models.JSONField(default=list, blank=True)
    exclusions = models.JSONField(default=list, blank=True, help_text="Reason and count.")
    record = models.TextField(help_text="The full account written to the audit.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} of {self.size} for {self.audit}"


class SampledChild(models.Model):
    """Links a case to the draw that chose it. `child_hmac` is a keyed hash of the CHILD id, to
    recognise the child in a later draw without keeping the id here."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="children")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="sampled_from")
    child_hmac = models.CharField(max_length=64, db_index=True)
    stratum = models.CharField(max_length=60, blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["draw", "order"]
