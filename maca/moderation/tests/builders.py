"""A fictional audit with a tool, returns, answers and grades, of any size: for the moderation,
report and benchmark tests. Rows are written in bulk so 60 children x 12 agencies x 40
questions loads in seconds. Every name here is invented."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from maca.accounts.models import Agency, Role, User
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditTool,
    Case,
    GradeLevel,
    GradingScale,
    PanelMembership,
    Question,
    ReturnStatus,
    SectionSummary,
    ToolSection,
    ToolVersion,
)
from maca.core.partial_dates import PartialDate
from maca.learning.models import AuditReview, LearningPoint, Review
from tests.factories import AgencyFactory, person_with_role

_counter = itertools.count(1)

# (case index, agency index, question index) -> ynpna level code
AnswerRule = Callable[[int, int, int], str]


def default_rule(case: int, agency: int, question: int) -> str:
    key = case * 7 + agency * 3 + question
    if key % 11 == 0:
        return "na"
    if key % 7 == 0:
        return "no"
    if key % 5 == 0:
        return "partial"
    return "yes"


@dataclass
class ModeratedAudit:
    audit: Audit
    coordinator: User
    panel: User
    agencies: list[Agency]
    cases: list[Case]
    sections: list[ToolSection]
    questions: list[Question]
    review: Review
    points: list[LearningPoint]
    levels: dict[tuple[str, str], GradeLevel]
    returns: dict[tuple[int, int], AgencyReturn]

    def level(self, scale: str, code: str) -> GradeLevel:
        return self.levels[(scale, code)]

    def answer(self, case: int, agency: int, question: int) -> Answer:
        return Answer.objects.get(
            agency_return=self.returns[(case, agency)], question=self.questions[question]
        )


def build_moderated_audit(
    *,
    cases: int = 3,
    agencies: int = 3,
    questions: int = 8,
    sections: int = 4,
    status: str = "moderation",
    rule: AnswerRule = default_rule,
    with_returns: bool = True,
) -> ModeratedAudit:
    n = next(_counter)
    levels = {
        (level.scale.slug, level.code): level
        for level in GradeLevel.objects.select_related("scale")
    }
    ofsted = GradingScale.objects.get(slug="ofsted-4")
    ynpna = GradingScale.objects.get(slug="ynpna")

    version, section_rows, review, points, question_rows = _fictional_tool(
        n, sections=sections, questions=questions, ofsted=ofsted, ynpna=ynpna
    )
    audit = Audit.objects.create(
        slug=f"moderated-audit-{n}",
        title=f"Moderated audit {n}",
        theme="Children looked after placed out of area",
        status=status,
        audit_date=cast(Any, PartialDate(2024, 5)),
        tool_version=version,
        overall_scale=ofsted,
    )
    coordinator = person_with_role(Role.COORDINATOR)
    audit.coordinators.add(coordinator)
    panel = person_with_role(Role.PANEL_MEMBER)
    PanelMembership.objects.create(audit=audit, user=panel, is_chair=True)
    AuditReview.objects.create(
        audit=audit, review=review, relationship=AuditReview.Relationship.CHECKS_EMBEDDED
    )
    agency_rows = [
        AgencyFactory.create(name=f"Moderated agency {n}-{i}", short_name=f"MA{n}-{i}")
        for i in range(agencies)
    ]
    AuditAgency.objects.bulk_create(
        AuditAgency(audit=audit, agency=agency, order=i) for i, agency in enumerate(agency_rows)
    )
    case_rows = Case.objects.bulk_create(
        Case(
            audit=audit,
            pseudonym=f"Child {i + 1}",
            order=i,
            age_weeks=300 + i,
            placed_out_of_area=True,
        )
        for i in range(cases)
    )
    AgencyInvolvement.objects.bulk_create(
        AgencyInvolvement(case=case, agency=agency, status="involved")
        for case in case_rows
        for agency in agency_rows
    )
    returns: dict[tuple[int, int], AgencyReturn] = {}
    if with_returns:
        returns = _accepted_returns(
            case_rows, agency_rows, question_rows, section_rows, levels, rule
        )
    return ModeratedAudit(
        audit=audit,
        coordinator=coordinator,
        panel=panel,
        agencies=agency_rows,
        cases=case_rows,
        sections=section_rows,
        questions=question_rows,
        review=review,
        points=points,
        levels=levels,
        returns=returns,
    )


def _fictional_tool(
    n: int, *, sections: int, questions: int, ofsted: GradingScale, ynpna: GradingScale
) -> tuple[ToolVersion, list[ToolSection], Review, list[LearningPoint], list[Question]]:
    """A tool of `sections` sections and `questions` questions, the first four linked to the
    learning points of a fictional review."""
    tool = AuditTool.objects.create(name=f"Fictional tool {n}", slug=f"fictional-tool-{n}")
    version = ToolVersion.objects.create(tool=tool, number=1)
    section_rows = ToolSection.objects.bulk_create(
        ToolSection(version=version, order=i + 1, title=f"Section {i + 1}", grading_scale=ofsted)
        for i in range(sections)
    )
    review = Review.objects.create(
        title=f"Fictional review {n}", short_name=f"FR{n}", kind=Review.Kind.CSPR
    )
    points = LearningPoint.objects.bulk_create(
        LearningPoint(review=review, order=i + 1, text=f"Fictional learning point {i + 1}")
        for i in range(2)
    )
    question_rows = Question.objects.bulk_create(
        Question(
            section=section_rows[i % sections],
            order=i // sections + 1,
            code=f"Q{i % sections + 1}.{i // sections + 1}",
            text=f"Fictional question {i + 1}?",
            kind=Question.Kind.COMPLIANCE,
            scale=ynpna,
            standard=f"Fictional standard {i % 4 + 1}",
            learning_point=points[i % 2] if i < 4 else None,
        )
        for i in range(questions)
    )
    return version, section_rows, review, points, question_rows


def _accepted_returns(
    case_rows: list[Case],
    agency_rows: list[Agency],
    question_rows: list[Question],
    section_rows: list[ToolSection],
    levels: dict[tuple[str, str], GradeLevel],
    rule: AnswerRule,
) -> dict[tuple[int, int], AgencyReturn]:
    """An accepted return from every agency for every child, every question answered by
    `rule` and every section summarised."""
    good, improve = levels[("ofsted-4", "good")], levels[("ofsted-4", "requires-improvement")]
    keys = [(c, a) for c in range(len(case_rows)) for a in range(len(agency_rows))]
    rows = AgencyReturn.objects.bulk_create(
        AgencyReturn(
            case=case_rows[c],
            agency=agency_rows[a],
            status=ReturnStatus.ACCEPTED,
            overall_grade=good if (c + a) % 3 else improve,
            overall_reason="Fictional reason.",
            submitted_at=dt.datetime(2024, 4, 1, 9, tzinfo=dt.UTC),
        )
        for c, a in keys
    )
    returns = dict(zip(keys, rows, strict=True))
    Answer.objects.bulk_create(
        Answer(
            agency_return=returns[(c, a)],
            question=question,
            grade=levels[("ynpna", rule(c, a, q))],
            evidence=f"Fictional evidence {c}-{a}-{q}",
        )
        for (c, a) in returns
        for q, question in enumerate(question_rows)
    )
    SectionSummary.objects.bulk_create(
        SectionSummary(
            agency_return=returns[(c, a)],
            section=section,
            grade=good if (c + a + s) % 4 else improve,
            grade_reason="Fictional section reason.",
        )
        for (c, a) in returns
        for s, section in enumerate(section_rows)
    )
    return returns
