"""The audit pages: what each role sees, and that their cost does not grow with the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import AgencyInvolvement, AgencyReturn, ReturnStatus
from maca.audits.selectors import audit_access_for, returns_grid
from maca.learning.models import AuditReview, Review
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db

PAGES = ["audits:overview", "audits:grid", "learning:findings", "learning:actions"]


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_cases_agencies_or_findings(client, page):
    small = build_audit(cases=9, agencies=4, findings=6)
    large = build_audit(cases=60, agencies=12, findings=30)
    client.force_login(small.coordinator)
    small_count = _count_queries(client, reverse(page, args=[small.audit.slug]))
    client.force_login(large.coordinator)
    large_count = _count_queries(client, reverse(page, args=[large.audit.slug]))
    assert small_count == large_count


def test_audit_list_query_count_does_not_grow_with_audits(client):
    built = build_audit(cases=3)
    client.force_login(built.coordinator)
    client.get(reverse("audits:list"))  # "last seen" is noted once a minute: not counted
    before = _count_queries(client, reverse("audits:list"))
    for _ in range(5):
        extra = build_audit(cases=2, agencies=2, findings=1)
        extra.audit.coordinators.add(built.coordinator)
    after = _count_queries(client, reverse("audits:list"))
    assert before == after


def test_audit_list_shows_only_audits_the_person_may_open(client):
    mine = build_audit(cases=2, status="returns_open")
    other = build_audit(cases=2, status="returns_open")
    client.force_login(mine.coordinator)
    response = client.get(reverse("audits:list"))
    assert mine.audit.title in response.text
    assert other.audit.title not in response.text


def test_anonymous_visitor_is_sent_to_sign_in(client):
    built = build_audit(cases=1)
    response = client.get(reverse("audits:overview", args=[built.audit.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_coordinator_of_another_audit_gets_not_found(client):
    built = build_audit(cases=2)
    stranger = person_with_role(Role.COORDINATOR)
    client.force_login(stranger)
    for page in PAGES:
        assert client.get(reverse(page, args=[built.audit.slug])).status_code == 404


def test_agency_auditor_sees_only_own_agency_column_in_grid(client):
    built = build_audit(cases=3, agencies=3)
    own, other = built.agencies[0], built.agencies[1]
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=own)
    client.force_login(auditor)
    response = client.get(reverse("audits:grid", args=[built.audit.slug]))
    assert response.status_code == 200
    grid = response.context["grid"]
    assert grid.agencies == [own]
    assert other.short_name not in response.text


def test_agency_auditor_cannot_see_draft_findings(client):
    built = build_audit(cases=2, status="moderation")
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=built.agencies[0])
    client.force_login(auditor)
    assert client.get(reverse("learning:findings", args=[built.audit.slug])).status_code == 404
    assert client.get(reverse("audits:grid", args=[built.audit.slug])).status_code == 200


def test_reader_sees_published_learning_but_no_children(client):
    built = build_audit(cases=3, status="published")
    reader = person_with_role(Role.READER)
    client.force_login(reader)
    assert client.get(reverse("audits:overview", args=[built.audit.slug])).status_code == 200
    # The findings as published: the reader is led to the published brief.
    published = client.get(reverse("learning:findings", args=[built.audit.slug]), follow=True)
    assert published.status_code == 200 and published.redirect_chain
    assert client.get(reverse("audits:grid", args=[built.audit.slug])).status_code == 404
    overview = client.get(reverse("audits:overview", args=[built.audit.slug])).text
    findings = published.text
    for case in built.cases:
        assert case.pseudonym not in overview
        assert case.pseudonym not in findings


def test_reader_cannot_open_unpublished_audit(client):
    built = build_audit(cases=1, status="returns_open")
    client.force_login(person_with_role(Role.READER))
    assert client.get(reverse("audits:overview", args=[built.audit.slug])).status_code == 404


def test_administrator_sees_no_audits(client):
    built = build_audit(cases=1)
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    assert built.audit.title not in client.get(reverse("audits:list")).text
    assert client.get(reverse("audits:overview", args=[built.audit.slug])).status_code == 404


def test_grid_counts_progress_and_flags_late_returns():
    built = build_audit(cases=3, agencies=2)
    access = audit_access_for(built.coordinator, built.audit.slug)
    AgencyReturn.objects.filter(case__audit=built.audit).update(status=ReturnStatus.DRAFT)
    first = AgencyReturn.objects.filter(case__audit=built.audit).order_by("id").first()
    assert first is not None
    first.status = ReturnStatus.SUBMITTED
    first.save()
    grid = returns_grid(access, today=dt.date(2024, 5, 1))  # after the factory's due date
    expected = AgencyReturn.objects.filter(case__audit=built.audit).count()
    assert grid.expected == expected
    assert grid.complete == 1
    late = [cell for row in grid.rows for cell in row.cells if cell.is_late]
    assert len(late) == expected - 1
    early = returns_grid(access, today=dt.date(2024, 4, 1))
    assert not any(cell.is_late for row in early.rows for cell in row.cells)


def test_case_page_query_count_does_not_grow_with_agencies(client):
    small = build_audit(cases=9, agencies=4, findings=2)
    large = build_audit(cases=60, agencies=12, findings=2)
    client.force_login(small.coordinator)
    small_count = _count_queries(
        client, reverse("audits:case", args=[small.audit.slug, small.cases[1].pk])
    )
    client.force_login(large.coordinator)
    large_count = _count_queries(
        client, reverse("audits:case", args=[large.audit.slug, large.cases[1].pk])
    )
    assert small_count == large_count


def test_case_of_another_audit_is_not_found_even_by_its_number(client):
    mine = build_audit(cases=2)
    other = build_audit(cases=2)
    client.force_login(mine.coordinator)
    url = reverse("audits:case", args=[mine.audit.slug, other.cases[0].pk])
    assert client.get(url).status_code == 404


def test_agency_auditor_sees_only_children_their_agency_was_asked_about(client):
    built = build_audit(cases=3, agencies=2)
    agency = built.agencies[0]
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=agency)
    stranger_case = built.cases[0]
    stranger_case.involvements.filter(agency=agency).delete()
    stranger_case.returns.filter(agency=agency).delete()
    client.force_login(auditor)
    assert (
        client.get(reverse("audits:case", args=[built.audit.slug, stranger_case.pk])).status_code
        == 404
    )
    page = client.get(reverse("audits:case", args=[built.audit.slug, built.cases[1].pk]))
    assert page.status_code == 200
    assert built.agencies[1].short_name not in page.text
    grid = client.get(reverse("audits:grid", args=[built.audit.slug])).context["grid"]
    assert stranger_case not in [row.case for row in grid.rows]


def test_audit_list_is_newest_first_with_undated_live_audits_on_top_and_filters(client):
    from maca.audits.models import Audit
    from maca.core.partial_dates import PartialDate
    from tests.factories import AuditFactory

    coordinator = person_with_role(Role.COORDINATOR)
    audits = {
        "old": AuditFactory.create(
            title="Fictional 2019",
            audit_date=PartialDate(2019, 3),
            status="closed",
            theme="Neglect",
        ),
        "recent": AuditFactory.create(
            title="Fictional 2024",
            audit_date=PartialDate(2024, 5),
            status="published",
            theme="Exploitation",
        ),
        "mid": AuditFactory.create(
            title="Fictional 2022",
            audit_date=PartialDate(2022, 1, 9),
            status="returns_open",
            theme="Neglect",
        ),
        "new": AuditFactory.create(
            title="Fictional undated", audit_date=None, status="draft", theme="Exploitation"
        ),
        # An old record brought in without its date: below every dated audit.
        "lost": AuditFactory.create(
            title="Fictional record", audit_date=None, status="closed", theme="Neglect"
        ),
    }
    for audit in audits.values():
        audit.coordinators.add(coordinator)
    client.force_login(coordinator)

    def titles(**query: str) -> list[str]:
        text = client.get(reverse("audits:list"), query).text
        return [
            title
            for title in sorted((a.title for a in Audit.objects.all()), key=text.find)
            if title in text
        ]

    assert titles() == [
        "Fictional undated",
        "Fictional 2024",
        "Fictional 2022",
        "Fictional 2019",
        "Fictional record",
    ]
    assert titles(theme="Neglect") == ["Fictional 2022", "Fictional 2019", "Fictional record"]
    assert titles(year="2024") == ["Fictional 2024"]
    assert titles(status="draft") == ["Fictional undated"]
    assert titles(q="2022") == ["Fictional 2022"]
    assert "No audits match" in client.get(reverse("audits:list"), {"q": "nothing"}).text
    page = client.get(reverse("audits:list"))
    assert page.context["listing"].years == ["2024", "2022", "2019"]
    assert page.context["listing"].themes == ["Exploitation", "Neglect"]
    assert (
        "5 audits, newest first: audits under way with no date yet at the top, then by when "
        "each took place." in page.text
    )
    assert '<option value="2022">2022</option>' in page.text


def test_the_grid_filters_by_agency_return_state_and_lateness(client):
    from maca.audits.selectors import GridFilters

    built = build_audit(cases=4, agencies=2, findings=0, status="returns_open")
    access = audit_access_for(built.coordinator, built.audit.slug)
    grid = returns_grid(access, today=dt.date(2024, 5, 1))  # after the factory's due date
    first = built.agencies[0]
    one_agency = grid.filtered(GridFilters(agency_id=first.pk))
    assert [agency.pk for agency in one_agency.agencies] == [first.pk]
    assert len(one_agency.rows) == 4 and all(len(row.cells) == 1 for row in one_agency.rows)
    late = grid.filtered(GridFilters(late_only=True))
    late_cases = {
        ret.case.pseudonym
        for ret in AgencyReturn.objects.filter(case__audit=built.audit, status="draft")
    }
    assert {row.case.pseudonym for row in late.rows} == late_cases
    accepted = grid.filtered(GridFilters(status=ReturnStatus.ACCEPTED, agency_id=first.pk))
    assert all(
        row.cells[0].agency_return and row.cells[0].agency_return.status == "accepted"
        for row in accepted.rows
    )
    # "No return begun": a child an agency knew whose return it has not started.
    AgencyReturn.objects.filter(case=built.cases[0], agency=first).delete()
    AgencyInvolvement.objects.filter(case=built.cases[0], agency=first).update(
        status=AgencyInvolvement.Status.INVOLVED
    )
    not_begun = returns_grid(access, today=dt.date(2024, 5, 1)).filtered(
        GridFilters(status="none", agency_id=first.pk)
    )
    assert [row.case for row in not_begun.rows] == [built.cases[0]]
    client.force_login(built.coordinator)
    page = client.get(
        reverse("audits:grid", args=[built.audit.slug]), {"status": "accepted", "agency": first.pk}
    ).text
    assert f"{len(accepted.rows)} of 4 children match." in page
    assert "Clear filters" in page


def test_overview_shows_the_earlier_reviews_learning_links_to_the_audit(client):
    built = build_audit(cases=1, status="returns_open")
    review = Review.objects.create(title="Fictional SCR: Child Q", short_name="SCR Q", kind="scr")
    AuditReview.objects.create(
        audit=built.audit, review=review, relationship="related", note="Fictional note."
    )
    client.force_login(built.coordinator)
    page = client.get(reverse("audits:overview", args=[built.audit.slug])).text
    assert "Earlier reviews" in page
    assert "Fictional SCR: Child Q" in page
    assert "Fictional note." in page


def test_case_page_shows_the_903_facts_of_a_case_drawn_from_an_extract(client):
    built = build_audit(cases=2, status="returns_open")
    drawn, by_hand = built.cases
    drawn.facts = {"source": "SSDA903", "census_date": "2024-03-31", "age_years": 12}
    drawn.save(update_fields=["facts"])
    client.force_login(built.coordinator)
    drawn_page = client.get(reverse("audits:case", args=[built.audit.slug, drawn.pk])).text
    by_hand_page = client.get(reverse("audits:case", args=[built.audit.slug, by_hand.pk])).text
    assert "From the 903 on 31 March 2024" in drawn_page
    assert "From the 903 on" not in by_hand_page
