"""An uploaded document waiting for its importer to say what to do with its similar matches.

It holds whatever the file holds (children's case information, by pseudonym), so it is kept
encrypted with the identifier keys, only for the person who uploaded it, and only briefly:
it is deleted when imported, and any older than `PENDING_IMPORT_HOURS` is deleted at the next
upload (and never opened).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from maca.core.templatetags.time_tags import as_people_write_it
from maca.identifiers.fields import EncryptedTextField

PENDING_IMPORT_HOURS = 2


class PendingImport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255, blank=True)
    slug = models.CharField(
        max_length=60, blank=True, help_text="The web address name asked for, if any."
    )
    document = EncryptedTextField(help_text="The uploaded file's text, encrypted.")

    class Meta:
        verbose_name = "import waiting for choices"
        verbose_name_plural = "imports waiting for choices"

    def __str__(self) -> str:
        return f"{self.filename or 'upload'} ({as_people_write_it(self.uploaded_at)})"
