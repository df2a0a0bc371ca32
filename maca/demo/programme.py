"""The demo's programme of audits about strategy meetings, known only by their figures.

EVERYTHING HERE IS INVENTED. A partnership moving its past audits in has their published
reports, not their children: "45 records, 43 met the standard", "14 young people: 9 boys and
5 girls". The 2016/17 record audit is such a past audit, known only by its figures. The 2017/18
programme had two parts, a tabletop audit and a record audit held from 15 to 19 January 2018;
the record audit's brief is the programme briefing, which covers all three audits and compares
them in a table. No audit here has a child's record.
"""

from __future__ import annotations

from dataclasses import dataclass

from maca.accounts.models import User
from maca.audits.models import Audit, AuditFigures, CohortBreakdown, CohortUnit, GradeCount
from maca.core.partial_dates import PartialDate
from maca.demo import data
from maca.demo.upsert import Tally, set_related, upsert
from maca.learning.models import Finding, Heading
from maca.reports import brief_templates as templates
from maca.reports.models import AuditBriefTemplate, AuditLink, BriefTemplateVersion

THEME = "Strategy meetings"
RECORDS_2016 = "strategy-meetings-2016-17"
TABLETOP_2017 = "strategy-meetings-tabletop-2017-18"
RECORDS_2017 = "strategy-meetings-2017-18"


@dataclass(frozen=True)
class Grade:
    label: str
    count: int
    merged_into: str = ""


@dataclass(frozen=True)
class PastAudit:
    slug: str
    title: str
    audit_date: PartialDate
    audit_date_until: PartialDate | None
    terms_of_reference: str
    figures: dict[str, object]
    breakdowns: tuple[tuple[str, str, int], ...]
    grades: tuple[Grade, ...]


AUDITS = (
    PastAudit(
        slug=RECORDS_2016,
        title="Record audit: strategy meetings (2016/17)",
        audit_date=PartialDate(2016, year_kind="financial"),
        audit_date_until=None,
        terms_of_reference="Whether strategy meetings were held within the statutory time and "
        "with police, health and social care present.",
        figures={
            "cohort_count": 45,
            "cohort_unit": CohortUnit.RECORDS,
            "cohort_description": "of strategy meetings",
            "grades_of": "the standard for strategy meetings",
            "grades_base": 45,
        },
        breakdowns=(),
        grades=(Grade("met the standard", 43), Grade("did not meet the standard", 2)),
    ),
    PastAudit(
        slug=TABLETOP_2017,
        title="Tabletop audit: strategy meetings for young people at risk of exploitation",
        audit_date=PartialDate(2017, 11),
        audit_date_until=None,
        terms_of_reference="A tabletop discussion of young people at risk of exploitation, "
        "with each agency's records to hand.",
        figures={
            "cohort_count": 14,
            "cohort_unit": CohortUnit.YOUNG_PEOPLE,
            "age_range": "14 to 17",
            "grades_of": "the quality of multi-agency practice",
            "grades_base": 14,
        },
        breakdowns=(("Gender", "boys", 9), ("Gender", "girls", 5)),
        grades=(
            Grade("outstanding", 2, "good or outstanding"),
            Grade("good", 6, "good or outstanding"),
            Grade("requires improvement", 5),
            Grade("inadequate", 1),
        ),
    ),
    PastAudit(
        slug=RECORDS_2017,
        title="Record audit: strategy meetings (2017/18)",
        audit_date=PartialDate(2018, 1, 15),
        audit_date_until=PartialDate(2018, 1, 19),
        terms_of_reference="The 2016/17 record audit again, one year on, as part of the "
        "2017/18 programme on strategy meetings.",
        figures={
            "cohort_count": 60,
            "cohort_unit": CohortUnit.REFERRALS,
            "cohort_description": "to the front door that led to a strategy meeting",
            "grades_of": "the standard for strategy meetings",
            "grades_base": 60,
        },
        breakdowns=(),
        grades=(Grade("met the standard", 51), Grade("did not meet the standard", 9)),
    ),
)

LINKS = (
    (TABLETOP_2017, AuditLink.Relationship.SAME_PROGRAMME, "The first part of the programme."),
    (RECORDS_2016, AuditLink.Relationship.REAUDIT, ""),
)
FINDING = (
    "Police attend nearly every strategy meeting",
    "Police attended 58 of the 60 strategy meetings, up from the 2016/17 audit.",
)


def load_programme(tally: Tally) -> Audit:
    """Create or refresh the three audits and the programme briefing; returns the record audit
    of 2017/18, whose brief covers the other two."""
    users = {user.email: user for user in User.objects.filter(email__endswith=data.EMAIL_DOMAIN)}
    coordinator = users[data.COORDINATOR]
    audits = {spec.slug: _load_audit(tally, spec, coordinator) for spec in AUDITS}
    lead = audits[RECORDS_2017]
    for order, (slug, relationship, note) in enumerate(LINKS, start=1):
        upsert(
            tally,
            AuditLink,
            lookup={"audit": lead, "other": audits[slug]},
            values={"relationship": relationship, "note": note, "order": order},
        )
    upsert(
        tally,
        Finding,
        lookup={"audit": lead, "heading": Heading.LEARNING, "order": 1},
        values={"title": FINDING[0], "text": FINDING[1], "include_in_brief": True},
    )
    # The past audits report to the board (its cohort and grades sections fit figures); the
    # programme's brief is the programme briefing.
    for audit in audits.values():
        _choose_template(audit, "programme-briefing" if audit == lead else "board-report")
    return lead


def _choose_template(audit: Audit, slug: str) -> None:
    """Once: a template chosen afterwards in the demo is left alone."""
    if AuditBriefTemplate.objects.filter(audit=audit).exists():
        return
    templates.shipped_templates_ensure()
    version = BriefTemplateVersion.objects.get(template__slug=slug, number=1)
    templates.audit_brief_template_choose(audit=audit, version=version)


def _load_audit(tally: Tally, spec: PastAudit, coordinator: User) -> Audit:
    audit = upsert(
        tally,
        Audit,
        lookup={"slug": spec.slug},
        values={
            "title": spec.title,
            "theme": THEME,
            "status": "closed",
            "audit_date": spec.audit_date,
            "audit_date_until": spec.audit_date_until,
            "terms_of_reference": spec.terms_of_reference,
        },
    )
    set_related(tally, audit, "coordinators", [coordinator])
    figures = upsert(tally, AuditFigures, lookup={"audit": audit}, values=dict(spec.figures))
    for order, (group, label, count) in enumerate(spec.breakdowns, start=1):
        upsert(
            tally,
            CohortBreakdown,
            lookup={"figures": figures, "order": order},
            values={"group": group, "label": label, "count": count},
        )
    for order, grade in enumerate(spec.grades, start=1):
        upsert(
            tally,
            GradeCount,
            lookup={"figures": figures, "order": order},
            values={"label": grade.label, "count": grade.count, "merged_into": grade.merged_into},
        )
    return audit
