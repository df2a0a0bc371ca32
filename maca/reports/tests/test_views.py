"""Who may read the brief, and that the page's cost does not grow with the audit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.accounts.models import Role
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db

BRIEF_URLS = ["reports:brief", "reports:brief-pdf", "reports:brief-docx", "reports:brief-md"]


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_brief_page_query_count_does_not_grow_with_cases_agencies_or_findings(client):
    small = build_audit(cases=9, agencies=4, findings=6)
    large = build_audit(cases=60, agencies=12, findings=30)
    client.force_login(small.coordinator)
    small_count = _count_queries(client, reverse("reports:brief", args=[small.audit.slug]))
    client.force_login(large.coordinator)
    large_count = _count_queries(client, reverse("reports:brief", args=[large.audit.slug]))
    assert small_count == large_count


def test_markdown_query_count_does_not_grow_either(client):
    small = build_audit(cases=9, agencies=4, findings=6)
    large = build_audit(cases=60, agencies=12, findings=30)
    client.force_login(small.coordinator)
    small_count = _count_queries(client, reverse("reports:brief-md", args=[small.audit.slug]))
    client.force_login(large.coordinator)
    large_count = _count_queries(client, reverse("reports:brief-md", args=[large.audit.slug]))
    assert small_count == large_count


@pytest.mark.parametrize("name", ["reports:brief", "reports:brief-md"])
def test_reader_sees_a_published_brief_with_its_escalations(client, brief_audit, name):
    client.force_login(person_with_role(Role.READER))
    response = client.get(reverse(name, args=[brief_audit.audit.slug]))
    assert response.status_code == 200
    # Readers see no escalation in full, but the brief's anonymised account is for everyone.
    assert "An asylum-seeking child was treated as an adult" in response.content.decode()


@pytest.mark.parametrize("name", BRIEF_URLS)
def test_reader_gets_404_for_a_draft_audits_brief(client, name):
    built = build_audit(cases=2, status="findings")
    client.force_login(person_with_role(Role.READER))
    assert client.get(reverse(name, args=[built.audit.slug])).status_code == 404


@pytest.mark.parametrize("name", BRIEF_URLS)
def test_agency_auditor_gets_404_for_a_draft_brief(client, name):
    built = build_audit(cases=2, status="moderation")
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=built.agencies[0])
    client.force_login(auditor)
    assert client.get(reverse(name, args=[built.audit.slug])).status_code == 404


def test_coordinator_sees_the_draft_marked_as_a_draft(client):
    built = build_audit(cases=2, status="findings")
    client.force_login(built.coordinator)
    response = client.get(reverse("reports:brief", args=[built.audit.slug]))
    assert response.status_code == 200
    assert "this brief has not been published" in response.text


@pytest.mark.parametrize("name", BRIEF_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(client, brief_audit, name):
    url = reverse(name, args=[brief_audit.audit.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_unknown_audit_is_404(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    assert client.get(reverse("reports:brief", args=["no-such-audit"])).status_code == 404


def test_downloads_are_not_cached(client, brief_audit):
    client.force_login(brief_audit.coordinator)
    response = client.get(reverse("reports:brief-md", args=[brief_audit.audit.slug]))
    assert response["Cache-Control"] == "private, no-store"
