"""The fictional agencies' returns: the answers that carry the brief's findings.

EVERYTHING HERE IS INVENTED (see `maca.demo.data`). Most answers follow from the case facts
(`maca.demo.returns` works them out); the entries below are the ones that differ, and each
is where a finding of the brief came from, so the returns and the brief agree.
"""

from __future__ import annotations

from dataclasses import dataclass

# (pseudonym, agency short name, question code) -> (answer code on the question's scale,
# evidence). Compliance codes: yes / no / partial / na.
ANSWERS: dict[tuple[str, str, str], tuple[str, str]] = {
    # Child A: prompt health notification; domestic abuse after removal not shared.
    ("Child A", "Social Care", "Q3.4"): (
        "yes",
        "Health assessment requested the day after the placement began, with referrals to "
        "the looked after health team and health visiting.",
    ),
    ("Child A", "NBT", "Q3.5"): (
        "yes",
        "Newborn examination and initial health assessment by an NBT paediatrician within 20 "
        "working days.",
    ),
    ("Child A", "NBT", "Q6.5"): (
        "no",
        "The birth mother attended the emergency department after an assault by her partner; "
        "children's social care was not told because the baby was no longer in her care.",
    ),
    ("Child A", "Police", "Q6.5"): (
        "no",
        "Two domestic abuse incidents at the birth parents' address after the baby was placed; "
        "no notification to children's social care as no child was present.",
    ),
    ("Child A", "Social Care", "Q6.5"): (
        "no",
        "No record of the incidents after placement; social care learned of them at the audit.",
    ),
    # Child B: the health assessment request was late; DA incident not shared.
    ("Child B", "Social Care", "Q3.4"): (
        "no",
        "Health assessment request sent five weeks after the child became looked after; the "
        "form waited for a parent's consent.",
    ),
    ("Child B", "Sirona", "Q3.4"): (
        "no",
        "Request received 25 working days after the child came into care.",
    ),
    ("Child B", "Sirona", "Q3.5"): (
        "partial",
        "Initial health assessment done 9 working days after the request, but outside 20 "
        "working days of becoming looked after.",
    ),
    ("Child B", "Social Care", "Q3.5"): (
        "partial",
        "Initial health assessment completed late because the request was late.",
    ),
    ("Child B", "Police", "Q6.5"): (
        "no",
        "Incident between the birth parents recorded in December 2021; the child was not "
        "present, so no notification was sent.",
    ),
    ("Child B", "Social Care", "Q6.5"): ("no", "No record of the December incident."),
    # Child C: strong practice throughout.
    ("Child C", "Camhs", "Q4.1"): (
        "yes",
        "The child's own words and drawings are recorded in every session summary.",
    ),
    ("Child C", "Social Care", "Q4.3"): (
        "",
        "She asked to stay with her brothers; the placement plan was built around keeping the "
        "three of them together.",
    ),
    # Child D: four moves in a year; no transfer document.
    ("Child D", "Social Care", "Q6.3"): (
        "no",
        "Four placement moves in 12 months; no transfer document on file for the last two.",
    ),
    ("Child D", "Education", "Q6.3"): (
        "no",
        "The new school received no transfer information after the December move; the PEP "
        "arrived three weeks later.",
    ),
    ("Child D", "Social Care", "Q9.3"): (
        "no",
        "Four placements in 12 months; two ended at the carers' request because of behaviour.",
    ),
    ("Child D", "Education", "Q9.3"): (
        "partial",
        "Settled in the current school, but three schools in the year.",
    ),
    ("Child D", "Social Care", "Q5.3"): (
        "partial",
        "PEP not reviewed in the autumn term because of the moves.",
    ),
    ("Child D", "Social Care", "Q10.2"): (
        "no",
        "No transfer document evidenced on the last two moves.",
    ),
    ("Child D", "Police", "Q7.7"): (
        "partial",
        "Two call-outs to the children's home for damage: one led to arrest; a restorative "
        "approach was used for the second.",
    ),
    ("Child D", "YOT", "Q7.7"): (
        "partial",
        "Referral order followed an arrest at the children's home.",
    ),
    # Child E: safety plan not shared with school.
    ("Child E", "Social Care", "Q5.4"): (
        "no",
        "The safety plan agreed in January 2022 was not shared with the school.",
    ),
    ("Child E", "Education", "Q5.4"): (
        "no",
        "The school was not given the safety plan; staff learned of the self-harm risk from "
        "the child's mentor.",
    ),
    ("Child E", "Camhs", "Q5.4"): (
        "partial",
        "Safety plan shared with the foster carer and social worker; the school was not on the "
        "distribution list.",
    ),
    ("Child E", "Social Care", "Q10.4"): ("no", "Safety plan not shared with the school."),
    ("Child E", "Education", "Q10.4"): ("no", "The school never received the safety plan."),
    ("Child E", "Camhs", "Q4.1"): (
        "yes",
        "Wishes and feelings recorded in her own words at each session and at her review.",
    ),
    # Child F: the exploitation tool was not updated; risks not managed (escalated).
    ("Child F", "Social Care", "Q2.1"): (
        "partial",
        "Exploitation risks recorded, but the plan did not change as they grew.",
    ),
    ("Child F", "Social Care", "Q2.3"): (
        "no",
        "EIT completed in June 2021 and not updated after five further missing episodes or the "
        "move in November.",
    ),
    ("Child F", "Police", "Q2.3"): (
        "partial",
        "Police shared intelligence for the EIT review, but no updated EIT was received.",
    ),
    ("Child F", "Social Care", "Q10.1"): (
        "no",
        "EIT not updated after missing episodes or the placement move.",
    ),
    ("Child F", "Police", "Q10.1"): (
        "partial",
        "Screening done after each missing episode, but the multi-agency EIT was not updated.",
    ),
    ("Child F", "Social Care", "Q5.4"): (
        "partial",
        "Safety plan not updated since the November move.",
    ),
    ("Child F", "Social Care", "Q7.4"): (
        "partial",
        "Return home interviews offered after four of the seven missing episodes; two of those "
        "outside 72 hours.",
    ),
    ("Child F", "Social Care", "Q8.1"): (
        "no",
        "No management oversight recorded after the October missing episodes.",
    ),
    ("Child F", "Social Care", "Q9.3"): ("no", "Three placements in 12 months."),
    ("Child F", "Police", "Q7.7"): (
        "no",
        "Arrested after an incident at the children's home that would not have led to police "
        "involvement in a family home.",
    ),
    ("Child F", "YOT", "Q7.7"): (
        "partial",
        "Diversion was considered for the second offence, not the first.",
    ),
    # Child G: missing records (escalated); health assessment timed so he could settle.
    ("Child G", "GPs", "Q6.2"): (
        "no",
        "No placement notification or health assessment on the GP record.",
    ),
    ("Child G", "GPs", "Q6.3"): (
        "no",
        "Records from the previous practice had not arrived; escalated during the audit.",
    ),
    ("Child G", "Sirona", "Q3.5"): (
        "yes",
        "Initial health assessment within 20 working days, booked for the third week so the "
        "child could settle first.",
    ),
    ("Child G", "Social Care", "Q10.2"): (
        "partial",
        "Transfer document sent to the school but not to the GP.",
    ),
    # Child H: identified as an adult at first; interpreter used.
    ("Child H", "Social Care", "Q7.6"): (
        "partial",
        "At first treated as an adult and accommodated with adults; after challenge a "
        "Merton-compliant age assessment found him to be a child and he came into care.",
    ),
    ("Child H", "Police", "Q7.6"): (
        "no",
        "Recorded as an adult on arrival and referred to adult accommodation.",
    ),
    ("Child H", "Sirona", "Q7.6"): (
        "yes",
        "Treated as a child at the health assessment; concern about the earlier placement "
        "raised with social care.",
    ),
    ("Child H", "Social Care", "Q4.2"): (
        "yes",
        "Interpreter used at every visit and at the review to hear his wishes and feelings.",
    ),
    ("Child H", "Sirona", "Q4.2"): (
        "yes",
        "Interpreter booked for the health assessment; he chose a male interpreter.",
    ),
    ("Child H", "GPs", "Q6.2"): (
        "partial",
        "The practice received the health assessment but knew little of what he had been "
        "through; trauma was not flagged.",
    ),
    # Child I: identity respected; DA incident at the birth mother's not shared.
    ("Child I", "Education", "Q4.1"): (
        "yes",
        "She asked to be identified as 'she/her'; school records and staff use her chosen "
        "name and pronouns.",
    ),
    ("Child I", "Police", "Q6.5"): (
        "no",
        "Incident at the birth mother's address in January 2022; the young person was not "
        "present and no notification was sent.",
    ),
    ("Child I", "Social Care", "Q6.5"): ("no", "No record of the January incident."),
}


