"""The demo's audit in progress: "Children missing from care 2026", returns open.

EVERYTHING HERE IS INVENTED: the four children, their placements and every concern. The audit
uses the demo's agencies, people and audit tool, and shows returns work at every stage:
returns accepted, signed off, submitted, in draft, sent back with a comment, and late (in
draft or not started), one agency with a later due date, and escalations raised,
acknowledged, overdue for acknowledgement, actioned and resolved.

Dates are counted from the day the demo is first loaded, so on that day some returns are late
and one escalation is overdue while another is still within its deadline. The day is read
back from the audit's due date on every later load, so a second load changes nothing, and as
the days pass the demo ages the way a real audit would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

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
    PanelMembership,
    Question,
    ReturnStatus,
    SectionSummary,
    ToolSection,
)
from maca.demo import data, returns
from maca.demo.data import CaseSpec, InvolvementSpec
from maca.demo.tool_cla_out_of_area import SECTIONS
from maca.demo.upsert import Tally, set_related, upsert
from maca.returns.deadlines import acknowledge_by, working_days_after, working_days_before

SLUG = "missing-from-care-2026"
TITLE = "Children missing from care 2026"
AGENCIES = ("Social Care", "Police", "Sirona", "Education", "Camhs", "Preventative Services")
LATER_DUE_AGENCY = "Education"  # asked later, so its returns are not yet due
# The audit's returns fell due this many working days before the day the demo was first loaded.
DUE_BEFORE_FIRST_LOAD = 2

AUDIT = {
    "kind": "case_audit",
    "title": TITLE,
    "theme": "Children looked after who go missing from care",
    "status": "returns_open",
    "rationale": (
        "Missing episodes rose in the year, and the 2022 audit found return home interviews "
        "and exploitation screening were not always done. (Demo data: invented.)"
    ),
    "aim": (
        "To find out whether agencies recognise and respond to the risks to children who go "
        "missing from care, and share what they know in time."
    ),
    "terms_of_reference": (
        "Four children looked after who went missing at least twice in the last 12 months. "
        "Each agency that knew a child audits its own records with the audit tool. Live "
        "risks are escalated at once."
    ),
    "cohort_definition": "Children looked after who went missing from care twice or more",
    "lookback_months": 12,
    "lawful_basis": (
        "Children Act 2004 s16H: information requested by the safeguarding partners for their "
        "functions."
    ),
    "sample_method": "purposive",
    "sample_frame_size": 38,
    "sample_notes": "Four children chosen to cover ages 11 to 16 and both sexes (demo data).",
}

LINES_OF_ENQUIRY = (
    "Is a return home interview offered within 72 hours after every missing episode?",
    "Is exploitation screening done and updated after missing episodes?",
    "Do police, social care and schools share missing reports the same day?",
)


def _inv(day: str, note: str) -> InvolvementSpec:
    return InvolvementSpec(dt.date.fromisoformat(day), note)


@dataclass(frozen=True)
class Plan:
    """Where one agency's return for one child has got to."""

    status: str  # a ReturnStatus, or "" for involved but not started
    immediate_concern: bool = False
    review_comment: str = ""


NIL = "nil"  # not involved: a nil return
UNKNOWN = "unknown"  # whether the agency knew the child is not known yet

