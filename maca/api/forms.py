from __future__ import annotations

from django import forms
from django.conf import settings


def _expiry_choices() -> list[tuple[int, str]]:
    limit = settings.API_TOKEN_MAX_DAYS
    days = sorted({d for d in (30, 90, 180, 365) if d <= limit} | {limit})
    return [(d, f"{d} days") for d in days]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, 'Police case system' or 'Quarterly figures in Power BI'.",
        max_length=100,
        error_messages={
            "required": "Enter what the token is for",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    expires_in_days = forms.TypedChoiceField(
        label="When should it expire?",
        help_text="A token stops working on this date. Make a new one when it does.",
        coerce=int,
        choices=_expiry_choices,
        initial=90,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token expires"},
    )