@dataclass(frozen=True)
class ReturnNote:
    """What an agency's auditor wrote on the return, where it says more than the answers."""

    grade: str | None = None  # Ofsted level code; None means worked out from the sections
    reason: str = ""
    good_practice: str = ""
    areas_for_development: str = ""
    recommendations: str = ""
    immediate_concern: bool = False


RETURN_NOTES: dict[tuple[str, str], ReturnNote] = {
    ("Child A", "Social Care"): ReturnNote(
        good_practice="Prompt notification for a health assessment and referrals to the "
        "right services; good communication with the hospital before the birth.",
    ),
    ("Child A", "NBT"): ReturnNote(
        grade="good",
        reason="Safe discharge plan agreed with social care before the birth; the gap in "
        "sharing the mother's later attendance is a system issue, taken to the panel.",
        good_practice="Good communication between the maternity team and social care.",
        areas_for_development="Tell children's social care when a birth parent of a child in "
        "care attends with domestic abuse injuries.",
    ),
    ("Child C", "Social Care"): ReturnNote(
        grade="outstanding",
        reason="The right placement, found to keep three siblings together; her voice runs "
        "through the plan; effective multi-agency meetings.",
        good_practice="Placement found to keep siblings together; voice of the child captured.",
    ),
    ("Child C", "Camhs"): ReturnNote(
        grade="outstanding",
        reason="Therapy matched to her needs and timed with the school and carers.",
        good_practice="The child's own words and drawings recorded in every session.",
    ),
    ("Child D", "Social Care"): ReturnNote(
        areas_for_development="Send a transfer document on every move; review the PEP each term.",
        recommendations="Placement stability meeting before any further move.",
    ),
    ("Child E", "Education"): ReturnNote(
        good_practice="Provision of mentoring by school; the mentor noticed the risk.",
        areas_for_development="Ask for the safety plan of every child in care with a known "
        "self-harm risk.",
    ),
    ("Child F", "Social Care"): ReturnNote(
        grade="inadequate",
        reason="Exploitation risks were known but not managed: the EIT was not updated, the "
        "safety plan was out of date and there was no management oversight after the October "
        "missing episodes. Escalated during the audit.",
        areas_for_development="Update the EIT after every missing episode and move; record "
        "management oversight of risk decisions.",
        recommendations="Strategy discussion now; exploitation panel review.",
    ),
    ("Child F", "Police"): ReturnNote(
        reason="Good intelligence work, but the arrest at the children's home is not what the "
        "criminalisation protocol expects.",
        immediate_concern=True,
    ),
    ("Child G", "GPs"): ReturnNote(
        reason="The practice could not see the notification, the health assessment or the "
        "earlier records; escalated.",
        immediate_concern=True,
    ),
    ("Child G", "Education"): ReturnNote(
        grade="outstanding",
        reason="The Elective Home Education Team shared what it knew at once, so a school "
        "place was ready when he came into care.",
        good_practice="Good practice from the Elective Home Education Team.",
    ),
    ("Child G", "Sirona"): ReturnNote(
        good_practice="Consideration of timing of the health assessment so that the child "
        "could be more settled before undertaking it.",
    ),
    ("Child H", "Social Care"): ReturnNote(
        grade="requires-improvement",
        reason="Identified as an adult at first and placed with adults; child-first practice "
        "since, with an interpreter at every visit.",
        good_practice="Interpreter used to hear wishes and feelings of the child.",
    ),
    ("Child H", "Sirona"): ReturnNote(
        reason="Child-first practice and an interpreter at every appointment; raised the "
        "concern about the earlier adult placement.",
        good_practice="Interpreter used to hear wishes and feelings of the child.",
        immediate_concern=True,
    ),
    ("Child I", "Education"): ReturnNote(
        grade="outstanding",
        reason="The young person has asked to be identified as 'she/her' and the school and "
        "foster carer have put appropriate support in place.",
        good_practice="Support for her identity, agreed with her and the foster carer; "
        "effective multi-agency meetings.",
    ),
}


