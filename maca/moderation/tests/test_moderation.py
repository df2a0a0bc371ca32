"""Moderating one child: every agency's account side by side, the spread and suggestions, and
what the panel records (agreed grades, discrepancies, findings), for the panel only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import Discrepancy, GradeLevel, GradingScale, PanelGrade, SectionSummary
from maca.learning.models import Finding
from maca.moderation.selectors import grade_spread
from maca.moderation.tests.builders import build_moderated_audit
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def _case_url(built, index: int = 0, name: str = "moderation:case") -> str:
    return reverse(name, args=[built.audit.slug, built.cases[index].pk])


def test_panel_member_sees_every_agencys_answer_side_by_side(client):
    built = build_moderated_audit(cases=2, agencies=3, questions=4)
    client.force_login(built.panel)
    response = client.get(_case_url(built))
    assert response.status_code == 200
    html = response.text
    for a, agency in enumerate(built.agencies):
        assert agency.short_name in html
        for q in range(4):
            assert f"Fictional evidence 0-{a}-{q}" in html
    # Another child's evidence is not on this child's page.
    assert "Fictional evidence 1-0-0" not in html
    assert "Suggested (lowest agency grade)" in html
    assert "Suggestions only" in html


@pytest.mark.parametrize("role", [Role.READER, Role.AGENCY_AUDITOR, Role.AGENCY_LEAD])
def test_people_outside_the_panel_get_404(client, role):
    built = build_moderated_audit(cases=1, agencies=2, questions=2, status="published")
    agency = built.agencies[0] if role != Role.READER else None
    client.force_login(person_with_role(role, agency=agency))
    for url in (
        _case_url(built),
        reverse("moderation:list", args=[built.audit.slug]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(_case_url(built, name="moderation:grades"), {})
    assert response.status_code == 404


def test_coordinator_sees_the_list_of_children(client):
    built = build_moderated_audit(cases=3, agencies=2, questions=2)
    client.force_login(built.coordinator)
    response = client.get(reverse("moderation:list", args=[built.audit.slug]))
    assert response.status_code == 200
    for case in built.cases:
        assert case.pseudonym in response.text


# --- Spread and suggestions -----------------------------------------------------------------


def _ofsted() -> tuple[GradingScale, dict[str, GradeLevel]]:
    scale = GradingScale.objects.get(slug="ofsted-4")
    return scale, {level.code: level for level in scale.levels.all()}


def test_lowest_is_the_worst_grade_and_median_the_lower_middle():
    scale, level = _ofsted()  # 1 outstanding (best) … 4 inadequate
    grades = [
        ("A", level["good"]),
        ("B", level["outstanding"]),
        ("C", level["requires-improvement"]),
        ("D", level["good"]),
    ]
    spread = grade_spread(grades, scale)
    assert spread.lowest == level["requires-improvement"]
    # worst to best: RI, good, good, outstanding; the lower middle is good
    assert spread.median == level["good"]
    assert [(item.level.code, item.count) for item in spread.items] == [
        ("requires-improvement", 1),
        ("good", 2),
        ("outstanding", 1),
    ]
    assert spread.summary == "Requires improvement to be good 1, Good 2, Outstanding 1"


def test_even_count_takes_the_worse_of_the_two_middle_grades():
    scale, level = _ofsted()
    spread = grade_spread([("A", level["good"]), ("B", level["inadequate"])], scale)
    assert spread.median == level["inadequate"]


def test_scale_where_higher_is_better_runs_the_other_way():
    scale = GradingScale.objects.get(slug="signs-of-safety")
    level = {item.value: item for item in scale.levels.all()}
    spread = grade_spread([("A", level[2]), ("B", level[7]), ("C", level[5])], scale)
    assert spread.lowest == level[2]
    assert spread.median == level[5]


def test_not_applicable_is_in_the_spread_but_not_the_suggestions():
    scale = GradingScale.objects.get(slug="ynpna")
    level = {item.code: item for item in scale.levels.all()}
    spread = grade_spread([("A", level["na"]), ("B", level["yes"])], scale)
    assert spread.graded == 2
    assert spread.lowest == level["yes"] and spread.median == level["yes"]


# --- Agreed grades --------------------------------------------------------------------------


def _grades_post(built, **values: str) -> dict[str, str]:
    data = {}
    for section in built.sections:
        data[f"grades-section_{section.pk}_grade"] = ""
        data[f"grades-section_{section.pk}_reason"] = ""
    data["grades-overall_grade"] = ""
    data["grades-overall_reason"] = ""
    data.update(values)
    return data


def test_panel_records_agreed_grades_and_agency_grades_stay_as_submitted(client):
    built = build_moderated_audit(cases=1, agencies=3, questions=4, sections=2)
    before = list(SectionSummary.objects.order_by("pk").values_list("pk", "grade_id"))
    section = built.sections[0]
    client.force_login(built.panel)
    data = _grades_post(
        built,
        **{
            f"grades-section_{section.pk}_grade": str(built.level("ofsted-4", "inadequate").pk),
            f"grades-section_{section.pk}_reason": "Risks not managed.",
            "grades-overall_grade": str(built.level("ofsted-4", "requires-improvement").pk),
            "grades-overall_reason": "One section inadequate.",
        },
    )
    response = client.post(_case_url(built, name="moderation:grades"), data)
    assert response.status_code == 302
    agreed = {row.section_id: row for row in PanelGrade.objects.filter(case=built.cases[0])}
    assert agreed[section.pk].grade.code == "inadequate"
    assert agreed[section.pk].reason == "Risks not managed."
    assert agreed[section.pk].recorded_by == built.panel
    assert agreed[None].grade.code == "requires-improvement"
    assert built.sections[1].pk not in agreed
    assert list(SectionSummary.objects.order_by("pk").values_list("pk", "grade_id")) == before

    # A second visit shows what was agreed; a revision updates the one row.
    page = client.get(_case_url(built)).text
    assert "Risks not managed." in page
    data[f"grades-section_{section.pk}_reason"] = "Risks were not managed after two moves."
    client.post(_case_url(built, name="moderation:grades"), data)
    assert PanelGrade.objects.filter(case=built.cases[0]).count() == 2
    assert PanelGrade.objects.get(section=section).reason.endswith("after two moves.")


def test_a_grade_without_a_reason_saves_nothing_and_says_which(client):
    built = build_moderated_audit(cases=1, agencies=2, questions=2, sections=2)
    first, second = built.sections
    client.force_login(built.panel)
    data = _grades_post(
        built,
        **{
            f"grades-section_{first.pk}_grade": str(built.level("ofsted-4", "good").pk),
            f"grades-section_{first.pk}_reason": "Fine.",
            f"grades-section_{second.pk}_grade": str(built.level("ofsted-4", "good").pk),
        },
    )
    response = client.post(_case_url(built, name="moderation:grades"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter the reason for the agreed grade for 2. Section 2" in response.text
    assert f'href="#id_grades-section_{second.pk}_reason"' in response.text
    assert not PanelGrade.objects.exists()


def test_a_grade_from_another_scale_is_refused(client):
    built = build_moderated_audit(cases=1, agencies=2, questions=2, sections=1)
    section = built.sections[0]
    client.force_login(built.panel)
    data = _grades_post(
        built,
        **{
            f"grades-section_{section.pk}_grade": str(built.level("ynpna", "yes").pk),
            f"grades-section_{section.pk}_reason": "Wrong scale.",
        },
    )
    response = client.post(_case_url(built, name="moderation:grades"), data)
    assert response.status_code == 200
    assert "Choose a grade on the scale for 1. Section 1" in response.text
    assert not PanelGrade.objects.exists()


def test_nothing_chosen_is_an_error_not_a_silent_success(client):
    built = build_moderated_audit(cases=1, agencies=2, questions=2, sections=1)
    client.force_login(built.panel)
    response = client.post(_case_url(built, name="moderation:grades"), _grades_post(built))
    assert "Choose at least one agreed grade, with its reason" in response.text


# --- Discrepancies and findings -------------------------------------------------------------


def test_discrepancy_names_at_least_two_agencies(client):
    built = build_moderated_audit(cases=1, agencies=3, questions=2)
    client.force_login(built.panel)
    url = _case_url(built, name="moderation:discrepancy")
    one = {
        "discrepancy-agencies": [str(built.agencies[0].pk)],
        "discrepancy-description": "Police record an incident; social care has none.",
    }
    response = client.post(url, one)
    assert "Choose at least two agencies whose accounts differ" in response.text
    assert not Discrepancy.objects.exists()

    two = {**one, "discrepancy-agencies": [str(a.pk) for a in built.agencies[:2]]}
    two["discrepancy-question"] = str(built.questions[1].pk)
    assert client.post(url, two).status_code == 302
    discrepancy = Discrepancy.objects.get()
    assert discrepancy.case == built.cases[0]
    assert discrepancy.question == built.questions[1]
    assert set(discrepancy.agencies.all()) == set(built.agencies[:2])
    assert "Police record an incident" in client.get(_case_url(built)).text


def test_discrepancy_about_an_agency_without_a_return_is_refused(client):
    built = build_moderated_audit(cases=1, agencies=2, questions=2)
    other = build_moderated_audit(cases=1, agencies=1, questions=1)
    client.force_login(built.panel)
    response = client.post(
        _case_url(built, name="moderation:discrepancy"),
        {
            "discrepancy-agencies": [str(built.agencies[0].pk), str(other.agencies[0].pk)],
            "discrepancy-description": "Differs.",
        },
    )
    assert "Choose agencies that made a return for this child" in response.text
    assert not Discrepancy.objects.exists()


def test_finding_from_moderation_links_child_agencies_question_and_learning_point(client):
    built = build_moderated_audit(cases=2, agencies=3, questions=6)
    question = built.questions[0]  # linked to learning point 1
    client.force_login(built.panel)
    response = client.post(
        _case_url(built, name="moderation:finding"),
        {
            "finding-heading": "worry",
            "finding-text": "Exploitation screening not repeated after missing episodes",
            "finding-agencies": [str(built.agencies[0].pk), str(built.agencies[2].pk)],
            "finding-question": str(question.pk),
            "finding-include_in_brief": "on",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert list(finding.cases.all()) == [built.cases[0]]
    assert set(finding.agencies.all()) == {built.agencies[0], built.agencies[2]}
    assert list(finding.questions.all()) == [question]
    assert list(finding.learning_points.all()) == [built.points[0]]
    assert finding.include_in_brief


def test_finding_then_action_goes_to_the_action_form(client):
    built = build_moderated_audit(cases=1, agencies=2, questions=2)
    client.force_login(built.panel)
    response = client.post(
        _case_url(built, name="moderation:finding"),
        {"finding-heading": "worry", "finding-text": "A worry", "then": "action"},
    )
    finding = Finding.objects.get()
    assert response["Location"] == reverse(
        "learning:finding-action-new", args=[built.audit.slug, finding.pk]
    )


def test_theme_for_learning_needs_a_title(client):
    built = build_moderated_audit(cases=1, agencies=2, questions=2)
    client.force_login(built.panel)
    response = client.post(
        _case_url(built, name="moderation:finding"),
        {"finding-heading": "learning", "finding-text": "What we found"},
    )
    assert "Enter a title for the theme for learning" in response.text
    assert not Finding.objects.exists()


# --- Cost -----------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_cases_agencies_or_questions(client):
    small = build_moderated_audit(cases=2, agencies=2, questions=4, sections=2)
    large = build_moderated_audit(cases=8, agencies=6, questions=16, sections=4)
    counts = []
    for built in (small, large):
        client.force_login(built.panel)
        counts.append(
            (
                _queries(client, _case_url(built)),
                _queries(client, reverse("moderation:list", args=[built.audit.slug])),
            )
        )
    assert counts[0] == counts[1]
