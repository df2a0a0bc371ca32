"""The 7-minute briefing (docs/domain.md §2.3): one page, seven numbered boxes, for a team manager
to present at a team meeting. Generated from the same `Brief` as the learning brief (so the
same findings, and nothing that identifies a child), shortened to fit.

`detail` runs from 0 (the most the page can hold) upwards; the PDF renderer tries each level
until the briefing fits on one A4 page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from maca.reports.brief import Brief, join_words, sentence

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


def build_briefing(brief: Brief, *, brief_url: str = "", detail: int = 0) -> SevenMinuteBriefing:
    worries, good, themes, actions, resources, words = _LIMITS[min(detail, MAX_DETAIL)]

    background = [shorten(brief.intro[0], words * 2)] if brief.intro else []
    background.append(brief.agencies_text)

    why = [shorten(text, words) for text in brief.intro[1:3]] or [
        "Audits check that children get the help they need and that learning from earlier "
        "reviews has changed practice."
    ]

    found_bullets = [shorten(item.text, words) for item in brief.worries[:worries]]
    found_bullets += _more(len(brief.worries), worries, "worries")
    good_bullets = [shorten(item.text, words) for item in brief.good_practice[:good]]
    found = []
    if good_bullets:
        found.append(
            "Good practice: " + "; ".join(sentence(b).rstrip(".") for b in good_bullets) + "."
        )
    for review in brief.reviews:
        for check in review.embedded[: max(1, 4 - detail)]:
            found.append(f"{review.title}, {check.label.lower()}: {check.sentence}")

    means = [
        f"{theme.title}: {shorten(theme.found[0], words) if theme.found else ''}".rstrip(": ")
        for theme in brief.themes[:themes]
    ]
    means += _more(len(brief.themes), themes, "themes for learning")

    to_do = [
        shorten(" ".join(theme.needs_to_happen), words)
        + (f" ({theme.taken_forward_text})" if theme.taken_forward_by else "")
        for theme in brief.themes[:themes]
        if theme.needs_to_happen
    ]
    to_do += [
        f"{shorten(action.description, words)} ({action.owners_text}; {action.status_text.lower()})"
        for action in brief.actions[:actions]
    ]

    questions = [
        f"What would we find about '{theme.title.lower()}' in our own cases?"
        for theme in brief.themes[: max(1, themes - 1)]
    ]
    questions += WANDSWORTH_PROMPTS[: 3 if detail < 3 else 2]

    links = [(resource.title, resource.url) for resource in brief.resources[:resources]]
    if brief_url:
        links.insert(0, ("The full learning brief", brief_url))
    further = [brief.reaudit_text]

    boxes = (
        Box(1, "Background", paragraphs=tuple(background)),
        Box(2, "Why it matters", paragraphs=tuple(why)),
        Box(3, "What we found", paragraphs=tuple(found), bullets=tuple(found_bullets)),
        Box(4, "What it means for practice", bullets=tuple(means)),
        Box(5, "What to do: our expectations", bullets=tuple(to_do)),
        Box(6, "Questions for reflection in your team", bullets=tuple(questions)),
        Box(7, "Further information", paragraphs=tuple(further), links=tuple(links)),
    )
    return SevenMinuteBriefing(
        slug=brief.slug,
        title=brief.title,
        partnership_name=brief.partnership_name,
        date_text=brief.date_text,
        is_draft=brief.is_draft,
        boxes=boxes,
        detail=detail,
    )


def boxes_text(briefing: SevenMinuteBriefing) -> str:
    """Everything the boxes say, for checks that nothing identifies a child."""
    parts = []
    for box in briefing.boxes:
        parts += [box.title, *box.paragraphs, *box.bullets, *(title for title, _ in box.links)]
    return join_words(parts)
