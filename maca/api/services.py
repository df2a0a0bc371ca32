"""Writes for the API: personal access tokens and the call log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import User
from maca.api.models import ApiCallLog, ApiToken
from maca.core.errors import Refused

TOKEN_PREFIX = "maca_"
NAME_LIMIT = 100


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made. `secret` exists only here: it is shown once and never stored."""

    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_in_days: int, now: dt.datetime | None = None
) -> NewToken:
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter what the token is for"
    elif len(name) > NAME_LIMIT:
        errors["name"] = f"The name must be {NAME_LIMIT} characters or fewer"
    limit = settings.API_TOKEN_MAX_DAYS
    if not 1 <= expires_in_days <= limit:
        errors["expires_in_days"] = f"A token must expire in between 1 and {limit} days"
    if errors:
        raise Refused(errors)
    now = now or timezone.now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        expires_at=now + dt.timedelta(days=expires_in_days),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    """Revoke one of the person's own tokens; anyone else's is a 404."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404("No token found")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Note when a token was last used; at most once a minute, to keep calls cheap."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_call_record(
    *,
    token: ApiToken | None,
    user: User | AnonymousUser | None,
    method: str,
    path: str,
    status: int,
    duration_ms: int,
    at: dt.datetime | None = None,
) -> ApiCallLog:
    return ApiCallLog.objects.create(
        token=token,
        user=user if isinstance(user, User) else None,
        at=at or timezone.now(),
        method=method[:10],
        path=path[:500],
        status=status,
        duration_ms=max(0, duration_ms),
    )
