"""The demo's audits known only by their figures and its three-audit programme briefing, as a
reader sees them. Everything in the demo is fictional."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.demo import data as demo_data
from maca.demo import programme, services
from maca.reports.tests.conftest import markdown_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    services.demo_load()
    client.force_login(User.objects.get(email=demo_data._email("reader")))
    return client


def _brief(client, slug: str) -> str:
    response = client.get(reverse("reports:brief-md", args=[slug]))
    assert response.status_code == 200
    return markdown_text(response.content.decode())


def test_the_past_audit_known_by_its_figures_says_only_what_they_hold(reader):
    assert not Audit.objects.get(slug=programme.RECORDS_2016).cases.exists()
    text = _brief(reader, programme.RECORDS_2016)
    assert "The cohort The audit looked at 45 records of strategy meetings." in text
    assert "The audit took place in 2016/17." in text
    assert "Met the standard: 43 of 45 (96%)" in text
    assert "children" not in text.replace("Children Partnership", "")


def test_the_programme_briefing_covers_three_audits_and_compares_them(reader):
    text = _brief(reader, programme.RECORDS_2017)
    assert "15-19 January 2018" in text
    assert "The audit looked at 60 referrals to the front door that led to a strategy" in text
    assert "Tabletop audit: strategy meetings for young people at risk of exploitation" in text
    assert "Gender: 9 boys and 5 girls." in text
    assert "Good or outstanding (together): 8 of 14 (57%)" in text
    cells = " ".join(text.replace("|", " ").split())
    assert "Met the standard 51 of 60 (85%) 43 of 45 (96%)" in cells
