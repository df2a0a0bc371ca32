"""A re-audit beside its baseline matches figures worked out by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import PanelGrade
from maca.learning.models import Action, Finding, Theme
from maca.moderation.tests.builders import build_moderated_audit
from maca.reports.brief import system_access
from maca.reports.comparison import build_comparison
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def baseline_rule(case: int, agency: int, question: int) -> str:
    return {(0, 0, 0): "no", (1, 1, 1): "na", (0, 1, 2): "partial"}.get(
        (case, agency, question), "yes"
    )


def current_rule(case: int, agency: int, question: int) -> str:
    return {(1, 0, 3): "no", (0, 0, 1): "na", (1, 1, 1): "na"}.get((case, agency, question), "yes")


def _pair():
    """Two audits of 2 children x 2 agencies x 4 questions (one standard each; questions 1 and
    3 check learning point 1, questions 2 and 4 learning point 2)."""
    baseline = build_moderated_audit(
        cases=2, agencies=2, questions=4, sections=2, rule=baseline_rule, status="closed"
    )
    current = build_moderated_audit(
        cases=2, agencies=2, questions=4, sections=2, rule=current_rule, status="published"
    )
    # Same tool and review, as a re-audit has.
    current.audit.tool_version = baseline.audit.tool_version
    current.audit.follow_up_of = baseline.audit
    current.audit.save()
    for question, old in zip(current.questions, baseline.questions, strict=True):
        for answer in question.answers.all():
            answer.question = old
            answer.save()
    current.audit.review_links.update(review=baseline.review)

    good = baseline.level("ofsted-4", "good")
    for case, grade in zip(baseline.cases, ["inadequate", "good"], strict=True):
        PanelGrade.objects.create(case=case, grade=baseline.level("ofsted-4", grade), reason="x")
    for case in current.cases:
        PanelGrade.objects.create(case=case, grade=good, reason="x")

    themes = {name: Theme.objects.create(name=name, slug=name.lower()) for name in "ABC"}
    for built, names in ((baseline, "AB"), (current, "BC")):
        finding = Finding.objects.create(audit=built.audit, heading="worry", text="Worry")
        finding.themes.set([themes[name] for name in names])
    for order, status in enumerate(["verified", "done", "in_progress"]):
        Action.objects.create(
            audit=baseline.audit, order=order, description=f"Action {order}", status=status
        )
    return baseline, current


def test_comparison_matches_the_hand_computed_example():
    baseline, current = _pair()
    comparison = build_comparison(system_access(baseline.audit), system_access(current.audit))

    rows = {row.label: row for row in comparison.compliance}
    # Baseline: standard 1 has one No (3 of 4), standard 2 one N/A (3 of 3), standard 3 one
    # Partial (3 of 4), standard 4 all met. Re-audit: 1 all met, 2 two N/A (2 of 2),
    # 3 all met, 4 one No (3 of 4).
    expected = {
        "Fictional standard 1": (75, 100, 25),
        "Fictional standard 2": (100, 100, 0),
        "Fictional standard 3": (75, 100, 25),
        "Fictional standard 4": (100, 75, -25),
    }
    for label, (before, after, change) in expected.items():
        row = rows[label]
        assert row.baseline is not None and row.current is not None
        assert (row.baseline.percent, row.current.percent, row.change) == (before, after, change)
    overall = comparison.compliance_overall
    assert overall.baseline is not None and overall.current is not None
    assert (overall.baseline.met, overall.baseline.applicable) == (13, 15)  # 87%
    assert (overall.current.met, overall.current.applicable) == (13, 14)  # 93%
    assert overall.change == 6

    # Learning point 1: child 1 not met then met, child 2 met both times: 50% to 100%.
    # Learning point 2: both met, then child 2 has a No: 100% to 50%.
    learning = list(comparison.learning)
    assert [
        (r.baseline and r.baseline.percent, r.current and r.current.percent, r.change)
        for r in learning
    ] == [
        (50, 100, 50),
        (100, 50, -50),
    ]

    panel = {row.level: (row.baseline, row.current) for row in comparison.panel_grades}
    assert panel["Inadequate"] == (1, 0) and panel["Good"] == (1, 2)
    agency = {row.level: (row.baseline, row.current) for row in comparison.agency_grades}
    assert agency["Requires improvement to be good"] == (1, 1) and agency["Good"] == (3, 3)

    assert comparison.recurring_themes == ("B",)
    assert comparison.new_themes == ("C",)
    assert comparison.resolved_themes == ("A",)
    assert comparison.baseline_actions.total == 3
    assert comparison.baseline_actions.verified == 1
    assert comparison.baseline_actions.open == 1


def test_compare_page_shows_both_side_by_side(client):
    baseline, current = _pair()
    client.force_login(current.coordinator)
    baseline.audit.coordinators.add(current.coordinator)
    response = client.get(reverse("reports:compare", args=[current.audit.slug]))
    assert response.status_code == 200
    assert "+6 points" in response.text
    assert "Themes that recur" in response.text
    assert 'role="img"' in response.text


def test_compare_with_an_audit_the_person_cannot_see_is_404(client):
    _, current = _pair()
    client.force_login(current.coordinator)  # not baseline's coordinator
    url = reverse("reports:compare", args=[current.audit.slug])
    assert client.get(url).status_code == 404
    client.force_login(person_with_role(Role.READER))  # baseline closed, current published
    assert client.get(url).status_code == 200
