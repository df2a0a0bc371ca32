"""The demo's earlier audit: "Children looked after placed out of area", March 2020.

EVERYTHING HERE IS INVENTED. The partnership first audited this theme in March 2020, when
SCR Georgia was published, with the same audit tool; the March 2022 audit is its re-audit
(`follow_up_of` points here), so the comparison, the trends and the action tracker show real
figures: themes that recur (exploitation, information sharing, health, placement stability),
one that did not (education stability), and actions closed with evidence of impact beside
some still open.

Why the 2022 audit is the follow-up rather than a new 2024 one: the 2022 brief itself says it
was "to check learning has been embedded from the SCR Georgia", which is what a re-audit
does, and a re-audit dated in the past can show real outcomes (actions verified, learning
points met more often); a 2024 audit would need invented returns for a future sample.

The children of 2020 have no identifiers: an audit closed this long ago has had them purged
under the retention rule, which is also what a partnership loading historic audits would have.
Answers follow the case facts (`maca.demo.returns.not_applicable_reason`) and otherwise a fixed
hash of child, agency and question, weaker than 2022 on the questions SCR Georgia is about; so
every load writes the same rows, and a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from maca.accounts.models import Agency, User
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    Case,
    Escalation,
    GradeLevel,
    LineOfEnquiry,
    Need,
    PanelGrade,
    PanelMembership,
    Question,
    ReturnStatus,
    SectionSummary,
    ToolSection,
    ToolVersion,
)
from maca.core.partial_dates import PartialDate
from maca.demo import data, returns
from maca.demo.data import CaseSpec, InvolvementSpec, at
from maca.demo.tool_cla_out_of_area import SECTIONS, K
from maca.demo.upsert import Tally, set_related, upsert
from maca.learning.models import Action, ActionUpdate, AuditReview, Finding, Review, Theme

SLUG = "cla-out-of-area-2020"
AUDIT_DAY = dt.date(2020, 3, 10)
AGENCIES = (
    "GPs",
    "Social Care",
    "Camhs",
    "Sirona",
    "Police",
    "Education",
    "YOT",
    "Preventative Services",
)

AUDIT = {
    "kind": "case_audit",
    "title": "Multi Agency Audit: Children Looked After Placed Out of Area (2020)",
    "theme": "Children looked after placed out of area",
    "status": "closed",
    "rationale": (
        "SCR Georgia was published in early 2020. Its learning about children placed away from "
        "home (exploitation screening, records following the child, the child's voice, safety "
        "plans) prompted a first multi-agency audit of children looked after and placed out of "
        "area, as a baseline for a re-audit."
    ),
    "aim": (
        "To establish how well agencies work together for children looked after and placed out "
        "of area, and to set a baseline against which the learning from SCR Georgia can be "
        "checked."
    ),
    "terms_of_reference": (
        "Review the records of eight children looked after and placed out of area over the 12 "
        "months before the audit; each agency that knew a child audits its own records with "
        "the audit tool; a multi-agency panel moderates the returns on 10 March 2020."
    ),
    "cohort_definition": "Children looked after by the local authority and placed out of area",
    "lookback_months": 12,
    "lawful_basis": (
        "Children Act 2004 s16H: information requested by the safeguarding partners for their "
        "functions."
    ),
    "audit_date": PartialDate(2020, 3, 10),
    "returns_due": dt.date(2020, 2, 28),
    "panel_date": dt.date(2020, 3, 10),
    "reaudit_due": PartialDate(2022, 3),
    "published_on": dt.date(2020, 4, 30),
    "sample_method": "purposive",
    "sample_frame_size": 131,
    "sample_seed": "",
    "sample_notes": "Eight children chosen to cover ages, placement types and needs. (Demo data.)",
    "census_date": dt.date(2020, 1, 31),
    # Closed in 2021; its children's identifiers were purged a year later, as retention asks.
    "closed_at": dt.datetime(2021, 6, 30, 12, 0, tzinfo=dt.UTC),
    "identifiers_purged_at": dt.datetime(2022, 7, 1, 2, 30, tzinfo=dt.UTC),
}

LINES_OF_ENQUIRY = (
    "Do the host area's agencies know about each child placed there, and get what they need?",
    "Are exploitation risks screened and kept under review when children go missing or move?",
    "Are health assessments requested and done on time?",
    "Is the child's voice heard, and does it shape the plan?",
)


def _inv(agencies: tuple[str, ...], since: str) -> dict[str, InvolvementSpec]:
    day = dt.date.fromisoformat(since)
    return {agency: InvolvementSpec(day, "Involved in the period reviewed.") for agency in agencies}


def _case(
    letter: str,
    age_years: int,
    gender: str,
    needs: tuple[str, ...],
    involved: tuple[str, ...],
    *,
    moves: int,
    missing: int,
    placement: str = "U4",
    distance: str | None = "20.0",
    area: str = "Severnvale Council",
    facts: dict[str, object] | None = None,
    scale: int = 5,
    uasc: bool = False,
) -> CaseSpec:
    return CaseSpec(
        pseudonym=f"Child {letter}",
        code_name=f"2020-{letter}",
        age_weeks=age_years * 52 + 10,
        gender=gender,
        needs=needs,
        legal_status="C2",
        placement_type=placement,
        placement_provider="PR4",
        distance_miles=distance,
        placement_area=area,
        moves_12m=moves,
        missing_12m=missing,
        facts={"looked_after_months": 18, **(facts or {})},
        involved=_inv(involved, "2018-09-03"),
        scale=scale,
        is_uasc=uasc,
    )


CORE = ("Social Care", "GPs", "Sirona")
CASES: tuple[CaseSpec, ...] = (
    _case("A", 2, "Male", ("neglect", "domestic-abuse"), (*CORE, "Police"), moves=1, missing=0),
    _case(
        "B",
        6,
        "Female",
        ("neglect", "emotional-abuse"),
        (*CORE, "Education"),
        moves=0,
        missing=0,
        scale=7,
    ),
    _case(
        "C",
        14,
        "Male",
        ("missing-episodes", "exploitation-risk", "criminal-behaviour"),
        (*CORE, "Police", "Education", "YOT", "Camhs"),
        moves=3,
        missing=6,
        placement="K2",
        distance="64.0",
        area="Kennet Valley Council",
        facts={"safety_plan": True},
        scale=3,
    ),
    _case(
        "D",
        15,
        "Female",
        ("self-harm", "mental-health", "exploitation-risk"),
        (*CORE, "Education", "Camhs"),
        moves=2,
        missing=1,
        facts={"safety_plan": True},
        scale=4,
    ),
    _case(
        "E",
        9,
        "Male",
        ("domestic-abuse", "parental-mental-health"),
        (*CORE, "Education", "Preventative Services"),
        moves=1,
        missing=0,
        scale=6,
    ),
    _case(
        "F",
        16,
        "Male",
        ("seeking-asylum", "mental-health"),
        (*CORE, "Education", "Police"),
        moves=1,
        missing=0,
        placement="U6",
        distance=None,
        area="Northgate City Council",
        facts={"needs_interpreter": True},
        scale=5,
        uasc=True,
    ),
    _case(
        "G",
        12,
        "Female",
        ("sexual-abuse", "self-harm"),
        (*CORE, "Education", "Camhs", "Police"),
        moves=2,
        missing=2,
        facts={"safety_plan": True},
        scale=4,
    ),
    _case(
        "H",
        4,
        "Female",
        ("neglect", "substance-misuse"),
        (*CORE, "Preventative Services"),
        moves=1,
        missing=0,
        scale=7,
    ),
)

# Questions where 2020 practice was weak: the learning SCR Georgia was about, and the worries
# the 2020 panel found. Elsewhere most answers are met.
WEAK = frozenset({"Q2.3", "Q3.4", "Q5.4", "Q6.1", "Q6.3", "Q10.1", "Q10.2", "Q10.4"})

# Where an agency's account carries a finding, as in the 2022 data.
ANSWERS: dict[tuple[str, str, str], tuple[str, str]] = {
    ("Child C", "Social Care", "Q2.3"): ("no", "EIT not updated after six missing episodes."),
    ("Child C", "Social Care", "Q10.1"): ("no", "Screening not repeated after missing episodes."),
    ("Child C", "Police", "Q10.1"): ("partial", "Police screened; no multi-agency EIT update."),
    ("Child C", "Social Care", "Q6.3"): ("no", "No transfer document for two of three moves."),
    ("Child C", "Social Care", "Q10.2"): ("no", "No transfer document on the last two moves."),
    ("Child D", "Social Care", "Q5.4"): ("no", "Safety plan not shared with the school."),
    ("Child D", "Education", "Q10.4"): ("no", "The school did not have the safety plan."),
    ("Child G", "Social Care", "Q6.1"): ("no", "Host authority told three weeks after the move."),
    ("Child E", "Social Care", "Q3.4"): ("no", "Health assessment requested after six weeks."),
    ("Child E", "Sirona", "Q3.4"): ("no", "Request received 30 working days after placement."),
    ("Child B", "Education", "Q4.1"): ("yes", "Her own words recorded at every PEP meeting."),
}

PANEL_GRADES: dict[str, tuple[str, str]] = {
    "Child A": ("good", "Settled placement; agencies knew their part."),
    "Child B": ("good", "Her voice shaped the plan; school stability kept."),
    "Child C": ("inadequate", "Exploitation risks not screened again as they grew."),
    "Child D": ("requires-improvement", "Safety plan not shared with the school."),
    "Child E": ("requires-improvement", "Health assessment requested late."),
    "Child F": ("requires-improvement", "Interpreter used late; host area told late."),
    "Child G": ("requires-improvement", "Host authority not notified in time."),
    "Child H": ("good", "Timely, joined-up planning for a young child."),
}

THEMES_2020 = {"education-stability": "Education stability"}


@dataclass(frozen=True)
class EarlierFinding:
    heading: str
    text: str
    title: str = ""
    needs_to_happen: str = ""
    taken_forward_by: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    learning_points: tuple[int, ...] = ()


FINDINGS: tuple[EarlierFinding, ...] = (
    EarlierFinding(
        "worry",
        "Exploitation screening not repeated after children went missing",
        cases=("Child C",),
        agencies=("Social Care", "Police"),
        themes=("exploitation",),
        learning_points=(1,),
    ),
    EarlierFinding(
        "worry",
        "Transfer documents not sent when children moved placement",
        cases=("Child C",),
        agencies=("Social Care",),
        themes=("placement-stability", "information-sharing"),
        learning_points=(2,),
    ),
    EarlierFinding(
        "worry",
        "Host authorities not always notified of placements in time",
        cases=("Child G",),
        agencies=("Social Care",),
        themes=("information-sharing",),
    ),
    EarlierFinding(
        "worry",
        "Health assessments requested late",
        cases=("Child E",),
        agencies=("Social Care", "Sirona"),
        themes=("health",),
    ),
    EarlierFinding(
        "good_practice",
        "Schools and foster carers worked together so children kept their school after a move",
        cases=("Child B",),
        agencies=("Education",),
        themes=("education-stability",),
    ),
    EarlierFinding(
        "good_practice",
        "Children's wishes and feelings recorded in their own words at reviews",
        cases=("Child B",),
        agencies=("Education", "Social Care"),
        learning_points=(3,),
    ),
    EarlierFinding(
        "learning",
        "When a child goes missing or moves, exploitation screening was not repeated, so "
        "growing risks were not seen.",
        title="Exploitation screening when children go missing",
        needs_to_happen="Update the EIT after every missing episode and placement move.",
        taken_forward_by=("Social Care", "Police"),
        cases=("Child C",),
        themes=("exploitation",),
        learning_points=(1,),
    ),
    EarlierFinding(
        "learning",
        "Host authorities, GPs and schools were not always told when a child moved into their "
        "area, and records did not follow the child.",
        title="Records and notifications follow the child",
        needs_to_happen="Notify the host authority before the placement begins and send a "
        "transfer document with every move.",
        taken_forward_by=("Social Care", "Education"),
        cases=("Child C", "Child G"),
        themes=("information-sharing", "placement-stability"),
        learning_points=(2,),
    ),
)


@dataclass(frozen=True)
class EarlierAction:
    description: str
    owners: tuple[str, ...]
    lead_name: str
    due: PartialDate
    measure_of_success: str
    status: str
    finding: int  # index into FINDINGS
    done_on: PartialDate | None = None
    evidence_of_impact: str = ""
    verified_at: dt.datetime | None = None


ACTIONS: tuple[EarlierAction, ...] = (
    EarlierAction(
        "Notify the host authority before every out-of-area placement begins, with a checklist "
        "in the placement process",
        ("Social Care",),
        "Service manager, children in care",
        PartialDate(2020, 9),
        "Host authority notified before the placement began in at least 9 of 10 dip-sampled "
        "placements",
        "verified",
        7,
        done_on=PartialDate(2020, 8),
        evidence_of_impact="Dip sample of 20 placements in January 2021: the host authority "
        "was notified before the placement began in 19.",
        verified_at=at("2021-02-15", "11:00"),
    ),
    EarlierAction(
        "Add a prompt to the missing-episode workflow to update the EIT after every missing "
        "episode and placement move",
        ("Social Care", "Police"),
        "Exploitation lead, children's social care",
        PartialDate(2020, 12),
        "EIT updated within five working days of a missing episode",
        "verified",
        6,
        done_on=PartialDate(2020, 11),
        evidence_of_impact="Exploitation panel audit, March 2021: EIT updated within five "
        "working days after 17 of 20 missing episodes.",
        verified_at=at("2021-04-12", "10:00"),
    ),
    EarlierAction(
        "Agree a five-working-day standard for health assessment requests between the looked "
        "after health team and social care",
        ("Sirona", "Social Care"),
        "Named nurse for children looked after",
        PartialDate(2020, 10),
        "Health assessment requests received within five working days",
        "done",
        3,
        done_on=PartialDate(2021, 1),
    ),
    EarlierAction(
        "Send a transfer document with every placement move, copied to the school and the GP",
        ("Social Care", "Education"),
        "Head of the Virtual School",
        PartialDate(2021, 3),
        "A transfer document on file for every move in a dip sample",
        "in_progress",
        7,
    ),
    EarlierAction(
        "Track school moves for children placed out of area in the Virtual School's weekly meeting",
        ("Education",),
        "Head of the Virtual School",
        PartialDate(2020, 12),
        "No child placed out of area without a school place for more than 20 school days",
        "verified",
        4,
        done_on=PartialDate(2020, 11),
        evidence_of_impact="Virtual School data for 2020/21: every child placed out of area "
        "had a school place within 20 school days.",
        verified_at=at("2021-07-20", "15:00"),
    ),
)


# --- Loading --------------------------------------------------------------------------------


def load_earlier_audit(tally: Tally, *, later: Audit) -> Audit:
    """Create or refresh the 2020 audit and make `later` (the 2022 audit) its follow-up."""
    agencies = {
        agency.short_name: agency for agency in Agency.objects.filter(short_name__in=AGENCIES)
    }
    users = {user.email: user for user in User.objects.filter(email__endswith=data.EMAIL_DOMAIN)}
    coordinator = users[data.COORDINATOR]
    version = later.tool_version
    assert version is not None
    levels = {
        (level.scale.slug, level.code): level
        for level in GradeLevel.objects.select_related("scale")
    }

    audit = upsert(
        tally,
        Audit,
        lookup={"slug": SLUG},
        values={**AUDIT, "tool_version": version, "overall_scale": later.overall_scale},
    )
    for order, text in enumerate(LINES_OF_ENQUIRY, start=1):
        upsert(tally, LineOfEnquiry, lookup={"audit": audit, "order": order}, values={"text": text})
    for order, name in enumerate(AGENCIES, start=1):
        upsert(
            tally,
            AuditAgency,
            lookup={"audit": audit, "agency": agencies[name]},
            values={"order": order},
        )
    set_related(tally, audit, "coordinators", [coordinator])
    upsert(
        tally,
        PanelMembership,
        lookup={"audit": audit, "user": users[data.PANEL_CHAIR]},
        values={"is_chair": True},
    )
    review = Review.objects.get(short_name=data.SCR_GEORGIA.short_name)
    upsert(
        tally,
        AuditReview,
        lookup={"audit": audit, "review": review},
        values={
            "relationship": AuditReview.Relationship.PROMPTED_BY,
            "order": 1,
            "note": "Published shortly before this audit; section 10 of the tool records where "
            "practice stood on each of its learning points, as a baseline.",
        },
    )

    cases = _load_cases(tally, audit, agencies)
    agency_returns = _load_returns(tally, audit, version, cases, agencies, users, levels)
    _load_moderation(tally, cases, users, levels)
    escalation = _load_escalation(tally, audit, cases, agency_returns, agencies, users)
    findings = _load_findings(tally, audit, cases, agencies, review, escalation)
    _load_actions(tally, audit, agencies, findings, users)

    upsert(tally, Audit, lookup={"pk": later.pk}, values={"follow_up_of": audit})
    return audit


def _load_cases(tally: Tally, audit: Audit, agencies: dict[str, Agency]) -> dict[str, Case]:
    needs = {need.code: need for need in Need.objects.all()}
    cases = {}
    for spec in CASES:
        case = upsert(
            tally,
            Case,
            lookup={"audit": audit, "pseudonym": spec.pseudonym},
            values={
                "order": spec.order,
                "age_weeks": spec.age_weeks,
                "gender": spec.gender,
                "legal_status": spec.legal_status,
                "placement_type": spec.placement_type,
                "placement_provider": spec.placement_provider,
                "placed_out_of_area": True,
                "placement_distance_miles": Decimal(spec.distance_miles)
                if spec.distance_miles
                else None,
                "placement_area": spec.placement_area,
                "placement_moves_12m": spec.moves_12m,
                "missing_episodes_12m": spec.missing_12m,
                "is_uasc": spec.is_uasc,
                "facts": spec.facts,
            },
        )
        set_related(tally, case, "needs", [needs[code] for code in spec.needs if code in needs])
        for name in AGENCIES:
            involved = name in spec.involved
            upsert(
                tally,
                AgencyInvolvement,
                lookup={"case": case, "agency": agencies[name]},
                values={
                    "status": "involved" if involved else "not_involved",
                    "note": "Involved in the period reviewed." if involved else "No record.",
                    "recorded_at": at("2020-02-03", "09:00"),
                },
            )
        cases[spec.pseudonym] = case
    return cases


def _score(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16) % 100


def _compliance_code(spec: CaseSpec, agency: str, code: str) -> tuple[str, str, str]:
    """(level code, evidence, reason) for a compliance question."""
    override = ANSWERS.get((spec.pseudonym, agency, code))
    if override:
        return override[0], override[1], ""
    reason = returns.not_applicable_reason(spec, agency, code)
    if reason:
        return "na", "", reason
    score = _score(SLUG, spec.pseudonym, agency, code)
    if code in WEAK:
        # Whether the practice was there for this child, which the agencies mostly agree on;
        # where it was not, the agency holding the case says so most plainly.
        child = _score(SLUG, spec.pseudonym, code)
        if child < 50:
            return ("yes", _yes(code), "") if score < 92 else _PARTIAL
        if child < 75:
            return _PARTIAL if agency == "Social Care" or score < 40 else ("yes", _yes(code), "")
        return _NOT_MET if agency == "Social Care" or score < 30 else _PARTIAL
    if score < 85:
        return "yes", _yes(code), ""
    return _PARTIAL if score < 93 else _NOT_MET


_PARTIAL = ("partial", "Done, but late or not for every placement.", "")
_NOT_MET = ("no", "Not evident in the records.", "")


def _yes(code: str) -> str:
    return returns.YES_EVIDENCE.get(code, "Evident in the records.")


def _answer_values(
    spec: CaseSpec, agency: str, questions: list[Question]
) -> dict[str, returns.AnswerValue]:
    values = {}
    for question in questions:
        if question.kind == K.TEXT:
            values[question.code] = returns.AnswerValue(text="Involvement and key events recorded.")
        elif question.kind == K.DATE:
            values[question.code] = returns.AnswerValue(is_date=True)
        elif question.kind == K.MULTIPLE_CHOICE:
            values[question.code] = returns.AnswerValue(
                choices=tuple(returns.SERVICES_BY_AGENCY.get(agency, ["Other"]))
            )
        elif question.kind == K.GRADED:
            values[question.code] = returns.AnswerValue(code=str(spec.scale))
        else:
            code, evidence, reason = _compliance_code(spec, agency, question.code)
            values[question.code] = returns.AnswerValue(code=code, evidence=evidence, reason=reason)
    return values


def _load_returns(
    tally: Tally,
    audit: Audit,
    version: ToolVersion,
    cases: dict[str, Case],
    agencies: dict[str, Agency],
    users: dict[str, User],
    levels: dict[tuple[str, str], GradeLevel],
) -> dict[tuple[str, str], AgencyReturn]:
    questions = list(
        Question.objects.filter(section__version=version)
        .select_related("scale")
        .prefetch_related("applies_to_agencies")
        .order_by("section__order", "order")
    )
    by_code = {question.code: question for question in questions}
    sections = {section.order: section for section in ToolSection.objects.filter(version=version)}
    existing_answers = {
        (row.agency_return_id, row.question_id): row
        for row in Answer.objects.filter(agency_return__case__audit=audit)
    }
    existing_summaries = {
        (row.agency_return_id, row.section_id): row
        for row in SectionSummary.objects.filter(agency_return__case__audit=audit)
    }
    new_answers: list[Answer] = []
    new_summaries: list[SectionSummary] = []
    result = {}
    for agency_index, name in enumerate(AGENCIES):
        agency = agencies[name]
        applicable = [question for question in questions if question.applies_to(agency)]
        for spec in CASES:
            if name not in spec.involved:
                continue
            answers = _answer_values(spec, name, applicable)
            section_results = {
                order: returns.section_result(section_spec, answers)
                for order, section_spec in enumerate(SECTIONS, start=1)
                if section_spec.graded
            }
            grades = [r.grade for r in section_results.values() if r.grade]
            worst = max(grades, key=returns.GRADE_ORDER.index, default="good")
            submitted = at(f"2020-02-{10 + agency_index:02d}", f"{9 + spec.order % 8:02d}:30")
            agency_return = upsert(
                tally,
                AgencyReturn,
                lookup={"case": cases[spec.pseudonym], "agency": agency},
                values={
                    "status": ReturnStatus.ACCEPTED,
                    "due_date": AUDIT["returns_due"],
                    "auditor": users[data.auditor_email(name)],
                    "auditor_role": users[data.auditor_email(name)].job_title,
                    "period_reviewed": "10 March 2019 to 10 March 2020",
                    "records_examined": "The agency's records for the period reviewed.",
                    "overall_grade": levels[("ofsted-4", worst)],
                    "overall_reason": "Standards met, with evidence."
                    if worst == "good"
                    else "Standards not met in one or more sections.",
                    "submitted_at": submitted,
                    "signed_off_by": users[data.lead_email(name)],
                    "signed_off_at": submitted + dt.timedelta(days=1),
                    "reviewed_by": users[data.COORDINATOR],
                    "reviewed_at": at("2020-03-02", "14:00"),
                },
            )
            result[(spec.pseudonym, name)] = agency_return
            for code, value in answers.items():
                question = by_code[code]
                values = {
                    "grade": levels[(question.scale.slug, value.code)] if question.scale else None,
                    "choices": list(value.choices),
                    "date_value": spec.involved[name].since if value.is_date else None,
                    "text_value": value.text,
                    "evidence": value.evidence,
                    "reason": value.reason,
                }
                current = existing_answers.get((agency_return.pk, question.pk))
                if current is None:
                    new_answers.append(
                        Answer(agency_return=agency_return, question=question, **values)
                    )
                else:
                    upsert(
                        tally,
                        Answer,
                        lookup={"agency_return": agency_return, "question": question},
                        existing=current,
                        values=values,
                    )
            for order, section_result in section_results.items():
                values = {
                    "grade": levels[("ofsted-4", section_result.grade)]
                    if section_result.grade
                    else None,
                    "grade_reason": section_result.grade_reason,
                    "areas_for_development": section_result.areas_for_development,
                }
                current_summary = existing_summaries.get((agency_return.pk, sections[order].pk))
                if current_summary is None:
                    new_summaries.append(
                        SectionSummary(
                            agency_return=agency_return, section=sections[order], **values
                        )
                    )
                else:
                    upsert(
                        tally,
                        SectionSummary,
                        lookup={"agency_return": agency_return, "section": sections[order]},
                        existing=current_summary,
                        values=values,
                    )
    # Written in bulk the first time: a first load stays quick.
    Answer.objects.bulk_create(new_answers)
    SectionSummary.objects.bulk_create(new_summaries)
    if new_answers:
        tally.created[Answer._meta.label] += len(new_answers)
    if new_summaries:
        tally.created[SectionSummary._meta.label] += len(new_summaries)
    return result


def _load_moderation(
    tally: Tally,
    cases: dict[str, Case],
    users: dict[str, User],
    levels: dict[tuple[str, str], GradeLevel],
) -> None:
    for pseudonym, (grade, reason) in PANEL_GRADES.items():
        upsert(
            tally,
            PanelGrade,
            lookup={"case": cases[pseudonym], "section": None},
            values={
                "grade": levels[("ofsted-4", grade)],
                "reason": reason,
                "recorded_by": users[data.PANEL_CHAIR],
            },
        )


def _load_escalation(
    tally: Tally,
    audit: Audit,
    cases: dict[str, Case],
    agency_returns: dict[tuple[str, str], AgencyReturn],
    agencies: dict[str, Agency],
    users: dict[str, User],
) -> Escalation:
    return upsert(
        tally,
        Escalation,
        lookup={"audit": audit, "case": cases["Child C"], "raised_by_agency": agencies["Police"]},
        values={
            "from_return": agency_returns[("Child C", "Police")],
            "raised_by": users[data.auditor_email("Police")],
            "raised_to_agency": agencies["Social Care"],
            "raised_at": at("2020-02-12", "15:10"),
            "urgency": Escalation.Urgency.IMMEDIATE,
            "status": Escalation.Status.RESOLVED,
            "concern": "Missing six times in the period with links to older males; no updated "
            "exploitation screening or strategy discussion.",
            "public_summary": "A child at risk of exploitation had no up-to-date screening; "
            "this was escalated to children's social care during the audit.",
            "acknowledge_by": at("2020-02-13", "15:10"),
            "acknowledged_at": at("2020-02-12", "17:00"),
            "acknowledged_by": users[data.lead_email("Social Care")],
            "action_taken": "Strategy discussion held; EIT updated; case taken to the "
            "exploitation panel.",
            "outcome": "Risk managed through the exploitation panel.",
            "public_outcome": "A strategy discussion was held and the child's plan is now "
            "reviewed through the multi-agency exploitation process.",
            "resolved_at": at("2020-03-06", "12:00"),
        },
    )


def _load_findings(
    tally: Tally,
    audit: Audit,
    cases: dict[str, Case],
    agencies: dict[str, Agency],
    review: Review,
    escalation: Escalation,
) -> list[Finding]:
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for slug, name in THEMES_2020.items():
        themes[slug] = upsert(tally, Theme, lookup={"slug": slug}, values={"name": name})
    points = {point.order: point for point in review.learning_points.all()}
    orders: dict[str, int] = {}
    findings = []
    for spec in FINDINGS:
        orders[spec.heading] = orders.get(spec.heading, 0) + 1
        finding = upsert(
            tally,
            Finding,
            lookup={"audit": audit, "heading": spec.heading, "order": orders[spec.heading]},
            values={
                "title": spec.title,
                "text": spec.text,
                "needs_to_happen": spec.needs_to_happen,
                "include_in_brief": True,
            },
        )
        set_related(
            tally, finding, "taken_forward_by", [agencies[a] for a in spec.taken_forward_by]
        )
        set_related(tally, finding, "cases", [cases[c] for c in spec.cases])
        set_related(tally, finding, "agencies", [agencies[a] for a in spec.agencies])
        set_related(tally, finding, "themes", [themes[t] for t in spec.themes if t in themes])
        set_related(tally, finding, "learning_points", [points[p] for p in spec.learning_points])
        escalations = (
            [escalation] if spec.themes == ("exploitation",) and spec.heading == "worry" else []
        )
        set_related(tally, finding, "escalations", escalations)
        findings.append(finding)
    return findings


def _load_actions(
    tally: Tally,
    audit: Audit,
    agencies: dict[str, Agency],
    findings: list[Finding],
    users: dict[str, User],
) -> None:
    coordinator = users[data.COORDINATOR]
    for order, spec in enumerate(ACTIONS, start=1):
        action = upsert(
            tally,
            Action,
            lookup={"audit": audit, "order": order},
            values={
                "description": spec.description,
                "lead_name": spec.lead_name,
                "due": spec.due,
                "measure_of_success": spec.measure_of_success,
                "status": spec.status,
                "done_on": spec.done_on,
                "evidence_of_impact": spec.evidence_of_impact,
                "verified_by": coordinator if spec.verified_at else None,
                "verified_at": spec.verified_at,
                "include_in_brief": True,
            },
        )
        set_related(tally, action, "owners", [agencies[a] for a in spec.owners])
        set_related(tally, action, "findings", [findings[spec.finding]])
        updates = [
            (
                at("2020-04-30", "10:00"),
                "Agreed at the partnership's QA subgroup.",
                "proposed",
                "agreed",
            )
        ]
        if spec.status in {"in_progress", "done", "verified"}:
            updates.append((at("2020-06-01", "10:00"), "Work started.", "agreed", "in_progress"))
        if spec.done_on is not None:
            done_day = spec.done_on.earliest()
            updates.append((at(done_day.isoformat(), "16:00"), "Done.", "in_progress", "done"))
        if spec.verified_at is not None:
            updates.append(
                (
                    spec.verified_at,
                    f"Verified. Evidence of impact: {spec.evidence_of_impact}",
                    "done",
                    "verified",
                )
            )
        for when, text, before, after in updates:
            upsert(
                tally,
                ActionUpdate,
                lookup={"action": action, "at": when},
                values={
                    "by": coordinator,
                    "text": text,
                    "status_before": before,
                    "status_after": after,
                },
            )
