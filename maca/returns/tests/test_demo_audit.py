"""The demo's audit in progress shows returns and escalations at every stage."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import User
from maca.audits.models import AgencyReturn, Audit, Escalation, ReturnStatus
from maca.audits.selectors import audit_access_for, returns_grid
from maca.demo import current_audit, data
from maca.returns.selectors import escalation_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_audit() -> Audit:
    from maca.demo.services import demo_load

    demo_load()
    return Audit.objects.get(slug=current_audit.SLUG)


def test_returns_at_every_stage_and_some_late(demo_audit: Audit):
    from django.utils import timezone

    statuses = set(
        AgencyReturn.objects.filter(case__audit=demo_audit).values_list("status", flat=True)
    )
    assert statuses == {
        ReturnStatus.DRAFT,
        ReturnStatus.SUBMITTED,
        ReturnStatus.SIGNED_OFF,
        ReturnStatus.SENT_BACK,
        ReturnStatus.ACCEPTED,
    }
    coordinator = User.objects.get(email=data.COORDINATOR)
    grid = returns_grid(audit_access_for(coordinator, demo_audit.slug), today=timezone.localdate())
    late = [cell for row in grid.rows for cell in row.cells if cell.is_late]
    assert any(cell.agency_return is None for cell in late)  # not started and late
    assert any(cell.agency_return and cell.agency_return.status == "draft" for cell in late)
    # Education was asked later: its drafts are not late yet.
    education = [c for row in grid.rows for c in row.cells if c.agency.short_name == "Education"]
    assert not any(cell.is_late for cell in education)
    assert demo_audit.status == "returns_open"


def test_escalations_at_every_stage_one_overdue(demo_audit: Audit):
    coordinator = User.objects.get(email=data.COORDINATOR)
    rows = escalation_rows(audit_access_for(coordinator, demo_audit.slug))
    statuses = [row.escalation.status for row in rows]
    assert set(statuses) == set(Escalation.Status.values)
    overdue = [row for row in rows if row.overdue]
    assert len(overdue) == 1 and overdue[0].escalation.urgency == "immediate"
    within = [row for row in rows if row.escalation.status == "raised" and not row.overdue]
    assert len(within) == 1
    for row in rows:
        assert row.escalation.case is not None
        assert row.escalation.case.pseudonym not in row.escalation.public_summary


def test_demo_pages_open_for_each_persona(client, demo_audit: Audit):
    for email in (data.COORDINATOR, data.auditor_email("Police"), data.lead_email("Police")):
        client.force_login(User.objects.get(email=email))
        for url in (
            reverse("returns:dashboard"),
            reverse("returns:escalations", args=[demo_audit.slug]),
            reverse("audits:grid", args=[demo_audit.slug]),
        ):
            assert client.get(url).status_code == 200, (email, url)
    police = demo_audit.audit_agencies.get(agency__short_name="Police").agency
    case = demo_audit.cases.get(pseudonym="Child R")
    client.force_login(User.objects.get(email=data.auditor_email("Police")))
    page = client.get(reverse("returns:return", args=[demo_audit.slug, case.pk, police.pk]))
    assert page.status_code == 200
    assert "immediate concern" in page.text


def test_a_second_load_changes_nothing(demo_audit: Audit):
    from maca.demo.services import demo_load

    assert not demo_load().changed