# The panel's agreed overall grade for each child (Ofsted level code, reason).
PANEL_GRADES: dict[str, tuple[str, str]] = {
    "Child A": ("good", "Prompt, joined-up planning for a baby; one information-sharing gap."),
    "Child B": ("requires-improvement", "The health assessment request was late."),
    "Child C": (
        "outstanding",
        "The right placement, keeping siblings together, with her voice at the centre.",
    ),
    "Child D": ("requires-improvement", "Frequent placement moves and no transfer document."),
    "Child E": ("requires-improvement", "Safety plan not shared with the school."),
    "Child F": ("inadequate", "Risks were not managed effectively; escalated during the audit."),
    "Child G": ("requires-improvement", "Missing records, escalated; strong education practice."),
    "Child H": ("requires-improvement", "Identified as an adult at first; good practice since."),
    "Child I": ("good", "Her identity respected; a domestic abuse incident was not shared."),
}

# Where agencies' accounts disagree: (pseudonym, question code, agencies, what differs).
DISCREPANCIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "Child A",
        "Q6.5",
        ("Police", "NBT", "Social Care"),
        "Police and the hospital each hold records of domestic abuse involving the birth "
        "parents after the baby was placed; children's social care has none.",
    ),
    (
        "Child B",
        "Q6.5",
        ("Police", "Social Care"),
        "Police record a domestic abuse incident between the birth parents in December 2021; "
        "children's social care has no record of it.",
    ),
    (
        "Child G",
        "Q6.2",
        ("Social Care", "GPs"),
        "Social care records the placement notification as sent to the GP; the GP record has "
        "no notification.",
    ),
)
