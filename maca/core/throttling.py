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

    def give_back(self) -> None:
        """Forget the request this throttle has just counted (`allow_request`). The counts are
        read again, so one counted meanwhile by another of the person's requests stays."""
        key, counted = getattr(self, "key", None), getattr(self, "now", None)
        if key is None or counted is None:  # no limit set: nothing was counted
            return
        history = self.cache.get(key, [])
        if counted in history:
            history.remove(counted)
            self.cache.set(key, history, self.duration)


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """The service's 429 page, with `Retry-After` in seconds."""
    seconds = max(1, math.ceil(wait)) if wait is not None else None
    context = {"retry_after_minutes": -(-seconds // 60) if seconds else None}
    response = render(request, "429.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


# Set on a request whose download address only showed a page (`render_uncounted`).
_UNCOUNTED = "_maca_render_uncounted"


def render_uncounted(request: HttpRequest) -> None:
    """Mark a request to a download address that rendered nothing, only a page (a draft's
    "Make a draft PDF" button): `render_throttled` gives its count back."""
    setattr(request, _UNCOUNTED, True)


def render_throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count the download against the person's `render` rate; over it, a 429 saying when to try
    again, with nothing rendered. A request the view marks `render_uncounted` is not counted,
    though over the rate it is refused like the others."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = RenderRateThrottle()
        if not throttle.allow_request(request, None):
            return too_many_requests(request, throttle.wait())
        response = view(request, *args, **kwargs)
        if getattr(request, _UNCOUNTED, False):
            throttle.give_back()
        return response

    return wrapper
