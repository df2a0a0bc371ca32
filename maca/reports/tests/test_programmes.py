"""A brief that covers several audits: each linked audit with its scope, how it relates, and a
table comparing their figures, in every format; unpublished audits stay out. Every audit here
is fictional."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from maca.accounts.models import Role
from maca.audits.models import CohortUnit
from maca.core.models import ChangeRecord
from maca.core.partial_dates import PartialDate
from maca.planning.services import FiguresInput, GradeInput, audit_figures_set
from maca.reports import brief_templates as templates
from maca.reports.brief import build_brief, system_access
from maca.reports.briefing import build_briefing
from maca.reports.models import AuditLink
from maca.reports.renderers import render
from maca.reports.snapshots import brief_from_data, brief_snapshot_create, brief_to_data
from maca.reports.tests.test_brief_templates import READERS, shipped_version
from tests.factories import AuditFactory, person_with_role

pytestmark = pytest.mark.django_db


def _audit(title: str, year: int, count: int, met: int, status: str = "published"):
    audit = AuditFactory.create(
        title=title,
        theme="Fictional strategy meetings",
        status=status,
        audit_date=PartialDate(year, year_kind="financial"),
        aim="",
    )
    audit_figures_set(
        audit=audit,
        data=FiguresInput(
            cohort_count=count,
            cohort_unit=CohortUnit.RECORDS,
            grades_of="the standard for strategy meetings",
            grades_base=count,
            grades=(GradeInput(label="met the standard", count=met),),
        ),
    )
    return audit


@pytest.fixture
def programme():
    this_year = _audit("Fictional record audit 2018/19", 2018, 45, 43)
    last_year = _audit("Fictional record audit 2017/18", 2017, 40, 30)
    tabletop = _audit("Fictional tabletop audit", 2018, 12, 9)
    unpublished = _audit("Fictional audit not yet published", 2018, 5, 5, status="findings")
    for order, (other, relationship) in enumerate(
        [
            (last_year, AuditLink.Relationship.COMPARED),
            (tabletop, AuditLink.Relationship.SAME_PROGRAMME),
            (unpublished, AuditLink.Relationship.SAME_PROGRAMME),
        ]
    ):
        AuditLink.objects.create(
            audit=this_year, other=other, relationship=relationship, order=order
        )
    templates.audit_brief_template_choose(
        audit=this_year, version=shipped_version("programme-briefing")
    )
    return this_year


def test_the_brief_covers_each_published_linked_audit_with_its_scope(programme):
    brief = build_brief(system_access(programme))
    assert [linked.heading for linked in brief.linked_audits] == [
        "Fictional record audit 2017/18 (2017/18)",
        "Fictional tabletop audit (2018/19)",
    ]
    last_year = brief.linked_audits[0]
    assert last_year.relationship == "Compared with it, year on year"
    assert ("Theme", "Fictional strategy meetings") in last_year.scope
    assert last_year.cohort == ("The audit looked at 40 records.",)
    assert last_year.grades is not None
    assert last_year.grades.counts == ("Met the standard: 30 of 40 (75%)",)
    assert brief.comparison is not None
    assert brief.comparison.rows == (
        ("When", ("2018/19", "2017/18", "2018/19")),
        ("How many", ("45 records", "40 records", "12 records")),
        ("Met the standard", ("43 of 45 (96%)", "30 of 40 (75%)", "9 of 12 (75%)")),
    )


def test_every_format_prints_the_linked_audits_and_the_table(programme):
    brief = build_brief(system_access(programme))
    for extension, read in READERS.items():
        text = read(render(brief, extension).content)
        assert "The audits this briefing covers" in text, extension
        assert "How it relates to this audit: Compared with it, year on year." in text
        assert "Fictional audit not yet published" not in text, extension
        if extension != "docx":  # Word keeps tables apart from paragraphs; read below
            cells = " ".join(text.replace("|", " ").split())
            row = "Met the standard 43 of 45 (96%) 30 of 40 (75%) 9 of 12 (75%)"
            assert row in cells, extension
    background = build_briefing(brief).boxes[0].paragraphs
    assert background[-1] == (
        "This briefing also covers Fictional record audit 2017/18 (2017/18) and Fictional "
        "tabletop audit (2018/19)."
    )
    table = Document(io.BytesIO(render(brief, "docx").content)).tables[0]
    assert [cell.text for cell in table.rows[-1].cells] == [
        "Met the standard",
        "43 of 45 (96%)",
        "30 of 40 (75%)",
        "9 of 12 (75%)",
    ]


def test_a_published_programme_brief_keeps_its_linked_audits(programme):
    snapshot = brief_snapshot_create(audit=programme)
    AuditLink.objects.filter(audit=programme).delete()
    frozen = brief_from_data(snapshot.brief)
    assert len(frozen.linked_audits) == 2 and frozen.comparison is not None
    assert brief_from_data(brief_to_data(frozen)) == frozen
    assert build_brief(system_access(programme)).linked_audits == ()


def test_the_coordinator_links_and_unlinks_audits_they_can_see(client, programme):
    coordinator = person_with_role(Role.COORDINATOR)
    programme.coordinators.add(coordinator)
    mine = AuditFactory.create(title="Fictional audit of the coordinator's own")
    mine.coordinators.add(coordinator)
    hidden = AuditFactory.create(title="Fictional audit of another coordinator", status="draft")
    client.force_login(coordinator)
    url = reverse("reports:brief-audits", args=[programme.slug])
    page = client.get(url).text
    assert "Fictional audit of the coordinator&#x27;s own" in page
    assert "Fictional audit of another coordinator" not in page
    refused = client.post(url, {"other": hidden.pk, "relationship": "reaudit"})
    assert refused.status_code == 200 and "Error:" in refused.text
    added = client.post(url, {"other": mine.pk, "relationship": "reaudit", "note": "Fictional"})
    assert added.status_code == 302
    link = AuditLink.objects.get(audit=programme, other=mine)
    assert client.post(url, {"action": "remove", "link": link.pk}).status_code == 302
    assert not AuditLink.objects.filter(pk=link.pk).exists()
    actions = set(
        ChangeRecord.objects.filter(audit_id=programme.pk, actor=coordinator).values_list(
            "action", flat=True
        )
    )
    assert actions == {"brief_link", "brief_unlink"}
