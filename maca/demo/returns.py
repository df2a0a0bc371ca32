"""Works out each fictional agency's answers, section summaries and grades.

Most answers follow from the case facts (a question about missing episodes is N/A for a child
who never went missing; the EDT, which never holds a case, answers N/A to case-holding
questions); `data_returns.ANSWERS` overrides the rest. Section grades and the return's overall
grade follow from the answers unless the auditor's note says otherwise, so a "No" always
shows in the grade and the areas for development.
"""

from __future__ import annotations

from dataclasses import dataclass

from maca.demo.data import AUDIT_DAY, CaseSpec
from maca.demo.data_returns import ANSWERS, RETURN_NOTES, ReturnNote
from maca.demo.tool_cla_out_of_area import K, Q, S

EXPLOITATION_NEEDS = frozenset({"exploitation-risk", "missing-episodes"})

# The EDT responds out of hours and never holds the case, so case-holding duties do not apply.
EDT_NOT_APPLICABLE = frozenset(
    {"Q3.1", "Q3.2", "Q3.4", "Q3.5", "Q5.1", "Q5.2", "Q5.3", "Q6.1", "Q7.1", "Q7.2", "Q7.3", "Q7.5"}
)
# Health questions that belong to the looked after health team, not to these services.
AGENCY_NOT_APPLICABLE: dict[str, frozenset[str]] = {
    "EDT": EDT_NOT_APPLICABLE,
    "GPs": frozenset({"Q3.4", "Q3.5"}),
    "Camhs": frozenset({"Q3.4", "Q3.5", "Q6.5"}),
    "NBT": frozenset({"Q3.4"}),
}

YES_EVIDENCE: dict[str, str] = {
    "Q2.1": "Risks recorded in the assessment and the chronology.",
    "Q2.2": "EIT on file.",
    "Q2.3": "EIT updated after the last missing episode or move.",
    "Q3.1": "Assessment updated in the period.",
    "Q3.2": "The assessment uses the child's history and other agencies' information.",
    "Q3.3": "Child seen at each visit, and seen alone where old enough.",
    "Q3.4": "Health assessment requested on time.",
    "Q3.5": "Health assessment done within timescale.",
    "Q4.1": "Wishes and feelings recorded at visits and reviews.",
    "Q4.2": "Interpreter used at visits and the review.",
    "Q5.1": "Care plan and placement plan current.",
    "Q5.2": "Health plan current, with this agency's actions named.",
    "Q5.3": "PEP reviewed each term.",
    "Q5.4": "Safety plan shared with the carers, the school and the agencies involved.",
    "Q6.1": "Host authority notified before the placement began.",
    "Q6.2": "Notification received with the information needed.",
    "Q6.3": "Transfer document on file for each move.",
    "Q6.4": "Attended or sent a report to each review and meeting.",
    "Q6.5": "Incidents shared with children's social care.",
    "Q7.1": "Approved by the nominated officer before the placement began.",
    "Q7.2": "Visited within a week of the placement and at least every six weeks since.",
    "Q7.3": "Reviews held within timescale.",
    "Q7.4": "Return home interview offered within 72 hours after each episode.",
    "Q7.5": "SDQ completed by the carer within the year.",
    "Q7.6": "Treated as a child; Merton-compliant age assessment on file.",
    "Q7.7": "Restorative responses used; no police involvement for behaviour in placement.",
    "Q8.1": "Manager's decisions recorded at key points.",
    "Q8.2": "Discussed in supervision; actions followed up.",
    "Q9.3": "A settled placement that meets the child's needs.",
}

SERVICES_BY_AGENCY: dict[str, list[str]] = {
    "GPs": ["Health assessment or health care"],
    "Social Care": ["Assessment"],
    "Camhs": ["Assessment", "Mental health support"],
    "Sirona": ["Health assessment or health care"],
    "NBT": ["Health assessment or health care"],
    "Police": ["Police response"],
    "Education": ["Education or a school place"],
    "YOT": ["Assessment", "Youth justice intervention"],
    "EDT": ["Out-of-hours response"],
    "Preventative Services": ["Early help or preventative support"],
}


@dataclass(frozen=True)
class AnswerValue:
    code: str = ""  # level code on the question's scale; empty for text, date and choices
    evidence: str = ""
    reason: str = ""
    text: str = ""
    choices: tuple[str, ...] = ()
    is_date: bool = False


def age_years(case: CaseSpec) -> int:
    return case.age_weeks // 52


def not_applicable_reason(case: CaseSpec, agency: str, code: str) -> str | None:
    """Why a question does not apply to this child or agency, or None if it does."""
    if code in AGENCY_NOT_APPLICABLE.get(agency, frozenset()):
        return "Not this agency's task."
    needs = set(case.needs)
    rules: dict[str, tuple[bool, str]] = {
        "Q2.2": (not needs & EXPLOITATION_NEEDS, "No indicators of exploitation."),
        "Q2.3": (not needs & EXPLOITATION_NEEDS, "No indicators of exploitation."),
        "Q10.1": (not needs & EXPLOITATION_NEEDS, "No indicators of exploitation."),
        "Q3.5": (agency == "NBT" and case.age_weeks >= 52, "Hospital attendance only."),
        "Q4.1": (case.age_weeks < 104, "A baby: observations with carers are recorded."),
        "Q10.3": (case.age_weeks < 104, "A baby: observations with carers are recorded."),
        "Q4.2": (not case.facts.get("needs_interpreter"), "No interpreter or advocate needed."),
        "Q5.3": (age_years(case) < 3, "Too young for a PEP."),
        "Q5.4": (not case.facts.get("safety_plan"), "No safety plan needed."),
        "Q10.4": (not case.facts.get("safety_plan"), "No safety plan needed."),
        "Q6.3": (case.moves_12m == 0, "No placement moves in the period."),
        "Q10.2": (case.moves_12m == 0, "No placement moves in the period."),
        "Q6.5": (
            "domestic-abuse" not in needs or agency in {"Sirona", "GPs"},
            "No domestic abuse incidents known to this agency.",
        ),
        "Q7.4": (case.missing_12m == 0, "No missing episodes in the period."),
        "Q7.5": (
            not (4 <= age_years(case) <= 16 and _months_looked_after(case) >= 12),
            "Outside the SDQ age range or looked after for under 12 months.",
        ),
        "Q7.6": (not case.facts.get("age_disputed"), "Age not disputed."),
        "Q7.7": ("criminal-behaviour" not in needs, "No police involvement for behaviour."),
    }
    applies, reason = rules.get(code, (False, ""))
    return reason if applies else None


