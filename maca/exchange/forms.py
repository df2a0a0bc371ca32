from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.conf import settings

from maca.core.uploads import JSON, upload_problem
from maca.exchange.matching import Choice, ImportPlan, Match


class ImportForm(forms.Form):
    document = forms.FileField(
        label="Upload a whole-audit file",
        help_text="A .json file exported from maca or written to the documented format, "
        "20 MB or smaller.",
        error_messages={"required": "Choose the audit file (.json) to upload"},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
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
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        problem = upload_problem(document, JSON, settings.AUDIT_IMPORT_MAX_BYTES)
        if problem:
            raise forms.ValidationError(problem)
        return document


def field_name(match: Match) -> str:
    """A form field's name for a match: its ref can hold any character, so a digest of it,
    the same on both steps for the same entry."""
    return "match_" + hashlib.sha256(match.ref.encode("utf-8")).hexdigest()[:12]


class MatchChoicesForm(forms.Form):
    """One question for each entry of the file that matches a stored one only in part."""

    def __init__(self, plan: ImportPlan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for match in plan.similar:
            self.fields[field_name(match)] = _question(match)
            if not self.is_bound and match.suggested is not None:
                self.initial[field_name(match)] = match.suggested.value

    def choices(self) -> dict[str, Choice]:
        return {
            match.ref: Choice(self.cleaned_data[field_name(match)]) for match in self.plan.similar
        }


def _question(match: Match) -> forms.ChoiceField:
    new = f"Add it as a new {match.what}"
    if match.renamed:
        new += f", as {match.added_as} (the file's name is taken here)"
    options = [(Choice.NEW.value, new)]
    if not match.stored_unusable:
        options.insert(0, (Choice.STORED.value, f"Use the stored one: {match.stored}"))
    hint = " ".join(
        [f"{sentence}." for sentence in match.differences]
        + ([f"{match.stored_unusable}, so it cannot be used."] if match.stored_unusable else [])
    )
    return forms.ChoiceField(
        label=f"In the file: {match.in_file}. Stored: {match.stored}",
        help_text=hint,
        choices=options,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose whether to use the stored {match.what} "
            f"'{match.stored}' or add '{match.in_file}' as new"
        },
    )
