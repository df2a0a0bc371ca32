"""Actions through the API: read across audits as the tracker shows them, and moved on by the
learning services (owners, coordinators and panel; verifying is the coordinator's, with
evidence of impact)."""

from __future__ import annotations

import pytest

from maca.demo import data
from maca.learning.models import Action, ActionStatus, ActionUpdate

pytestmark = pytest.mark.django_db


def _action(owner: str, status: str) -> Action:
    return Action.objects.filter(
        audit__slug=data.AUDIT_SLUG, owners__short_name=owner, status=status
    )[0]


def test_an_owner_moves_its_action_on_and_the_log_says_so(demo, api_as):
    action = _action("Social Care", ActionStatus.AGREED)
    api = api_as(data.lead_email("Social Care"))
    detail = api.get(f"/api/v1/actions/{action.pk}/").json()
    assert detail["rights"]["can_update_progress"] is True
    assert ActionStatus.IN_PROGRESS in detail["next_statuses"]
    response = api.post(
        f"/api/v1/actions/{action.pk}/status/",
        {"status": "in_progress", "note": "Work started with the records team."},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    update = ActionUpdate.objects.filter(action=action).order_by("-at", "-id")[0]
    assert update.by is not None
    assert update.text == "Work started with the records team."
    assert update.by.email == data.lead_email("Social Care")


def test_a_move_the_tracker_does_not_allow_is_a_400_on_status(demo, api_as):
    action = _action("Social Care", ActionStatus.AGREED)
    response = api_as(data.COORDINATOR).post(
        f"/api/v1/actions/{action.pk}/status/", {"status": "proposed"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"
    action.refresh_from_db()
    assert action.status == ActionStatus.AGREED


def test_verifying_needs_the_coordinator_and_evidence_of_impact(demo, api_as):
    action = _action("Social Care", ActionStatus.DONE)
    path = f"/api/v1/actions/{action.pk}/status/"
    owner = api_as(data.lead_email("Social Care"))
    assert owner.post(path, {"status": "verified", "evidence_of_impact": "x"}).status_code == 403
    coordinator = api_as(data.COORDINATOR)
    missing = coordinator.post(path, {"status": "verified"})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "evidence_of_impact"
    done = coordinator.post(path, {"status": "verified", "evidence_of_impact": "Dip sample."})
    assert done.status_code == 200
    assert done.json()["status"] == "verified"


def test_someone_who_does_not_own_an_action_cannot_move_it(demo, api_as):
    action = _action("Social Care", ActionStatus.AGREED)
    api = api_as(data.auditor_email("Police"))
    response = api.post(f"/api/v1/actions/{action.pk}/status/", {"status": "in_progress"})
    assert response.status_code in {403, 404}
    action.refresh_from_db()
    assert action.status == ActionStatus.AGREED


def test_the_action_list_is_the_tracker_for_the_person(demo, api_as):
    api = api_as(data.auditor_email("Police"))
    rows = api.get("/api/v1/actions/", page_size=200).json()["results"]
    assert rows
    assert all("Police" in row["owners"] for row in rows)
    only_verified = api.get("/api/v1/actions/", status="verified").json()["results"]
    assert all(row["status"] == "verified" for row in only_verified)
    one_audit = api_as(data.COORDINATOR).get("/api/v1/actions/", audit=data.AUDIT_SLUG).json()
    assert {row["audit"]["slug"] for row in one_audit["results"]} == {data.AUDIT_SLUG}
    bad = api.get("/api/v1/actions/", status="finished")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status"
