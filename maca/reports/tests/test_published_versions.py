"""Published means frozen: everything a reader sees of a published audit comes from its latest
published version; a change after publication is a draft of the next version, which its
coordinators can compare, publish (through the disclosure check again) or discard. Every name
and fact here is invented."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from maca.accounts.models import Role
from maca.audits.models import Audit, AuditStatus, Escalation
from maca.core.history import acting_as
from maca.core.models import ChangeRecord
from maca.learning.models import Action, Finding, Heading, Resource
from maca.learning.services import finding_create
from maca.planning.services.audits import FORWARD, audit_status_advance
from maca.reports.brief import build_brief, system_access
from maca.reports.models import BriefSnapshot
from maca.reports.snapshots import DraftState, brief_from_data, draft_state
from maca.reports.tests.conftest import normalise, pdf_text
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db

PUBLISHED = "Health assessments were late for children placed far away."
LATER = "A later finding that never went through the disclosure check."
NHS_NUMBER = "943 476 5919"  # a made-up number with a valid check digit


def _published():
    built = build_audit(cases=2, agencies=2, findings=3, status=AuditStatus.FINDINGS)
    worry = Finding.objects.filter(audit=built.audit, heading=Heading.WORRY).first()
    assert worry is not None
    worry.text = PUBLISHED
    worry.save()
    audit = Audit.objects.get(pk=built.audit.pk)
    with acting_as(built.coordinator):
        audit_status_advance(audit=audit, direction=FORWARD, expected=audit.status)
    built.audit.refresh_from_db()
    return built, worry


def _add_finding(built, text: str) -> Finding:
    with acting_as(built.coordinator):
        return finding_create(access=system_access(built.audit), heading=Heading.WORRY, text=text)


def _draft(built) -> DraftState:
    state = draft_state(system_access(built.audit))
    assert state is not None
    return state


def _docx_text(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)


def _reader_sees(client: Client, slug: str) -> str:
    """Everything a reader can read of the audit, as one text."""
    pages = [
        reverse("reports:brief", args=[slug]),
        reverse("reports:brief-md", args=[slug]),
        reverse("reports:briefing", args=[slug]),
        reverse("reports:report", args=[slug]),
        reverse("api:brief", args=[slug]),
        reverse("api:findings", args=[slug]),
        reverse("api:figures", args=[slug]),
        reverse("tracker:list"),
        reverse("api:actions"),
    ]
    texts = []
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    for url in (
        reverse("reports:brief-docx", args=[slug]),
        reverse("reports:report-docx", args=[slug]),
    ):
        texts.append(_docx_text(client.get(url).content))
    for url in (
        reverse("learning:findings", args=[slug]),
        reverse("learning:actions", args=[slug]),
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain, "readers read the published version, not the rows"
        texts.append(response.content.decode())
    return "\n".join(texts)


def test_a_change_after_publication_reaches_no_reader_in_any_format(client):
    built, worry = _published()
    _add_finding(built, LATER)
    worry.text = "Edited after publication."
    worry.save()
    Action.objects.filter(audit=built.audit).update(description="An action edited later.")

    client.force_login(person_with_role(Role.READER))
    seen = _reader_sees(client, built.audit.slug)
    assert PUBLISHED in seen
    assert LATER not in seen
    assert "Edited after publication" not in seen
    assert "An action edited later" not in seen


def test_an_audit_that_arrived_published_is_frozen_when_first_read(client):
    built = build_audit(cases=2, agencies=2, findings=3)  # created already published
    client.force_login(person_with_role(Role.READER))
    first = client.get(reverse("reports:brief-md", args=[built.audit.slug])).content.decode()
    assert BriefSnapshot.objects.filter(audit=built.audit, version=1).exists()

    _add_finding(built, LATER)
    again = client.get(reverse("reports:brief-md", args=[built.audit.slug])).content.decode()
    assert again == first
    assert LATER not in _reader_sees(client, built.audit.slug)


def test_coordinators_see_what_the_draft_changes_and_since_when(client):
    built, _worry = _published()
    assert not _draft(built).differs

    _add_finding(built, LATER)
    state = _draft(built)
    assert state.differs
    assert state.changed[0] == "What we are worried about"
    assert state.since is not None and state.since > state.published.published_at
    assert ("+", f"- {LATER}") in state.diff

    client.force_login(built.coordinator)
    slug = built.audit.slug
    brief = client.get(reverse("reports:brief", args=[slug])).content.decode()
    assert "The draft of version 2 differs from what readers see" in brief
    assert LATER not in brief  # the page itself still shows what readers see
    page = client.get(reverse("reports:brief-draft", args=[slug])).content.decode()
    assert "What we are worried about" in page and LATER in page
    assert "Publish version 2" in page and "Discard the draft" in page


def test_publishing_the_next_version_runs_the_disclosure_check_again(client):
    built, _worry = _published()
    finding = _add_finding(built, f"One child's NHS number {NHS_NUMBER} was on the referral.")
    client.force_login(built.coordinator)
    slug = built.audit.slug
    draft_url = reverse("reports:brief-draft", args=[slug])

    refused = client.post(draft_url, {"decision": "publish"}, follow=True).content.decode()
    assert "disclosure check found 1 thing" in refused
    assert BriefSnapshot.objects.filter(audit=built.audit).count() == 1

    finding.text = LATER
    finding.save()
    client.post(draft_url, {"decision": "publish"})
    assert list(
        BriefSnapshot.objects.filter(audit=built.audit).values_list("version", flat=True)
    ) == [2, 1]
    reader = Client()
    reader.force_login(person_with_role(Role.READER))
    assert LATER in _reader_sees(reader, slug)

    publications = ChangeRecord.objects.filter(audit_id=built.audit.pk, action="publish")
    assert [(record.changes["version"][1], record.actor) for record in publications] == [
        ("2", built.coordinator),
        ("1", built.coordinator),
    ]
    unchanged = client.post(draft_url, {"decision": "publish"}, follow=True)
    assert unchanged.status_code == 404 or "Nothing has changed" in unchanged.content.decode()


def test_discarding_the_draft_puts_back_what_readers_see_and_keeps_progress(client):
    built, worry = _published()
    published = BriefSnapshot.objects.get(audit=built.audit).brief
    action = Action.objects.filter(audit=built.audit).first()
    assert action is not None
    linked_agencies = set(worry.agencies.values_list("pk", flat=True))
    worry_pk = worry.pk
    with acting_as(built.coordinator):
        _add_finding(built, LATER)
        worry.delete()
        other = Finding.objects.filter(audit=built.audit).exclude(text=LATER).first()
        assert other is not None
        other.text = "Rewritten after publication."
        other.save()
        other.agencies.clear()
        action.description = "An action edited later."
        action.save()
        Resource.objects.create(
            audit=built.audit, title="A later leaflet", kind="leaflet", url="https://example.org"
        )

    client.force_login(built.coordinator)
    url = reverse("reports:brief-draft", args=[built.audit.slug])
    asked = client.post(url, {"decision": "discard"}).content.decode()
    assert "Yes, discard the draft" in asked
    assert Finding.objects.filter(text=LATER).exists()  # nothing undone before confirming
    response = client.post(url, {"decision": "discard", "confirm": "yes"}, follow=True)
    assert "The draft is discarded" in response.content.decode()
    restored = build_brief(system_access(built.audit))
    assert replace(restored, published_on=published["published_on"]) == brief_from_data(published)
    assert not Finding.objects.filter(text=LATER).exists()
    assert not Resource.objects.filter(title="A later leaflet").exists()
    back = Finding.objects.get(pk=worry_pk)
    assert back.text == PUBLISHED
    assert set(back.agencies.values_list("pk", flat=True)) == linked_agencies
    assert not _draft(built).differs
    assert ChangeRecord.objects.filter(audit_id=built.audit.pk, action="discard draft").exists()


def test_discarding_keeps_the_progress_an_action_owner_recorded():
    built, _worry = _published()
    action = Action.objects.filter(audit=built.audit).first()
    assert action is not None
    with acting_as(built.coordinator):
        action.description = "An action edited later."
        action.status = "in_progress"
        action.save()
    from maca.reports.snapshots import brief_draft_discard

    brief_draft_discard(access=system_access(built.audit), by=built.coordinator)
    action.refresh_from_db()
    assert action.description != "An action edited later."
    assert action.status == "in_progress"


def test_only_the_coordinators_decide_and_only_they_and_the_panel_see_the_draft(client):
    built, _worry = _published()
    _add_finding(built, LATER)
    url = reverse("reports:brief-draft", args=[built.audit.slug])
    panel = built.audit.panel_memberships.first().user
    client.force_login(panel)
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "publish"}).status_code == 404
    assert client.post(url, {"decision": "discard"}).status_code == 404
    for role in (Role.READER, Role.ADMINISTRATOR):
        client.force_login(person_with_role(role))
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "discard", "confirm": "yes"}).status_code == 404
    assert Finding.objects.filter(text=LATER).exists()
    assert BriefSnapshot.objects.filter(audit=built.audit).count() == 1


def test_readers_track_actions_as_published_and_cannot_open_the_rows(client):
    built, _worry = _published()
    action = Action.objects.filter(audit=built.audit, include_in_brief=True).first()
    assert action is not None
    published_description = action.description
    with acting_as(built.coordinator):
        action.description = "An action edited later."
        action.save()
    client.force_login(person_with_role(Role.READER))

    tracker = client.get(reverse("tracker:list")).content.decode()
    assert published_description in tracker and "An action edited later" not in tracker
    assert "As published in the learning brief" in tracker
    listed = client.get(reverse("api:actions"), {"audit": built.audit.slug}).json()["results"]
    assert action.pk in [row["id"] for row in listed]
    assert [row["description"] for row in listed if row["id"] == action.pk] == [
        published_description
    ]
    assert client.get(reverse("tracker:detail", args=[action.pk])).status_code == 404
    assert client.get(reverse("api:action", args=[action.pk])).status_code == 404


def test_a_finding_the_panel_adds_on_the_page_after_publication_waits_for_the_next_version(
    client,
):
    """The reported way in: a panel member adds a finding with "Include in the learning brief"
    ticked on a published audit. It is saved, readers do not see it, and the coordinators are
    told the draft differs."""
    built, _worry = _published()
    slug = built.audit.slug
    client.force_login(built.audit.panel_memberships.first().user)
    response = client.post(
        reverse("learning:finding-new", args=[slug]),
        {"heading": Heading.WORRY, "text": LATER, "include_in_brief": "on"},
    )
    assert response.status_code == 302
    assert Finding.objects.get(audit=built.audit, text=LATER).include_in_brief

    reader = Client()
    reader.force_login(person_with_role(Role.READER))
    assert LATER not in _reader_sees(reader, slug)
    assert BriefSnapshot.objects.filter(audit=built.audit).count() == 1

    client.force_login(built.coordinator)
    brief = client.get(reverse("reports:brief", args=[slug])).content.decode()
    assert "The draft of version 2 differs from what readers see" in brief
    assert ("+", f"- {LATER}") in _draft(built).diff


def test_a_readers_pdfs_are_the_published_versions(client):
    """The PDFs (brief, report, 7-minute briefing) are made from the version readers see,
    not from the rows as they are now."""
    built, worry = _published()
    worry.text = "Edited after publication."
    worry.save()
    _add_finding(built, LATER)
    client.force_login(person_with_role(Role.READER))
    slug = built.audit.slug
    texts = {}
    for name in ("reports:brief-pdf", "reports:report-pdf", "reports:briefing-pdf"):
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), name
        texts[name] = pdf_text(response.content)
    assert normalise(PUBLISHED) in texts["reports:brief-pdf"]
    for name, text in texts.items():
        assert "Edited after publication" not in text, name
        assert "never went through the disclosure check" not in text, name


def test_an_escalation_changed_after_publication_waits_for_the_next_version(client):
    """An escalation's public account changes as its agencies work on it: readers keep the
    published one, coordinators see the draft differs, and discarding leaves the escalation
    alone (it is the agencies' record, not the brief's draft), saying so."""
    built, _worry = _published()
    escalation = Escalation.objects.filter(audit=built.audit).first()
    assert escalation is not None
    published_summary = escalation.public_summary
    with acting_as(built.coordinator):
        escalation.public_summary = "An escalation summary rewritten after publication."
        escalation.status = Escalation.Status.RESOLVED
        escalation.save()

    reader = Client()
    reader.force_login(person_with_role(Role.READER))
    seen = _reader_sees(reader, built.audit.slug)
    assert published_summary in seen
    assert "rewritten after publication" not in seen

    assert _draft(built).changed[0] == "Escalations"
    client.force_login(built.coordinator)
    url = reverse("reports:brief-draft", args=[built.audit.slug])
    page = client.get(url).content.decode()
    assert "discarding leaves them as they are" in page
    refused = client.post(url, {"decision": "discard", "confirm": "yes"}, follow=True)
    assert "no changes to findings, actions or resources to discard" in refused.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED
