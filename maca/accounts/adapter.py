"""How django-allauth behaves in maca: no public sign-up, GOV.UK wording, recent sign-in counts."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from maca.accounts.reauth import authenticated_recently
from maca.core import crypto


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter a correct email address and password",
        "incorrect_password": "Enter your current password correctly",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "Enter the code from your authenticator app or a recovery code",
        "too_many_login_attempts": (
            "Too many failed attempts to sign in. Wait 15 minutes, then try again"
        ),
        "rate_limited": "Too many attempts. Wait a minute, then try again",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by administrators (or the demo), never by the public.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A person who signed in with a password and a code a moment ago has just proved who
        # they are; asking for the password again (for example to set up two-factor
        # authentication straight after a first sign-in) would only add friction.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = getattr(context, "request", None)
        return request is None or not authenticated_recently(request)


class MfaAdapter(DefaultMFAAdapter):
    """allauth stores authenticator-app secrets and the recovery-code seed as given; we keep
    them encrypted with the identifier keys, so a copy of the database alone cannot mint
    codes."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "The code is not right. Enter the code your authenticator app shows now"
        ),
    }

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
