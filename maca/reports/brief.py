"""The learning brief as data: everything the brief shows, assembled once from the selectors.

Every renderer (web page, PDF, Word, Markdown) reads the same `Brief`, so the four formats
cannot disagree, and each piece of text comes from the audit's records rather than from a
document someone edits by hand. Its shape (which sections, in what order, under which
headings) comes from the audit's brief template (brief_sections.py, brief_templates.py); a
section the audit holds nothing for is left out, and the wording follows the audit's tense,
so the brief never asserts what the audit does not hold.

What never goes in: case pseudonyms, child identifiers, escalation detail (`concern`,
`outcome`, the case) or anything else that could identify a child. The `Brief` has no field
that could hold them, so a renderer cannot leak them by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from maca.accounts.models import Role
from maca.accounts.selectors import Roles
from maca.audits.models import UNIT_WORDS, Audit
from maca.audits.selectors import (
    AuditAccess,
    Breakdown,
    CohortProfile,
    StatedFigures,
    audit_agencies,
    cohort_profile,
    stated_figures,
)
from maca.core.partial_dates import PartialDate, when_text
from maca.learning.models import Action, ActionStatus, AuditReview, Finding
from maca.learning.selectors import (
    actions_for_audit,
    findings_by_heading,
    resources_for_audit,
    review_links_for_audit,
)
from maca.reports.brief_sections import LEARNING_BRIEF, BriefSection, SectionKind
from maca.reports.figures import ReviewCheck, learning_embedded
from maca.reports.selectors import linked_audits_for_brief, public_escalations


@dataclass(frozen=True)
class Wording:
    """The brief's fixed words inside sections, shared by every format so a reader finds the
    same sentences in each (templates read them as `words.<name>`). Section headings and
    lead-ins come from the brief's template (brief_sections.py)."""

    found: str = "What we found"
    strengths: str = "What is working well"
    needs_to_happen: str = "What needs to happen"
    taken_forward: str = "Who takes it forward"
    draft_notice: str = (
        "this brief has not been published. It is shown to the audit's coordinators and panel "
        "only and may change."
    )
    needs_lead_in: str = "The children have a range of needs including:"
    relationship: str = "How this audit relates to it"
    audit_relationship: str = "How it relates to this audit"
    learning_points_lead_in: str = "Its learning points:"
    embedded_lead_in: str = (
        "How far this learning was embedded, from every agency's answers about each child "
        "(children for whom the questions did not apply are left out):"
    )


WORDS = Wording()


Relationship = AuditReview.Relationship
# Reviews the introduction names, with their notes, as the reason for the audit.
_INTRO_RELATIONSHIPS = {Relationship.CHECKS_EMBEDDED, Relationship.PROMPTED_BY}


# fmt: off
_NUMBER_WORDS = [
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
]
# fmt: on


@dataclass(frozen=True)
class BriefItem:
    """A worry or an example of good practice."""

    text: str
    attribution: str = ""

    @property
    def credit(self) -> str:
        credit = f"Good practice from {self.attribution}." if self.attribution else ""
        # Some items already open with the credit ("Good practice from the … Team: …").
        if credit and credit.rstrip(".").casefold() in self.text.casefold():
            return ""
        return credit

    @property
    def lead(self) -> str:
        """The text, closed with a full stop when the credit follows it."""
        return sentence(self.text) if self.credit else self.text


@dataclass(frozen=True)
class BriefTheme:
    """A theme for learning: what was found (the gaps) and, held apart, what is working."""

    title: str
    found: tuple[str, ...]
    needs_to_happen: tuple[str, ...]
    taken_forward_by: tuple[str, ...]
    strengths: tuple[str, ...] = ()

    @property
    def taken_forward_text(self) -> str:
        return join_words(self.taken_forward_by)


@dataclass(frozen=True)
class BriefEscalation:
    """Only the anonymised account the coordinator wrote for publication."""

    summary: str
    outcome: str
    urgency: str
    status: str

    @property
    def details(self) -> str:
        parts = [f"Urgency: {self.urgency}.", f"Status: {self.status}."]
        if self.outcome:
            parts.append(f"Outcome: {sentence(self.outcome)}")
        return " ".join(parts)


