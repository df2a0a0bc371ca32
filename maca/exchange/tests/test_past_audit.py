"""A past audit loaded from its brief (scope, findings and actions; no returns) takes its place
beside the audits run in maca: its brief, its report, the action tracker and comparisons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from maca.accounts.models import User
from maca.audits.models import Audit, AuditStatus
from maca.demo import data
from maca.exchange.document import validate_document
from maca.exchange.services import audit_import
from maca.learning.selectors import actions_visible_to
from maca.reports.brief import build_brief, system_access
from maca.reports.comparison import build_comparison
from maca.reports.report import build_report

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "past-audit-cla-out-of-area-2018.json"


def test_the_example_is_a_valid_document_without_returns():
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert validate_document(document) == []
    assert document["returns"] == [] and document["tool"] is None
    assert document["findings"] and document["actions"]


def test_a_past_audit_imports_and_gives_its_brief_and_report(demo):
    coordinator = User.objects.get(email=data.COORDINATOR)
    result = audit_import(content=EXAMPLE.read_bytes(), coordinators=[coordinator])
    audit = result.audit
    assert audit.status == AuditStatus.CLOSED
    assert audit.returns_due is None and audit.tool_version is None
    brief = build_brief(system_access(audit))
    assert "The host area was not told about four of the six placements" in [
        item.text for item in brief.worries
    ]
    assert brief.children[0].startswith("The six children")
    assert [action.status for action in brief.actions] == ["Verified", "Done"]
    report = build_report(system_access(audit))
    assert report.action_figures.verified == 1
    # It joins the tracker with every other audit the coordinator runs.
    assert actions_visible_to(coordinator).filter(audit=audit).count() == 2


def test_a_past_audit_compares_with_a_later_one(demo):
    past = audit_import(content=EXAMPLE.read_bytes()).audit
    later = Audit.objects.get(slug=data.AUDIT_SLUG)
    comparison = build_comparison(system_access(past), system_access(later))
    assert "Information sharing" in comparison.recurring_themes
    assert "Exploitation" in comparison.recurring_themes
    assert "Education stability" in comparison.resolved_themes
    assert comparison.baseline_actions.verified == 1
