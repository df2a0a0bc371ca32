"""Bad input: every form says what is wrong and where, and saves nothing."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from maca.accounts.models import Agency
from maca.audits.models import (
    AgencyReturn,
    Audit,
    AuditAgency,
    AuditTool,
    Case,
    LineOfEnquiry,
    Question,
    ToolSection,
    ToolVersion,
)
from maca.identifiers.models import ChildIdentity
from maca.learning.models import AuditReview, LearningPoint, Review
from maca.planning import services
from maca.planning.tests.helpers import counts
from tests.factories import build_audit

pytestmark = pytest.mark.django_db

MODELS = (
    Audit,
    LineOfEnquiry,
    AuditAgency,
    Agency,
    Case,
    ChildIdentity,
    AgencyReturn,
    AuditTool,
    ToolVersion,
    ToolSection,
    Question,
    Review,
    LearningPoint,
    AuditReview,
)


def summary_links(html: str) -> dict[str, str]:
    """Error summary: anchor → message."""
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))  # escaped HTML


def assert_errors(response, expected: dict[str, str]) -> None:
    """Each expected field is linked from the summary with a message naming it, and the
    same message appears beside the field."""
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    links = summary_links(response.text)
    for anchor, words in expected.items():
        assert anchor in links, (anchor, links)
        assert words.lower() in html.unescape(links[anchor]).lower(), (anchor, links[anchor])
        assert f'id="{anchor}"' in response.text, anchor
        assert response.text.count(links[anchor]) >= 2, links[anchor]


@pytest.fixture
def setup(client):
    built = build_audit(cases=2, agencies=2)
    client.force_login(built.coordinator)
    return built


FORMS = [
    pytest.param(
        "planning:audit-new",
        {"title": "", "theme": "", "slug": "Not A Slug!"},
        {"id_title": "title", "id_theme": "theme", "id_slug": "Web address"},
        id="new-audit",
    ),
    pytest.param(
        "planning:plan",
        {
            "title": "",
            "theme": "t",
            "slug": "x",
            "lookback_months": "twelve",
            "audit_date": "soon",
            "returns_due_0": "31",
            "returns_due_1": "2",
            "returns_due_2": "2025",
            "panel_date_0": "3",
            "panel_date_2": "2025",
        },
        {
            "id_title": "title",
            "id_lookback_months": "Look-back period in months must be a whole number",
            "id_audit_date": "Audit date must be a date like",
            "id_returns_due_0": "Returns due must be a real date",
            "id_panel_date_0": "Panel meeting must include a month",
        },
        id="plan",
    ),
    pytest.param(
        "planning:agency-new",
        {"name": "", "short_name": "x" * 41, "sector": "nonsense"},
        {"id_name": "name of the agency", "id_short_name": "Short name", "id_sector_0": "sector"},
        id="new-agency",
    ),
    pytest.param(
        "planning:tool-choice",
        {"tool_version": "999999", "overall_scale": "999999"},
        {"id_tool_version": "audit tool version", "id_overall_scale": "scale"},
        id="tool-choice",
    ),
    pytest.param(
        "planning:reviews",
        {"review": "", "relationship": ""},
        {"id_review": "earlier review", "id_relationship_0": "how it relates"},
        id="link-review",
    ),
    pytest.param(
        "planning:review-new",
        {"title": "", "short_name": "", "kind": "scr", "url": "not a url", "learning_points": "  "},
        {
            "id_title": "title of the review",
            "id_short_name": "short name",
            "id_url": "Link to the review must be a web address",
            "id_learning_points": "learning points",
            "id_relationship_0": "how it relates",
        },
        id="new-review",
    ),
    pytest.param(
        "planning:case-new",
        {
            "pseudonym": "",
            "age_years": "3",
            "age_weeks": "5",
            "placed_out_of_area": "yes",
            "is_uasc": "no",
            "placement_distance_miles": "far",
            "legal_status": "ZZ",
            "upn": "123",
            "nhs_number": "4010232136",
            "date_of_birth_0": "1",
            "date_of_birth_1": "1",
            "date_of_birth_2": "2999",
            "full_name": "Fictional Name Kept Out",
        },
        {
            "id_pseudonym": "pseudonym",
            "id_age_weeks": "years and months, or in weeks",
            "id_placement_distance_miles": "Distance from home in miles must be a number",
            "id_legal_status": "legal status",
            "id_upn": "UPN must be 13 characters",
            "id_nhs_number": "NHS number is not valid",
            "id_date_of_birth_0": "Date of birth must be today or in the past",
        },
        id="case",
    ),
    pytest.param(
        "planning:case-new",
        {"pseudonym": "Child Z", "placed_out_of_area": "perhaps"},
        {
            "id_age_years": "Enter the child's age",
            "id_placed_out_of_area_0": "placed out of area",
        },
        id="case-age-missing",
    ),
]


@pytest.mark.parametrize(("url_name", "data", "expected"), FORMS)
def test_set_up_form_errors_name_the_field_and_nothing_is_saved(
    client, setup, url_name, data, expected
):
    args = [] if url_name == "planning:audit-new" else [setup.audit.slug]
    before = counts(*MODELS)
    audit_before = Audit.objects.filter(pk=setup.audit.pk).values().get()
    response = client.post(reverse(url_name, args=args), data)
    assert_errors(response, expected)
    assert counts(*MODELS) == before
    assert Audit.objects.filter(pk=setup.audit.pk).values().get() == audit_before
    assert "Fictional Name Kept Out" in response.text or "full_name" not in data


def test_agencies_form_errors_name_the_agency_and_nothing_is_saved(client, setup):
    extra = services.agency_create(
        data=services.AgencyInput(name="Unticked Agency", short_name="UA", sector="other")
    )
    before = counts(*MODELS)
    keep = setup.agencies[0]
    response = client.post(
        reverse("planning:agencies", args=[setup.audit.slug]),
        {
            "agencies": [keep.pk],
            f"due_{keep.pk}_0": "30",
            f"due_{keep.pk}_1": "2",
            f"due_{keep.pk}_2": "2025",
            f"due_{extra.pk}_0": "1",
            f"due_{extra.pk}_1": "3",
            f"due_{extra.pk}_2": "2025",
        },
    )
    assert_errors(
        response,
        {
            f"id_due_{keep.pk}_0": "must be a real date",
            f"id_due_{extra.pk}_0": "Tick Unticked Agency to give it a due date",
        },
    )
    assert counts(*MODELS) == before


TOOL_FORMS = [
    pytest.param("tool-new", {"name": ""}, {"id_name": "name of the tool"}, id="tool"),
    pytest.param(
        "section-new",
        {"title": "", "grading_scale": "999"},
        {"id_title": "section title", "id_grading_scale": "grade for the section"},
        id="section",
    ),
    pytest.param(
        "question-new",
        {"code": "", "text": "", "kind": ""},
        {
            "id_code": "reference",
            "id_text": "question",
            "id_kind_0": "how the question is answered",
        },
        id="question-blank",
    ),
    pytest.param(
        "question-new",
        {"code": "Q1", "text": "Graded without a scale", "kind": "graded", "choices": "A"},
        {"id_scale": "Choose the scale", "id_choices": "Only single and multiple choice"},
        id="question-graded",
    ),
    pytest.param(
        "question-new",
        {"code": "Q1", "text": "Choose one", "kind": "single_choice", "choices": "Only one"},
        {"id_choices": "at least two options"},
        id="question-choice",
    ),
    pytest.param(
        "question-new",
        {"code": "Q1.1", "text": "Duplicate reference", "kind": "text"},
        {"id_code": "Q1.1 is already used"},
        id="question-code-taken",
    ),
]


@pytest.mark.parametrize(("page", "data", "expected"), TOOL_FORMS)
def test_tool_builder_errors_name_the_field_and_nothing_is_saved(
    client, coordinator, ready_version, page, data, expected
):
    client.force_login(coordinator)
    tool = ready_version.tool
    section = ready_version.sections.order_by("order").first()
    args = {
        "tool-new": [],
        "section-new": [tool.slug, 1],
        "question-new": [tool.slug, 1, section.pk],
    }[page]
    before = counts(*MODELS)
    response = client.post(reverse(f"planning:{page}", args=args), data)
    assert_errors(response, expected)
    assert counts(*MODELS) == before


def test_a_duplicate_tool_name_is_refused_on_the_name(client, coordinator, ready_version):
    client.force_login(coordinator)
    before = counts(*MODELS)
    response = client.post(reverse("planning:tool-new"), {"name": ready_version.tool.name.upper()})
    assert_errors(response, {"id_name": "There is already a tool called"})
    assert counts(*MODELS) == before
