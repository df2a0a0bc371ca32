"""Every API call counts against its person's `api` rate (`MACA_API_RATE`); over it, a 429
with `Retry-After` and the error shape every API error has."""

from __future__ import annotations

from maca.core.throttling import PersonRateThrottle


class ApiRateThrottle(PersonRateThrottle):
    scope = "api"
