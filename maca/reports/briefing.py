"""The 7-minute briefing (docs/domain.md §2.3): one page, seven numbered boxes, for a team manager
to present at a team meeting. Generated from the same `Brief` as the learning brief (so the
same findings, and nothing that identifies a child), shortened to fit.

`detail` runs from 0 (the most the page can hold) upwards; the PDF renderer tries each level
until the briefing fits on one A4 page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from maca.reports.brief import Brief, join_words, sentence
from maca.reports.brief_sections import SectionKind

MAX_DETAIL = 4

# How many items each box keeps at each level of detail.
_LIMITS = {
    # detail: (worries, good practice, themes, actions, resources, words per text)
    0: (6, 4, 4, 5, 5, 60),
    1: (5, 3, 3, 4, 4, 45),
    2: (4, 2, 3, 3, 3, 32),
    3: (3, 2, 2, 2, 2, 24),
    4: (2, 1, 2, 2, 1, 16),
}

WANDSWORTH_PROMPTS = (
    "What are your key thoughts from this briefing?",
    "How will we know the learning is embedded in our work?",
    "How will it go into our team plan?",
)


@dataclass(frozen=True)
class Box:
    number: int
    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SevenMinuteBriefing:
    slug: str
    title: str
    partnership_name: str
    date_text: str
    is_draft: bool
    boxes: tuple[Box, ...]
    detail: int

    @property
    def document_title(self) -> str:
        return f"7-minute briefing: {self.title}"

    @property
    def filename_stem(self) -> str:
        return f"{self.slug}-7-minute-briefing"


def shorten(text: str, words: int) -> str:
    """The first sentence, cut to a number of words; briefings are read aloud in seven
    minutes."""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]
    parts = first.split()
    if len(parts) <= words:
        return first
    return " ".join(parts[:words]).rstrip(",;:–-") + "…"


def _more(total: int, shown: int, what: str) -> tuple[str, ...]:
    hidden = total - shown
    return (f"And {hidden} more {what} in the full learning brief.",) if hidden > 0 else ()


@dataclass(frozen=True)
class _Limits:
    worries: int
    good: int
    themes: int
    actions: int
    resources: int
    words: int


def build_briefing(brief: Brief, *, brief_url: str = "", detail: int = 0) -> SevenMinuteBriefing:
    """The seven boxes, from the parts of the brief its template includes. A box with nothing
    to say is left out (and the rest numbered on), so the briefing asserts nothing the audit
    does not hold."""
    limits = _Limits(*_LIMITS[min(detail, MAX_DETAIL)])
    shown = _shown_brief(brief)
    contents = (
        ("Background", _background(shown, limits), ()),
        ("Why it matters", _why(shown, limits), ()),
        ("What we found", _found(shown, limits, detail), _found_bullets(shown, limits)),
        ("What it means for practice", (), _means(shown, limits)),
        ("What to do: our expectations", (), _to_do(shown, limits)),
        (_questions_title(shown), (), _questions(shown, limits, detail)),
    )
    boxes = [
        Box(0, title, paragraphs=tuple(texts), bullets=tuple(bullets))
        for title, texts, bullets in contents
        if texts or bullets
    ]
    links = [(resource.title, resource.url) for resource in shown.resources if resource.url]
    links = links[: limits.resources]
    if brief_url:
        links.insert(0, (f"The full {brief.document_name.lower()}", brief_url))
    further = tuple(text for text in (shown.reaudit_text,) if text)
    if further or links:
        boxes.append(Box(0, "Further information", paragraphs=further, links=tuple(links)))
    return SevenMinuteBriefing(
        slug=brief.slug,
        title=brief.title,
        partnership_name=brief.partnership_name,
        date_text=brief.date_text,
        is_draft=brief.is_draft,
        boxes=tuple(replace(box, number=number) for number, box in enumerate(boxes, 1)),
        detail=detail,
    )


def _shown_brief(brief: Brief) -> Brief:
    """The brief without the parts its template leaves out, so the briefing follows it."""
    kinds = {section.kind for section in brief.sections}
    hidden: dict[str, object] = {}
    for kind, field in _FIELDS_OF_KIND.items():
        if kind not in kinds:
            value = getattr(brief, field)
            hidden[field] = None if field == "grades" else type(value)()
    return replace(brief, **hidden)  # type: ignore[arg-type]


_FIELDS_OF_KIND = {
    SectionKind.INTRO: "intro",
    SectionKind.COHORT: "cohort_figures",
    SectionKind.GRADES: "grades",
    SectionKind.PROGRAMME: "linked_audits",
    SectionKind.WORRIES: "worries",
    SectionKind.GOOD_PRACTICE: "good_practice",
    SectionKind.THEMES: "themes",
    SectionKind.ACTIONS: "actions",
    SectionKind.REVIEWS: "reviews",
    SectionKind.AGENCIES: "agencies_text",
    SectionKind.RESOURCES: "resources",
    SectionKind.REAUDIT: "reaudit_text",
}


def _written(brief: Brief, kind: str) -> tuple[str, ...]:
    return tuple(
        text for section in brief.sections if section.kind == kind for text in section.text
    )


def _background(brief: Brief, limits: _Limits) -> list[str]:
    background = [shorten(brief.intro[0], limits.words * 2)] if brief.intro else []
    # The cohort as the audit stated it; case rows' count is already in the introduction.
    background += brief.cohort_figures
    if brief.linked_audits:
        covered = join_words(linked.heading for linked in brief.linked_audits)
        background.append(f"This briefing also covers {covered}.")
    return background + ([brief.agencies_text] if brief.agencies_text else [])


def _why(brief: Brief, limits: _Limits) -> list[str]:
    written = _written(brief, SectionKind.TEXT)
    return [shorten(text, limits.words) for text in (written or brief.intro[1:3])[:2]]


def _found(brief: Brief, limits: _Limits, detail: int) -> list[str]:
    good_bullets = [shorten(item.text, limits.words) for item in brief.good_practice[: limits.good]]
    found = []
    if brief.grades is not None:
        # Never shortened: a percentage without its base or rounding would mislead.
        counts = "; ".join(brief.grades.counts)
        found.append(f"{brief.grades.lead} {counts}. {brief.grades.rounding}")
    if good_bullets:
        found.append(
            "Good practice: " + "; ".join(sentence(b).rstrip(".") for b in good_bullets) + "."
        )
    for review in brief.reviews:
        for check in review.embedded[: max(1, 4 - detail)]:
            found.append(f"{review.title}, {check.label.lower()}: {check.sentence}")
    return found


def _found_bullets(brief: Brief, limits: _Limits) -> tuple[str, ...]:
    bullets = [shorten(item.text, limits.words) for item in brief.worries[: limits.worries]]
    return (*bullets, *_more(len(brief.worries), limits.worries, "worries"))


def _means(brief: Brief, limits: _Limits) -> tuple[str, ...]:
    means = [
        f"{theme.title}: {shorten(theme.found[0], limits.words) if theme.found else ''}".rstrip(
            ": "
        )
        for theme in brief.themes[: limits.themes]
    ]
    return (*means, *_more(len(brief.themes), limits.themes, "themes for learning"))


def _to_do(brief: Brief, limits: _Limits) -> tuple[str, ...]:
    to_do = [
        shorten(" ".join(theme.needs_to_happen), limits.words)
        + (f" ({theme.taken_forward_text})" if theme.taken_forward_by else "")
        for theme in brief.themes[: limits.themes]
        if theme.needs_to_happen
    ]
    for action in brief.actions[: limits.actions]:
        said = "; ".join(part for part in (action.owners_text, action.status_text.lower()) if part)
        to_do.append(shorten(action.description, limits.words) + (f" ({said})" if said else ""))
    return tuple(to_do)


def _questions_title(brief: Brief) -> str:
    for section in brief.sections:
        if section.kind == SectionKind.QUESTIONS:
            return section.heading
    return "Questions for reflection in your team"


def _questions(brief: Brief, limits: _Limits, detail: int) -> tuple[str, ...]:
    """The coordinator's own questions when the template has them; otherwise questions drawn
    from the themes, and the usual prompts for a team."""
    written = _written(brief, SectionKind.QUESTIONS)
    if written:
        return written[: 3 + limits.themes]
    questions = [
        f"What would we find about '{theme.title.lower()}' in our own cases?"
        for theme in brief.themes[: max(1, limits.themes - 1)]
    ]
    return (*questions, *WANDSWORTH_PROMPTS[: 3 if detail < 3 else 2])