@dataclass(frozen=True)
class BriefAction:
    description: str
    owners: tuple[str, ...]
    lead_name: str
    due: str
    status: str
    is_done: bool
    is_verified: bool
    done_on: str
    measure_of_success: str
    # Added with lead owners: the organisation that leads and those that contribute, each a
    # listed agency or as written. Actions without a lead list their owners as before.
    lead_owner: str = ""
    contributors: tuple[str, ...] = ()

    @property
    def status_text(self) -> str:
        """'Agreed', 'Done in May 2022', or 'Verified: done on 16 May 2022'."""
        if not self.is_done:
            return self.status
        done = f"done {self.done_on}" if self.done_on else "done"
        return f"{self.status}: {done}" if self.is_verified else f"D{done[1:]}"

    @property
    def owners_text(self) -> str:
        return join_words(self.owners)

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        """Label and value pairs, in the order every format shows them; what the action does
        not record is left out rather than described."""
        rows = []
        if self.lead_owner:
            rows.append(("Lead organisation", self.lead_owner))
            if self.contributors:
                rows.append(("With", join_words(self.contributors)))
        elif self.owners:
            rows.append(("Owners" if len(self.owners) > 1 else "Owner", self.owners_text))
        if self.lead_name:
            rows.append(("Lead", self.lead_name))
        rows.append(("Due", self.due))
        if self.status_text:
            rows.append(("Status", self.status_text))
        if self.measure_of_success:
            rows.append(("How we will know it has worked", self.measure_of_success))
        return tuple(rows)

    @property
    def details_text(self) -> str:
        return " ".join(f"{label}: {sentence(value)}" for label, value in self.details)


@dataclass(frozen=True)
class BriefReview:
    """An earlier review. `note` is empty when the introduction already gave it, so the brief
    says each thing once."""

    title: str
    relationship: str
    note: tuple[str, ...]
    learning_points: tuple[str, ...]
    url: str
    embedded: tuple[BriefLearningCheck, ...] = ()


@dataclass(frozen=True)
class BriefLearningCheck:
    """Whether one learning point was met across the children: counts only, never a child."""

    label: str  # "Learning point 1"
    sentence: str  # "Met for 3 of 5 children (60%); partly met for 1; not met for 1."


@dataclass(frozen=True)
class BriefResource:
    title: str
    description: str
    url: str


@dataclass(frozen=True)
class BriefGrades:
    """Grade results as counts of a stated base, each with its percentage; `rounding` says how
    the percentages were rounded, so a reader can check them."""

    lead: str  # "Of the 45 assessments graded for the quality of practice:"
    counts: tuple[str, ...]  # "Good or outstanding: 31 of 45 (69%)"
    rounding: str


@dataclass(frozen=True)
class BriefLinkedAudit:
    """Another audit the brief covers: its scope and figures, and how it relates."""

    title: str
    date_text: str
    relationship: str
    note: tuple[str, ...]
    scope: tuple[tuple[str, str], ...]
    cohort: tuple[str, ...]
    grades: BriefGrades | None = None

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.date_text})" if self.date_text else self.title


