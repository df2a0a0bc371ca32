"""Deny by default: only coordinators build tools, and only an audit's coordinators set it up.

Everyone else gets 404 on every planning address, by GET or POST, and changes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import Audit, AuditTool, Case, Question, ToolSection, ToolVersion
from maca.learning.models import AuditReview, Review
from maca.planning import services
from maca.planning.tests.helpers import counts
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db

TOOL_URLS = [
    ("planning:tools", ()),
    ("planning:tool-new", ()),
    ("planning:ready-tool-add", ("library",)),
    ("planning:tool", ("tool",)),
    ("planning:tool-edit", ("tool",)),
    ("planning:version", ("tool", "number")),
    ("planning:version-new", ("tool", "number")),
    ("planning:tool-copy", ("tool", "number")),
    ("planning:version-notes", ("tool", "number")),
    ("planning:section-new", ("tool", "number")),
    ("planning:section-edit", ("tool", "number", "section")),
    ("planning:section-delete", ("tool", "number", "section")),
    ("planning:section-move", ("tool", "number", "section")),
    ("planning:question-new", ("tool", "number", "section")),
    ("planning:question-edit", ("tool", "number", "question")),
    ("planning:question-delete", ("tool", "number", "question")),
    ("planning:question-move", ("tool", "number", "question")),
]
SETUP_URLS = [
    ("planning:setup", ("audit",)),
    ("planning:plan", ("audit",)),
    ("planning:status", ("audit",)),
    ("planning:status-change", ("audit", "forward")),
    ("planning:status-change", ("audit", "back")),
    ("planning:agencies", ("audit",)),
    ("planning:agency-new", ("audit",)),
    ("planning:tool-choice", ("audit",)),
    ("planning:figures", ("audit",)),
    ("planning:reviews", ("audit",)),
    ("planning:review-new", ("audit",)),
    ("planning:review-unlink", ("audit", "link")),
    ("planning:cases", ("audit",)),
    ("planning:case-new", ("audit",)),
    ("planning:case-edit", ("audit", "case")),
    ("planning:case-delete", ("audit", "case")),
    ("planning:involvement", ("audit",)),
]
ALL_URLS = [*TOOL_URLS, ("planning:audit-new", ()), *SETUP_URLS]
# Answered 405 to a GET before any lookup, so the answer says nothing about what exists.
POST_ONLY = {
    "planning:ready-tool-add",
    "planning:version-new",
    "planning:tool-copy",
    "planning:section-move",
    "planning:question-move",
    "planning:review-unlink",
}


def _get_refused(name: str) -> int:
    return 405 if name in POST_ONLY else 404


@pytest.fixture
def world(db):
    built = build_audit(cases=2, agencies=2, status="draft")
    tool, _ = services.ready_tool_add(slug="cla-out-of-area")
    version = tool.versions.get()
    section = version.sections.order_by("order")[0]
    review = Review.objects.create(title="Fictional SCR", short_name="FSCR", kind="scr")
    link = AuditReview.objects.create(audit=built.audit, review=review, relationship="related")
    values = {
        "library": "cla-out-of-area",
        "tool": tool.slug,
        "number": version.number,
        "section": section.pk,
        "question": section.questions.order_by("order")[0].pk,
        "audit": built.audit.slug,
        "case": built.cases[0].pk,
        "link": link.pk,
        "forward": "forward",
        "back": "back",
    }
    return built, values


def _url(name: str, params: tuple[str, ...], values: dict) -> str:
    return reverse(name, args=[values.get(param, param) for param in params])


PERSONAS = ["auditor", "lead", "panel", "reader", "administrator"]


def _person(persona: str, built):
    agency = built.agencies[0]
    if persona == "auditor":
        return person_with_role(Role.AGENCY_AUDITOR, agency=agency)
    if persona == "lead":
        return person_with_role(Role.AGENCY_LEAD, agency=agency)
    if persona == "panel":
        person = person_with_role(Role.PANEL_MEMBER)
        built.audit.panel_memberships.create(user=person)
        return person
    return person_with_role(persona)


def _snapshot():
    return counts(Audit, AuditTool, ToolVersion, ToolSection, Question, Case, AuditReview), list(
        Audit.objects.values_list("status", "title")
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "params"), ALL_URLS)
def test_people_who_are_not_coordinators_get_not_found(client, world, persona, name, params):
    built, values = world
    client.force_login(_person(persona, built))
    url = _url(name, params, values)
    before = _snapshot()
    assert client.get(url).status_code == _get_refused(name)
    assert (
        client.post(url, {"title": "x", "direction": "up", "expected": "draft"}).status_code == 404
    )
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "params"), SETUP_URLS)
def test_coordinators_of_other_audits_get_not_found_on_set_up(client, world, name, params):
    _built, values = world
    stranger = person_with_role(Role.COORDINATOR)
    client.force_login(stranger)
    url = _url(name, params, values)
    before = _snapshot()
    assert client.get(url).status_code == _get_refused(name)
    assert client.post(url, {"title": "x", "expected": "draft"}).status_code == 404
    assert _snapshot() == before


def test_a_coordinator_is_not_found_for_another_audits_case_or_review_link(client, world):
    built, values = world
    mine = build_audit(cases=1, agencies=1)
    client.force_login(mine.coordinator)
    foreign_case = reverse("planning:case-edit", args=[mine.audit.slug, built.cases[0].pk])
    foreign_link = reverse("planning:review-unlink", args=[mine.audit.slug, values["link"]])
    assert client.get(foreign_case).status_code == 404
    assert client.post(foreign_link).status_code == 404
    assert AuditReview.objects.filter(pk=values["link"]).exists()


@pytest.mark.parametrize(("name", "params"), ALL_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, params):
    _, values = world
    response = client.get(_url(name, params, values))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_coordinator_reaches_every_page(client, world):
    built, values = world
    client.force_login(built.coordinator)
    for name, params in ALL_URLS:
        url = _url(name, params, values)
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (url, response.status_code)


def test_only_coordinators_see_the_tools_and_new_audit_links(client, world):
    built, _ = world
    client.force_login(built.coordinator)
    page = client.get(reverse("audits:list")).text
    assert reverse("planning:tools") in page and reverse("planning:audit-new") in page
    overview = client.get(reverse("audits:overview", args=[built.audit.slug])).text
    assert reverse("planning:setup", args=[built.audit.slug]) in overview
    panel = _person("panel", built)
    client.force_login(panel)
    page = client.get(reverse("audits:list")).text
    assert reverse("planning:tools") not in page and reverse("planning:audit-new") not in page
    overview = client.get(reverse("audits:overview", args=[built.audit.slug])).text
    assert reverse("planning:setup", args=[built.audit.slug]) not in overview
