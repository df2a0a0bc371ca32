"""A document that says Published (or later) is run through the publishing disclosure check as
it is imported: clean, it is frozen as version 1 at once; with anything to resolve, it is
imported whole one stage before Published, so readers never see texts the check has not
passed. Anyone can write such a document by hand: the schema is public."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from maca.accounts.models import User
from maca.api.services import api_token_create
from maca.audits.models import Audit, AuditStatus
from maca.audits.selectors import PUBLISHED_STATUSES, audit_access_for
from maca.core.models import ChangeRecord
from maca.demo import data
from maca.exchange.selectors import audit_export
from maca.exchange.services import audit_import
from maca.exchange.tests.conftest import as_bytes, changed
from maca.learning.models import Finding
from maca.planning.services.audits import FORWARD, audit_status_advance
from maca.reports.brief import system_access
from maca.reports.disclosure_check import disclosure_accept, run_check
from maca.reports.models import BriefSnapshot, DisclosureScope
from tests.factories import mark_recently_authenticated

pytestmark = pytest.mark.django_db

READER = data.LOGINS[4][1]
# Fictional: a sibling's first name, which identifies the child as surely as the child's own.
PLANTED = "Her older brother Jamie was not spoken to by anyone at the school."


def _planted(document: dict[str, Any], status: str = "published") -> dict[str, Any]:
    document = changed(document)
    document["audit"]["status"] = status
    finding = next(row for row in document["findings"] if row.get("include_in_brief", True))
    finding["text"] = f"{finding['text']} {PLANTED}"
    return document


def _import_record(audit: Audit) -> ChangeRecord:
    return ChangeRecord.objects.get(audit_id=audit.pk, action="import checked")


def _reader_sees_brief(client: Any, slug: str) -> tuple[int, int]:
    """The brief page and the API's brief for the demo's reader: their status codes."""
    reader = User.objects.get(email=READER)
    client.force_login(reader)
    page = client.get(reverse("reports:brief", args=[slug])).status_code
    token = api_token_create(user=reader, name="test", expires_in_days=1).secret
    api = client.get(f"/api/v1/audits/{slug}/brief/", HTTP_AUTHORIZATION=f"Bearer {token}")
    return page, api.status_code


def _listed_for_reader(client: Any, slug: str) -> bool:
    client.force_login(User.objects.get(email=READER))
    return reverse("audits:overview", args=[slug]) in client.get(reverse("audits:list")).text


def test_the_demo_documents_published_audit_is_clean_and_published_checked(demo, demo_document):
    assert demo_document["audit"]["status"] == AuditStatus.PUBLISHED
    result = audit_import(content=as_bytes(demo_document))
    audit = Audit.objects.get(pk=result.audit.pk)
    assert audit.status == AuditStatus.PUBLISHED
    assert result.publication is not None and result.publication.published
    assert list(audit.brief_snapshots.values_list("version", flat=True)) == [1]
    assert "nothing to resolve" in result.publication_message
    record = _import_record(audit)
    assert record.changes["Imported as"] == ["", "Published"]
    assert record.changes["Disclosure check on import"] == ["", "nothing to resolve"]


def test_every_published_demo_audit_passes_the_check_on_import(demo):
    # The demo's fictional texts are written clean of hits, so each published (or closed)
    # demo audit moved elsewhere arrives at its own stage, published as version 1.
    published = list(Audit.objects.filter(status__in=PUBLISHED_STATUSES).order_by("slug"))
    assert len(published) >= 2
    for original in published:
        document = audit_export(system_access(original))
        result = audit_import(content=as_bytes(document))
        assert result.publication is not None
        assert (original.slug, result.publication.unresolved) == (original.slug, 0)
        assert Audit.objects.get(pk=result.audit.pk).status == original.status
        assert result.audit.brief_snapshots.get().version == 1


def test_a_clean_published_import_is_what_readers_see_at_once(demo, demo_document, client):
    audit = audit_import(content=as_bytes(demo_document)).audit
    snapshot = BriefSnapshot.objects.get(audit=audit)
    assert _reader_sees_brief(client, audit.slug) == (200, 200)
    assert _listed_for_reader(client, audit.slug)
    # Read from the version frozen at import: reading makes no second one.
    assert list(audit.brief_snapshots.values_list("pk", flat=True)) == [snapshot.pk]


def test_a_planted_name_holds_the_import_at_findings_with_everything_kept(demo, demo_document):
    document = _planted(demo_document)
    result = audit_import(content=as_bytes(document))
    audit = Audit.objects.get(pk=result.audit.pk)
    assert audit.status == AuditStatus.FINDINGS
    assert not audit.brief_snapshots.exists()
    assert Finding.objects.filter(audit=audit).count() == len(document["findings"])
    assert Finding.objects.filter(audit=audit, text__contains=PLANTED).count() == 1
    assert audit.cases.count() == len(document["cases"])
    assert result.held_before_publication and result.publication is not None
    count = result.publication.unresolved
    assert count >= 1
    message = result.publication_message
    assert message.startswith(
        f"Imported at the findings stage: the disclosure check found {count} thing"
    )
    assert "to resolve before it can be published" in message
    assert reverse("reports:disclosure", args=[audit.slug]) in message
    record = _import_record(audit)
    assert record.changes["Stage"] == ["Published", "Findings"]
    assert record.changes["Disclosure check on import"][1].endswith("to resolve")


def test_readers_never_see_an_import_held_at_findings(demo, demo_document, client):
    audit = audit_import(content=as_bytes(_planted(demo_document))).audit
    assert _reader_sees_brief(client, audit.slug) == (404, 404)
    assert not _listed_for_reader(client, audit.slug)
    # Reading did not freeze it either.
    assert not audit.brief_snapshots.exists()


def test_once_its_hits_are_resolved_a_held_import_publishes_as_usual(demo, demo_document):
    coordinator = User.objects.get(email=data.COORDINATOR)
    audit = audit_import(content=as_bytes(_planted(demo_document)), coordinators=[coordinator])
    access = audit_access_for(coordinator, audit.audit.slug)
    for checked in run_check(access.audit).unresolved:
        disclosure_accept(
            access=access,
            scope=DisclosureScope.PUBLISH,
            fingerprint_value=checked.hit.fingerprint,
            reason="Fictional test text: the brother is named on purpose.",
            by=coordinator,
        )
    published = audit_status_advance(
        audit=access.audit, direction=FORWARD, expected=AuditStatus.FINDINGS
    )
    assert published.status == AuditStatus.PUBLISHED
    snapshot = published.brief_snapshots.get()
    assert snapshot.version == 1 and PLANTED in snapshot.markdown


@pytest.mark.parametrize("status", [AuditStatus.FOLLOW_UP, AuditStatus.CLOSED])
def test_a_document_past_published_is_checked_too(demo, demo_document, status):
    result = audit_import(content=as_bytes(_planted(demo_document, status)))
    audit = Audit.objects.get(pk=result.audit.pk)
    assert audit.status == AuditStatus.FINDINGS
    assert _import_record(audit).changes["Imported as"] == ["", AuditStatus(status).label]


def test_a_document_before_published_is_imported_as_it_says_unchecked(demo, demo_document):
    result = audit_import(content=as_bytes(_planted(demo_document, AuditStatus.FINDINGS)))
    assert result.publication is None and result.publication_message == ""
    assert not ChangeRecord.objects.filter(
        audit_id=result.audit.pk, action="import checked"
    ).exists()


def _upload(client: Any, document: dict[str, Any], slug: str) -> Any:
    user = User.objects.get(email=data.COORDINATOR)
    client.force_login(user)
    mark_recently_authenticated(client, user)
    upload = SimpleUploadedFile("audit.json", as_bytes(document), "application/json")
    return client.post(reverse("exchange:import"), {"document": upload, "slug": slug}, follow=True)


def test_the_import_page_says_why_it_stopped_at_findings(demo, demo_document, client):
    page = _upload(client, _planted(demo_document), "held").content.decode()
    assert Audit.objects.get(slug="held").status == AuditStatus.FINDINGS
    assert "Important" in page
    assert "Imported at the findings stage: the disclosure check found" in page
    assert reverse("reports:disclosure", args=["held"]) in page


def test_the_import_page_says_a_clean_one_is_published(demo, demo_document, client):
    page = _upload(client, demo_document, "clean").content.decode()
    assert Audit.objects.get(slug="clean").status == AuditStatus.PUBLISHED
    assert "Success" in page
    assert "the disclosure check found nothing to resolve" in page


def test_the_command_says_why_it_stopped_at_findings(demo, demo_document, tmp_path: Path):
    held = tmp_path / "held.json"
    held.write_bytes(as_bytes(_planted(demo_document)))
    out = StringIO()
    call_command("import-audit", str(held), "--slug", "held", stdout=out)
    assert Audit.objects.get(slug="held").status == AuditStatus.FINDINGS
    assert "Imported at the findings stage: the disclosure check found" in out.getvalue()
    assert "/audits/held/disclosure/" in out.getvalue()

    clean = tmp_path / "clean.json"
    clean.write_bytes(as_bytes(demo_document))
    out = StringIO()
    call_command("import-audit", str(clean), "--slug", "clean", stdout=out)
    assert Audit.objects.get(slug="clean").brief_snapshots.get().version == 1
    assert "nothing to resolve, so it is published as version 1" in out.getvalue()
