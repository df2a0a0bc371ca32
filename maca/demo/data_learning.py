"""The fictional audit's escalations, findings, actions and resources.

The findings keep the real 2022 brief's words (only "A asylum" is corrected to "An asylum");
everything else (which fictional child a finding came from, the escalations' detail, the
actions' leads, dates and updates, the example.org links) is invented for the demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from maca.core.partial_dates import PartialDate
from maca.demo.data import COORDINATOR, at, auditor_email, lead_email

# --- Themes used to tag findings ------------------------------------------------------------

THEMES: dict[str, str] = {
    "domestic-abuse": "Domestic abuse",
    "exploitation": "Exploitation",
    "health": "Health",
    "placement-stability": "Placement stability",
    "asylum-seeking-children": "Asylum-seeking children",
    "information-sharing": "Information sharing",
    "criminalisation": "Criminalisation",
}

# --- Escalations made during the audit ------------------------------------------------------


@dataclass(frozen=True)
class EscalationSpec:
    key: str
    case: str
    raised_by_agency: str
    raised_to_agency: str
    raised_at: dt.datetime
    urgency: str
    concern: str
    public_summary: str
    acknowledge_by: dt.datetime
    acknowledged_at: dt.datetime
    action_taken: str
    outcome: str
    public_outcome: str
    resolved_at: dt.datetime
    disagreement_policy_used: bool = False


ESCALATIONS: tuple[EscalationSpec, ...] = (
    EscalationSpec(
        key="risks-not-managed",
        case="Child F",
        raised_by_agency="Police",
        raised_to_agency="Social Care",
        raised_at=at("2022-02-10", "14:40"),
        urgency="immediate",
        concern=(
            "Child F has gone missing seven times in 12 months and police intelligence links "
            "him to older males suspected of criminal exploitation. The EIT has not been "
            "updated since June 2021, the safety plan predates the November move, and there "
            "is no recorded management oversight after the October missing episodes."
        ),
        public_summary=(
            "Risks to one child were not being managed effectively; this was escalated to "
            "children's social care during the audit."
        ),
        acknowledge_by=at("2022-02-11", "14:40"),
        acknowledged_at=at("2022-02-10", "16:15"),
        action_taken=(
            "Strategy discussion held the next day with Police, YOT, Education and the looked "
            "after health team; EIT updated; safety plan revised and shared with the school "
            "and the children's home; case taken to the exploitation panel."
        ),
        outcome="Risk now managed through the multi-agency exploitation process.",
        public_outcome=(
            "A strategy discussion was held, the exploitation screening and safety plan were "
            "updated, and the child's plan is now reviewed through the multi-agency "
            "exploitation process."
        ),
        resolved_at=at("2022-03-08", "16:00"),
        disagreement_policy_used=True,
    ),
    EscalationSpec(
        key="uasc-adult",
        case="Child H",
        raised_by_agency="Sirona",
        raised_to_agency="Social Care",
        raised_at=at("2022-02-14", "11:00"),
        urgency="practice",
        concern=(
            "Child H told professionals on arrival that he was 16 but was identified as an "
            "adult and placed in adult accommodation for three weeks before a Merton-compliant "
            "age assessment found him to be a child."
        ),
        public_summary=(
            "An asylum-seeking child was at first identified as an adult and placed with "
            "adults; this was raised with children's social care."
        ),
        acknowledge_by=at("2022-02-16", "11:00"),
        acknowledged_at=at("2022-02-15", "09:30"),
        action_taken=(
            "Case reviewed by the service manager for unaccompanied children; practice "
            "reminder issued that a young person who says they are a child is treated as one "
            "until a Merton-compliant age assessment says otherwise."
        ),
        outcome="Age accepted; looked after and placed with foster carers; learning shared "
        "with the unaccompanied children's team.",
        public_outcome=(
            "The child is looked after and placed with foster carers, and the team was "
            "reminded that a young person who says they are a child is treated as one until "
            "an age assessment says otherwise."
        ),
        resolved_at=at("2022-03-01", "15:00"),
    ),
    EscalationSpec(
        key="missing-records",
        case="Child G",
        raised_by_agency="GPs",
        raised_to_agency="Social Care",
        raised_at=at("2022-02-16", "10:20"),
        urgency="statutory_overdue",
        concern=(
            "The GP record for Child G holds no notification of the placement and no copy of "
            "the initial health assessment; records from the previous practice have not "
            "arrived."
        ),
        public_summary=(
            "Records missing from a child's health file were escalated to children's social "
            "care during the audit."
        ),
        acknowledge_by=at("2022-02-18", "10:20"),
        acknowledged_at=at("2022-02-17", "09:05"),
        action_taken=(
            "Social worker sent the placement notification and the health assessment to the "
            "GP and asked the previous practice to transfer the records."
        ),
        outcome="Records received and added to the GP record.",
        public_outcome=(
            "The notification and health assessment were sent and the earlier records "
            "transferred before the panel met."
        ),
        resolved_at=at("2022-03-02", "12:00"),
    ),
)

# --- Findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingSpec:
    key: str
    heading: str
    text: str
    title: str = ""
    needs_to_happen: str = ""
    taken_forward_by: tuple[str, ...] = ()
    attribution: str = ""
    cases: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    escalations: tuple[str, ...] = ()
    learning_points: tuple[int, ...] = ()  # orders of SCR Georgia learning points


def _worry(key: str, text: str, **links: Any) -> FindingSpec:
    return FindingSpec(key, "worry", text, **links)


def _good(key: str, text: str, **links: Any) -> FindingSpec:
    return FindingSpec(key, "good_practice", text, **links)


WORRIES: tuple[FindingSpec, ...] = (
    _worry(
        "worry-placement-moves",
        "Frequent placement moves, placement breakdowns",
        cases=("Child D", "Child F"),
        agencies=("Social Care", "Education"),
        themes=("placement-stability",),
    ),
    _worry(
        "worry-transfer-document",
        "No transfer document evidenced",
        cases=("Child D",),
        agencies=("Social Care", "Education"),
        themes=("information-sharing", "placement-stability"),
        learning_points=(2,),
    ),
    _worry(
        "worry-missing-records",
        "Missing records – that have been escalated",
        cases=("Child G",),
        agencies=("GPs", "Social Care"),
        themes=("information-sharing", "health"),
        escalations=("missing-records",),
        learning_points=(2,),
    ),
    _worry(
        "worry-uasc-adult",
        "An asylum seeking child identified as an adult and placed with adults initially",
        cases=("Child H",),
        agencies=("Social Care", "Police", "Sirona"),
        themes=("asylum-seeking-children",),
        escalations=("uasc-adult",),
    ),
    _worry(
        "worry-eit",
        "Exploitation tool not updated",
        cases=("Child F",),
        agencies=("Social Care",),
        themes=("exploitation",),
        learning_points=(1,),
    ),
    _worry(
        "worry-safety-plan",
        "Safety plan not shared with school – which would have helped mitigate risk",
        cases=("Child E",),
        agencies=("Social Care", "Education", "Camhs"),
        themes=("information-sharing",),
        learning_points=(4,),
    ),
    _worry(
        "worry-health-assessment",
        "Delay in request for a health assessment",
        cases=("Child B",),
        agencies=("Social Care", "Sirona"),
        themes=("health",),
    ),
    _worry(
        "worry-risks",
        "Risks not being managed effectively for one child – this has already been escalated",
        cases=("Child F",),
        agencies=("Social Care", "Police"),
        themes=("exploitation",),
        escalations=("risks-not-managed",),
        learning_points=(1,),
    ),
)

GOOD_PRACTICE: tuple[FindingSpec, ...] = (
    _good(
        "good-communication",
        "Good communication between agencies",
        cases=("Child A", "Child C"),
        agencies=("Social Care", "NBT", "Sirona", "Education"),
        themes=("information-sharing",),
    ),
    _good(
        "good-voice",
        "Voice of the child captured in records",
        cases=("Child C", "Child E"),
        agencies=("Social Care", "Camhs"),
        learning_points=(3,),
    ),
    _good(
        "good-right-placement",
        "Identified the right placement to meet needs for the child",
        cases=("Child C",),
        agencies=("Social Care",),
        themes=("placement-stability",),
    ),
    _good(
        "good-siblings",
        "Placement found to keep siblings together",
        cases=("Child C",),
        agencies=("Social Care",),
        themes=("placement-stability",),
    ),
    _good(
        "good-health-timing",
        "Consideration of timing of health assessment so that child could be more settled "
        "before undertaking it",
        cases=("Child G",),
        agencies=("Sirona", "Social Care"),
        themes=("health",),
    ),
    _good(
        "good-interpreter",
        "Interpreter used to hear wishes and feelings of the child",
        cases=("Child H",),
        agencies=("Social Care", "Sirona"),
        themes=("asylum-seeking-children",),
        learning_points=(3,),
    ),
    _good(
        "good-prompt-health",
        "Prompt notification for a health assessment and referrals to appropriate services",
        cases=("Child A",),
        agencies=("Social Care", "NBT"),
        themes=("health",),
    ),
    _good(
        "good-identity",
        "Young person has asked to be identified as 'she/her' and appropriate support is in place.",
        attribution="school, foster carer",
        cases=("Child I",),
        agencies=("Education", "Social Care"),
    ),
    _good(
        "good-mentoring",
        "Provision of mentoring by school",
        cases=("Child E",),
        agencies=("Education",),
    ),
    _good(
        "good-meetings",
        "Effective multi agency meetings evident",
        cases=("Child C", "Child I"),
        agencies=("Social Care", "Camhs", "Education"),
    ),
    _good(
        "good-ehe",
        "Good practice from Elective Home Education Team: the team shared what it knew of a "
        "child's education before care straight away, so a school place was ready when he "
        "came into care.",
        attribution="Elective Home Education Team",
        cases=("Child G",),
        agencies=("Education",),
    ),
)

LEARNING: tuple[FindingSpec, ...] = (
    FindingSpec(
        "learning-domestic-abuse",
        "learning",
        title="Domestic abuse while children are in care",
        text=(
            "Issue identified that police do not notify Children's Social Care about Domestic "
            "Abuse incidents when the child is not there. This means there is no record for "
            "social care about incidents happening once the child is in care.\n\n"
            "This can also happen should a birth parent present for health care or in hospital."
        ),
        needs_to_happen=(
            "It is important to close this loop – so that records are still shared. Police "
            "agreed to add a flag to records to ensure incidents are still shared."
        ),
        taken_forward_by=("Police",),
        cases=("Child A", "Child B", "Child I"),
        agencies=("Police", "Social Care", "NBT"),
        themes=("domestic-abuse", "information-sharing"),
    ),
    FindingSpec(
        "learning-uasc-gps",
        "learning",
        title="Asylum seeking children information shared with GPs",
        text=(
            "Out of area GP is not always aware of the asylum seeking children and the amount "
            "of trauma they have experienced, even though they do get a copy of the health "
            "assessment."
        ),
        needs_to_happen=(
            "BNSSG will take this forward and identify how this information sharing can be improved"
        ),
        taken_forward_by=("BNSSG",),
        cases=("Child H",),
        agencies=("GPs", "Sirona"),
        themes=("asylum-seeking-children", "health", "information-sharing"),
    ),
    FindingSpec(
        "learning-criminal-behaviour",
        "learning",
        title="Children looked after and criminal behaviour",
        text=(
            "Some children had been arrested or reported to the police for behaviour in their "
            "care setting that would not have led to police involvement had they been living "
            "with their family."
        ),
        needs_to_happen=(
            "New draft local protocol in place - 'Reducing criminalisation of CLA and Care "
            "Leavers' this is led by corporate parenting and with input from Police/ YOT and "
            "wider corporate parenting partners. This will ensure that all partners are "
            "working together to ensure CLA are not criminalised for behaviour within their "
            "care setting and more diversionary/ restorative justice approaches are "
            "considered."
        ),
        taken_forward_by=("Social Care", "Police", "YOT"),
        cases=("Child D", "Child F"),
        agencies=("Police", "YOT", "Social Care"),
        themes=("criminalisation",),
    ),
)

FINDINGS: tuple[FindingSpec, ...] = WORRIES + GOOD_PRACTICE + LEARNING

# --- Actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateSpec:
    at: dt.datetime
    by: str  # email
    text: str
    status_before: str
    status_after: str


@dataclass(frozen=True)
class ActionSpec:
    description: str
    owners: tuple[str, ...]
    lead_name: str
    lead: str | None  # email of the lead's maca account, if they have one
    due: PartialDate
    measure_of_success: str
    status: str
    findings: tuple[str, ...]
    updates: tuple[UpdateSpec, ...]
    done_on: PartialDate | None = None
    evidence_of_impact: str = ""
    verified_at: dt.datetime | None = None


_COORD = COORDINATOR
_POLICE_LEAD = lead_email("Police")
_SC_LEAD = lead_email("Social Care")

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        description=(
            "Add a flag to police records so that domestic abuse incidents involving the birth "
            "family of a child in care are shared with Children's Social Care, even when the "
            "child is not there."
        ),
        owners=("Police",),
        lead_name="Robin Ashdown, Detective inspector, public protection",
        lead=_POLICE_LEAD,
        due=PartialDate(2022, 6),
        measure_of_success=(
            "Every domestic abuse incident at the address of a looked-after child's birth "
            "parent reaches Children's Social Care within one working day; checked by a dip "
            "sample in September 2022."
        ),
        status="verified",
        done_on=PartialDate(2022, 5, 16),
        evidence_of_impact=(
            "Dip sample of 20 incidents in September 2022: all 20 were shared with Children's "
            "Social Care, 7 of them where the child was not present."
        ),
        verified_at=at("2022-09-30", "15:00"),
        findings=("learning-domestic-abuse",),
        updates=(
            UpdateSpec(
                at("2022-03-08", "16:30"),
                _COORD,
                "Agreed at the audit panel.",
                "proposed",
                "agreed",
            ),
            UpdateSpec(
                at("2022-04-12"),
                _POLICE_LEAD,
                "Flag designed with the records team.",
                "agreed",
                "in_progress",
            ),
            UpdateSpec(
                at("2022-05-16"),
                _POLICE_LEAD,
                "Flag live on the records system; briefing sent to officers.",
                "in_progress",
                "done",
            ),
            UpdateSpec(
                at("2022-09-30", "15:00"),
                _COORD,
                "Dip sample accepted as evidence of impact.",
                "done",
                "verified",
            ),
        ),
    ),
    ActionSpec(
        description=(
            "Identify how information about asylum-seeking children, including the trauma they "
            "have experienced, can be shared with out-of-area GPs beyond a copy of the health "
            "assessment."
        ),
        owners=("BNSSG",),
        lead_name="Designated nurse for children looked after, BNSSG",
        lead=None,
        due=PartialDate(2022, 12),
        measure_of_success=(
            "The out-of-area GP of every asylum-seeking child holds a summary of what the child "
            "has been through; checked at the re-audit."
        ),
        status="in_progress",
        findings=("learning-uasc-gps",),
        updates=(
            UpdateSpec(
                at("2022-03-08", "16:30"),
                _COORD,
                "Agreed at the audit panel.",
                "proposed",
                "agreed",
            ),
            UpdateSpec(
                at("2022-06-20"),
                _COORD,
                "Task and finish group formed with the looked after health team and "
                "GP safeguarding leads.",
                "agreed",
                "in_progress",
            ),
        ),
    ),
    ActionSpec(
        description=(
            "Finalise and launch the local protocol 'Reducing criminalisation of CLA and Care "
            "Leavers', led by corporate parenting with Police, YOT and wider corporate "
            "parenting partners."
        ),
        owners=("Social Care", "Police", "YOT"),
        lead_name="Jamie Rowntree, Service manager, children in care",
        lead=_SC_LEAD,
        due=PartialDate(2022, 9),
        measure_of_success=(
            "Fewer police call-outs to children's homes for behaviour in the care setting, and "
            "a diversionary or restorative response recorded for each; reported quarterly to "
            "the QA subgroup."
        ),
        status="in_progress",
        findings=("learning-criminal-behaviour",),
        updates=(
            UpdateSpec(
                at("2022-03-08", "16:30"),
                _COORD,
                "Draft protocol in place; agreed at the audit panel.",
                "proposed",
                "agreed",
            ),
            UpdateSpec(
                at("2022-05-10"),
                _SC_LEAD,
                "Draft out for consultation with partners.",
                "agreed",
                "in_progress",
            ),
        ),
    ),
    ActionSpec(
        description=(
            "When there is a strategy discussion for a looked after child, the looked after "
            "health team are now included."
        ),
        owners=("Social Care", "Sirona"),
        lead_name="Jamie Rowntree, Service manager, children in care",
        lead=_SC_LEAD,
        due=PartialDate(2022, 3),
        measure_of_success=(
            "The looked after health team is invited to every strategy discussion for a "
            "looked-after child."
        ),
        status="done",
        done_on=PartialDate(2022, 3),
        findings=("worry-risks", "worry-health-assessment"),
        updates=(
            UpdateSpec(
                at("2022-03-01"),
                _SC_LEAD,
                "In place before the brief was published: the invitation list for "
                "strategy discussions now includes the looked after health team.",
                "proposed",
                "done",
            ),
        ),
    ),
    ActionSpec(
        description=(
            "Remind practitioners that if there is a risk of exploitation an EIT should be "
            "completed, and updated after every missing episode and placement move; promote "
            "the Exploitation Bitesize Learning sessions."
        ),
        owners=("Social Care",),
        lead_name="Harper Lowden, Practice quality lead",
        lead=auditor_email("Social Care"),
        due=PartialDate(2022, 4),
        measure_of_success=(
            "At the re-audit, every child with exploitation indicators has an EIT updated since "
            "their last missing episode or move."
        ),
        status="done",
        done_on=PartialDate(2022, 4, 22),
        findings=("worry-eit", "worry-risks"),
        updates=(
            UpdateSpec(
                at("2022-03-08", "16:30"),
                _COORD,
                "Agreed at the audit panel.",
                "proposed",
                "agreed",
            ),
            UpdateSpec(
                at("2022-04-22"),
                _SC_LEAD,
                "Reminder in the practice bulletin; two bitesize sessions held.",
                "agreed",
                "done",
            ),
        ),
    ),
    ActionSpec(
        description=(
            "Send a transfer document with the child on every placement move (records, health "
            "plan, PEP, safety plan) to the new carers, GP and school, and record it on file."
        ),
        owners=("Social Care",),
        lead_name="Jamie Rowntree, Service manager, children in care",
        lead=_SC_LEAD,
        due=PartialDate(2022, 7),
        measure_of_success="A transfer document is on file for every move checked at the re-audit.",
        status="agreed",
        findings=("worry-transfer-document", "worry-missing-records"),
        updates=(
            UpdateSpec(
                at("2022-03-08", "16:30"),
                _COORD,
                "Agreed at the audit panel.",
                "proposed",
                "agreed",
            ),
        ),
    ),
)

# --- Resources: each link line of the brief (demo links) ------------------------------------

RESOURCES: tuple[tuple[str, str, str, str], ...] = (
    # (title, kind, url, description)
    (
        "Thinking Allowed Service information for professionals",
        "service",
        "https://example.org/demo/thinking-allowed",
        "",
    ),
    (
        "Processes for children at risk of exploitation",
        "process",
        "https://example.org/demo/exploitation-processes",
        "",
    ),
    (
        "Exploitation Identification Tool (EIT)",
        "tool",
        "https://example.org/demo/eit",
        "If there is a risk of exploitation an EIT should be completed",
    ),
    (
        "Exploitation Bitesize Learning sessions",
        "training",
        "https://example.org/demo/exploitation-bitesize",
        "",
    ),
    (
        "Off the Record service information",
        "service",
        "https://example.org/demo/off-the-record",
        "",
    ),
    (
        "SCR Georgia learning brief",
        "review",
        "https://example.org/demo/scr-georgia-learning-brief",
        "",
    ),
)
