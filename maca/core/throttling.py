"""Per-person limits on what is costly to serve: every API call, and every PDF, Word or
spreadsheet rendered for download (a report PDF takes seconds and much memory; fifty at once
took minutes and kept the server's memory high).

One DRF throttle class serves both, counted in Django's default cache, which is the database
cache (`CACHES`), so every web process shares the counts. A person is their account; before
sign-in, their client address as the reverse proxy reports it (`MACA_TRUSTED_PROXY_COUNT`).
Rates are DRF's `DEFAULT_THROTTLE_RATES`, by scope, from the environment (`MACA_API_RATE`,
`MACA_RENDER_RATE`), read on every request so they can be changed without a restart of tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class PersonRateThrottle(SimpleRateThrottle):
    scope = "person"

    def get_rate(self) -> str | None:
        rate: str | None = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return rate

    def get_cache_key(self, request: Any, view: Any) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            # The address as sign-in throttling reads it (MACA_TRUSTED_PROXY_COUNT).
            ident = f"address-{get_account_adapter(request).get_client_ip(request)}"
        return f"maca:throttle:{self.scope}:{ident}"


class RenderRateThrottle(PersonRateThrottle):
    """Downloads rendered on request: brief and report PDF and Word, the 7-minute briefing PDF,
    the whole-audit export and the spreadsheet and CSV exports."""

    scope = "render"


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """The service's 429 page, with `Retry-After` in seconds."""
    seconds = max(1, math.ceil(wait)) if wait is not None else None
    context = {"retry_after_minutes": -(-seconds // 60) if seconds else None}
    response = render(request, "429.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def render_throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count the download against the person's `render` rate; over it, a 429 saying when to try
    again, with nothing rendered."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = RenderRateThrottle()
        if not throttle.allow_request(request, None):
            return too_many_requests(request, throttle.wait())
        return view(request, *args, **kwargs)

    return wrapper