@dataclass(frozen=True)
class BriefComparison:
    """The audits side by side: one column each, one row per figure any of them holds."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Brief:
    slug: str
    title: str
    theme: str
    partnership_name: str
    date_text: str
    published_on: str
    is_draft: bool
    intro: tuple[str, ...]
    children: tuple[str, ...]
    needs: tuple[str, ...]
    worries: tuple[BriefItem, ...]
    good_practice: tuple[BriefItem, ...]
    themes: tuple[BriefTheme, ...]
    escalations: tuple[BriefEscalation, ...]
    actions: tuple[BriefAction, ...]
    reviews: tuple[BriefReview, ...]
    agencies: tuple[str, ...]
    agencies_text: str
    resources: tuple[BriefResource, ...]
    reaudit_text: str
    # Added with brief templates; data stored before them loads with these defaults.
    sections: tuple[BriefSection, ...] = LEARNING_BRIEF.sections
    document_name: str = LEARNING_BRIEF.document_name
    scope: tuple[tuple[str, str], ...] = ()
    # Added with the audit's figures: the cohort as stated (beyond what case rows give) and
    # the grade results.
    cohort_figures: tuple[str, ...] = ()
    grades: BriefGrades | None = None
    # Added with programmes: the other audits the brief covers.
    linked_audits: tuple[BriefLinkedAudit, ...] = ()
    comparison: BriefComparison | None = None

    @property
    def document_title(self) -> str:
        """What the PDF and Word metadata and the browser tab call it."""
        return f"{self.document_name}: {self.title}"

    @property
    def shown_sections(self) -> tuple[tuple[BriefSection, bool], ...]:
        """(section, is_empty) for each section the brief prints: an empty section only when
        the coordinator wrote what to say instead."""
        pairs = ((section, section_is_empty(self, section)) for section in self.sections)
        return tuple((section, empty) for section, empty in pairs if section.if_empty or not empty)

    @property
    def subtitle(self) -> str:
        parts = [self.document_name, self.partnership_name]
        if self.date_text:
            parts.append(self.date_text)
        return " – ".join(parts)

    @property
    def filename_stem(self) -> str:
        return f"{self.slug}-learning-brief"


def section_is_empty(brief: Brief, section: BriefSection) -> bool:
    """Whether the audit holds nothing for the section to say."""
    if section.kind in {SectionKind.TEXT, SectionKind.QUESTIONS}:
        return not section.text
    content: dict[str, object] = {
        SectionKind.INTRO: brief.intro,
        SectionKind.SCOPE: brief.scope,
        SectionKind.COHORT: brief.children or brief.needs or brief.cohort_figures,
        SectionKind.GRADES: brief.grades,
        SectionKind.PROGRAMME: brief.linked_audits,
        SectionKind.WORRIES: brief.worries,
        SectionKind.GOOD_PRACTICE: brief.good_practice,
        SectionKind.THEMES: brief.themes,
        SectionKind.ESCALATIONS: brief.escalations,
        SectionKind.ACTIONS: brief.actions,
        SectionKind.REVIEWS: brief.reviews,
        SectionKind.AGENCIES: brief.agencies_text,
        SectionKind.RESOURCES: brief.resources,
        SectionKind.REAUDIT: brief.reaudit_text,
    }
    return not content.get(section.kind)


# --- Assembly -------------------------------------------------------------------------------


def build_brief(access: AuditAccess) -> Brief:
    """Everything the brief shows, read through the access-checked selectors, in the shape of
    the audit's brief template.

    The selectors raise 404 for people who may not see the learning yet (drafts for agencies
    and readers), so calling this is the access check for every format.
    """
    from maca.reports.brief_templates import template_for_audit

    audit = access.audit
    document_name, sections = template_for_audit(audit)
    findings = findings_by_heading(access, brief_only=True)
    review_links = review_links_for_audit(access)
    checks = {check.title: check for check in learning_embedded(audit)}
    profile = cohort_profile(audit)
    agencies = tuple(agency.short_name for agency in audit_agencies(audit))
    count = profile.case_count
    is_past = audit_is_past(audit)
    figures = stated_figures(audit, case_count=count)

    return Brief(
        slug=audit.slug,
        title=audit.title,
        theme=audit.theme,
        partnership_name=join_words(audit.partnerships),
        date_text=audit.date_text,
        published_on="" if not audit.is_published else _long_date(audit.published_on),
        is_draft=not audit.is_published,
        intro=_intro(audit, count, review_links, is_past=is_past),
        children=_children_sentences(profile, count),
        needs=tuple(item.need.label for item in profile.needs),
        worries=tuple(BriefItem(text=finding.text.strip()) for finding in findings.worries),
        good_practice=tuple(
            BriefItem(text=finding.text.strip(), attribution=finding.attribution.strip())
            for finding in findings.good_practice
        ),
        themes=tuple(
            _theme(finding, number) for number, finding in enumerate(findings.learning, 1)
        ),
        escalations=_escalations(access),
        actions=tuple(_action(action) for action in actions_for_audit(access, brief_only=True)),
        reviews=tuple(_review(link, checks.get(link.review.title)) for link in review_links),
        agencies=agencies,
        agencies_text=_agencies_sentence(agencies, count, is_past=is_past),
        resources=_resources(access),
        reaudit_text=_reaudit_sentence(_partial(audit.reaudit_due)),
        sections=sections,
        document_name=document_name,
        scope=_scope(audit) if any(s.kind == SectionKind.SCOPE for s in sections) else (),
        cohort_figures=_cohort_figures(figures, is_past=is_past),
        grades=_grades(figures),
        **_programme(access, figures),
    )


def audit_is_past(audit: Audit, today: dt.date | None = None) -> bool:
    """Whether the brief speaks of the audit in the past: once it is published, or once the
    whole of its date (a day, a month or a year) has gone by."""
    if audit.is_published:
        return True
    date = _partial(audit.audit_date_until) or _partial(audit.audit_date)
    return date is not None and date.latest() < (today or dt.date.today())


def _children_sentences(profile: CohortProfile, count: int) -> tuple[str, ...]:
    youngest, oldest = profile.age_range.youngest, profile.age_range.oldest
    if youngest is None or oldest is None:
        return ()
    return (_ages_sentence(count, youngest.age_display, oldest.age_display),)


def _programme(access: AuditAccess, figures: StatedFigures) -> dict[str, Any]:
    """The linked audits and the table comparing them with this one, when there are any."""
    links = linked_audits_for_brief(access)
    if not links:
        return {}
    audit = access.audit
    others = [
        (link, stated_figures(link.other, case_count=link.case_count))  # type: ignore[attr-defined]
        for link in links
    ]
    linked = tuple(
        BriefLinkedAudit(
            title=link.other.title,
            date_text=link.other.date_text,
            relationship=link.get_relationship_display(),
            note=paragraphs(link.note),
            scope=_scope(link.other),
            cohort=_cohort_figures(stated, is_past=True, with_count_from_rows=True),
            grades=_grades(stated),
        )
        for link, stated in others
    )
    columns = [(audit, figures), *((link.other, stated) for link, stated in others)]
    return {"linked_audits": linked, "comparison": _comparison(columns)}


def _comparison(columns: list[tuple[Audit, StatedFigures]]) -> BriefComparison:
    def cohort(figures: StatedFigures) -> str:
        if not figures.count:
            return ""
        return f"{figures.count} {unit_words(figures.unit, figures.count)}"

    def grade(figures: StatedFigures, label: str) -> str:
        base = figures.grades_base or 0
        found = [item for item in (*figures.grades, *figures.merged_grades) if item.label == label]
        if not base or not found:
            return ""
        return f"{found[0].count} of {base} ({percent(found[0].count, base)})"

    labels: list[str] = []
    for _, figures in columns:
        for item in (*figures.grades, *figures.merged_grades):
            if item.label not in labels:
                labels.append(item.label)
    rows = [("When", tuple(audit.date_text for audit, _ in columns))]
    rows.append(("How many", tuple(cohort(figures) for _, figures in columns)))
    rows += [
        (f"{label[:1].upper()}{label[1:]}", tuple(grade(figures, label) for _, figures in columns))
        for label in labels
    ]
    return BriefComparison(
        caption="The audits side by side. Percentages are of each audit's own base, rounded "
        "to the nearest whole number; a blank cell is a figure the audit did not record.",
        columns=tuple(audit.title for audit, _ in columns),
        rows=tuple((label, values) for label, values in rows if any(values)),
    )


def _cohort_figures(
    figures: StatedFigures, *, is_past: bool, with_count_from_rows: bool = False
) -> tuple[str, ...]:
    """The cohort as the audit stated it, in the words of its unit; the count and ages are
    left to the case rows' sentence when the audit has them (unless asked for, as for another
    audit the brief covers, which has no such sentence)."""
    sentences = []
    if (with_count_from_rows or not figures.count_from_case_rows) and (
        figures.count or figures.description or figures.age_range
    ):
        what = unit_words(figures.unit, figures.count)
        if figures.count:
            what = f"{number_words(figures.count)} {what}"
        if figures.description:
            what = f"{what} {figures.description}"
        if figures.age_range:
            what = f"{what} aged {figures.age_range}"
        verb = "looked at" if is_past else "will look at"
        sentences.append(sentence(f"The audit {verb} {what}"))
    sentences += [_breakdown_sentence(breakdown) for breakdown in figures.breakdowns]
    return tuple(sentences)


def _breakdown_sentence(breakdown: Breakdown) -> str:
    counts = join_words(f"{item.count} {item.label}" for item in breakdown.counts)
    return sentence(f"{breakdown.group.strip() or 'Of these'}: {counts}")


def _grades(figures: StatedFigures) -> BriefGrades | None:
    base = figures.grades_base
    if not base or not figures.grades:
        return None
    graded = f"{number_words(base)} {unit_words(figures.unit, base)} graded"
    if figures.grades_of:
        graded = f"{graded} for {figures.grades_of}"
    merged = tuple(
        f"{item.label[:1].upper()}{item.label[1:]} (together): {item.count} of {base} "
        f"({percent(item.count, base)})"
        for item in figures.merged_grades
    )
    return BriefGrades(
        lead=f"Of the {graded}:",
        counts=tuple(
            f"{item.label[:1].upper()}{item.label[1:]}: {item.count} of {base} "
            f"({percent(item.count, base)})"
            for item in figures.grades
        )
        + merged,
        rounding=f"Percentages are of the {base} graded, rounded to the nearest whole number.",
    )


def percent(count: int, base: int) -> str:
    """'69%': rounded half up, as people round by hand, not to the even neighbour."""
    value = (Decimal(100) * count / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value}%"


def unit_words(unit: str, count: int | None) -> str:
    """'child' or 'children', 'family' or 'families': the unit the audit counted."""
    one, many = UNIT_WORDS.get(unit, (unit, unit))
    return one if count == 1 else many


def _escalations(access: AuditAccess) -> tuple[BriefEscalation, ...]:
    return tuple(
        BriefEscalation(
            summary=escalation.public_summary.strip()
            or "An escalation was made; its public summary has not been written yet.",
            outcome=escalation.public_outcome.strip(),
            urgency=escalation.get_urgency_display(),
            status=escalation.get_status_display(),
        )
        for escalation in public_escalations(access)
    )


def _resources(access: AuditAccess) -> tuple[BriefResource, ...]:
    return tuple(
        BriefResource(
            title=resource.title, description=resource.description.strip(), url=resource.url
        )
        for resource in resources_for_audit(access)
    )


def _scope(audit: Audit) -> tuple[tuple[str, str], ...]:
    """The audit's own description of what it looked at, for templates that print it."""
    sample = [audit.sample_method.strip().capitalize()]
    if audit.sample_frame_size:
        sample.append(f"from {audit.sample_frame_size} records")
    rows = [
        ("Theme", audit.theme.strip()),
        ("Terms of reference", " ".join(paragraphs(audit.terms_of_reference))),
        ("Lines of enquiry", "; ".join(line.text.strip() for line in audit.lines_of_enquiry.all())),
        ("How the sample was chosen", " ".join(part for part in sample if part)),
        ("About the sample", " ".join(paragraphs(audit.sample_notes))),
    ]
    return tuple((label, value) for label, value in rows if value)