CASES: tuple[tuple[CaseSpec, dict[str, Plan | str]], ...] = (
    (
        CaseSpec(
            "Child P",
            "Papa",
            age_weeks=15 * 52 + 20,
            gender="Male",
            needs=("missing-episodes", "exploitation-risk", "criminal-behaviour"),
            legal_status="C2",
            placement_type="K2",
            placement_provider="PR4",
            distance_miles="41.0",
            placement_area="Kennet Valley Council",
            moves_12m=2,
            missing_12m=6,
            facts={"looked_after_months": 30, "safety_plan": True},
            involved={
                "Social Care": _inv("2023-05-02", "Looked after; two placements in the year."),
                "Police": _inv("2025-01-10", "Six missing reports; exploitation intelligence."),
                "Sirona": _inv("2023-06-01", "Review health assessments."),
                "Education": _inv("2023-05-02", "Alternative provision; Virtual School."),
            },
            scale=3,
        ),
        {
            "Social Care": Plan(ReturnStatus.ACCEPTED),
            "Police": Plan(ReturnStatus.SIGNED_OFF),
            "Sirona": Plan(ReturnStatus.SUBMITTED),
            "Education": Plan(ReturnStatus.DRAFT),
            "Camhs": NIL,
            "Preventative Services": UNKNOWN,
        },
    ),
    (
        CaseSpec(
            "Child Q",
            "Quebec",
            age_weeks=13 * 52 + 8,
            gender="Female",
            needs=("missing-episodes", "neglect"),
            legal_status="C2",
            placement_type="U4",
            placement_provider="PR4",
            distance_miles="19.5",
            placement_area="Severnvale Council",
            moves_12m=1,
            missing_12m=3,
            facts={"looked_after_months": 18},
            involved={
                "Social Care": _inv("2024-11-04", "Looked after; foster placement."),
                "Police": _inv("2025-03-02", "Three missing reports."),
                "Sirona": _inv("2024-12-02", "Review health assessment."),
                "Education": _inv("2024-11-04", "Secondary school, year 8."),
                "Camhs": _inv("2025-06-16", "Assessment after a referral by the school."),
            },
            scale=5,
        ),
        {
            "Social Care": Plan(
                ReturnStatus.SENT_BACK,
                review_comment="Q7.4: give the dates of the return home interviews, or say "
                "why none was offered after the second and third episodes.",
            ),
            "Police": Plan(ReturnStatus.ACCEPTED),
            "Sirona": Plan(ReturnStatus.DRAFT),
            "Education": Plan(ReturnStatus.SUBMITTED),
            "Camhs": Plan(""),
            "Preventative Services": NIL,
        },
    ),
    (
        CaseSpec(
            "Child R",
            "Romeo",
            age_weeks=16 * 52 + 30,
            gender="Female",
            needs=("missing-episodes", "exploitation-risk", "substance-misuse"),
            legal_status="C2",
            placement_type="K2",
            placement_provider="PR5",
            distance_miles="63.2",
            placement_area="Forest Marches Council",
            moves_12m=3,
            missing_12m=9,
            facts={"looked_after_months": 26, "safety_plan": True, "placed_at_a_distance": True},
            involved={
                "Social Care": _inv("2024-08-19", "Looked after; three placements in the year."),
                "Police": _inv("2024-10-01", "Nine missing reports; seen with unknown adults."),
                "Camhs": _inv("2025-02-10", "Substance misuse and trauma work."),
                "Education": _inv("2024-09-02", "College place; Virtual School."),
                "Preventative Services": _inv("2025-04-07", "Mentoring."),
            },
            scale=2,
        ),
        {
            "Social Care": Plan(ReturnStatus.SUBMITTED),
            "Police": Plan(ReturnStatus.DRAFT, immediate_concern=True),
            "Camhs": Plan(ReturnStatus.ACCEPTED),
            "Education": Plan(""),
            "Sirona": NIL,
            "Preventative Services": Plan(ReturnStatus.SIGNED_OFF),
        },
    ),
    (
        CaseSpec(
            "Child S",
            "Sierra",
            age_weeks=11 * 52 + 30,
            gender="Male",
            needs=("missing-episodes", "domestic-abuse"),
            legal_status="C1",
            placement_type="U4",
            placement_provider="PR4",
            distance_miles="27.4",
            placement_area="Mendip Vale Council",
            moves_12m=1,
            missing_12m=2,
            facts={"looked_after_months": 9},
            involved={
                "Social Care": _inv("2025-09-01", "Looked after under an interim care order."),
                "Police": _inv("2025-07-12", "Domestic abuse at home; two missing reports."),
                "Sirona": _inv("2025-09-15", "Initial health assessment."),
                "Education": _inv("2025-09-01", "Primary school, year 6."),
                "Preventative Services": _inv("2025-03-03", "Family support before care."),
            },
            scale=6,
        ),
        {
            "Social Care": Plan(ReturnStatus.SIGNED_OFF),
            "Police": Plan(ReturnStatus.SUBMITTED),
            "Sirona": Plan(ReturnStatus.ACCEPTED),
            "Preventative Services": Plan(ReturnStatus.DRAFT),
            "Education": Plan(ReturnStatus.DRAFT),
            "Camhs": NIL,
        },
    ),
)

# Sections a draft has reached: the first three of the tool.
DRAFT_SECTIONS = 3


@dataclass(frozen=True)
class EscalationSpec:
    case: str
    raised_by: str
    raised_to: str
    urgency: str
    status: str
    raised_days_ago: int  # working days before the first load
    concern: str
    public_summary: str
    action_taken: str = ""
    outcome: str = ""
    public_outcome: str = ""
    withdrawal_reason: str = ""


