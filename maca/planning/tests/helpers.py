"""Shared bits for the planning tests: answering a question, counting rows."""

from __future__ import annotations

from django.db.models import Model

from maca.audits.models import AgencyReturn, Answer, Question, ToolVersion
from tests.factories import AgencyFactory, AuditFactory, CaseFactory


def answer_question(question: Question) -> Answer:
    """A fictional answer to `question` in a fresh audit using its version."""
    version = question.section.version
    audit = AuditFactory.create(tool_version=version)
    case = CaseFactory.create(audit=audit)
    agency_return = AgencyReturn.objects.create(
        case=case, agency=AgencyFactory.create(), status="draft"
    )
    return Answer.objects.create(agency_return=agency_return, question=question, text_value="x")


def counts(*models: type[Model]) -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in models}


def first_question(version: ToolVersion) -> Question:
    question = Question.objects.filter(section__version=version).order_by(
        "section__order", "order"
    )[0]
    return question
