"""A small fictional audit with a tool that has one question of every kind, two agencies, and a
person in every role. Every name here is invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from maca.accounts.models import Agency, Role, Sector, User
from maca.audits.models import (
    AgencyInvolvement,
    Audit,
    AuditAgency,
    AuditTool,
    Case,
    Escalation,
    GradingScale,
    Question,
    ToolSection,
    ToolVersion,
)
from maca.audits.selectors import audit_access_for
from maca.returns.selectors import ReturnContext, return_context
from maca.returns.services import EscalationRequest, escalation_raise
from tests.factories import AgencyFactory, AuditFactory, CaseFactory, person_with_role

K = Question.Kind


@dataclass
class World:
    audit: Audit
    version: ToolVersion
    agency_a: Agency
    agency_b: Agency
    cases: list[Case]
    coordinator: User
    auditor_a: User
    lead_a: User
    auditor_b: User
    lead_b: User
    panel: User | None = None

    @property
    def case(self) -> Case:
        return self.cases[0]

    def context(self, user: User, agency: Agency | None = None, case: Case | None = None):
        access = audit_access_for(user, self.audit.slug)
        agency = agency or self.agency_a
        case = case or self.case
        return return_context(access, case.pk, agency.pk, user)

    def raise_escalation(
        self,
        *,
        from_b: bool = False,
        urgency: str = "practice",
        summary: str = "A statutory visit was overdue",
    ) -> Escalation:
        """An escalation raised by agency A's auditor to agency B, or the other way round."""
        by, raising, raised_to = (
            (self.auditor_b, self.agency_b, self.agency_a)
            if from_b
            else (self.auditor_a, self.agency_a, self.agency_b)
        )
        return escalation_raise(
            access=self.context(by, agency=raising).access,
            user=by,
            request=EscalationRequest(
                case=self.case,
                raised_to_agency=raised_to,
                raised_by_agency=raising,
                from_return=None,
                urgency=urgency,
                concern="Fictional concern",
                public_summary=summary,
            ),
        )


_counter = {"n": 0}


def build_tool(extra_questions: int = 0) -> ToolVersion:
    _counter["n"] += 1
    n = _counter["n"]
    scales = {scale.slug: scale for scale in GradingScale.objects.all()}
    tool = AuditTool.objects.create(name=f"Fictional tool {n}", slug=f"fictional-tool-{n}")
    version = ToolVersion.objects.create(tool=tool, number=1)
    first = ToolSection.objects.create(version=version, order=1, title="Involvement")
    second = ToolSection.objects.create(
        version=version, order=2, title="Practice", grading_scale=scales["ofsted-4"]
    )
    Question.objects.create(
        section=first, order=1, code="Q1.1", text="Summarise your involvement.", kind=K.TEXT
    )
    Question.objects.create(
        section=first, order=2, code="Q1.2", text="When did you first know the child?", kind=K.DATE
    )
    Question.objects.create(
        section=first,
        order=3,
        code="Q1.3",
        text="Which services did you give?",
        kind=K.MULTIPLE_CHOICE,
        choices=["Assessment", "Health care", "Other"],
    )
    Question.objects.create(
        section=second,
        order=1,
        code="Q2.1",
        text="Was a transfer document sent?",
        kind=K.COMPLIANCE,
        scale=scales["ynpna"],
        standard="CPPCR 2010 regs 9 and 13",
    )
    Question.objects.create(
        section=second,
        order=2,
        code="Q2.2",
        text="Who led the plan?",
        kind=K.SINGLE_CHOICE,
        choices=["Social worker", "Nurse", "Teacher"],
    )
    Question.objects.create(
        section=second, order=3, code="Q2.3", text="How many visits?", kind=K.NUMBER
    )
    Question.objects.create(
        section=second,
        order=4,
        code="Q2.4",
        text="Where are things on a scale of 0 to 10?",
        kind=K.GRADED,
        scale=scales["signs-of-safety"],
        requires_reason=True,
    )
    Question.objects.create(
        section=second,
        order=5,
        code="Q2.5",
        text="Were police incidents shared?",
        kind=K.COMPLIANCE,
        scale=scales["ynpna"],
        applies_to_sectors=[Sector.POLICE],
    )
    if extra_questions:
        third = ToolSection.objects.create(
            version=version, order=3, title="More practice", grading_scale=scales["ofsted-4"]
        )
        for index in range(extra_questions):
            Question.objects.create(
                section=third,
                order=index + 1,
                code=f"Q3.{index + 1}",
                text=f"Fictional compliance question {index + 1}?",
                kind=K.COMPLIANCE,
                scale=scales["ynpna"],
            )
    return version