ESCALATIONS = (
    EscalationSpec(
        "Child P",
        "Police",
        "Social Care",
        Escalation.Urgency.STATUTORY_OVERDUE,
        Escalation.Status.RESOLVED,
        12,
        "No return home interview was offered after the last four missing episodes; the "
        "record shows no reason.",
        "Return home interviews were not offered after several missing episodes",
        action_taken="Independent return home interview arranged; missing coordinator now "
        "checks every report daily.",
        outcome="Interview held; the young person named the address he goes to, which was "
        "passed to the police exploitation team.",
        public_outcome="An interview was held within days and the information shared with "
        "the police",
    ),
    EscalationSpec(
        "Child R",
        "Camhs",
        "Social Care",
        Escalation.Urgency.PRACTICE,
        Escalation.Status.ACTIONED,
        8,
        "The safety plan has not been updated since the move to the current placement and "
        "the carers do not have it.",
        "A safety plan was not updated or shared after a placement move",
        action_taken="Safety plan reviewed with the carers, the college and Camhs.",
    ),
    EscalationSpec(
        "Child Q",
        "Social Care",
        "Police",
        Escalation.Urgency.PRACTICE,
        Escalation.Status.ACKNOWLEDGED,
        4,
        "Missing reports reached social care two to four days after each episode.",
        "Missing reports reached social care days late",
    ),
    EscalationSpec(
        "Child R",
        "Police",
        "Social Care",
        Escalation.Urgency.IMMEDIATE,
        Escalation.Status.RAISED,
        3,
        "Seen twice this week with unknown adults in a car; no strategy discussion has been "
        "held since the exploitation screening was updated.",
        "A child at risk of exploitation had no strategy discussion after new intelligence",
    ),
    EscalationSpec(
        "Child S",
        "Social Care",
        "Education",
        Escalation.Urgency.PRACTICE,
        Escalation.Status.RAISED,
        0,
        "The school was not told of the second missing episode and marked the absence as illness.",
        "A school was not told about a missing episode",
    ),
    EscalationSpec(
        "Child S",
        "Social Care",
        "Camhs",
        Escalation.Urgency.PRACTICE,
        Escalation.Status.WITHDRAWN,
        5,
        "No Camhs appointment appears on the record since the referral in the spring.",
        "A referral to mental health services was not followed up",
        withdrawal_reason="Raised in error: the appointments are in the health record, which "
        "the auditor had not seen.",
    ),
)


def first_load_day(existing: Audit | None) -> dt.date:
    """The day the demo was first loaded: read back from the audit, or today."""
    if existing is not None and existing.returns_due is not None:
        return working_days_after(existing.returns_due, DUE_BEFORE_FIRST_LOAD)
    today = timezone.localdate()
    while today.weekday() >= 5:  # count from a working day, so "due 2 working days ago" holds
        today -= dt.timedelta(days=1)
    return today


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def load_current_audit(tally: Tally, *, tool_from: Audit) -> Audit:
    """Create or refresh the audit in progress, with the tool and scale of `tool_from`."""
    day0 = first_load_day(Audit.objects.filter(slug=SLUG).first())
    due = working_days_before(day0, DUE_BEFORE_FIRST_LOAD)
    agencies = {a.short_name: a for a in Agency.objects.filter(short_name__in=AGENCIES)}
    users = {user.email: user for user in User.objects.filter(email__endswith=data.EMAIL_DOMAIN)}
    levels = {
        (level.scale.slug, level.code): level
        for level in GradeLevel.objects.select_related("scale")
    }
    audit = upsert(
        tally,
        Audit,
        lookup={"slug": SLUG},
        values={
            **AUDIT,
            "tool_version": tool_from.tool_version,
            "overall_scale": tool_from.overall_scale,
            "returns_due": due,
            "panel_date": working_days_after(day0, 15),
            "census_date": working_days_before(day0, 40),
        },
    )
    for order, text in enumerate(LINES_OF_ENQUIRY, start=1):
        upsert(tally, LineOfEnquiry, lookup={"audit": audit, "order": order}, values={"text": text})
    for order, name in enumerate(AGENCIES, start=1):
        later = working_days_after(day0, 8) if name == LATER_DUE_AGENCY else None
        upsert(
            tally,
            AuditAgency,
            lookup={"audit": audit, "agency": agencies[name]},
            values={"order": order, "returns_due": later},
        )
    set_related(tally, audit, "coordinators", [users[data.COORDINATOR]])
    upsert(
        tally,
        PanelMembership,
        lookup={"audit": audit, "user": users[data.PANEL_CHAIR]},
        values={"is_chair": True},
    )
    loader = _Loader(tally, audit, agencies, users, levels, day0)
    loader.cases_and_returns()
    loader.escalations()
    return audit


