"""An audit's coordinators and panel: the set-up task, its page, and the stage check that
refuses moderation without a panel. All people are fictional."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import Audit, PanelMembership
from maca.core.errors import Refused
from maca.history.selectors import records_of
from maca.planning import services
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db


def test_the_coordinator_names_the_panel_and_its_chair(client):
    built = build_audit(cases=2, agencies=2, findings=1, status="draft")
    PanelMembership.objects.filter(audit=built.audit).delete()
    chair = person_with_role(Role.PANEL_MEMBER, full_name="Fictional Chair")
    member = person_with_role(Role.PANEL_MEMBER, full_name="Fictional Member")
    second = person_with_role(Role.COORDINATOR, full_name="Fictional Second Coordinator")
    person_with_role(Role.READER, full_name="Fictional Reader")
    client.force_login(built.coordinator)
    url = reverse("planning:people", args=[built.audit.slug])

    setup = client.get(reverse("planning:setup", args=[built.audit.slug])).text
    assert "Coordinators and panel" in setup and "0 on the panel" in setup
    page = client.get(url).text
    assert "Fictional Chair" in page and "Fictional Second Coordinator" in page
    assert "Fictional Reader" not in page

    response = client.post(
        url,
        {
            "coordinators": [built.coordinator.pk, second.pk],
            "panel": [chair.pk, member.pk],
            "chair": chair.pk,
        },
    )
    assert response.status_code == 302
    audit = Audit.objects.get(pk=built.audit.pk)
    assert set(audit.coordinators.all()) == {built.coordinator, second}
    assert set(
        PanelMembership.objects.filter(audit=audit).values_list("user__full_name", "is_chair")
    ) == {("Fictional Chair", True), ("Fictional Member", False)}
    assert "2 on the panel" in client.get(reverse("planning:setup", args=[audit.slug])).text
    assert records_of(PanelMembership.objects.get(user=chair)).exists()
    assert records_of(audit).filter(action="links added").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"coordinators": []}, "coordinators", "Choose at least one coordinator"),
        ({"coordinators": ["other"]}, "coordinators", "Keep yourself as a coordinator"),
        ({"chair": "outsider"}, "chair", "The chair must be one of the panel members"),
        ({"panel": ["reader"]}, "panel", "Choose panel members from the list"),
    ],
)
def test_mistakes_on_the_people_page_are_named_and_nothing_changes(client, change, field, message):
    built = build_audit(cases=1, agencies=1, findings=0, status="draft")
    other = person_with_role(Role.COORDINATOR)
    member = person_with_role(Role.PANEL_MEMBER)
    outsider = person_with_role(Role.PANEL_MEMBER)
    reader = person_with_role(Role.READER)
    ids = {"other": other.pk, "outsider": outsider.pk, "reader": reader.pk}
    data = {"coordinators": [built.coordinator.pk], "panel": [member.pk], "chair": member.pk}
    for name, value in change.items():
        data[name] = [ids.get(v, v) for v in value] if isinstance(value, list) else ids[value]
    before = set(PanelMembership.objects.filter(audit=built.audit).values_list("user_id"))
    client.force_login(built.coordinator)
    response = client.post(reverse("planning:people", args=[built.audit.slug]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert f'href="#id_{field}' in response.text
    after = set(PanelMembership.objects.filter(audit=built.audit).values_list("user_id"))
    assert after == before


def test_moving_to_moderation_is_refused_while_there_is_no_panel(client):
    built = build_audit(cases=2, agencies=2, findings=0, status="returns_open")
    PanelMembership.objects.filter(audit=built.audit).delete()
    slug = built.audit.slug
    client.force_login(built.coordinator)
    confirm = client.get(reverse("planning:status-change", args=[slug, "forward"]))
    assert "Name the audit&#x27;s panel" in confirm.text or "Name the audit's panel" in confirm.text
    with pytest.raises(Refused, match="panel"):
        services.audit_status_advance(
            audit=built.audit, direction=services.FORWARD, expected="returns_open"
        )
    assert Audit.objects.get(pk=built.audit.pk).status == "returns_open"
    member = person_with_role(Role.PANEL_MEMBER)
    services.audit_people_set(
        audit=built.audit,
        coordinator_ids=[built.coordinator.pk],
        panel_ids=[member.pk],
        chair_id=member.pk,
        by=built.coordinator,
    )
    services.audit_status_advance(
        audit=built.audit, direction=services.FORWARD, expected="returns_open"
    )
    assert Audit.objects.get(pk=built.audit.pk).status == "moderation"
    # The new panel member can now open the panel's pages.
    client.force_login(member)
    assert client.get(reverse("moderation:list", args=[slug])).status_code == 200


@pytest.mark.parametrize(("status", "refused"), [("moderation", True), ("returns_open", False)])
def test_the_panel_cannot_be_emptied_while_it_moderates(status, refused):
    built = build_audit(cases=1, agencies=1, findings=0, status=status)

    def empty_the_panel() -> None:
        services.audit_people_set(
            audit=built.audit,
            coordinator_ids=[built.coordinator.pk],
            panel_ids=[],
            chair_id=None,
            by=built.coordinator,
        )

    if refused:
        with pytest.raises(Refused, match="Keep at least one panel member: the audit is at "):
            empty_the_panel()
    else:
        empty_the_panel()
    assert PanelMembership.objects.filter(audit=built.audit).exists() is refused
