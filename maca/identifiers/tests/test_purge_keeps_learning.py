"""After a purge the demo audit's brief and report are exactly as before, and its pages work:
only the identifiers have gone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit, AuditStatus
from maca.identifiers.models import AgencyReference, ChildIdentity
from maca.identifiers.retention import Outcome, purge_identifiers
from maca.identifiers.tests.conftest import sign_in
from maca.reports.brief import build_brief, system_access
from maca.reports.renderers import render
from maca.reports.report import build_report

services = pytest.importorskip("maca.demo.services")
demo_data = pytest.importorskip("maca.demo.data")

pytestmark = pytest.mark.django_db


def brief_markdown(audit: Audit) -> bytes:
    return render(build_brief(system_access(audit)), "md").content


def test_purge_leaves_the_brief_report_and_case_page_unchanged_but_for_identifiers(
    client: Client,
) -> None:
    services.demo_load()
    audit = Audit.objects.get(slug=demo_data.AUDIT_SLUG)
    Audit.objects.filter(pk=audit.pk).update(
        status=AuditStatus.CLOSED, closed_at=timezone.make_aware(dt.datetime(2023, 4, 1, 9))
    )
    audit.refresh_from_db()
    assert ChildIdentity.objects.filter(case__audit=audit).exists()
    assert AgencyReference.objects.filter(case__audit=audit).exists()
    brief_before = brief_markdown(audit)
    report_before = build_report(system_access(audit))

    decisions = {
        d.audit_slug: d for d in purge_identifiers(today=dt.date(2026, 6, 1), dry_run=False)
    }

    assert decisions[audit.slug].outcome == Outcome.PURGED
    assert not ChildIdentity.objects.filter(case__audit=audit).exists()
    assert not AgencyReference.objects.filter(case__audit=audit).exists()
    audit.refresh_from_db()
    assert brief_markdown(audit) == brief_before
    assert build_report(system_access(audit)) == report_before

    coordinator = User.objects.get(email=demo_data.COORDINATOR)
    sign_in(client, coordinator)
    case = audit.cases.order_by("order").first()
    assert case is not None
    page = client.get(reverse("audits:case", args=[audit.slug, case.pk]))
    assert page.status_code == 200
    assert "were purged on" in page.content.decode()
    reveal = client.get(reverse("identifiers:reveal", args=[audit.slug, case.pk]))
    assert "No identifiers are held for" in reveal.content.decode()
    for name in ("reports:brief", "reports:report"):
        assert client.get(reverse(name, args=[audit.slug])).status_code == 200, name
