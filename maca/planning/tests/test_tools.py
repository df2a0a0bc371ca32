"""The tool builder: building a tool, freezing versions, new versions, copies, the library."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import Sector
from maca.audits.models import (
    AuditTool,
    GradingScale,
    Question,
    ToolSection,
    ToolVersion,
)
from maca.core.errors import Refused
from maca.learning.models import LearningPoint, Review
from maca.planning import selectors, services
from maca.planning.errors import ToolVersionFrozen
from maca.planning.library import cla_out_of_area
from maca.planning.services import QuestionInput
from maca.planning.tests.helpers import answer_question, counts, first_question
from tests.factories import AgencyFactory, AuditFactory

pytestmark = pytest.mark.django_db


def _question(code: str = "Q1.1", **overrides) -> QuestionInput:
    values = {"code": code, "text": "Was the child seen alone?", "kind": Question.Kind.TEXT}
    return QuestionInput(**{**values, **overrides})


# --- The ready-made tool --------------------------------------------------------------------


def test_ready_tool_follows_the_domain_spec(ready_version: ToolVersion) -> None:
    sections = list(ready_version.sections.order_by("order"))
    assert sections[0].title == "Agency involvement and chronology"
    assert len(sections) == 11
    questions = Question.objects.filter(section__version=ready_version)
    assert questions.count() == len(cla_out_of_area.all_questions()) == 38
    visits = questions.get(code="Q7.2")
    assert visits.standard == "CPPCR 2010 reg 28: statutory visits"
    assert visits.scale is not None and visits.scale.slug == "ynpna"
    assert visits.applies_to_sectors == [Sector.SOCIAL_CARE]
    assert questions.get(code="Q9.2").requires_reason
    assert ready_version.frozen_at is None


def test_adding_the_ready_tool_twice_adds_it_once(coordinator, ready_version) -> None:
    before = counts(AuditTool, ToolVersion, ToolSection, Question)
    tool, created = services.ready_tool_add(slug="cla-out-of-area")
    assert not created and tool == ready_version.tool
    assert counts(AuditTool, ToolVersion, ToolSection, Question) == before


def test_ready_tool_is_one_action_in_the_library(client, coordinator) -> None:
    client.force_login(coordinator)
    page = client.get(reverse("planning:tools"))
    assert "Add the ready-made tool" in page.text
    response = client.post(reverse("planning:ready-tool-add", args=["cla-out-of-area"]))
    assert response.status_code == 302
    assert Question.objects.filter(section__version__tool__slug="cla-out-of-area").count() == 38
    again = client.get(reverse("planning:tools"))
    assert "Already added" in again.text


# --- Building -------------------------------------------------------------------------------


def test_coordinator_builds_a_tool_in_the_browser(client, coordinator) -> None:
    client.force_login(coordinator)
    response = client.post(reverse("planning:tool-new"), {"name": "Neglect tool"})
    tool = AuditTool.objects.get(name="Neglect tool")
    assert response["Location"] == reverse("planning:version", args=[tool.slug, 1])
    version = tool.versions.get()
    ofsted = GradingScale.objects.get(slug="ofsted-4")
    client.post(
        reverse("planning:section-new", args=[tool.slug, 1]),
        {"title": "Assessment", "grading_scale": ofsted.pk},
    )
    section = version.sections.get()
    assert section.grading_scale == ofsted
    agency = AgencyFactory.create()
    review = Review.objects.create(title="Fictional review", short_name="FR", kind="scr")
    point = LearningPoint.objects.create(review=review, order=1, text="See the child alone.")
    client.post(
        reverse("planning:question-new", args=[tool.slug, 1, section.pk]),
        {
            "code": "Q1.1",
            "text": "How well was the child's neglect recognised?",
            "kind": "graded",
            "scale": ofsted.pk,
            "standard": "WT2023: recognising neglect",
            "applies_to_sectors": ["health", "police"],
            "applies_to_agencies": [agency.pk],
            "learning_point": point.pk,
            "help_text": "Think about the whole period.",
        },
    )
    client.post(
        reverse("planning:question-new", args=[tool.slug, 1, section.pk]),
        {
            "code": "Q1.2",
            "text": "Which plans?",
            "kind": "multiple_choice",
            "choices": "Care plan\nHealth plan\n\nPEP\n",
        },
    )
    client.post(
        reverse("planning:question-new", args=[tool.slug, 1, section.pk]),
        {"code": "Q1.3", "text": "Were visits on time?", "kind": "compliance"},
    )
    graded, choice, compliance = section.questions.order_by("order")
    assert graded.kind == "graded" and graded.scale == ofsted and graded.requires_reason
    assert graded.applies_to_sectors == ["health", "police"]
    assert list(graded.applies_to_agencies.all()) == [agency]
    assert graded.learning_point == point and graded.standard == "WT2023: recognising neglect"
    assert choice.choices == ["Care plan", "Health plan", "PEP"] and choice.scale is None
    assert compliance.scale is not None and compliance.scale.slug == "ynpna"
    page = client.get(reverse("planning:version", args=[tool.slug, 1]))
    assert "How well was the child" in page.text and "FR, learning point 1" in page.text


def test_each_kind_of_question_can_be_built(coordinator) -> None:
    tool = services.tool_create(name="Every kind")
    section = services.section_create(version=tool.versions.get(), title="All")
    for index, kind in enumerate(Question.Kind.values, start=1):
        extra = {}
        if kind == "graded":
            extra = {"scale": GradingScale.objects.get(slug="rag"), "requires_reason": True}
        if kind in ("single_choice", "multiple_choice"):
            extra = {"choices": ["One", "Two"]}
        services.question_create(section=section, data=_question(f"Q{index}", kind=kind, **extra))
    assert sorted(section.questions.values_list("kind", flat=True)) == sorted(Question.Kind.values)


def test_edit_delete_and_reorder_sections_and_questions(client, coordinator) -> None:
    tool = services.tool_create(name="Reorder me")
    version = tool.versions.get()
    first = services.section_create(version=version, title="First")
    second = services.section_create(version=version, title="Second")
    q1 = services.question_create(section=first, data=_question("Q1"))
    q2 = services.question_create(section=first, data=_question("Q2"))
    client.force_login(coordinator)
    args = [tool.slug, 1]
    client.post(reverse("planning:section-move", args=[*args, second.pk]), {"direction": "up"})
    assert list(version.sections.order_by("order")) == [second, first]
    client.post(reverse("planning:question-move", args=[*args, q1.pk]), {"direction": "down"})
    assert list(first.questions.order_by("order")) == [q2, q1]
    # At the end nothing moves, and nothing breaks.
    client.post(reverse("planning:question-move", args=[*args, q1.pk]), {"direction": "down"})
    assert list(first.questions.order_by("order")) == [q2, q1]
    client.post(
        reverse("planning:question-edit", args=[*args, q2.pk]),
        {"code": "Q2", "text": "Changed words", "kind": "date"},
    )
    q2.refresh_from_db()
    assert (q2.text, q2.kind) == ("Changed words", "date")
    client.post(reverse("planning:question-delete", args=[*args, q1.pk]))
    assert not Question.objects.filter(pk=q1.pk).exists()
    client.post(reverse("planning:section-edit", args=[*args, first.pk]), {"title": "Renamed"})
    first.refresh_from_db()
    assert first.title == "Renamed"
    client.post(reverse("planning:section-delete", args=[*args, first.pk]))
    assert list(version.sections.all()) == [second]
    assert not Question.objects.filter(pk=q2.pk).exists()


def test_question_references_are_unique_within_a_version(coordinator) -> None:
    tool = services.tool_create(name="Codes")
    section = services.section_create(version=tool.versions.get(), title="S")
    services.question_create(section=section, data=_question("Q1"))
    with pytest.raises(Refused, match="already used"):
        services.question_create(section=section, data=_question("q1"))


# --- Frozen versions ------------------------------------------------------------------------


def test_a_question_with_answers_cannot_change_in_its_version(ready_version) -> None:
    question = first_question(ready_version)
    answer_question(question)
    assert selectors.version_is_frozen(ready_version)
    section = question.section
    attempts = [
        lambda: services.question_update(question=question, data=_question("Q1.1")),
        lambda: services.question_delete(question=question),
        lambda: services.question_move(question=question, direction="down"),
        lambda: services.question_create(section=section, data=_question("Q99")),
        lambda: services.section_update(
            section=section, title="New", help_text="", grading_scale=None
        ),
        lambda: services.section_delete(section=section),
        lambda: services.section_move(section=section, direction="down"),
        lambda: services.section_create(version=ready_version, title="New"),
    ]
    before = list(Question.objects.filter(section__version=ready_version).values())
    for attempt in attempts:
        with pytest.raises(ToolVersionFrozen):
            attempt()
    assert list(Question.objects.filter(section__version=ready_version).values()) == before


def test_a_version_marked_frozen_is_frozen_without_answers(ready_version) -> None:
    services.tool_version_freeze(version=ready_version)
    first = ready_version.frozen_at
    assert first is not None
    services.tool_version_freeze(version=ready_version)  # idempotent
    ready_version.refresh_from_db()
    assert ready_version.frozen_at == first
    with pytest.raises(ToolVersionFrozen):
        services.section_create(version=ready_version, title="Late addition")


def test_frozen_page_explains_and_offers_a_new_version(client, coordinator, ready_version):
    question = first_question(ready_version)
    answer_question(question)
    client.force_login(coordinator)
    tool = ready_version.tool
    edit_url = reverse("planning:question-edit", args=[tool.slug, 1, question.pk])
    page = client.get(edit_url)
    assert "cannot change" in page.text and "Make a new version" in page.text
    refused = client.post(edit_url, {"code": "Q1.1", "text": "Sneaky change", "kind": "text"})
    assert refused.status_code == 409
    assert "Make a new version" in refused.text
    question.refresh_from_db()
    assert question.text != "Sneaky change"
    editor = client.get(reverse("planning:version", args=[tool.slug, 1]))
    assert "Edit this tool" in editor.text
    assert reverse("planning:question-edit", args=[tool.slug, 1, question.pk]) not in editor.text


def test_editing_a_frozen_tool_makes_a_new_version_used_only_by_audits_that_choose_it(
    client, coordinator, ready_version
):
    answer_question(first_question(ready_version))
    keeps_old = AuditFactory.create(tool_version=ready_version)
    client.force_login(coordinator)
    tool = ready_version.tool
    response = client.post(reverse("planning:version-new", args=[tool.slug, 1]))
    assert response["Location"] == reverse("planning:version", args=[tool.slug, 2])
    v2 = tool.versions.get(number=2)
    assert v2.frozen_at is None
    old_questions = list(
        Question.objects.filter(section__version=ready_version).values_list("code", "text")
    )
    new_questions = Question.objects.filter(section__version=v2)
    assert list(new_questions.values_list("code", "text")) == old_questions
    changed = new_questions.get(code="Q1.1")
    services.question_update(question=changed, data=_question("Q1.1", text="New wording"))
    keeps_old.refresh_from_db()
    assert keeps_old.tool_version == ready_version
    assert Question.objects.get(section__version=ready_version, code="Q1.1").text != "New wording"
    chooses_new = AuditFactory.create()
    services.audit_tool_set(audit=chooses_new, tool_version=v2, overall_scale=None)
    assert set(ToolVersion.objects.get(pk=v2.pk).audits.all()) == {chooses_new}


# --- Copying --------------------------------------------------------------------------------


def test_copying_a_tool_is_one_action_and_copies_every_section_and_question(
    client, coordinator, ready_version
):
    police = AgencyFactory.create(short_name="Police")
    question = Question.objects.get(section__version=ready_version, code="Q6.5")
    question.applies_to_agencies.add(police)
    client.force_login(coordinator)
    tool = ready_version.tool
    response = client.post(reverse("planning:tool-copy", args=[tool.slug, 1]))
    copy = AuditTool.objects.get(name=f"Copy of {tool.name}")
    assert response["Location"] == reverse("planning:version", args=[copy.slug, 1])
    assert copy.copied_from == tool
    copied = copy.versions.get()
    assert copied.number == 1 and copied.frozen_at is None

    def shape(version):
        return [
            (
                q.section.order,
                q.section.title,
                q.section.grading_scale_id,
                q.order,
                q.code,
                q.text,
                q.kind,
                q.scale_id,
                q.choices,
                q.requires_reason,
                q.standard,
                q.applies_to_sectors,
                q.learning_point_id,
                sorted(a.pk for a in q.applies_to_agencies.all()),
            )
            for q in Question.objects.filter(section__version=version)
            .select_related("section")
            .order_by("section__order", "order")
        ]

    assert shape(copied) == shape(ready_version)
    assert ToolSection.objects.filter(version=copied).count() == 11
    second = services.tool_copy(version=ready_version)
    assert second.name == f"Copy of {tool.name} (2)"
