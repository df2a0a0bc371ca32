"""The ready-made audit tool "Children looked after placed out of area".

It ships with every deployment: a coordinator adds it from the tool library in one action
(`maca.planning.services.ready_tool_add`), then copies it or makes new versions of it like any
other tool.

Sections follow docs/domain.md §1.5 (the union of partnerships' tools, adapted to this theme);
compliance questions cite the statutory standard they test (docs/domain.md §3) and are
answered on the Yes / No / Partial / N/A scale; each graded section is judged on the Ofsted
4-point scale. Which earlier reviews an audit checks is local, so the section on learning from
previous reviews is generic here; `learning_section` builds one question per learning point of
a named review instead (the demo does this for its fictional SCR Georgia).

The tool is written out as data so it can be read and reviewed as a whole; the functions at
the end turn a section or question into model field values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from maca.accounts.models import Sector
from maca.audits.models import GradingScale, Question
from maca.learning.models import LearningPoint

TOOL_SLUG = "cla-out-of-area"
TOOL_NAME = "Children looked after placed out of area"
TOOL_DESCRIPTION = (
    "Multi-agency case audit of children looked after and placed out of area: recognition of "
    "risk, assessment, voice of the child, planning, information sharing, statutory "
    "compliance, oversight, impact and learning from earlier reviews."
)
SECTION_SCALE = "ofsted-4"
COMPLIANCE_SCALE = "ynpna"
LEARNING_SECTION_TITLE = "Learning from previous reviews"

SC = Sector.SOCIAL_CARE.value
HEALTH = Sector.HEALTH.value
POLICE = Sector.POLICE.value
EDUCATION = Sector.EDUCATION.value
YJ = Sector.YOUTH_JUSTICE.value
EARLY_HELP = Sector.EARLY_HELP.value

K = Question.Kind


@dataclass(frozen=True)
class Q:
    code: str
    text: str
    kind: str = K.COMPLIANCE
    standard: str = ""
    sectors: tuple[str, ...] = ()
    help_text: str = ""
    choices: tuple[str, ...] = ()
    scale: str | None = None
    requires_reason: bool = False
    learning_point: int | None = None  # order of the learning point of the review it checks


@dataclass(frozen=True)
class S:
    title: str
    help_text: str
    graded: bool
    questions: tuple[Q, ...]


EIT_STANDARD = "Local exploitation screening (EIT); WT2023 extra-familial harm"

CORE_SECTIONS: tuple[S, ...] = (
    S(
        "Agency involvement and chronology",
        "What your agency did for the child in the period reviewed, from your own records.",
        graded=False,
        questions=(
            Q(
                "Q1.1",
                "Summarise your agency's involvement with the child in the period reviewed: "
                "dates, services given and key events.",
                kind=K.TEXT,
            ),
            Q("Q1.2", "When did your agency first become involved with the child?", kind=K.DATE),
            Q(
                "Q1.3",
                "Which services did your agency give the child in the period reviewed?",
                kind=K.MULTIPLE_CHOICE,
                choices=(
                    "Assessment",
                    "Health assessment or health care",
                    "Mental health support",
                    "Education or a school place",
                    "Police response",
                    "Youth justice intervention",
                    "Out-of-hours response",
                    "Early help or preventative support",
                    "Other",
                ),
            ),
        ),
    ),
    S(
        "Recognition and identification of need and risk",
        "Were the risks to the child recognised, and were screening tools used and kept up "
        "to date?",
        graded=True,
        questions=(
            Q(
                "Q2.1",
                "Were the risks to the child recognised (for example exploitation, going "
                "missing, self-harm, domestic abuse at home)?",
                standard="WT2023: recognising harm, including extra-familial harm",
            ),
            Q(
                "Q2.2",
                "Where there were indicators of exploitation, was an Exploitation "
                "Identification Tool (EIT) completed?",
                standard=EIT_STANDARD,
            ),
            Q(
                "Q2.3",
                "Was the EIT reviewed and updated when new indicators appeared (missing "
                "episodes, a placement move)?",
                standard=EIT_STANDARD,
            ),
        ),
    ),
    S(
        "Assessment",
        "Was the assessment current, did it use the child's history and other agencies' "
        "information, and was the child seen?",
        graded=True,
        questions=(
            Q("Q3.1", "Was there a current assessment of the child's needs in the period?"),
            Q(
                "Q3.2",
                "Did the assessment draw on the child's history and other agencies' information?",
            ),
            Q("Q3.3", "Was the child seen as part of the assessment?"),
            Q(
                "Q3.4",
                "Was the request for a health assessment made without delay?",
                standard="CPPCR 2010 reg 7; Promoting the health and well-being of "
                "looked-after children (2015)",
                sectors=(SC, HEALTH),
            ),
            Q(
                "Q3.5",
                "Was the health assessment done within timescale (initial: within 20 working "
                "days; review: 6-monthly under 5, yearly from 5)?",
                standard="CPPCR 2010 reg 7: initial and review health assessments",
                sectors=(SC, HEALTH),
            ),
        ),
    ),
    S(
        "Voice and lived experience of the child",
        "Was the child seen and heard, and did what they said change what happened?",
        graded=True,
        questions=(
            Q("Q4.1", "Are the child's wishes and feelings recorded, in their own words?"),
            Q(
                "Q4.2",
                "Where the child needed one, was an interpreter or advocate used to hear "
                "their wishes and feelings?",
            ),
            Q("Q4.3", "How did the child's views shape the plan? Give an example.", kind=K.TEXT),
        ),
    ),
    S(
        "Planning and intervention",
        "Were care, health, education and safety plans in place, shared and SMART?",
        graded=True,
        questions=(
            Q(
                "Q5.1",
                "Is there a current care plan and placement plan?",
                standard="CPPCR 2010 regs 5 and 9: care plan and placement plan",
                sectors=(SC,),
            ),
            Q(
                "Q5.2",
                "Is there a current health plan, and is your agency's part in it clear?",
                standard="CPPCR 2010 reg 7: health plan",
                sectors=(SC, HEALTH),
            ),
            Q(
                "Q5.3",
                "Is there a current Personal Education Plan, reviewed each term?",
                standard="Promoting the education of looked-after children (DfE 2018): PEP",
                sectors=(SC, EDUCATION),
            ),
            Q(
                "Q5.4",
                "Where the child has a safety plan, was it shared with the school and everyone "
                "else who needed it?",
                standard="WT2023: multi-agency safety planning",
            ),
        ),
    ),
    S(
        "Information sharing and joint working",
        "Notifications to the host area, GP and school; transfer documents on moves; "
        "attendance at reviews and strategy meetings.",
        graded=True,
        questions=(
            Q(
                "Q6.1",
                "Was the host authority notified of the placement before it started (or within "
                "5 working days of an emergency placement)?",
                standard="CPPCR 2010 reg 13(4): notifying the area authority",
                sectors=(SC,),
            ),
            Q(
                "Q6.2",
                "Was your agency told of the placement, with what it needed to know (for a GP: "
                "the health assessment and what the child has been through)?",
                standard="CPPCR 2010 reg 13(1)-(2): notifying the GP, health bodies and school",
            ),
            Q(
                "Q6.3",
                "On each placement move, is a transfer document (records, health plan, PEP, "
                "safety plan) evidenced?",
                standard="CPPCR 2010 regs 9 and 13: records follow the child",
                sectors=(SC, HEALTH, EDUCATION),
            ),
            Q(
                "Q6.4",
                "Did your agency attend or contribute to the reviews, strategy discussions and "
                "multi-agency meetings it was invited to?",
                standard="WT2023: multi-agency working",
            ),
            Q(
                "Q6.5",
                "Were domestic abuse incidents involving the child's birth family shared with "
                "children's social care, including when the child was not present?",
                standard="Operation Encompass; local domestic abuse information-sharing protocol",
                sectors=(POLICE, SC, HEALTH),
            ),
        ),
    ),
    S(
        "Statutory compliance",
        "Answer Yes, No, Partial or N/A and give the dates in the evidence.",
        graded=True,
        questions=(
            Q(
                "Q7.1",
                "Was the out-of-area placement approved before it started by the nominated "
                "officer (or the Director of Children's Services for a placement at a distance)?",
                standard="CPPCR 2010 reg 11 (as amended 2013): approving out-of-area placements",
                sectors=(SC,),
            ),
            Q(
                "Q7.2",
                "Were statutory visits made within a week of the placement starting and then "
                "at the required intervals?",
                standard="CPPCR 2010 reg 28: statutory visits",
                sectors=(SC,),
            ),
            Q(
                "Q7.3",
                "Were looked-after reviews held within timescale (20 working days, 3 months, "
                "then 6-monthly)?",
                standard="CPPCR 2010 reg 33: looked-after reviews",
                sectors=(SC,),
            ),
            Q(
                "Q7.4",
                "Was a return home interview offered within 72 hours of every return from a "
                "missing episode?",
                standard="Statutory guidance on children who run away or go missing from home "
                "or care (DfE 2014)",
                sectors=(SC, EARLY_HELP, POLICE),
            ),
            Q(
                "Q7.5",
                "Was a Strengths and Difficulties Questionnaire completed in the last year "
                "(children aged 4 to 16 looked after for 12 months or more)?",
                standard="SSDA903 guidance: SDQ",
                sectors=(SC, HEALTH),
            ),
            Q(
                "Q7.6",
                "Where the child's age was disputed, were they treated as a child and was a "
                "Merton-compliant age assessment done?",
                standard="Care of unaccompanied migrant children and child victims of modern "
                "slavery (DfE 2017); Home Office Assessing age",
                sectors=(SC, POLICE, HEALTH),
            ),
            Q(
                "Q7.7",
                "Before any police involvement for behaviour in the care setting, were "
                "diversionary or restorative responses considered?",
                standard="National protocol on reducing unnecessary criminalisation of "
                "looked-after children and care leavers (2018)",
                sectors=(POLICE, YJ, SC),
            ),
        ),
    ),
    S(
        "Management oversight and supervision",
        "Is there evidence that managers saw and shaped the work?",
        graded=True,
        questions=(
            Q("Q8.1", "Is management oversight of key decisions recorded on the child's file?"),
            Q(
                "Q8.2",
                "Was the child discussed in supervision in the period, with actions followed up?",
            ),
        ),
    ),
    S(
        "Impact and outcome",
        "What difference did the work make to the child?",
        graded=True,
        questions=(
            Q(
                "Q9.1",
                "What difference has your agency's involvement made to the child?",
                kind=K.TEXT,
            ),
            Q(
                "Q9.2",
                "Where are things for this child on a scale of 0 to 10?",
                kind=K.GRADED,
                scale="signs-of-safety",
                requires_reason=True,
                help_text="0: the child is so unsafe they must be removed, or harm is certain. "
                "10: everyone agrees the child is safe enough for the case to be closed.",
            ),
            Q(
                "Q9.3",
                "Is the child's placement stable and meeting their needs?",
                standard="DfE placement stability measures",
            ),
        ),
    ),
)

GENERIC_LEARNING_SECTION = S(
    LEARNING_SECTION_TITLE,
    "Is the learning from the earlier reviews this audit checks embedded? Answer Yes, Partial "
    "or No with evidence.",
    graded=True,
    questions=(
        Q(
            "Q10.1",
            "Is the learning from the earlier reviews named in the audit plan embedded in your "
            "agency's work with the child?",
            standard="Learning from earlier reviews named in the audit plan",
            requires_reason=True,
            help_text="To check each learning point separately, make a new version of the tool "
            "with a question for each point and link it to the review's learning point.",
        ),
        Q(
            "Q10.2",
            "Give an example from the child's record of that learning making a difference, or "
            "of where it did not.",
            kind=K.TEXT,
        ),
    ),
)

SUMMARY_SECTION = S(
    "Summary",
    "Good practice, areas for development and recommendations, the overall grade with its "
    "reason, and whether there is an immediate concern, are recorded on the return itself.",
    graded=False,
    questions=(
        Q(
            "Q11.1",
            "Key messages for the panel: what should every agency hear about this child's "
            "experience?",
            kind=K.TEXT,
        ),
    ),
)


def learning_section(review_name: str, questions: Iterable[tuple[int, str]]) -> S:
    """Section 10 for a named review: one question per learning point, as (order, question)."""
    return S(
        LEARNING_SECTION_TITLE,
        f"Is the learning from {review_name} embedded? Answer Yes, Partial or No with evidence.",
        graded=True,
        questions=tuple(
            Q(
                f"Q10.{order}",
                f"{review_name}: {question} Is this embedded in your work with the child?",
                standard=f"{review_name} learning brief",
                learning_point=order,
            )
            for order, question in questions
        ),
    )


def sections(learning: S | None = None) -> tuple[S, ...]:
    """The whole tool, with the generic learning section unless a review's is given."""
    return (*CORE_SECTIONS, learning or GENERIC_LEARNING_SECTION, SUMMARY_SECTION)


SECTIONS = sections()


def all_questions(tool_sections: tuple[S, ...] = SECTIONS) -> list[Q]:
    return [question for section in tool_sections for question in section.questions]


def section_values(spec: S, scales: Mapping[str, GradingScale]) -> dict[str, Any]:
    return {
        "title": spec.title,
        "help_text": spec.help_text,
        "grading_scale": scales[SECTION_SCALE] if spec.graded else None,
    }


def question_values(
    spec: Q, scales: Mapping[str, GradingScale], points: Mapping[int, LearningPoint]
) -> dict[str, Any]:
    """Field values of a question; `points` are the checked review's learning points by order."""
    scale_slug = spec.scale or (COMPLIANCE_SCALE if spec.kind == K.COMPLIANCE else None)
    return {
        "code": spec.code,
        "text": spec.text,
        "help_text": spec.help_text,
        "kind": spec.kind,
        "scale": scales[scale_slug] if scale_slug else None,
        "choices": list(spec.choices),
        "requires_reason": spec.requires_reason,
        "standard": spec.standard,
        "applies_to_sectors": list(spec.sectors),
        "learning_point": points[spec.learning_point] if spec.learning_point else None,
    }
