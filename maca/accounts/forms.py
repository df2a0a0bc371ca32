from typing import Any

from allauth.account.fields import EmailField
from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

from maca.accounts.models import EmailFrequency
from maca.core.form_base import GovukForm


class SignInForm(LoginForm):
    """Sign in with an email address and password; errors name the field, as GOV.UK forms do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = EmailField(
            label="Email address",
            error_messages={
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].help_text = ""
        self.order_fields(["login", "password"])


def _govuk_code_field(form: forms.Form, label: str) -> None:
    field = form.fields["code"]
    field.label = label
    field.error_messages["required"] = "Enter the code"
    field.widget = forms.TextInput(
        attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "numeric"}
    )


class TotpCodeForm(AuthenticateForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_code_field(self, "Code")


class TotpReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_code_field(self, "Code")


class TotpActivateForm(ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_code_field(self, "Code from your authenticator app")


class EmailFrequencyForm(GovukForm):
    email_frequency = forms.ChoiceField(
        label="How do you want to receive maca's e-mails?",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Urgent e-mails, about an immediate safeguarding escalation or one past its "
            "deadline, always arrive at once."
        ),
        error_messages={"required": "Choose how you want to receive maca's e-mails"},
    )