def system_access(audit: Audit) -> AuditAccess:
    """Full access to one audit for operator tools (the `maca brief` command), which run
    without a signed-in person; it sees what the audit's coordinator sees."""
    return AuditAccess(
        audit=audit,
        roles=Roles(roles=frozenset({Role.COORDINATOR})),
        is_coordinator=True,
        is_panel_member=False,
        agency_ids=frozenset(),
    )


def _intro(
    audit: Audit, count: int, review_links: Sequence[AuditReview], *, is_past: bool
) -> tuple[str, ...]:
    first = _opening_sentence(audit, count, is_past=is_past)
    sentences = [first] if first else []

    aim = audit.aim.strip()
    if aim:
        was = "was" if is_past else "is"
        if re.match(r"(?i)to\s", aim):
            sentences.append(sentence(f"The aim of the audit {was} {aim[0].lower()}{aim[1:]}"))
        else:
            sentences.append(sentence(f"The aim of the audit: {aim}"))
    sentences += _review_sentences(review_links, is_past=is_past)
    intro = [" ".join(sentences)] if sentences else []
    for relationship in (Relationship.CHECKS_EMBEDDED, Relationship.PROMPTED_BY):
        for link in review_links:
            if link.relationship == relationship:
                intro.extend(sentence(part) for part in paragraphs(link.note))
    # A rationale often restates the generated sentences ("This audit was to check learning…");
    # say each thing once.
    said = {_plain(text) for text in sentences}
    for paragraph in paragraphs(audit.rationale):
        kept = [part for part in _SENTENCE_END.split(paragraph) if _plain(part) not in said]
        if kept:
            intro.append(" ".join(kept))
    if audit.follow_up_of_id is not None and (earlier := audit.follow_up_of) is not None:
        when = f" ({earlier.date_text})" if earlier.date_text else ""
        intro.append(f"This audit followed up the earlier audit “{earlier.title}”{when}.")
    return tuple(intro)


