"""The 7-minute briefing: seven numbered boxes from the same findings as the brief, as a page
and as a PDF of exactly one page, naming no child."""

from __future__ import annotations

import io
import re
from typing import Any, cast

import pytest
from django.urls import reverse
from pypdf import PdfReader

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.learning.models import Finding, Heading
from maca.reports.brief import build_brief, system_access
from maca.reports.briefing import build_briefing
from maca.reports.tests.conftest import normalise, pdf_text

services = pytest.importorskip("maca.demo.services")
demo_data = pytest.importorskip("maca.demo.data")

pytestmark = pytest.mark.django_db

BOXES = [
    "Background",
    "Why it matters",
    "What we found",
    "What it means for practice",
    "What to do: our expectations",
    "Questions for reflection in your team",
    "Further information",
]


@pytest.fixture
def demo(client):
    services.demo_load()
    audit = Audit.objects.get(slug=demo_data.AUDIT_SLUG)
    client.force_login(User.objects.get(email=demo_data.COORDINATOR))
    return audit


def test_briefing_has_seven_numbered_boxes_from_the_findings(demo, client):
    response = client.get(reverse("reports:briefing", args=[demo.slug]))
    assert response.status_code == 200
    html = response.text
    for number, title in enumerate(BOXES, start=1):
        assert f'<span class="maca-briefing__number">{number}.</span> {title}' in html
    # The same findings as the brief.
    theme = Finding.objects.filter(audit=demo, heading=Heading.LEARNING).order_by("order").first()
    assert theme is not None and theme.title in html
    assert "Frequent placement moves, placement breakdowns" in html


def test_demo_briefing_pdf_is_exactly_one_page_and_names_no_child(demo, client):
    response = client.get(reverse("reports:briefing-pdf", args=[demo.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "/StructTreeRoot" in cast(Any, reader.trailer["/Root"])
    text = pdf_text(response.content)
    for title in BOXES:
        assert normalise(title) in text
    assert not re.search(r"\bChild [A-Z]\b", text)
    assert "Demo Child" not in text


def test_a_long_audit_still_fits_on_one_page(demo, client):
    for order in range(30):
        Finding.objects.create(
            audit=demo,
            heading=Heading.WORRY,
            order=100 + order,
            text="A long worry that goes on and on about practice " * 4,
        )
    response = client.get(reverse("reports:briefing-pdf", args=[demo.slug]))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_less_detail_means_fewer_items():
    services.demo_load()
    brief = build_brief(system_access(Audit.objects.get(slug=demo_data.AUDIT_SLUG)))
    full, short = build_briefing(brief, detail=0), build_briefing(brief, detail=4)
    assert len(short.boxes[2].bullets) < len(full.boxes[2].bullets)
    assert [box.number for box in full.boxes] == list(range(1, 8))
