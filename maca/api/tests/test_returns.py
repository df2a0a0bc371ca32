"""Saving and submitting a return through the API calls the returns services: the same
checks, the same history, the same refusal of a stale revision as the web form."""

from __future__ import annotations

from typing import Any

import pytest

from maca.accounts.models import Agency
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Audit,
    AuditStatus,
    Case,
    ReturnStatus,
)
from maca.demo import data
from maca.history.selectors import records_of

pytestmark = pytest.mark.django_db

SLUG = data.AUDIT_SLUG
BASE = f"/api/v1/audits/{SLUG}"


@pytest.fixture
def open_return(demo: Any) -> tuple[Case, Agency]:
    """A child the police knew, in an audit whose returns are open, with no return yet."""
    Audit.objects.filter(slug=SLUG).update(status=AuditStatus.RETURNS_OPEN)
    audit = Audit.objects.get(slug=SLUG)
    police = Agency.objects.get(short_name="Police")
    case = Case.objects.create(audit=audit, pseudonym="Child Z", order=99, age_weeks=600)
    AgencyInvolvement.objects.create(
        case=case, agency=police, status=AgencyInvolvement.Status.INVOLVED
    )
    return case, police


def _path(case: Case, agency: Agency) -> str:
    return f"{BASE}/cases/{case.pk}/returns/{agency.pk}/"


def _complete_body(tool: dict[str, Any], agency: Agency, revision: int) -> dict[str, Any]:
    """Every question that applies to the agency answered, from the tool the API describes."""
    answers, sections = [], []
    for section in tool["sections"]:
        applies = [
            q
            for q in section["questions"]
            if (not q["applies_to_sectors"] and not q["applies_to_agencies"])
            or agency.sector in q["applies_to_sectors"]
            or agency.short_name in q["applies_to_agencies"]
        ]
        for question in applies:
            answer: dict[str, Any] = {"question": question["code"], "reason": "As recorded."}
            kind = question["kind"]
            if kind in {"graded", "compliance", "single_choice"}:
                answer["option"] = question["options"][0]["value"]
            elif kind == "multiple_choice":
                answer["choices"] = [question["options"][0]["value"]]
            elif kind == "date":
                answer["date_value"] = "2022-01-10"
            elif kind == "number":
                answer["number_value"] = 2
            else:
                answer["text_value"] = "Seen weekly."
            answers.append(answer)
        if applies and section["grading_scale"]:
            scale = next(s for s in tool["scales"] if s["slug"] == section["grading_scale"])
            sections.append(
                {
                    "section": section["order"],
                    "grade": scale["levels"][0]["code"],
                    "grade_reason": "Consistent with the answers.",
                }
            )
    overall_scale = Audit.objects.get(slug=SLUG).overall_scale
    assert overall_scale is not None
    overall = next(s for s in tool["scales"] if s["slug"] == overall_scale.slug)
    return {
        "revision": revision,
        "auditor_role": "Detective sergeant",
        "period_reviewed": "12 months",
        "records_examined": "Police records",
        "auditor_was_involved": False,
        "overall_grade": overall["levels"][0]["code"],
        "overall_reason": "Good practice throughout.",
        "answers": answers,
        "sections": sections,
    }


def test_an_agency_auditor_saves_then_submits_a_return(open_return, api_as):
    case, police = open_return
    api = api_as(data.auditor_email("Police"))
    before = api.get(_path(case, police)).json()
    assert before["status"] == ReturnStatus.NOT_STARTED
    assert before["revision"] == 0
    assert before["permissions"]["can_edit"] is True

    tool = api.get(f"{BASE}/tool/").json()
    saved = api.put(_path(case, police), _complete_body(tool, police, revision=0))
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["status"] == ReturnStatus.DRAFT
    assert body["revision"] == 1
    assert body["problems_before_submit"] == []
    assert body["answers"]

    submitted = api.post(_path(case, police) + "submit/", {"revision": 1})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == ReturnStatus.SUBMITTED
    agency_return = AgencyReturn.objects.get(case=case, agency=police)
    assert agency_return.status == ReturnStatus.SUBMITTED
    actions = list(records_of(agency_return).values_list("action", flat=True))
    assert actions == ["saved", "submit"]


