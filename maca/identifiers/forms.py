"""Forms for the reveal, the access log's filters, an agency's reference and retention holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.core.form_base import GovukDateField, GovukForm
from maca.identifiers.models import IdentifierAccess
from maca.identifiers.selectors import AccessLogFilters, access_log_audits, access_log_people
from maca.identifiers.services import REASON_MIN_LENGTH, REFERENCE_MAX_LENGTH


class _ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(max_length=2000, **kwargs)

    def clean(self, value: Any) -> str:
        text = str(super().clean(value))
        if text and len(text) < REASON_MIN_LENGTH:
            raise ValidationError(
                f"Reason must be at least {REASON_MIN_LENGTH} characters: say why it is needed"
            )
        return text


class RevealForm(GovukForm):
    purpose = forms.ChoiceField(
        label="What do you need the identifiers for?",
        choices=[("", "Choose a purpose"), *IdentifierAccess.Purpose.choices],
    )
    reason = _ReasonField(
        label="Reason",
        help_text=(
            "Say what you will do with them, for example which agency's records you are "
            "checking. Your name, the time and this reason are recorded in the access log."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purpose = self.fields["purpose"].error_messages
        purpose["required"] = purpose["invalid_choice"] = "Choose what you need the identifiers for"
        self.fields["reason"].error_messages["required"] = (
            "Enter the reason you need to see the identifiers"
        )


class AccessLogFilterForm(GovukForm):
    # The querysets are set per person in __init__: only what they may filter by.
    audit: forms.ModelChoiceField[Audit] = forms.ModelChoiceField(
        label="Audit", queryset=Audit.objects.none(), required=False, empty_label="All audits"
    )
    person: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Person", queryset=User.objects.none(), required=False, empty_label="Everyone"
    )
    date_from = GovukDateField(label="From (optional)", required=False)
    date_to = GovukDateField(label="To (optional)", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audit_field = self.fields["audit"]
        person_field = self.fields["person"]
        assert isinstance(audit_field, forms.ModelChoiceField)
        assert isinstance(person_field, forms.ModelChoiceField)
        audit_field.queryset = access_log_audits(user)
        person_field.queryset = access_log_people(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "To must be the same as or after from")
        return data

    def filters(self) -> AccessLogFilters:
        """The filters to apply: none for a form with errors, so the page still shows the log."""
        if not self.is_valid():
            return AccessLogFilters()
        data = self.cleaned_data
        return AccessLogFilters(
            audit=data.get("audit"),
            person=data.get("person"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AgencyReferenceForm(GovukForm):
    reference = forms.CharField(
        label="Your agency's reference for the child (optional)",
        required=False,
        max_length=REFERENCE_MAX_LENGTH,
        help_text=(
            "The number your own records use for this child. Only people in your agency see it. "
            "Leave it empty to remove it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RetentionHoldForm(GovukForm):
    reason = _ReasonField(
        label="Reason",
        help_text="For example a complaint, an inquiry or legal proceedings that need them.",
    )

    def __init__(self, *args: Any, lifting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        if lifting:
            reason.label = "Reason for lifting the hold"
            reason.help_text = "For example: the complaint is resolved."
        reason.error_messages["required"] = (
            "Enter the reason for lifting the hold" if lifting else "Enter the reason for the hold"
        )
