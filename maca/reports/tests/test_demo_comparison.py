"""The demo holds an earlier audit (March 2020) that the 2022 audit re-audits, so the
comparison, the report and the tracker show real figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.identifiers.models import ChildIdentity
from maca.reports.brief import system_access
from maca.reports.comparison import build_comparison

services = pytest.importorskip("maca.demo.services")
demo_data = pytest.importorskip("maca.demo.data")
earlier = pytest.importorskip("maca.demo.earlier_audit")

pytestmark = pytest.mark.django_db


@pytest.fixture
def audits():
    services.demo_load()
    current = Audit.objects.get(slug=demo_data.AUDIT_SLUG)
    baseline = Audit.objects.get(slug=earlier.SLUG)
    return baseline, current


def test_the_2022_audit_is_a_re_audit_of_2020_on_the_same_tool(audits):
    baseline, current = audits
    assert current.follow_up_of == baseline
    assert baseline.tool_version_id == current.tool_version_id
    assert baseline.status == "closed"
    assert baseline.cases.count() == 8
    assert not ChildIdentity.objects.filter(case__audit=baseline).exists()  # purged long ago


def test_demo_comparison_shows_real_figures_for_both_audits(audits):
    baseline, current = audits
    comparison = build_comparison(system_access(baseline), system_access(current))
    overall = comparison.compliance_overall
    assert overall.baseline is not None and overall.current is not None
    assert overall.baseline.applicable > 100 and overall.current.applicable > 100
    assert overall.current.percent is not None and overall.baseline.percent is not None
    assert overall.current.percent > overall.baseline.percent  # practice improved
    assert len(comparison.learning) == 4
    assert all(row.baseline and row.current for row in comparison.learning)
    assert {"Exploitation", "Information sharing", "Health"} <= set(comparison.recurring_themes)
    assert "Education stability" in comparison.resolved_themes
    assert comparison.baseline_actions.total == 5
    assert comparison.baseline_actions.verified == 3
    assert comparison.baseline_actions.open == 1
    panel = {row.level: (row.baseline, row.current) for row in comparison.panel_grades}
    assert sum(b for b, _ in panel.values()) == 8 and sum(c for _, c in panel.values()) == 9


def test_demo_compare_page_and_earlier_report_open_for_the_coordinator(client, audits):
    baseline, current = audits
    client.force_login(User.objects.get(email=demo_data.COORDINATOR))
    page = client.get(reverse("reports:compare", args=[current.slug]))
    assert page.status_code == 200
    assert baseline.title in page.text
    report = client.get(reverse("reports:report", args=[baseline.slug]))
    assert report.status_code == 200
    assert "Compare with" not in report.text  # the 2020 audit has no baseline of its own


def test_the_earlier_audits_open_action_shows_as_overdue_in_the_tracker(client, audits):
    client.force_login(User.objects.get(email=demo_data.COORDINATOR))
    response = client.get(reverse("tracker:list") + "?overdue=on")
    descriptions = [row.action.description for row in response.context["tracker"].rows]
    assert any(
        text.startswith("Send a transfer document with every placement move")
        for text in descriptions
    )
