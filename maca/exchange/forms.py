from __future__ import annotations

from django import forms


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
