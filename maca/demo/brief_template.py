"""A partnership-made brief template for the demo, and the audit in progress that follows it.

Made as a partnership would make one: a copy of the shipped report to the board with its own
headings, a lead-in, questions for reflection and a closing section of its own words. The
template and its words are invented for the demo.
"""

from __future__ import annotations

import dataclasses

from maca.audits.models import Audit
from maca.demo.upsert import Tally
from maca.reports import brief_templates as templates
from maca.reports.brief_sections import SectionKind
from maca.reports.models import BriefTemplate, BriefTemplateSection

NAME = "Demo partnership briefing"

# Kind: (heading, lead-in, the coordinator's own text)
WORDS = {
    SectionKind.THEMES: ("Key findings", "What the panel found, theme by theme.", ""),
    SectionKind.WORRIES: ("Areas for development", "", ""),
    SectionKind.ACTIONS: ("Recommendations", "Each agreed by the partnership board.", ""),
}
QUESTIONS = (
    "Questions for reflection",
    "Talk these through in supervision or at a team meeting.",
    "How do we record when a child goes missing from a placement out of area?\n"
    "Who do we tell, and how quickly?",
)
OWN_TEXT = (
    "What this means for your practice",
    "",
    "Read the findings with your own cases in mind, and talk to your safeguarding lead about "
    "anything that worries you.",
)


def load_partnership_template(tally: Tally, *, audit: Audit) -> None:
    """Once: later loads leave the template, and any change made to it, alone."""
    if BriefTemplate.objects.filter(name=NAME).exists():
        return
    templates.shipped_templates_ensure()
    board = BriefTemplate.objects.get(slug="board-report").versions.get(number=1)
    template = templates.brief_template_copy(version=board, name=NAME)
    template.description = "The demo partnership's own briefing, made from the board report."
    template.save(update_fields=["description"])
    version = template.versions.get()
    for kind, words in ((SectionKind.QUESTIONS, QUESTIONS), (SectionKind.TEXT, OWN_TEXT)):
        templates.brief_template_section_add(version=version, kind=kind, heading=words[0])
    changes = []
    for row in version.sections.all():
        heading, lead_in, text = _words_for(row)
        changes.append(
            dataclasses.replace(_as_change(row), heading=heading, lead_in=lead_in, text=text)
        )
    templates.brief_template_sections_update(version=version, changes=changes)
    templates.audit_brief_template_choose(audit=audit, version=version)
    tally.note_created(BriefTemplate)


def _words_for(row: BriefTemplateSection) -> tuple[str, str, str]:
    if row.kind == SectionKind.QUESTIONS:
        return QUESTIONS
    if row.kind == SectionKind.TEXT:
        return OWN_TEXT
    return WORDS.get(SectionKind(row.kind), (row.heading, row.lead_in, row.text))


def _as_change(row: BriefTemplateSection) -> templates.SectionChange:
    return templates.SectionChange(
        section_id=row.pk,
        order=row.order,
        heading=row.heading,
        lead_in=row.lead_in,
        text=row.text,
        if_empty=row.if_empty,
        is_shown=row.is_shown,
    )