def _opening_sentence(audit: Audit, count: int, *, is_past: bool) -> str:
    """What the audit did, in the past once it is over, and only what the audit holds: the
    number of children only when their records are in it."""
    when = f" of {audit.date_text}" if audit.date_text else ""
    who = _who(audit.cohort_definition)
    if count:
        if count == 1:
            who = re.sub(r"^who are\b", "who is", who)
        verb = "reviewed" if is_past else "will review"
        records = f"the records of {number_words(count)} {_children(count)}"
        return sentence(f"The audit{when} {verb} {records}" + (f" {who}" if who else ""))
    if who:
        verb = "was about" if is_past else "will review the records of"
        return sentence(f"The audit{when} {verb} children {who}")
    date = _partial(audit.audit_date)
    if date is not None:
        when = when_text(date, _partial(audit.audit_date_until))
        return f"The audit took place {when}." if is_past else f"The audit will take place {when}."
    return ""


def _review_sentences(review_links: Sequence[AuditReview], *, is_past: bool) -> list[str]:
    embedded = [link for link in review_links if link.relationship == Relationship.CHECKS_EMBEDDED]
    prompted = [link for link in review_links if link.relationship == Relationship.PROMPTED_BY]
    sentences = []
    if embedded:
        names = join_words(link.review.short_name for link in embedded)
        was = "was" if is_past else "is"
        sentences.append(f"This audit {was} to check learning has been embedded from the {names}.")
    if prompted:
        names = join_words(link.review.short_name for link in prompted)
        sentences.append(f"The audit was prompted by the {names}.")
    return sentences


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text).lower().split())


