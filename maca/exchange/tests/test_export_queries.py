"""The whole-audit export: read in a fixed number of queries however large the audit, and
checked as a download holds it."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca.audits.models import Answer
from maca.exchange.selectors import audit_export, export_as_read, export_bytes
from maca.moderation.tests.builders import build_moderated_audit
from maca.reports.brief import system_access

pytestmark = pytest.mark.django_db


def test_export_query_count_does_not_grow_with_cases_agencies_or_questions():
    small = build_moderated_audit(cases=2, agencies=2, questions=4, sections=2)
    large = build_moderated_audit(cases=6, agencies=4, questions=12, sections=3)
    counts = []
    for built in (small, large):
        with CaptureQueriesContext(connection) as captured:
            document = audit_export(system_access(built.audit))
        counts.append(len(captured))
        answers = sum(len(row["answers"]) for row in document["returns"])
        assert answers == Answer.objects.filter(agency_return__case__audit=built.audit).count()
    assert counts[0] == counts[1]


def test_answers_keep_their_choices_grades_and_the_tool_order():
    built = build_moderated_audit(cases=1, agencies=1, questions=4, sections=2)
    answers = list(
        Answer.objects.filter(agency_return__case__audit=built.audit)
        .select_related("question__section", "grade__scale")
        .order_by("question__section__order", "question__order")
    )
    answers[0].choices = ["Fictional choice", 3]
    answers[0].save(update_fields=["choices"])
    document = audit_export(system_access(built.audit))
    exported = document["returns"][0]["answers"]
    assert [answer["question"] for answer in exported] == [a.question.code for a in answers]
    assert exported[0]["choices"] == ["Fictional choice", "3"]
    assert all(answer["choices"] == [] for answer in exported[1:])
    graded = [a for a in answers if a.grade is not None]
    assert graded, "the builder grades answers"
    for answer, row in zip(answers, exported, strict=True):
        expected = (
            {"scale": answer.grade.scale.slug, "code": answer.grade.code} if answer.grade else None
        )
        assert row["grade"] == expected
        assert expected is None or expected["scale"] in {s["slug"] for s in document["scales"]}


def test_the_check_reads_the_export_as_a_download_holds_it():
    built = build_moderated_audit(cases=2, agencies=2, questions=4, sections=2)
    document = audit_export(system_access(built.audit))
    document["audit"]["title"] = "Fictional “quoted” title – with é and \u2028 in it"
    document["audit"]["sample"]["frame_size"] = 1.5
    assert export_as_read(document) == json.loads(export_bytes(document))
