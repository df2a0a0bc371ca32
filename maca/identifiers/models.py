"""The separate store for what identifies a child. Nothing else in maca holds these.

Every field is encrypted at rest. Reading a child's identifiers is a reveal: only the audit's
coordinators may, with a reason, and each reveal is written to `IdentifierAccess`, the access
log, together with exports of that log and purges of identifiers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from maca.accounts.models import Agency
from maca.audits.models import Audit, Case
from maca.core.history import HistoryManager
from maca.identifiers.fields import EncryptedTextField

IDENTITY_FIELDS = ("full_name", "date_of_birth", "la_child_id", "upn", "nhs_number")
FIELD_LABELS = {
    "full_name": "Name",
    "date_of_birth": "Date of birth",
    "la_child_id": "Local authority child ID (903 CHILD)",
    "upn": "Unique pupil number (UPN)",
    "nhs_number": "NHS number",
}


class ChildIdentity(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    full_name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True, help_text="ISO date, encrypted.")
    la_child_id = EncryptedTextField(blank=True, help_text="903 CHILD id.")
    upn = EncryptedTextField(blank=True)
    nhs_number = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Bulk deletes (a purge) record their history in one insert.
    objects = HistoryManager()

    class Meta:
        verbose_name_plural = "child identities"


class AgencyReference(models.Model):
    """An agency's own reference for a child, seen only by that agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_references")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reference = EncryptedTextField()

    objects = HistoryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="agency_reference_unique")
        ]


class IdentifierAccess(models.Model):
    """One entry of the access log: a reveal, an export of the log, a purge, or a retention
    hold set or lifted.

    Names and titles are copied in, so the log still reads after a person, audit or case is
    deleted; it never holds an identifier's value.
    """

    class Kind(models.TextChoices):
        REVEAL = "reveal", "Identifiers revealed"
        LOG_EXPORT = "log_export", "Access log exported"
        PURGE = "purge", "Identifiers purged"
        HOLD_SET = "hold_set", "Retention hold set"
        HOLD_LIFTED = "hold_lifted", "Retention hold lifted"

    class Purpose(models.TextChoices):
        CONTACT_AGENCY = "contact_agency", "Checking a child's records with an agency"
        ESCALATION = "escalation", "Following up an escalation of live risk"
        DATA_QUALITY = "data_quality", "Correcting the sample or the child's details"
        REQUEST = "request", "A request for information or a complaint"
        OTHER = "other", "Another reason"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identifier_accesses",
    )
    user_name = models.CharField(max_length=200, help_text="'System' for a scheduled purge.")
    audit = models.ForeignKey(
        Audit, on_delete=models.SET_NULL, null=True, blank=True, related_name="identifier_accesses"
    )
    audit_title = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="identifier_accesses"
    )
    case_pseudonym = models.CharField(max_length=40, blank=True)
    fields = models.JSONField(
        default=list, blank=True, help_text="Names of the identifier fields shown."
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "identifier access"
        verbose_name_plural = "identifier access log"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.user_name}"

    @property
    def field_labels(self) -> str:
        return ", ".join(FIELD_LABELS.get(name, name) for name in self.fields)
