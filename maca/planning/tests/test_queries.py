"""Page costs do not grow with questions, children or agencies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.learning.models import LearningPoint, Review
from maca.planning import services
from maca.planning.services import QuestionInput
from tests.factories import AgencyFactory, build_audit

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _tool(name: str, sections: int, questions: int):
    """A tool whose every question is linked to agencies and a learning point."""
    tool = services.tool_create(name=name)
    version = tool.versions.get()
    review = Review.objects.create(title=f"Review for {name}", short_name=name[:50], kind="scr")
    point = LearningPoint.objects.create(review=review, order=1, text="A point.")
    agencies = [AgencyFactory.create() for _ in range(3)]
    for s in range(sections):
        section = services.section_create(version=version, title=f"Section {s}")
        for q in range(questions):
            services.question_create(
                section=section,
                data=QuestionInput(
                    code=f"Q{s}.{q}",
                    text="A question?",
                    kind="compliance",
                    applies_to_sectors=["health"],
                    applies_to_agencies=agencies,
                    learning_point=point,
                    standard="A standard",
                ),
            )
    return version


@pytest.mark.parametrize(
    "page", ["planning:version", "planning:tool", "planning:tools", "planning:question-new"]
)
def test_tool_pages_cost_the_same_for_4_or_120_questions(client, coordinator, page):
    small = _tool("Small tool", sections=2, questions=2)
    large = _tool("Large tool", sections=12, questions=10)
    client.force_login(coordinator)

    def url(version):
        args = {
            "planning:version": [version.tool.slug, 1],
            "planning:tool": [version.tool.slug],
            "planning:tools": [],
            "planning:question-new": [version.tool.slug, 1, version.sections.first().pk],
        }[page]
        return reverse(page, args=args)

    client.get(url(small))  # the session's "last seen" is noted once a minute: not counted
    small_count = _count(client, url(small))
    large_count = _count(client, url(large))
    assert small_count == large_count


@pytest.mark.parametrize(
    "page",
    ["planning:involvement", "planning:cases", "planning:agencies", "planning:setup"],
)
def test_set_up_pages_cost_the_same_for_small_and_large_audits(client, page):
    small = build_audit(cases=3, agencies=2, findings=1)
    large = build_audit(cases=60, agencies=12, findings=1)
    client.force_login(small.coordinator)
    small_count = _count(client, reverse(page, args=[small.audit.slug]))
    client.force_login(large.coordinator)
    large_count = _count(client, reverse(page, args=[large.audit.slug]))
    assert small_count == large_count


def test_saving_involvement_costs_the_same_for_small_and_large_audits(client):
    def save(built) -> int:
        client.force_login(built.coordinator)
        data = {
            f"involvement-{case.pk}-{agency.pk}": "involved"
            for case in built.cases
            for agency in built.agencies
        }
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("planning:involvement", args=[built.audit.slug]), data)
        assert response.status_code == 302
        return len(queries)

    assert save(build_audit(cases=3, agencies=2)) == save(build_audit(cases=40, agencies=8))


def test_stage_page_costs_the_same_however_often_the_audit_moved(client):
    built = build_audit(cases=1, agencies=1, findings=0, status="returns_open")
    client.force_login(built.coordinator)
    url = reverse("planning:status", args=[built.audit.slug])

    def move(direction: str, expected: str) -> None:
        services.audit_status_advance(
            audit=built.audit, direction=direction, expected=expected, override_reason="Fictional."
        )

    move(services.FORWARD, "returns_open")
    _count(client, url)  # the first request also reads what is cached after it
    once = _count(client, url)
    for _ in range(3):
        move(services.BACK, "moderation")
        move(services.FORWARD, "returns_open")
    assert _count(client, url) == once
    assert client.get(url).text.count("moved it from") == 7