class _Loader:
    def __init__(
        self,
        tally: Tally,
        audit: Audit,
        agencies: dict[str, Agency],
        users: dict[str, User],
        levels: dict[tuple[str, str], GradeLevel],
        day0: dt.date,
    ) -> None:
        self.tally = tally
        self.audit = audit
        self.agencies = agencies
        self.users = users
        self.levels = levels
        self.day0 = day0
        self.cases: dict[str, Case] = {}
        self.returns: dict[tuple[str, str], AgencyReturn] = {}
        version = audit.tool_version
        self.questions = {
            q.code: q
            for q in Question.objects.filter(section__version=version)
            .select_related("scale")
            .prefetch_related("applies_to_agencies")
        }
        self.sections = {s.order: s for s in ToolSection.objects.filter(version=version)}

    # --- Children and returns ------------------------------------------------------------

    def cases_and_returns(self) -> None:
        needs = {need.code: need for need in Need.objects.all()}
        coordinator = self.users[data.COORDINATOR]
        for order, (spec, plans) in enumerate(CASES, start=1):
            case = upsert(
                self.tally,
                Case,
                lookup={"audit": self.audit, "pseudonym": spec.pseudonym},
                values={
                    "order": order,
                    "age_weeks": spec.age_weeks,
                    "gender": spec.gender,
                    "legal_status": spec.legal_status,
                    "placement_type": spec.placement_type,
                    "placement_provider": spec.placement_provider,
                    "placed_out_of_area": True,
                    "placement_distance_miles": Decimal(spec.distance_miles or "0"),
                    "placement_area": spec.placement_area,
                    "placement_moves_12m": spec.moves_12m,
                    "missing_episodes_12m": spec.missing_12m,
                    "is_uasc": spec.is_uasc,
                    "facts": spec.facts,
                },
            )
            set_related(self.tally, case, "needs", [needs[c] for c in spec.needs if c in needs])
            self.cases[spec.pseudonym] = case
            for name, plan in plans.items():
                status = {
                    NIL: AgencyInvolvement.Status.NOT_INVOLVED,
                    UNKNOWN: AgencyInvolvement.Status.NOT_KNOWN,
                }.get(plan if isinstance(plan, str) else "", AgencyInvolvement.Status.INVOLVED)
                note = spec.involved[name].note if name in spec.involved else ""
                upsert(
                    self.tally,
                    AgencyInvolvement,
                    lookup={"case": case, "agency": self.agencies[name]},
                    values={
                        "status": status,
                        "note": note or ("No record of the child." if plan == NIL else ""),
                        "recorded_by": coordinator,
                        "recorded_at": _moment(working_days_before(self.day0, 25), 9),
                    },
                )
                if isinstance(plan, Plan) and plan.status:
                    self._return(spec, case, name, plan)

    def _return(self, spec: CaseSpec, case: Case, name: str, plan: Plan) -> None:
        agency = self.agencies[name]
        complete = plan.status != ReturnStatus.DRAFT
        answers = {
            question.code: returns.answer_for(spec, name, question)
            for order, section in enumerate(SECTIONS, start=1)
            if complete or order <= DRAFT_SECTIONS
            for question in section.questions
            if question.code in self.questions and self.questions[question.code].applies_to(agency)
        }
        results = {
            order: returns.section_result(section, answers)
            for order, section in enumerate(SECTIONS, start=1)
            if section.graded and (complete or order <= DRAFT_SECTIONS)
        }
        graded = returns.return_result(spec, name, results)
        auditor = self.users[data.auditor_email(name)]
        lead = self.users[data.lead_email(name)]
        coordinator = self.users[data.COORDINATOR]
        saved = _moment(working_days_before(self.day0, 6 + case.order % 3), 10 + case.order)
        submitted = saved if complete else None
        signed = plan.status in {ReturnStatus.SIGNED_OFF, ReturnStatus.ACCEPTED}
        reviewed = plan.status in {ReturnStatus.ACCEPTED, ReturnStatus.SENT_BACK}
        later = _moment(working_days_before(self.day0, 3), 14)
        values = {
            "status": plan.status,
            "due_date": None,
            "auditor": auditor,
            "auditor_role": auditor.job_title,
            "period_reviewed": "The 12 months before the audit",
            "records_examined": "The agency's case record for the child.",
            "auditor_was_involved": False,
            "good_practice": graded.good_practice if complete else "",
            "areas_for_development": graded.areas_for_development if complete else "",
            "recommendations": graded.recommendations if complete else "",
            "overall_grade": self.levels[("ofsted-4", graded.grade)] if complete else None,
            "overall_reason": graded.reason if complete else "",
            "immediate_concern": plan.immediate_concern,
            "submitted_at": submitted,
            "signed_off_by": lead if signed else None,
            "signed_off_at": saved + dt.timedelta(days=1) if signed else None,
            "reviewed_by": coordinator if reviewed else None,
            "reviewed_at": later if reviewed else None,
            "review_comment": plan.review_comment,
            "last_saved_by": auditor,
            "last_saved_at": saved,
        }
        agency_return = upsert(
            self.tally,
            AgencyReturn,
            lookup={"case": case, "agency": agency},
            values=values,
        )
        self.returns[(spec.pseudonym, name)] = agency_return
        for code, value in answers.items():
            question = self.questions[code]
            upsert(
                self.tally,
                Answer,
                lookup={"agency_return": agency_return, "question": question},
                values={
                    "grade": self.levels[(question.scale.slug, value.code)]
                    if question.scale and value.code
                    else None,
                    "choices": list(value.choices),
                    "date_value": spec.involved[name].since if value.is_date else None,
                    "number_value": None,
                    "text_value": value.text,
                    "evidence": value.evidence,
                    "reason": value.reason,
                },
            )
        for order, result in results.items():
            upsert(
                self.tally,
                SectionSummary,
                lookup={"agency_return": agency_return, "section": self.sections[order]},
                values={
                    "grade": self.levels[("ofsted-4", result.grade)] if result.grade else None,
                    "grade_reason": result.grade_reason,
                    "areas_for_development": result.areas_for_development,
                    "good_practice": "",
                    "recommendations": "",
                },
            )

    # --- Escalations -----------------------------------------------------------------------

    def escalations(self) -> None:
        for spec in ESCALATIONS:
            if spec.raised_days_ago:
                raised_at = _moment(working_days_before(self.day0, spec.raised_days_ago), 11)
            else:
                # The newest was raised late on the working day before the first load, not
                # "today", which may not have come yet when the demo is loaded early.
                raised_at = _moment(working_days_before(self.day0, 1), 16, 30)
            status = spec.status
            acknowledged = status not in {Escalation.Status.RAISED, Escalation.Status.WITHDRAWN}
            withdrawn = status == Escalation.Status.WITHDRAWN
            step = dt.timedelta(hours=20)
            lead = self.users[data.lead_email(spec.raised_to)]
            coordinator = self.users[data.COORDINATOR]
            actioned = status in {Escalation.Status.ACTIONED, Escalation.Status.RESOLVED}
            resolved = status == Escalation.Status.RESOLVED
            upsert(
                self.tally,
                Escalation,
                lookup={
                    "audit": self.audit,
                    "case": self.cases[spec.case],
                    "raised_by_agency": self.agencies[spec.raised_by],
                    "raised_to_agency": self.agencies[spec.raised_to],
                },
                values={
                    "from_return": self.returns.get((spec.case, spec.raised_by)),
                    "raised_by": self.users[data.auditor_email(spec.raised_by)],
                    "raised_at": raised_at,
                    "urgency": spec.urgency,
                    "status": status,
                    "concern": spec.concern,
                    "public_summary": spec.public_summary,
                    "acknowledge_by": acknowledge_by(raised_at, spec.urgency),
                    "acknowledged_at": raised_at + step if acknowledged else None,
                    "acknowledged_by": lead if acknowledged else None,
                    "acknowledgement_note": "Received; the team manager is looking into it."
                    if acknowledged
                    else "",
                    "action_taken": spec.action_taken,
                    "actioned_at": raised_at + 2 * step if actioned else None,
                    "actioned_by": lead if actioned else None,
                    "outcome": spec.outcome,
                    "public_outcome": spec.public_outcome,
                    "resolved_at": raised_at + 4 * step if resolved else None,
                    "resolved_by": coordinator if resolved else None,
                    "withdrawn_at": raised_at + step if withdrawn else None,
                    "withdrawn_by": self.users[data.auditor_email(spec.raised_by)]
                    if withdrawn
                    else None,
                    "withdrawal_reason": spec.withdrawal_reason,
                    "disagreement_policy_used": False,
                },
            )
