"""The administrator's forms, worded GOV.UK style: every error names its field."""

from __future__ import annotations

from typing import Any

from django import forms

from maca.accounts.models import AGENCY_ROLES, Agency, Role
from maca.core.form_base import GovukForm
from maca.manage.services import RoleInput
from maca.planning.forms.setup import AgencyDetailsForm

ROLE_HINTS = {
    Role.COORDINATOR: "Plans and runs audits; sees every child in the audits they coordinate.",
    Role.AGENCY_AUDITOR: "Fills in their agency's returns.",
    Role.AGENCY_LEAD: "Signs off their agency's returns and acknowledges escalations.",
    Role.PANEL_MEMBER: "Moderates the children of the audits whose panel they sit on.",
    Role.READER: "Reads published briefs; sees no child-level data.",
    Role.ADMINISTRATOR: "Manages people and organisations; sees no child-level data.",
}


class RoleForm(GovukForm):
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, widget=forms.RadioSelect, error_messages={}
    )
    agency = forms.ModelChoiceField(
        label="Agency (for an agency auditor or lead)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
        help_text="The agency whose returns they fill in or sign off.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].error_messages["required"] = "Choose the person's role"
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(is_active=True).order_by("name")
        agency.error_messages["invalid_choice"] = "Choose the agency from the list"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, agency = data.get("role"), data.get("agency")
        if role in AGENCY_ROLES and agency is None and "agency" not in self.errors:
            self.add_error("agency", f"Choose the agency the {Role(role).label.lower()} acts for")
        if role and role not in AGENCY_ROLES:
            data["agency"] = None  # chosen by mistake for a role without an agency
        return data

    def role_input(self) -> RoleInput:
        return RoleInput(role=self.cleaned_data["role"], agency=self.cleaned_data["agency"])


class InviteForm(RoleForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label="Full name", max_length=200)
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)

    field_order = ["email", "full_name", "job_title", "role", "agency"]


class AuthenticatorResetForm(GovukForm):
    reason = forms.CharField(
        label="Why are you resetting their authenticator?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, lost phone reported by telephone on 3 December; identity checked "
        "with their manager. This is kept in the history.",
    )


class AgencyEditForm(AgencyDetailsForm):
    is_active = forms.BooleanField(
        label="Active: can be chosen for audits, roles and actions", required=False
    )


class MergeForm(GovukForm):
    into = forms.ModelChoiceField(
        label="Merge into",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency to keep",
        help_text="Everything of this agency moves to the one you choose; this one is then "
        "marked as merged and no longer active.",
    )

    def __init__(self, *args: Any, targets: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[agency.pk for agency in targets])
        field.error_messages["required"] = "Choose the agency to keep"
        field.error_messages["invalid_choice"] = "Choose the agency to keep from the list"


class SetPasswordForm(GovukForm):
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a good one.",
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].error_messages["required"] = "Enter a password"
        self.fields["password2"].error_messages["required"] = "Enter the password again"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The passwords do not match: enter the same one twice")
        return data
