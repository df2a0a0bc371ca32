"""A published brief is a frozen, versioned snapshot: what passed the disclosure check is what
readers see in every format, whatever is edited later, and publishing again makes the next
version. Every name and fact here is invented."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import Audit, AuditStatus
from maca.core.history import acting_as
from maca.learning.models import Finding, Heading
from maca.planning.services.audits import BACK, FORWARD, audit_status_advance
from maca.reports.brief import build_brief, system_access
from maca.reports.models import BriefSnapshot
from maca.reports.snapshots import brief_from_data, brief_to_data
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db

FIRST = "Health assessments were late for children placed far away."
SECOND = "Health assessments are now on time after the new referral route."


def _publishable():
    built = build_audit(cases=2, agencies=2, findings=3, status=AuditStatus.FINDINGS)
    worry = Finding.objects.filter(audit=built.audit, heading=Heading.WORRY).first()
    assert worry is not None
    worry.text = FIRST
    worry.save()
    return built, worry


def _move(built, direction: str) -> None:
    audit = Audit.objects.get(pk=built.audit.pk)
    with acting_as(built.coordinator):
        audit_status_advance(audit=audit, direction=direction, expected=audit.status)


def test_a_brief_survives_its_round_trip_through_the_snapshot_unchanged(brief_audit):
    brief = build_brief(system_access(brief_audit.audit))
    assert brief.themes and brief.actions and brief.reviews and brief.escalations
    assert brief_from_data(brief_to_data(brief)) == brief


def test_publishing_freezes_the_brief_that_every_format_then_shows(client):
    built, worry = _publishable()
    _move(built, FORWARD)
    snapshot = BriefSnapshot.objects.get(audit=built.audit)
    assert snapshot.version == 1
    assert snapshot.published_by == built.coordinator
    assert FIRST in snapshot.markdown
    assert "Draft" not in snapshot.markdown

    worry.text = SECOND
    worry.save()
    client.force_login(person_with_role(Role.READER))
    slug = built.audit.slug
    page = client.get(reverse("reports:brief", args=[slug])).content.decode()
    assert FIRST in page and SECOND not in page
    assert "Version 1, published" in page
    markdown = client.get(reverse("reports:brief-md", args=[slug])).content.decode()
    assert FIRST in markdown and SECOND not in markdown
    briefing = client.get(reverse("reports:briefing", args=[slug])).content.decode()
    assert "Health assessments were late" in briefing and "now on time" not in briefing


def test_publishing_again_after_moving_back_makes_version_two(client):
    built, worry = _publishable()
    _move(built, FORWARD)
    _move(built, BACK)
    worry.text = SECOND
    worry.save()
    client.force_login(built.coordinator)
    slug = built.audit.slug
    draft = client.get(reverse("reports:brief", args=[slug])).content.decode()
    assert SECOND in draft and "Version 1" not in draft

    _move(built, FORWARD)
    assert list(
        BriefSnapshot.objects.filter(audit=built.audit).values_list("version", flat=True)
    ) == [2, 1]
    page = client.get(reverse("reports:brief", args=[slug])).content.decode()
    assert SECOND in page and FIRST not in page
    assert "Published versions" in page
    assert f'href="{reverse("reports:brief", args=[slug])}?version=1"' in page

    first = client.get(reverse("reports:brief", args=[slug]), {"version": "1"}).content.decode()
    assert FIRST in first and SECOND not in first
    assert client.get(reverse("reports:brief", args=[slug]), {"version": "9"}).status_code == 404
    assert client.get(reverse("reports:brief", args=[slug]), {"version": "x"}).status_code == 404


def test_only_moving_forward_into_published_takes_a_snapshot():
    built = build_audit(cases=2, agencies=2, findings=2)  # created already published
    assert not BriefSnapshot.objects.exists()
    _move(built, FORWARD)  # to follow-up
    _move(built, BACK)  # back to published: nothing new was published
    assert not BriefSnapshot.objects.exists()