def test_a_stale_revision_is_a_409_and_nothing_is_saved(open_return, api_as):
    case, police = open_return
    api = api_as(data.auditor_email("Police"))
    first = api.put(_path(case, police), {"revision": 0, "auditor_role": "First"})
    assert first.status_code == 200
    stale = api.put(_path(case, police), {"revision": 0, "auditor_role": "Second"})
    assert stale.status_code == 409
    assert "saved this return" in stale.json()["detail"]
    assert AgencyReturn.objects.get(case=case, agency=police).auditor_role == "First"


def test_answers_that_do_not_fit_the_tool_are_refused_by_field(open_return, api_as):
    case, police = open_return
    api = api_as(data.auditor_email("Police"))
    tool = api.get(f"{BASE}/tool/").json()
    graded = next(
        q
        for s in tool["sections"]
        for q in s["questions"]
        if q["kind"] == "compliance" and not q["applies_to_sectors"]
    )
    text = next(
        q
        for s in tool["sections"]
        for q in s["questions"]
        if q["kind"] == "text" and not q["applies_to_sectors"]
    )
    response = api.put(
        _path(case, police),
        {
            "revision": 0,
            "overall_grade": "splendid",
            "answers": [
                {"question": "Q99.9", "option": "yes"},
                {"question": graded["code"], "option": "perhaps"},
                {"question": text["code"], "option": "yes"},
                {"question": graded["code"], "option": graded["options"][0]["value"]},
            ],
            "sections": [{"section": 77, "grade": "good"}],
        },
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {
        "overall_grade",
        "answers[0].question",
        "answers[1].option",
        "answers[2].option",
        "answers[3].question",
        "sections[0].section",
    }
    assert not AgencyReturn.objects.filter(case=case, agency=police).exists()


def test_wrong_types_are_refused_naming_the_field(open_return, api_as):
    case, police = open_return
    api = api_as(data.auditor_email("Police"))
    response = api.put(
        _path(case, police),
        {"revision": "first", "immediate_concern": "maybe", "answers": [{"option": "yes"}]},
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"revision", "immediate_concern", "answers[0].question"}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (b'{"answers": ' + b"[" * 5000 + b"]" * 5000 + b"}", "answers" + "[0]" * 31, "deeply"),
        (b'{"revision": 0, "revision": 1}', "revision", "more than once"),
        (b'{"revision": 1' + b"0" * 5000 + b"}", "revision", "out of range"),
        (b'{"' + b"k" * 10_000 + b'": 1}', '["' + "k" * 40 + '..."]', "field name"),
    ],
    ids=["deep nesting", "a field twice", "a huge number", "a long field name"],
)
def test_a_hostile_body_is_a_400_naming_the_place(open_return, api_as, body, field, words):
    case, police = open_return
    response = api_as(data.auditor_email("Police")).put(_path(case, police), body)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert words in response.json()["errors"][0]["message"]
    assert not AgencyReturn.objects.filter(case=case, agency=police).exists()


def test_an_incomplete_return_cannot_be_submitted(open_return, api_as):
    case, police = open_return
    api = api_as(data.auditor_email("Police"))
    api.put(_path(case, police), {"revision": 0, "auditor_role": "DS"})
    response = api.post(_path(case, police) + "submit/", {"revision": 1})
    assert response.status_code == 400
    fields = [error["field"] for error in response.json()["errors"]]
    assert "period_reviewed" in fields
    assert any(field.startswith("answers[question=") for field in fields)
    assert AgencyReturn.objects.get(case=case, agency=police).status == ReturnStatus.DRAFT


def test_the_coordinator_may_read_but_not_write_an_agencys_return(open_return, api_as):
    case, police = open_return
    api = api_as(data.COORDINATOR)
    assert api.get(_path(case, police)).status_code == 200
    assert api.put(_path(case, police), {"revision": 0}).status_code == 403


def test_returns_of_a_published_audit_cannot_be_changed(demo, api_as):
    police = Agency.objects.get(short_name="Police")
    agency_return = AgencyReturn.objects.filter(case__audit__slug=SLUG, agency=police)[0]
    api = api_as(data.auditor_email("Police"))
    path = f"{BASE}/cases/{agency_return.case_id}/returns/{police.pk}/"
    assert api.get(path).json()["permissions"]["can_edit"] is False
    response = api.put(path, {"revision": agency_return.revision})
    assert response.status_code == 403


def test_a_filter_that_is_not_a_number_is_a_400_naming_it(demo, api_as):
    response = api_as(data.COORDINATOR).get(f"{BASE}/returns/", agency="police")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "agency"