def build_world(*, cases: int = 1, extra_questions: int = 0, agencies: int = 0) -> World:
    version = build_tool(extra_questions)
    scales = {scale.slug: scale for scale in GradingScale.objects.all()}
    audit = AuditFactory.create(
        status="returns_open",
        tool_version=version,
        overall_scale=scales["ofsted-4"],
        returns_due=dt.date(2026, 12, 4),
    )
    coordinator = person_with_role(Role.COORDINATOR, full_name="Fictional Coordinator")
    audit.coordinators.add(coordinator)
    agency_a = AgencyFactory.create(sector=Sector.HEALTH)
    agency_b = AgencyFactory.create(sector=Sector.POLICE)
    extra_agencies = [AgencyFactory.create() for _ in range(agencies)]
    for order, agency in enumerate([agency_a, agency_b, *extra_agencies]):
        AuditAgency.objects.create(audit=audit, agency=agency, order=order)
    case_list = []
    for _ in range(cases):
        case = CaseFactory.create(audit=audit)
        for agency in [agency_a, agency_b, *extra_agencies]:
            AgencyInvolvement.objects.create(
                case=case, agency=agency, status=AgencyInvolvement.Status.INVOLVED
            )
        case_list.append(case)
    return World(
        audit=audit,
        version=version,
        agency_a=agency_a,
        agency_b=agency_b,
        cases=case_list,
        coordinator=coordinator,
        auditor_a=person_with_role(
            Role.AGENCY_AUDITOR, agency=agency_a, full_name="Fictional Auditor A"
        ),
        lead_a=person_with_role(Role.AGENCY_LEAD, agency=agency_a, full_name="Fictional Lead A"),
        auditor_b=person_with_role(
            Role.AGENCY_AUDITOR, agency=agency_b, full_name="Fictional Auditor B"
        ),
        lead_b=person_with_role(Role.AGENCY_LEAD, agency=agency_b, full_name="Fictional Lead B"),
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def complete_post(context: ReturnContext, **overrides: Any) -> dict[str, Any]:
    """A full, valid set of answers for a return's form."""
    data: dict[str, Any] = {
        "revision": str(context.revision),
        "auditor_role": "Named nurse (fictional)",
        "period_reviewed": "1 December 2025 to 30 November 2026",
        "records_examined": "The health record.",
        "auditor_was_involved": "no",
        "good_practice": "Fictional good practice.",
        "areas_for_development": "Fictional area.",
        "recommendations": "Fictional recommendation.",
        "overall_grade": "good",
        "overall_reason": "Standards met.",
        "action": "save",
    }
    for section in context.structure.sections:
        for item in section.questions:
            key = item.key
            if item.kind == K.TEXT:
                data[key] = "Fictional involvement."
            elif item.kind == K.DATE:
                data.update({f"{key}-day": "3", f"{key}-month": "2", f"{key}-year": "2026"})
            elif item.kind == K.MULTIPLE_CHOICE:
                data[key] = [item.options[0].value, item.options[1].value]
            elif item.kind == K.NUMBER:
                data[key] = "4"
            elif item.kind == K.GRADED:
                data[key] = "7"
            else:
                data[key] = item.options[0].value
            if item.shows_evidence:
                data[f"{key}_evidence"] = f"Evidence for {item.code}."
            if item.needs_reason:
                data[f"{key}_reason"] = f"Reason for {item.code}."
        if section.is_graded:
            data[f"{section.key}_grade"] = "good"
            data[f"{section.key}_grade_reason"] = "Met, with evidence."
    data.update(overrides)
    return data


def return_url(world: World, agency: Agency | None = None, case: Case | None = None) -> str:
    from django.urls import reverse

    return reverse(
        "returns:return",
        args=[world.audit.slug, (case or world.case).pk, (agency or world.agency_a).pk],
    )


def part_url(world: World, part: str, agency: Agency | None = None) -> str:
    from django.urls import reverse

    args = [world.audit.slug, world.case.pk, (agency or world.agency_a).pk, part]
    return reverse("returns:part", args=args)


def all_url(world: World, agency: Agency | None = None) -> str:
    from django.urls import reverse

    args = [world.audit.slug, world.case.pk, (agency or world.agency_a).pk]
    return reverse("returns:return-all", args=args)
