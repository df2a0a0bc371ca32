"""Each person has a limit on API calls and on downloads rendered on request; over it they get
a 429 saying when to try again, and nobody else is slowed down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from config.settings import env_rate
from maca.accounts.models import Role
from maca.api.services import api_token_create
from tests.factories import (
    BuiltAudit,
    build_audit,
    mark_recently_authenticated,
    person_with_role,
)

pytestmark = pytest.mark.django_db


def _rates(**rates: str) -> Any:
    framework: dict[str, Any] = settings.REST_FRAMEWORK
    return override_settings(
        REST_FRAMEWORK={
            **framework,
            "DEFAULT_THROTTLE_RATES": {**framework["DEFAULT_THROTTLE_RATES"], **rates},
        }
    )


@pytest.fixture
def published() -> Iterator[BuiltAudit]:
    yield build_audit(cases=2, agencies=2, findings=2)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@_rates(render="2/hour")
def test_downloads_over_the_persons_limit_get_a_429_saying_when(published):
    slug = published.audit.slug
    coordinator = _signed_in(published.coordinator)
    brief_md = reverse("reports:brief-md", args=[slug])
    assert coordinator.get(brief_md).status_code == 200
    assert coordinator.get(brief_md).status_code == 200
    refused = coordinator.get(reverse("reports:brief-docx", args=[slug]))
    assert refused.status_code == 429
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    assert "Too many requests" in refused.text and "Try again in 60 minutes" in refused.text
    assert "Content-Disposition" not in refused  # nothing was rendered
    # The count is kept in the shared database cache, per person.
    assert "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    assert len(cache.get(f"maca:throttle:render:user-{published.coordinator.pk}")) == 2

    reader = _signed_in(person_with_role(Role.READER))
    assert reader.get(brief_md).status_code == 200


@_rates(render="1/hour")
def test_every_costly_download_counts_against_the_same_limit(published):
    coordinator = _signed_in(published.coordinator)
    assert coordinator.get(reverse("reports:brief-md", args=[published.audit.slug])).status_code
    for name in ("reports:report-pdf", "reports:briefing-pdf", "reports:brief-pdf"):
        assert coordinator.get(reverse(name, args=[published.audit.slug])).status_code == 429


@_rates(render="1/hour")
def test_exports_count_against_the_same_limit(published):
    """The whole-audit export, the action tracker's spreadsheet and CSV and the identifier
    access log are rendered on request too: once the person has used their limit, each is a
    429, even just after confirming who they are."""
    coordinator = _signed_in(published.coordinator)
    mark_recently_authenticated(coordinator, published.coordinator)
    assert coordinator.get(reverse("reports:brief-md", args=[published.audit.slug])).status_code
    for url in (
        reverse("exchange:export", args=[published.audit.slug]),
        reverse("tracker:export-csv"),
        reverse("tracker:export-xlsx"),
        reverse("identifiers:access-log-csv"),
    ):
        refused = coordinator.get(url)
        assert refused.status_code == 429, url
        assert "Content-Disposition" not in refused


@_rates(render="1/hour")
def test_opening_a_drafts_download_address_uses_none_of_the_limit():
    """A draft's PDF address shows the page with the "Make a draft PDF" button, rendering
    nothing: only asking for the file counts."""
    built = build_audit(cases=2, agencies=2, findings=2, status="findings")
    coordinator = _signed_in(built.coordinator)
    url = reverse("reports:report-pdf", args=[built.audit.slug])
    for _ in range(3):
        page = coordinator.get(url)
        assert page.status_code == 200 and "Content-Disposition" not in page
    assert coordinator.post(url).status_code == 302  # asked for: the one render counted
    refused = coordinator.get(url)
    assert refused.status_code == 429, "over the limit, the page is refused like the rest"
    assert len(cache.get(f"maca:throttle:render:user-{built.coordinator.pk}")) == 1


def _api(user: Any, **headers: str) -> Client:
    token = api_token_create(user=user, name="test", expires_in_days=30).secret
    return Client(headers={"Authorization": f"Bearer {token}", **headers})


@_rates(api="3/min")
def test_api_calls_over_the_persons_limit_get_a_429_with_retry_after():
    busy = person_with_role(Role.READER)
    api = _api(busy)
    for _ in range(3):
        assert api.get("/api/v1/me/").status_code == 200
    refused = api.get("/api/v1/audits/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["errors"] == [] and "throttled" in body["detail"]
    # Another token of the same person shares the limit; another person has their own.
    assert _api(busy).get("/api/v1/me/").status_code == 429
    assert _api(person_with_role(Role.READER)).get("/api/v1/me/").status_code == 200


@_rates(api="1/min")
@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_callers_not_signed_in_are_counted_by_the_address_the_proxy_reports():
    first = Client(headers={"X-Forwarded-For": "198.51.100.1"})
    assert first.get("/api/schema/").status_code == 200
    assert first.get("/api/schema/").status_code == 429
    second = Client(headers={"X-Forwarded-For": "198.51.100.2"})
    assert second.get("/api/schema/").status_code == 200


def test_a_rate_that_is_not_a_rate_stops_start_up(monkeypatch):
    monkeypatch.setenv("MACA_API_RATE", "lots")
    with pytest.raises(ImproperlyConfigured, match="MACA_API_RATE must be a number of requests"):
        env_rate("MACA_API_RATE", "120/min")
    monkeypatch.setenv("MACA_API_RATE", "500/hour")
    assert env_rate("MACA_API_RATE", "120/min") == "500/hour"
