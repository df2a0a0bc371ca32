"""The separate store for what identifies a child. Nothing else in maca holds these.

Every field is encrypted at rest; reading one is a reveal, which later work logs with a reason.
"""

from __future__ import annotations

from django.db import models

from maca.accounts.models import Agency
from maca.audits.models import Case
from maca.identifiers.fields import EncryptedTextField


class ChildIdentity(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    full_name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True, help_text="ISO date, encrypted.")
    la_child_id = EncryptedTextField(blank=True, help_text="903 CHILD id.")
    upn = EncryptedTextField(blank=True)
    nhs_number = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "child identities"


class AgencyReference(models.Model):
    """An agency's own reference for a child, seen only by that agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_references")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reference = EncryptedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="agency_reference_unique")
        ]
