"""The demo audit's brief holds every item of the real 2022 brief it was built from, in all four
formats, and nothing that identifies a child."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from maca.accounts.models import User
from maca.audits.models import Audit, Escalation, Need
from maca.identifiers.models import ChildIdentity
from maca.learning.models import Action, AuditReview, Finding, Resource
from maca.reports.tests.conftest import docx_text, html_text, markdown_text, normalise, pdf_text

services = pytest.importorskip("maca.demo.services")
demo_data = pytest.importorskip("maca.demo.data")

pytestmark = pytest.mark.django_db

# Copied from /work/shared/seed/learning-brief-cla-out-of-area-2022.txt, so this test cannot
# pass on an empty brief whatever the database holds.
SEED_PHRASES = [
    "reviewed the records of nine children who are looked after by the local authority and "
    "placed out of area",
    "The aim of the audit was to ascertain whether there were good multi-agency standards for "
    "managing cases",
    "This audit was to check learning has been embedded from the SCR Georgia",
    "The nine children chosen for this audit were aged between 6 weeks and 16 years old at the "
    "time of the audit.",
    "Frequent placement moves, placement breakdowns",
    "No transfer document evidenced",
    "Missing records – that have been escalated",
    "Exploitation tool not updated",
    "Safety plan not shared with school – which would have helped mitigate risk",
    "Delay in request for a health assessment",
    "Good communication between agencies",
    "Placement found to keep siblings together",
    "Interpreter used to hear wishes and feelings of the child",
    "Young person has asked to be identified as 'she/her' and appropriate support is in place. "
    "Good practice from school, foster carer.",
    "Good practice from Elective Home Education Team",
    "Domestic Abuse while children are in care",
    "police do not notify Children's Social Care about Domestic Abuse incidents when the child "
    "is not there",
    "Police agreed to add a flag to records to ensure incidents are still shared.",
    "Asylum seeking children information shared with GPs",
    "BNSSG will take this forward and identify how this information sharing can be improved",
    "Reducing criminalisation of CLA and Care Leavers",
    "Organisations that audited their involvement with the nine children were: GPs, Social "
    "Care, Camhs, Sirona, NBT, Police, Education, YOT, EDT and Preventative Services.",
    "Thinking Allowed Service information for professionals",
    "If there is a risk of exploitation an EIT should be completed",
    "Exploitation Bitesize Learning sessions",
    "Off the Record service information",
    "SCR Georgia learning brief",
    "When there is a strategy discussion for a looked after child",
]

FORMAT_URLS = {
    "html": "reports:brief",
    "pdf": "reports:brief-pdf",
    "docx": "reports:brief-docx",
    "md": "reports:brief-md",
}
READERS = {
    "html": lambda data: html_text(data.decode()),
    "pdf": pdf_text,
    "docx": docx_text,
    "md": lambda data: markdown_text(data.decode()),
}


@pytest.fixture
def demo(client):
    services.demo_load()
    audit = Audit.objects.get(slug=demo_data.AUDIT_SLUG)
    client.force_login(User.objects.get(email=demo_data.COORDINATOR))
    raw = {}
    for extension, name in FORMAT_URLS.items():
        response = client.get(reverse(name, args=[audit.slug]))
        assert response.status_code == 200, extension
        raw[extension] = response.content
    texts = {extension: READERS[extension](data) for extension, data in raw.items()}
    return audit, raw, texts


def expected_from_database(audit: Audit) -> list[str]:
    """Every item the brief must show, read from the demo's rows."""
    items: list[str] = ["6 weeks", "16 years"]
    for finding in Finding.objects.filter(audit=audit, include_in_brief=True):
        items += [finding.title, finding.needs_to_happen, finding.attribution]
        items += re.split(r"\n\s*\n", finding.text)
        items += [agency.short_name for agency in finding.taken_forward_by.all()]
    for escalation in Escalation.objects.filter(audit=audit):
        items += [escalation.public_summary, escalation.public_outcome]
        items += [escalation.get_urgency_display()]
    for action in Action.objects.filter(audit=audit, include_in_brief=True):
        items += [action.description, action.lead_name, action.get_status_display()]
    for link in AuditReview.objects.filter(audit=audit).select_related("review"):
        items += [link.review.title, link.review.short_name]
        items += [point.text for point in link.review.learning_points.all()]
    items += [agency.short_name for agency in audit.agencies.all()]
    items += [resource.title for resource in Resource.objects.filter(audit=audit)]
    items += list(Need.objects.filter(cases__audit=audit).values_list("label", flat=True))
    return [normalise(item) for item in items if item.strip()]


def test_demo_brief_shows_every_item_of_the_seed_brief_in_every_format(demo):
    audit, _, texts = demo
    expected = expected_from_database(audit)
    assert len(expected) > 60  # the demo really is loaded
    for extension, text in texts.items():
        missing = [item for item in expected if item not in text]
        assert not missing, (extension, missing)
        # The demo tidies some capitals ("Domestic Abuse while…"), so these ignore case.
        missing_seed = [
            phrase for phrase in SEED_PHRASES if normalise(phrase).casefold() not in text.casefold()
        ]
        assert not missing_seed, (extension, missing_seed)


def test_demo_brief_names_no_child_and_no_escalation_detail(demo):
    audit, raw, texts = demo
    identities = list(ChildIdentity.objects.filter(case__audit=audit))
    assert len(identities) == 9
    for extension, text in texts.items():
        assert not re.search(r"\bChild [A-Z]\b", text), extension
        for identity in identities:
            assert identity.full_name not in text, (extension, identity.full_name)
            assert identity.date_of_birth not in text, (extension, identity.date_of_birth)
        for escalation in Escalation.objects.filter(audit=audit):
            assert normalise(escalation.concern) not in text, extension
            assert normalise(escalation.outcome) not in text, extension
    # The raw files too, in case a name hid in markup, metadata or a link.
    for extension in ("html", "md"):
        for identity in identities:
            assert identity.full_name.encode() not in raw[extension]


def test_demo_docx_uses_word_heading_and_list_styles(demo):
    _, raw, _ = demo
    paragraphs = Document(io.BytesIO(raw["docx"])).paragraphs
    by_style: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        by_style.setdefault(style, []).append(paragraph.text)
    assert by_style["Title"] == [
        "Multi Agency Quality Assurance Audit: Children Looked After Out of Area"
    ]
    assert "What we are worried about" in by_style["Heading 1"]
    assert "What good practice did we see" in by_style["Heading 1"]
    assert "Themes for learning" in by_style["Heading 1"]
    assert "Domestic abuse while children are in care" in by_style["Heading 2"]
    assert "No transfer document evidenced" in by_style["List Bullet"]
    assert "GPs, Social Care, Camhs" in " ".join(by_style["Normal"])
