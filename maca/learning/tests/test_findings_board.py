"""The findings board: add, edit, reorder, merge and choose for the brief; editors only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.accounts.models import Role
from maca.learning.models import Action, Finding, Heading, Theme
from tests.factories import ActionFactory, FindingFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db


def _url(name: str, built, *args) -> str:
    return reverse(name, args=[built.audit.slug, *args])


def _worries(audit) -> list[str]:
    return list(
        Finding.objects.filter(audit=audit, heading=Heading.WORRY)
        .order_by("order", "id")
        .values_list("text", flat=True)
    )


def _board(status: str = "findings"):
    built = build_audit(cases=3, agencies=3, findings=0, status=status)
    for order, text in enumerate(["First worry", "Second worry", "Third worry"], start=1):
        FindingFactory.create(audit=built.audit, heading=Heading.WORRY, order=order, text=text)
    return built


def test_coordinator_adds_a_theme_for_learning_with_its_owners(client):
    built = _board()
    client.force_login(built.coordinator)
    response = client.post(
        _url("learning:finding-new", built),
        {
            "heading": "learning",
            "title": "Health assessments",
            "text": "Requests were late.",
            "needs_to_happen": "Request within five working days.",
            "taken_forward_by": [str(built.agencies[1].pk)],
            "agencies": [str(built.agencies[0].pk)],
            "cases": [str(built.cases[0].pk)],
            "include_in_brief": "on",
        },
    )
    assert response.status_code == 302
    theme = Finding.objects.get(heading=Heading.LEARNING)
    assert theme.title == "Health assessments"
    assert list(theme.taken_forward_by.all()) == [built.agencies[1]]
    assert list(theme.cases.all()) == [built.cases[0]]
    board = client.get(_url("learning:findings", built)).text
    assert "Request within five working days." in board


def test_bad_input_names_the_field_and_saves_nothing(client):
    built = _board()
    client.force_login(built.coordinator)
    response = client.post(_url("learning:finding-new", built), {"heading": "learning", "text": ""})
    assert response.status_code == 200
    assert "Enter what the panel found" in response.text
    assert "Enter a title for the theme for learning" in response.text
    assert 'href="#id_text"' in response.text
    assert Finding.objects.filter(audit=built.audit).count() == 3


def test_a_case_from_another_audit_is_refused(client):
    built = _board()
    other = build_audit(cases=1, agencies=1, findings=0)
    client.force_login(built.coordinator)
    response = client.post(
        _url("learning:finding-new", built),
        {"heading": "worry", "text": "A worry", "cases": [str(other.cases[0].pk)]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Finding.objects.filter(audit=built.audit).count() == 3


def test_move_up_and_down_reorders_within_the_heading(client):
    built = _board()
    client.force_login(built.coordinator)
    third = Finding.objects.get(text="Third worry")
    client.post(_url("learning:finding-move", built, third.pk), {"direction": "up"})
    assert _worries(built.audit) == ["First worry", "Third worry", "Second worry"]
    first = Finding.objects.get(text="First worry")
    client.post(_url("learning:finding-move", built, first.pk), {"direction": "down"})
    assert _worries(built.audit) == ["Third worry", "First worry", "Second worry"]
    # Moving the first up is a no-op, not an error.
    top = Finding.objects.get(text="Third worry")
    client.post(_url("learning:finding-move", built, top.pk), {"direction": "up"})
    assert _worries(built.audit) == ["Third worry", "First worry", "Second worry"]


def test_choose_what_goes_into_the_brief(client):
    built = _board()
    client.force_login(built.coordinator)
    finding = Finding.objects.get(text="Second worry")
    client.post(_url("learning:finding-brief", built, finding.pk), {"include": "0"})
    finding.refresh_from_db()
    assert not finding.include_in_brief
    brief = client.get(reverse("reports:brief", args=[built.audit.slug])).text
    assert "Second worry" not in brief and "First worry" in brief


def test_merge_unions_links_moves_actions_and_deletes_the_other(client):
    built = _board()
    theme_a = Theme.objects.create(name="Theme A", slug="theme-a")
    theme_b = Theme.objects.create(name="Theme B", slug="theme-b")
    into = Finding.objects.get(text="First worry")
    other = Finding.objects.get(text="Second worry")
    into.cases.set(built.cases[:1])
    into.themes.set([theme_a])
    other.cases.set(built.cases[1:2])
    other.agencies.set(built.agencies[:1])
    other.themes.set([theme_a, theme_b])
    action = ActionFactory.create(audit=built.audit)
    action.findings.set([other])
    client.force_login(built.coordinator)
    response = client.post(_url("learning:finding-merge", built, into.pk), {"other": other.pk})
    assert response.status_code == 302
    into.refresh_from_db()
    assert into.text == "First worry\n\nSecond worry"
    assert set(into.cases.all()) == set(built.cases[:2])
    assert set(into.agencies.all()) == set(built.agencies[:1])
    assert set(into.themes.all()) == {theme_a, theme_b}
    assert list(Action.objects.get(pk=action.pk).findings.all()) == [into]
    assert not Finding.objects.filter(pk=other.pk).exists()
    assert _worries(built.audit) == ["First worry\n\nSecond worry", "Third worry"]
    orders = list(
        Finding.objects.filter(audit=built.audit).order_by("order").values_list("order", flat=True)
    )
    assert orders == [1, 2]


def test_merge_with_a_finding_of_another_audit_is_refused(client):
    built = _board()
    other = _board()
    into = Finding.objects.filter(audit=built.audit).first()
    foreign = Finding.objects.filter(audit=other.audit).first()
    assert into is not None and foreign is not None
    client.force_login(built.coordinator)
    response = client.post(_url("learning:finding-merge", built, into.pk), {"other": foreign.pk})
    assert "Choose a finding of this audit to merge" in response.text
    assert Finding.objects.filter(pk=foreign.pk).exists()


def test_edit_keeps_the_finding_and_changes_its_words(client):
    built = _board()
    finding = Finding.objects.get(text="Second worry")
    client.force_login(built.coordinator)
    page = client.get(_url("learning:finding-edit", built, finding.pk))
    assert "Second worry" in page.text
    client.post(
        _url("learning:finding-edit", built, finding.pk),
        {"heading": "worry", "text": "Second worry, reworded", "include_in_brief": "on"},
    )
    finding.refresh_from_db()
    assert finding.text == "Second worry, reworded"


@pytest.mark.parametrize("role", [Role.READER, Role.AGENCY_LEAD])
def test_readers_and_agencies_read_the_published_findings_but_cannot_change_them(client, role):
    built = _board(status="published")
    person = person_with_role(role, agency=built.agencies[0] if role != Role.READER else None)
    client.force_login(person)
    # They read the findings as published: the brief's version, not the rows as edited since.
    board = client.get(_url("learning:findings", built), follow=True)
    assert board.status_code == 200
    assert board.redirect_chain[-1][0].endswith("/brief/#brief-worries")
    assert "Second worry" in board.text
    assert "Move up" not in board.text and "Add a finding" not in board.text
    finding = Finding.objects.get(text="Second worry")
    for name, data in [
        ("learning:finding-move", {"direction": "up"}),
        ("learning:finding-brief", {"include": "0"}),
        ("learning:finding-edit", {"heading": "worry", "text": "Changed"}),
    ]:
        assert client.post(_url(name, built, finding.pk), data).status_code == 404
    assert client.get(_url("learning:finding-new", built)).status_code == 404
    assert _worries(built.audit) == ["First worry", "Second worry", "Third worry"]


def test_board_query_count_does_not_grow_with_findings_cases_or_agencies(client):
    small = build_audit(cases=3, agencies=2, findings=3, status="findings")
    large = build_audit(cases=30, agencies=8, findings=24, status="findings")
    counts = []
    for built in (small, large):
        client.force_login(built.coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("learning:findings", built)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_forms_offer_checkboxes_and_radios_not_raw_inputs(client):
    built = _board()
    client.force_login(built.coordinator)
    for url in (
        _url("learning:finding-new", built),
        _url("learning:action-new", built),
        _url("learning:finding-merge", built, Finding.objects.filter(audit=built.audit)[0].pk),
    ):
        html = client.get(url).text
        assert 'value="[]"' not in html, url
        assert 'type="checkbox"' in html or 'type="radio"' in html, url
    html = client.get(_url("learning:finding-new", built)).text
    for agency in built.agencies:
        assert f'name="agencies" type="checkbox" value="{agency.pk}"' in html