def _who(definition: str) -> str:
    """The cohort as a clause after 'nine children': 'looked after and placed out of area',
    'Children looked after and placed …' and 'who are looked after …' all become
    'who are looked after and placed …'."""
    text = definition.strip().rstrip(".")
    # The sentence already says "children", so a definition that starts with it drops it.
    text = re.sub(r"(?i)^(the\s+)?(children|child|young people|young person)(\s+|$)", "", text)
    if not text:
        return ""
    text = text[0].lower() + text[1:] if text[:2].istitle() else text
    if re.match(r"(?i)(who|whose|that)\s", text):
        return text
    if re.match(r"(?i)(are|were|have|had|live|lived|is|was)\s", text):
        return f"who {text}"
    return f"who are {text}"


def _ages_sentence(count: int, youngest: str, oldest: str) -> str:
    if count == 1:
        return f"The child chosen for this audit was aged {youngest} at the time of the audit."
    ages = f"aged {youngest}" if youngest == oldest else f"aged between {youngest} and {oldest}"
    return (
        f"The {number_words(count)} children chosen for this audit were {ages} old "
        "at the time of the audit."
    )


def _agencies_sentence(agencies: Sequence[str], count: int, *, is_past: bool = True) -> str:
    """Empty when no organisation is listed: the brief then leaves the section out."""
    if not agencies:
        return ""
    names = sentence(join_words(agencies))
    if not count:
        return (
            f"Organisations that took part were: {names}"
            if is_past
            else (f"Organisations taking part are: {names}")
        )
    with_whom = f"the {number_words(count)} children" if count > 1 else f"the {_children(count)}"
    if not is_past:
        return f"Organisations that will audit their involvement with {with_whom} are: {names}"
    return f"Organisations that audited their involvement with {with_whom} were: {names}"


