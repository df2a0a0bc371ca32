"""The API's lists answer in a fixed number of queries however many rows they hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca.audits.models import AuditStatus
from tests.factories import BuiltAudit, build_audit

pytestmark = pytest.mark.django_db

LISTS: list[Callable[[BuiltAudit], str]] = [
    lambda built: "/api/v1/audits/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/cases/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/returns/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/escalations/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/findings/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/figures/",
    lambda built: f"/api/v1/audits/{built.audit.slug}/brief/",
    lambda built: f"/api/v1/actions/?audit={built.audit.slug}",
]


def _queries(api: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(captured.captured_queries)


@pytest.mark.parametrize("path_for", LISTS)
def test_query_count_does_not_grow_with_the_audit(path_for, api_as):
    small = build_audit(cases=2, agencies=2, findings=2, status=AuditStatus.PUBLISHED)
    large = build_audit(cases=12, agencies=6, findings=12, status=AuditStatus.PUBLISHED)
    large.audit.coordinators.add(small.coordinator)
    api = api_as(small.coordinator)
    api.get("/api/v1/me/")  # the token's first use records it; later calls within a minute do not
    assert _queries(api, path_for(large)) == _queries(api, path_for(small))
