"""Who is calling: a personal access token (`Authorization: Bearer maca_…`) or, for someone
trying the API in their browser, the signed-in session (with its CSRF check)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from maca.accounts.mfa import must_set_up_mfa
from maca.accounts.middleware import REFUSAL as MFA_REFUSAL
from maca.api.models import ApiToken
from maca.api.services import api_token_touch, token_hash

REQUEST_TOKEN_ATTRIBUTE = "maca_api_token"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer ' followed by the token."
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        # The log records the token even when it is refused, so misuse of a leaked one shows.
        setattr(request._request, REQUEST_TOKEN_ATTRIBUTE, token)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("The token has been revoked.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                f"The token expired on {timezone.localtime(token.expires_at):%d %B %Y}."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token's account is not active.")
        if must_set_up_mfa(token.user):
            # A token must not be a way round two-factor authentication for child-level data.
            raise exceptions.PermissionDenied(MFA_REFUSAL)
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
