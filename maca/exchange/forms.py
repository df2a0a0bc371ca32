from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from maca.core.uploads import JSON, upload_problem


class ImportForm(forms.Form):
    document = forms.FileField(
        label="Upload a whole-audit file",
        help_text="A .json file exported from maca or written to the documented format, "
        "20 MB or smaller.",
        error_messages={"required": "Choose the audit file (.json) to upload"},
    )
    slug = forms.SlugField(
        label="Web address name for the new audit (optional)",
        help_text="Letters, numbers and hyphens. Leave empty to use the file's, or a new one "
        "if that is taken.",
        required=False,
        max_length=60,
        error_messages={
            "invalid": "Use only letters, numbers, hyphens and underscores",
            "max_length": "Use 60 characters or fewer",
        },
    )

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        problem = upload_problem(document, JSON, settings.AUDIT_IMPORT_MAX_BYTES)
        if problem:
            raise forms.ValidationError(problem)
        return document
