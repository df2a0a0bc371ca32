"""The brief's shape: an ordered list of sections, each of a kind, with its heading and lead-in.

A partnership's brief template (`BriefTemplateVersion` in models.py) is stored as rows; a built
`Brief` carries its sections as the frozen `BriefSection` values below, so a published version
keeps the shape it was published with whatever happens to the template later.

The shipped templates are defined here as data. `LEARNING_BRIEF` is the seed's learning brief,
and the shape of every audit that has not chosen another template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class SectionKind(models.TextChoices):
    TEXT = "text", "Text the coordinator writes"
    INTRO = "intro", "What the audit did and why"
    SCOPE = "scope", "The audit's scope: theme, terms of reference, lines of enquiry, sample"
    COHORT = "cohort", "The children in the audit (cohort)"
    GRADES = "grades", "Grade results"
    PROGRAMME = "programme", "The other audits the brief covers, with a comparison table"
    WORRIES = "worries", "Findings: worries"
    GOOD_PRACTICE = "good_practice", "Findings: good practice"
    THEMES = "themes", "Findings: themes for learning"
    ESCALATIONS = "escalations", "Escalations"
    ACTIONS = "actions", "Actions"
    REVIEWS = "reviews", "Earlier reviews"
    AGENCIES = "agencies", "Organisations that took part"
    RESOURCES = "resources", "Resources"
    QUESTIONS = "questions", "Questions for reflection"
    REAUDIT = "reaudit", "Re-audit"


# Kinds whose content is what the coordinator writes in the section itself.
WRITTEN_KINDS = frozenset({SectionKind.TEXT, SectionKind.QUESTIONS})


@dataclass(frozen=True)
class BriefSection:
    """One section as the brief prints it. `text` is the coordinator's own paragraphs (the
    body of a text section, one question a line for questions); `if_empty` is what to say
    when the audit holds nothing for the section; without it an empty section is left out."""

    kind: str
    heading: str
    lead_in: str = ""
    text: tuple[str, ...] = ()
    if_empty: str = ""


@dataclass(frozen=True)
class ShippedTemplate:
    slug: str
    name: str
    description: str
    document_name: str  # what the document calls itself: "Learning brief"
    sections: tuple[BriefSection, ...]


K = SectionKind
S = BriefSection

LEARNING_BRIEF = ShippedTemplate(
    slug="learning-brief",
    name="Learning brief",
    description="The seed's learning brief: what was found, what happens next, and where to "
    "find out more.",
    document_name="Learning brief",
    sections=(
        S(K.INTRO, "What the audit did and why"),
        S(K.COHORT, "The children in this audit"),
        S(K.WORRIES, "What we are worried about"),
        S(K.GOOD_PRACTICE, "What good practice did we see"),
        S(K.THEMES, "Themes for learning"),
        S(
            K.ESCALATIONS,
            "Escalations made during the audit",
            lead_in="Where auditors found a child at risk or a statutory task missed, they "
            "escalated it at once rather than waiting for the audit to finish.",
        ),
        S(K.ACTIONS, "Actions agreed"),
        S(K.REVIEWS, "Learning from earlier reviews"),
        S(K.AGENCIES, "Organisations that took part"),
        S(K.RESOURCES, "Find out more"),
        S(K.REAUDIT, "When we will check again"),
    ),
)

SEVEN_MINUTE_BRIEFING = ShippedTemplate(
    slug="7-minute-briefing",
    name="7-minute briefing",
    description="Seven short parts for a team manager to present at a team meeting.",
    document_name="7-minute briefing",
    sections=(
        S(K.INTRO, "Background"),
        S(K.COHORT, "Who the audit looked at"),
        S(K.TEXT, "Why it matters"),
        S(K.WORRIES, "What we found"),
        S(K.GRADES, "How the work was graded"),
        S(K.GOOD_PRACTICE, "What we found working well"),
        S(K.THEMES, "What it means for practice"),
        S(K.ACTIONS, "What to do: our expectations"),
        S(K.QUESTIONS, "Questions for reflection in your team"),
        S(K.RESOURCES, "Further information"),
    ),
)

BOARD_REPORT = ShippedTemplate(
    slug="board-report",
    name="Report to the board",
    description="For the partnership's board: scope, key findings, areas for development and "
    "recommendations.",
    document_name="Report to the board",
    sections=(
        S(K.INTRO, "Background"),
        S(K.SCOPE, "Scope of the audit"),
        S(K.COHORT, "The cohort"),
        S(
            K.GRADES,
            "Grades",
            lead_in="How the audited work was graded, as counts and percentages.",
        ),
        S(K.THEMES, "Key findings"),
        S(K.GOOD_PRACTICE, "Strengths"),
        S(K.WORRIES, "Areas for development"),
        S(K.ACTIONS, "Recommendations"),
        S(K.ESCALATIONS, "Escalations"),
        S(K.AGENCIES, "Agencies that took part"),
        S(K.REVIEWS, "Earlier reviews"),
        S(K.REAUDIT, "Re-audit"),
    ),
)

PROGRAMME_BRIEFING = ShippedTemplate(
    slug="programme-briefing",
    name="Programme briefing",
    description="One briefing for several audits: a programme of audits, or this year's "
    "audit beside last year's, each with its scope and a table comparing their figures.",
    document_name="Programme briefing",
    sections=(
        S(K.INTRO, "About this audit"),
        S(K.SCOPE, "Its scope"),
        S(K.COHORT, "Who it looked at"),
        S(K.GRADES, "How the work was graded"),
        S(K.PROGRAMME, "The audits this briefing covers"),
        S(K.THEMES, "Key findings"),
        S(K.GOOD_PRACTICE, "What is working well"),
        S(K.WORRIES, "Areas for development"),
        S(K.ACTIONS, "Recommendations"),
        S(K.RESOURCES, "Further information"),
    ),
)

SHIPPED_TEMPLATES = {
    template.slug: template
    for template in (LEARNING_BRIEF, SEVEN_MINUTE_BRIEFING, BOARD_REPORT, PROGRAMME_BRIEFING)
}
