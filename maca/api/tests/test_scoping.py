"""A token sees exactly what its person sees in the browser: the selectors decide, and
anything outside the person's scope is a 404."""

from __future__ import annotations

import pytest

from maca.accounts.models import Agency, Role
from maca.audits.models import AgencyReturn, Case
from maca.demo import data
from tests.factories import CaseFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db

SLUG = data.AUDIT_SLUG
BASE = f"/api/v1/audits/{SLUG}"


def _return_path(agency_return: AgencyReturn) -> str:
    return f"{BASE}/cases/{agency_return.case_id}/returns/{agency_return.agency_id}/"


def _all(api, path, **params):
    rows, page = [], 1
    while True:
        body = api.get(path, page=page, **params).json()
        rows += body["results"]
        if not body["next"]:
            return rows
        page += 1


def test_a_police_token_cannot_read_social_cares_returns(demo, api_as):
    police = Agency.objects.get(short_name="Police")
    social_care = Agency.objects.get(short_name="Social Care")
    api = api_as(data.auditor_email("Police"))

    listed = _all(api, f"{BASE}/returns/")
    assert listed, "the police auditor sees the police returns"
    assert {row["agency"]["short_name"] for row in listed} == {"Police"}
    assert api.get(f"{BASE}/returns/", agency=social_care.pk).json()["count"] == 0

    theirs = AgencyReturn.objects.filter(case__audit__slug=SLUG, agency=social_care)[0]
    assert api.get(_return_path(theirs)).status_code == 404
    ours = AgencyReturn.objects.filter(case__audit__slug=SLUG, agency=police)[0]
    assert api.get(_return_path(ours)).status_code == 200


def test_a_police_token_cannot_save_or_submit_social_cares_return(demo, api_as):
    social_care = Agency.objects.get(short_name="Social Care")
    theirs = AgencyReturn.objects.filter(case__audit__slug=SLUG, agency=social_care)[0]
    api = api_as(data.auditor_email("Police"))
    assert api.put(_return_path(theirs), {"revision": 1}).status_code == 404
    assert api.post(_return_path(theirs) + "submit/", {"revision": 1}).status_code == 404


def test_the_coordinator_sees_every_agencys_returns(demo, api_as):
    api = api_as(data.COORDINATOR)
    total = AgencyReturn.objects.filter(case__audit__slug=SLUG).count()
    assert api.get(f"{BASE}/returns/").json()["count"] == total
    assert len({row["agency"]["short_name"] for row in _all(api, f"{BASE}/returns/")}) > 1


def test_an_agency_sees_only_the_children_it_was_asked_about(db, api_as):
    built = build_audit(cases=3, agencies=2, status="returns_open")
    agency = built.agencies[0]
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=agency)
    unasked = CaseFactory.create(audit=built.audit, pseudonym="Child Unasked")
    api = api_as(auditor)
    seen = {
        row["pseudonym"]
        for row in api.get(f"/api/v1/audits/{built.audit.slug}/cases/").json()["results"]
    }
    assert seen == {case.pseudonym for case in built.cases}
    assert unasked.pseudonym not in seen
    detail = f"/api/v1/audits/{built.audit.slug}/cases/{unasked.pk}/"
    assert api.get(detail).status_code == 404
    assert api_as(built.coordinator).get(detail).status_code == 200


def test_a_reader_sees_published_learning_but_no_child(demo, api_as):
    api = api_as(data.LOGINS[4][1])  # the reader
    assert api.get(f"{BASE}/").status_code == 200
    assert api.get(f"{BASE}/findings/").status_code == 200
    assert api.get(f"{BASE}/brief/").status_code == 200
    assert api.get(f"{BASE}/figures/").status_code == 200
    for path in ("cases/", "returns/", "escalations/"):
        assert api.get(f"{BASE}/{path}").status_code == 404, path
    findings = api.get(f"{BASE}/findings/").json()["results"]
    assert findings and all(row["cases"] is None for row in findings)


def test_an_agency_sees_only_escalations_raised_by_or_to_it(demo, api_as):
    api = api_as(data.auditor_email("Police"))
    rows = _all(api, f"{BASE}/escalations/")
    assert rows
    for row in rows:
        agencies = {row["raised_to_agency"]["short_name"]}
        if row["raised_by_agency"]:
            agencies.add(row["raised_by_agency"]["short_name"])
        assert "Police" in agencies


def test_an_audit_outside_scope_is_a_404_not_a_403(demo, api_as):
    from tests.factories import AuditFactory

    other = AuditFactory.create(slug="someone-elses-audit")
    api = api_as(data.COORDINATOR)
    for path in ("", "cases/", "returns/", "findings/", "figures/", "brief/", "tool/"):
        assert api.get(f"/api/v1/audits/{other.slug}/{path}").status_code == 404, path
    assert other.slug not in {row["slug"] for row in api.get("/api/v1/audits/").json()["results"]}


def test_the_tool_library_is_for_coordinators_only(demo, api_as):
    assert api_as(data.COORDINATOR).get("/api/v1/tools/").status_code == 200
    assert api_as(data.auditor_email("Police")).get("/api/v1/tools/").status_code == 404
    # Agencies read the audit's own tool, to answer its questions.
    tool = api_as(data.auditor_email("Police")).get(f"{BASE}/tool/")
    assert tool.status_code == 200
    assert tool.json()["sections"][0]["questions"][0]["code"]


def test_no_identifier_is_served(demo, api_as):
    from maca.identifiers.models import AgencyReference, ChildIdentity

    api = api_as(data.COORDINATOR)
    served = "".join(
        api.get(f"{BASE}/{path}").content.decode()
        for path in ("cases/", "returns/", "escalations/", "findings/", "brief/", "figures/")
    )
    for case in Case.objects.filter(audit__slug=SLUG):
        served += api.get(f"{BASE}/cases/{case.pk}/").content.decode()
    identities = ChildIdentity.objects.filter(case__audit__slug=SLUG)
    assert identities.exists()
    for identity in identities:
        for value in (identity.full_name, identity.la_child_id, identity.nhs_number):
            if value:
                assert value not in served
    for reference in AgencyReference.objects.filter(case__audit__slug=SLUG):
        assert reference.reference not in served
