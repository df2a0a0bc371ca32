"""Setting up an audit: starting it, the plan, its stage, agencies, tool and reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from maca.accounts.models import Agency, Role
from maca.audits.models import (
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    GradingScale,
    LineOfEnquiry,
)
from maca.core.errors import Refused
from maca.core.partial_dates import PartialDate
from maca.learning.models import AuditReview, LearningPoint, Review
from maca.planning import services
from maca.planning.tests.helpers import answer_question, first_question
from tests.factories import AgencyFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "offered"), [(Role.COORDINATOR, True), (Role.READER, False), (Role.AGENCY_LEAD, False)]
)
def test_only_those_who_may_start_audits_are_offered_tools_starting_and_importing(
    client, role, offered
):
    agency = AgencyFactory.create() if role == Role.AGENCY_LEAD else None
    client.force_login(person_with_role(role, agency))
    page = client.get(reverse("audits:list")).text
    for link in ("Start a new audit", "Import an audit from a file", reverse("planning:tools")):
        assert (link in page) is offered, link


def test_coordinator_starts_an_audit_and_becomes_its_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert "Start a new audit" in client.get(reverse("audits:list")).text
    response = client.post(
        reverse("planning:audit-new"),
        {"title": "Children looked after placed out of area, March 2025", "theme": "CLA"},
    )
    audit = Audit.objects.get()
    assert response["Location"] == reverse("planning:setup", args=[audit.slug])
    assert audit.slug == "children-looked-after-placed-out-of-area"
    assert len(audit.slug) <= 40
    assert audit.status == "draft"
    assert list(audit.coordinators.all()) == [coordinator]
    overview = client.get(reverse("audits:overview", args=[audit.slug]))
    assert reverse("planning:setup", args=[audit.slug]) in overview.text


def test_generated_slugs_are_unique_and_a_chosen_one_is_used(coordinator):
    first = services.audit_create(title="Neglect audit", theme="Neglect", by=coordinator)
    second = services.audit_create(title="Neglect audit", theme="Neglect", by=coordinator)
    chosen = services.audit_create(title="Other", theme="x", slug="neglect-2026", by=coordinator)
    assert (first.slug, second.slug, chosen.slug) == (
        "neglect-audit",
        "neglect-audit-2",
        "neglect-2026",
    )
    with pytest.raises(Refused):
        services.audit_create(title="Again", theme="x", slug="neglect-2026", by=coordinator)


def test_plan_is_saved_with_lines_of_enquiry_and_partial_dates(client):
    built = build_audit(cases=2, agencies=2)
    client.force_login(built.coordinator)
    slug = built.audit.slug
    response = client.post(
        reverse("planning:plan", args=[slug]),
        {
            "title": "Renamed audit",
            "theme": "CLA out of area",
            "slug": "renamed-audit",
            "rationale": "SCR findings.",
            "aim": "Check notifications.",
            "terms_of_reference": "All agencies.",
            "cohort_definition": "Looked after, placed out of area on 31 January.",
            "lines_of_enquiry": "Were host areas told?\n\n  Were health assessments on time?  \n",
            "lookback_months": "12",
            "lawful_basis": "Children Act 2004 s16H",
            "audit_date": "March 2022",
            "returns_due_0": "27",
            "returns_due_1": "3",
            "returns_due_2": "2022",
            "panel_date_0": "3",
            "panel_date_1": "april",
            "panel_date_2": "2022",
            "reaudit_due": "2023-03",
        },
    )
    assert response.status_code == 302
    audit = Audit.objects.get(pk=built.audit.pk)
    assert audit.slug == "renamed-audit" and audit.title == "Renamed audit"
    assert audit.audit_date == PartialDate(2022, 3)
    assert audit.reaudit_due == PartialDate(2023, 3)
    assert audit.returns_due == dt.date(2022, 3, 27)
    assert audit.panel_date == dt.date(2022, 4, 3)
    assert audit.lookback_months == 12
    assert list(audit.lines_of_enquiry.values_list("text", flat=True)) == [
        "Were host areas told?",
        "Were health assessments on time?",
    ]
    # The day form of the date works too, and the lines are replaced, not added to.
    form = client.get(reverse("planning:plan", args=["renamed-audit"])).text
    assert "March 2022" in form and "Were host areas told?" in form
    data = {
        "title": "T",
        "theme": "T",
        "slug": "renamed-audit",
        "audit_date": "8 March 2022",
        "lines_of_enquiry": "Only one",
    }
    client.post(reverse("planning:plan", args=["renamed-audit"]), data)
    audit.refresh_from_db()
    assert audit.audit_date == PartialDate(2022, 3, 8)
    assert LineOfEnquiry.objects.filter(audit=audit).count() == 1


def test_returns_due_date_follows_the_plan_unless_the_agency_has_its_own(client):
    built = build_audit(cases=2, agencies=2)
    audit = built.audit
    own = built.agencies[1]
    AuditAgency.objects.filter(audit=audit, agency=own).update(returns_due=dt.date(2024, 5, 9))
    AgencyReturn.objects.filter(case__audit=audit, agency=own).update(due_date=dt.date(2024, 5, 9))
    AgencyReturn.objects.filter(case__audit=audit).exclude(agency=own).update(
        due_date=audit.returns_due
    )
    data = services.PlanInput(
        title=audit.title, theme=audit.theme, slug=audit.slug, returns_due=dt.date(2024, 6, 1)
    )
    services.audit_plan_update(audit=audit, data=data)
    dues = dict(
        AgencyReturn.objects.filter(case__audit=audit, status="draft")
        .values_list("agency_id", "due_date")
        .distinct()
    )
    assert dues[built.agencies[0].pk] == dt.date(2024, 6, 1)
    assert dues[own.pk] == dt.date(2024, 5, 9)


# --- Stage ----------------------------------------------------------------------------------


def test_status_moves_one_step_forward_or_back_after_confirmation(client):
    built = build_audit(cases=2, agencies=2, status="moderation")
    slug = built.audit.slug
    client.force_login(built.coordinator)
    page = client.get(reverse("planning:status", args=[slug]))
    assert "Move forward to Findings" in page.text and "Move back to Returns open" in page.text
    confirm = client.get(reverse("planning:status-change", args=[slug, "forward"]))
    assert "Move the audit forward to Findings?" in confirm.text
    assert Audit.objects.get(pk=built.audit.pk).status == "moderation"
    moving_on = {"expected": "moderation", "reason": "Panel met; the rest follow (fictional)."}
    client.post(reverse("planning:status-change", args=[slug, "forward"]), moving_on)
    assert Audit.objects.get(pk=built.audit.pk).status == "findings"
    # A second submit of the same confirmation does not move it again.
    client.post(reverse("planning:status-change", args=[slug, "forward"]), moving_on)
    assert Audit.objects.get(pk=built.audit.pk).status == "findings"
    client.post(reverse("planning:status-change", args=[slug, "back"]), {"expected": "findings"})
    assert Audit.objects.get(pk=built.audit.pk).status == "moderation"


def test_returns_cannot_open_before_the_audit_has_a_tool_agencies_and_children(client, coordinator):
    audit = services.audit_create(title="Bare", theme="x", by=coordinator)
    services.audit_status_advance(audit=audit, direction="forward", expected="draft")
    client.force_login(coordinator)
    page = client.get(reverse("planning:status-change", args=[audit.slug, "forward"]))
    assert "Choose the audit tool version." in page.text
    assert "Add the children to audit." in page.text
    with pytest.raises(Refused):
        services.audit_status_advance(audit=audit, direction="forward", expected="sampling")
    assert Audit.objects.get(pk=audit.pk).status == "sampling"


def test_an_audit_cannot_close_with_open_escalations():
    built = build_audit(cases=3, status="follow_up")
    with pytest.raises(Refused, match="escalations are still open"):
        services.audit_status_advance(audit=built.audit, direction="forward", expected="follow_up")


def test_draft_cannot_move_back_and_closed_cannot_move_forward(client):
    built = build_audit(cases=1, status="draft")
    client.force_login(built.coordinator)
    response = client.post(
        reverse("planning:status-change", args=[built.audit.slug, "back"]), {"expected": "draft"}
    )
    assert response.status_code == 302
    assert Audit.objects.get(pk=built.audit.pk).status == "draft"


# --- Agencies -------------------------------------------------------------------------------


def test_agencies_are_chosen_with_their_own_due_dates(client, coordinator):
    audit = services.audit_create(title="Agencies", theme="x", by=coordinator)
    police, school, gp = (
        AgencyFactory.create(name=n, short_name=n) for n in ("Police", "School", "GP")
    )
    client.force_login(coordinator)
    page = client.get(reverse("planning:agencies", args=[audit.slug]))
    assert "Police" in page.text
    client.post(
        reverse("planning:agencies", args=[audit.slug]),
        {
            "agencies": [police.pk, school.pk],
            f"due_{school.pk}_0": "1",
            f"due_{school.pk}_1": "5",
            f"due_{school.pk}_2": "2025",
        },
    )
    links = {link.agency: link.returns_due for link in AuditAgency.objects.filter(audit=audit)}
    assert links == {police: None, school: dt.date(2025, 5, 1)}
    client.post(reverse("planning:agencies", args=[audit.slug]), {"agencies": [school.pk, gp.pk]})
    assert set(audit.agencies.all()) == {school, gp}


def test_adding_a_new_agency_adds_it_to_the_audit(client, coordinator):
    audit = services.audit_create(title="New agency", theme="x", by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("planning:agency-new", args=[audit.slug]),
        {"name": "Example Youth Service", "short_name": "Youth", "sector": "youth_justice"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(short_name="Youth")
    assert agency.sector == "youth_justice"
    assert list(audit.agencies.all()) == [agency]


def test_an_agency_whose_returns_have_answers_cannot_be_removed(client, ready_version):
    built = build_audit(cases=2, agencies=2)
    audit = built.audit
    busy = built.agencies[0]
    agency_return = AgencyReturn.objects.filter(case__audit=audit, agency=busy)[0]
    Answer.objects.create(
        agency_return=agency_return, question=first_question(ready_version), text_value="x"
    )
    client.force_login(built.coordinator)
    response = client.post(reverse("planning:agencies", args=[audit.slug]), {"agencies": []})
    assert response.status_code == 200
    assert "cannot be removed" in response.text and busy.name in response.text
    assert AuditAgency.objects.filter(audit=audit).count() == 2


def test_an_agency_with_unstarted_returns_is_removed_with_them():
    built = build_audit(cases=3, agencies=2)
    audit = built.audit
    AgencyReturn.objects.filter(case__audit=audit).update(status="not_started")
    keep = built.agencies[0]
    services.audit_agencies_set(audit=audit, chosen={keep.pk: None})
    assert list(audit.agencies.all()) == [keep]
    assert not AgencyReturn.objects.filter(case__audit=audit, agency=built.agencies[1]).exists()


# --- Tool and reviews -----------------------------------------------------------------------


def test_choosing_the_tool_version_and_scale(client, ready_version):
    built = build_audit(cases=1, agencies=1)
    client.force_login(built.coordinator)
    page = client.get(reverse("planning:tool-choice", args=[built.audit.slug]))
    assert "Version 1" in page.text
    ofsted = GradingScale.objects.get(slug="ofsted-4")
    client.post(
        reverse("planning:tool-choice", args=[built.audit.slug]),
        {"tool_version": ready_version.pk, "overall_scale": ofsted.pk},
    )
    audit = Audit.objects.get(pk=built.audit.pk)
    assert (audit.tool_version, audit.overall_scale) == (ready_version, ofsted)


def test_the_version_cannot_change_once_returns_have_answers(ready_version):
    question = first_question(ready_version)
    answer = answer_question(question)
    audit = answer.agency_return.case.audit
    other = services.tool_version_edit_copy(version=ready_version)
    with pytest.raises(Refused, match="must keep that version"):
        services.audit_tool_set(audit=audit, tool_version=other, overall_scale=None)
    services.audit_tool_set(audit=audit, tool_version=ready_version, overall_scale=None)


def test_linking_an_existing_review_and_recording_a_new_one(client, coordinator):
    audit = services.audit_create(title="Reviews", theme="x", by=coordinator)
    review = Review.objects.create(title="SCR Example", short_name="SCR Ex", kind="scr")
    client.force_login(coordinator)
    client.post(
        reverse("planning:reviews", args=[audit.slug]),
        {"review": review.pk, "relationship": "checks_embedded", "note": "Points 1 to 3."},
    )
    link = AuditReview.objects.get(audit=audit)
    assert (link.review, link.relationship, link.note) == (
        review,
        "checks_embedded",
        "Points 1 to 3.",
    )
    again = client.post(
        reverse("planning:reviews", args=[audit.slug]),
        {"review": review.pk, "relationship": "related"},
    )
    assert "already linked" in again.text
    client.post(
        reverse("planning:review-new", args=[audit.slug]),
        {
            "title": "Rapid review: Child Z",
            "short_name": "RR Z",
            "kind": "rapid_review",
            "published": "June 2021",
            "learning_points": "Share safety plans.\nSee the child alone.",
            "relationship": "prompted_by",
        },
    )
    new = Review.objects.get(short_name="RR Z")
    assert new.published == PartialDate(2021, 6)
    assert list(new.learning_points.values_list("order", "text")) == [
        (1, "Share safety plans."),
        (2, "See the child alone."),
    ]
    assert AuditReview.objects.get(audit=audit, review=new).relationship == "prompted_by"
    client.post(reverse("planning:review-unlink", args=[audit.slug, link.pk]))
    assert not AuditReview.objects.filter(pk=link.pk).exists()
    assert Review.objects.filter(pk=review.pk).exists()
    assert LearningPoint.objects.filter(review=new).count() == 2


def _plan_form(**dates: str) -> dict[str, str]:
    return {
        "title": "Fictional audit",
        "theme": "Fictional theme",
        "slug": "fictional-plan",
        **dates,
    }


def test_plan_keeps_a_financial_year_and_a_range_as_written(client):
    built = build_audit(cases=0, agencies=0)
    client.force_login(built.coordinator)
    url = reverse("planning:plan", args=[built.audit.slug])
    assert client.post(url, _plan_form(audit_date="2016/17")).status_code == 302
    audit = Audit.objects.get(pk=built.audit.pk)
    assert audit.audit_date == PartialDate(2016, year_kind="financial")
    assert audit.date_text == "2016/17"
    url = reverse("planning:plan", args=["fictional-plan"])
    assert 'value="2016/17"' in client.get(url).text
    form = _plan_form(audit_date="15 January 2024", audit_date_until="19 January 2024")
    assert client.post(url, form).status_code == 302
    assert Audit.objects.get(pk=built.audit.pk).date_text == "15–19 January 2024"


def test_plan_refuses_a_range_that_ends_before_it_starts(client):
    built = build_audit(cases=0, agencies=0)
    client.force_login(built.coordinator)
    url = reverse("planning:plan", args=[built.audit.slug])
    form = _plan_form(audit_date="March 2024", audit_date_until="February 2024")
    response = client.post(url, form)
    assert response.status_code == 200
    assert "When the audit ended must be after it started" in response.text
    assert Audit.objects.get(pk=built.audit.pk).audit_date_until is None