def _theme(finding: Finding, number: int) -> BriefTheme:
    return BriefTheme(
        title=finding.title.strip() or f"Theme for learning {number}",
        found=paragraphs(finding.text),
        needs_to_happen=paragraphs(finding.needs_to_happen),
        strengths=paragraphs(finding.strengths),
        # Prefetched by the selector, so reading them here costs no query per finding.
        taken_forward_by=tuple(agency.short_name for agency in finding.taken_forward_by.all()),
    )


def _action(action: Action) -> BriefAction:
    lead = action.lead_name.strip()
    if not lead and action.lead is not None:
        # Only a name: an e-mail address does not belong in a published brief.
        lead = action.lead.full_name
    is_done = action.status in {ActionStatus.DONE, ActionStatus.VERIFIED}
    lead_owner, contributors = _owners(action)
    return BriefAction(
        description=action.description.strip(),
        owners=(lead_owner, *contributors) if lead_owner else contributors,
        lead_owner=lead_owner,
        contributors=contributors if lead_owner else (),
        lead_name=lead,
        due=str(action.due) if action.due else "No date set",
        # An unrecorded status is not described: the brief says nothing it does not know.
        status="" if action.status == ActionStatus.NOT_RECORDED else action.get_status_display(),
        is_done=is_done,
        is_verified=action.status == ActionStatus.VERIFIED,
        done_on=_when(done_on) if is_done and (done_on := _partial(action.done_on)) else "",
        measure_of_success=" ".join(paragraphs(action.measure_of_success)),
    )


def _owners(action: Action) -> tuple[str, tuple[str, ...]]:
    """(the lead organisation, the others): listed agencies by their short names, the rest
    exactly as written."""
    listed = list(action.owners.all())
    lead = action.lead_owner_name.strip()
    if action.lead_owner_id is not None:
        lead = next((a.short_name for a in listed if a.pk == action.lead_owner_id), "")
        lead = lead or (action.lead_owner.short_name if action.lead_owner else "")
    others = [a.short_name for a in listed if a.pk != action.lead_owner_id]
    return lead, (*others, *action.other_owner_names)


def _review(link: AuditReview, check: ReviewCheck | None) -> BriefReview:
    review = link.review
    embedded = tuple(
        BriefLearningCheck(label=f"Learning point {point.point.order}", sentence=point.sentence)
        for point in (check.points if check else ())
        if point.question_codes
    )
    return BriefReview(
        title=review.title,
        relationship=link.get_relationship_display(),
        note=() if link.relationship in _INTRO_RELATIONSHIPS else paragraphs(link.note),
        learning_points=tuple(
            " ".join(paragraphs(point.text)) for point in review.learning_points.all()
        ),
        url=review.url,
        embedded=embedded,
    )


def _reaudit_sentence(due: PartialDate | None) -> str:
    if due is None:
        return ""
    return f"We will check this learning has been embedded by auditing again {_when(due)}."


def _when(date: PartialDate) -> str:
    """'on 8 March 2022', 'in March 2022', 'in 2022' or 'in 2016/17'."""
    return when_text(date)


def _partial(value: object) -> PartialDate | None:
    """A PartialDateField's value; django-stubs types the field as the CharField it stores."""
    return value if isinstance(value, PartialDate) else None


def _long_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _children(count: int) -> str:
    return "child" if count == 1 else "children"


# --- Text helpers shared by the renderers ---------------------------------------------------


def number_words(count: int) -> str:
    """Small numbers in words, as briefs write them ('nine children'); larger ones as digits."""
    return _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)


def join_words(items: Iterable[str]) -> str:
    """'a, b and c', as the seed brief lists organisations."""
    words = [item for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def sentence(text: str) -> str:
    """Text ending in a full stop, unless it already ends a sentence ('… in place.' or
    '… "she/her."')."""
    text = text.strip()
    if not text or text.rstrip("'\"’”)")[-1:] in {".", "!", "?"}:
        return text
    return f"{text}."


def paragraphs(text: str) -> tuple[str, ...]:
    """Blank-line separated paragraphs, each on one line, so every format lays them out alike."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return tuple(" ".join(block.split()) for block in blocks if block.strip())