def _months_looked_after(case: CaseSpec) -> int:
    months = case.facts.get("looked_after_months", 0)
    return months if isinstance(months, int) else 0


def answer_for(case: CaseSpec, agency: str, question: Q) -> AnswerValue:
    override = ANSWERS.get((case.pseudonym, agency, question.code))
    if question.kind == K.TEXT:
        return AnswerValue(text=override[1] if override else _text(case, agency, question))
    if question.kind == K.DATE:
        return AnswerValue(is_date=True)
    if question.kind == K.MULTIPLE_CHOICE:
        return AnswerValue(choices=tuple(SERVICES_BY_AGENCY.get(agency, ["Other"])))
    if question.kind == K.GRADED:
        scale = case.scale_by_agency.get(agency, case.scale)
        return AnswerValue(code=str(scale), reason=_scale_reason(scale))
    if override:
        return AnswerValue(code=override[0], evidence=override[1])
    reason = not_applicable_reason(case, agency, question.code)
    if reason:
        return AnswerValue(code="na", reason=reason)
    evidence = YES_EVIDENCE.get(question.code, "Learning evident in the records.")
    if question.code == "Q7.1" and case.facts.get("placed_at_a_distance"):
        evidence = "Placement at a distance approved by the Director of Children's Services."
    return AnswerValue(code="yes", evidence=evidence)


def _text(case: CaseSpec, agency: str, question: Q) -> str:
    involvement = case.involved[agency]
    if question.code == "Q1.1":
        return f"{involvement.note} Involved since {involvement.since:%B %Y}."
    if question.code == "Q4.3":
        if case.age_weeks < 104:
            return "Too young to give views; the plan follows observations of the child."
        return "The child's views were recorded at reviews and reflected in the plan."
    if question.code == "Q9.1":
        if case.scale >= 6:
            return "The child is settled and their needs are being met."
        return "Some needs are met, but the risks to the child are not yet reduced."
    return "See the areas for development." if case.scale < 6 else "No immediate concerns."


def _scale_reason(scale: int) -> str:
    if scale >= 7:
        return "Safe and settled; plans are working."
    if scale >= 5:
        return "Safe enough now, with work still to do."
    if scale >= 3:
        return "Significant worries remain."
    return "Serious, current risk of harm."


# --- Section summaries and grades -----------------------------------------------------------


@dataclass(frozen=True)
class SectionResult:
    grade: str | None  # Ofsted level code
    grade_reason: str
    areas_for_development: str


def section_result(section: S, answers: dict[str, AnswerValue]) -> SectionResult:
    """Grade a section from its compliance answers: any No needs improvement."""
    codes = [answers[q.code].code for q in section.questions if q.code in answers]
    weak = [
        answers[q.code].evidence
        for q in section.questions
        if q.code in answers and answers[q.code].code in {"no", "partial"}
    ]
    areas = " ".join(weak)
    if "no" in codes:
        return SectionResult("requires-improvement", "One or more standards not met.", areas)
    if "partial" in codes:
        return SectionResult("good", "Standards mostly met; some only partly.", areas)
    if {"yes"} & set(codes) or _scale_only(section, answers):
        return SectionResult("good", "The applicable standards are met, with evidence.", "")
    return SectionResult(None, "No question in this section applies.", "")


def _scale_only(section: S, answers: dict[str, AnswerValue]) -> bool:
    return any(q.kind == K.GRADED and q.code in answers for q in section.questions)


GRADE_ORDER = ("outstanding", "good", "requires-improvement", "inadequate")


@dataclass(frozen=True)
class ReturnResult:
    grade: str
    reason: str
    good_practice: str
    areas_for_development: str
    recommendations: str
    immediate_concern: bool


def return_result(case: CaseSpec, agency: str, sections: dict[int, SectionResult]) -> ReturnResult:
    note = RETURN_NOTES.get((case.pseudonym, agency), ReturnNote())
    grades = [result.grade for result in sections.values() if result.grade]
    worst = max(grades, key=GRADE_ORDER.index, default="good")
    areas = " ".join(r.areas_for_development for r in sections.values() if r.areas_for_development)
    return ReturnResult(
        grade=note.grade or worst,
        reason=note.reason or _overall_reason(worst),
        good_practice=note.good_practice,
        areas_for_development=note.areas_for_development or areas,
        recommendations=note.recommendations
        or ("Address the areas for development; check again at the re-audit." if areas else ""),
        immediate_concern=note.immediate_concern,
    )


def _overall_reason(grade: str) -> str:
    if grade == "good":
        return "The standards that apply were met, with evidence in the records."
    return "Standards were not met in one or more sections; see the areas for development."


def period_reviewed() -> str:
    start = AUDIT_DAY.replace(year=AUDIT_DAY.year - 1)
    return f"{start.day} {start:%B %Y} to {AUDIT_DAY.day} {AUDIT_DAY:%B %Y}"
