"""The brief as a flat run of headings, paragraphs and bullet lists, for the formats that are
documents rather than web pages (Word and Markdown).

Both walk this one outline, so they keep the same headings in the same order; the web page and
PDF use the `reports/_brief_body.html` template, which follows the same order: the sections of
the brief's template, each drawn by the function for its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from maca.reports import brief as b
from maca.reports.brief import WORDS as W
from maca.reports.brief_sections import BriefSection, SectionKind


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = Text | Link


@dataclass(frozen=True)
class Heading:
    """Level 1 is the document title; 2 a section; 3 an item in a section; 4 a part of one."""

    level: int
    text: str


@dataclass(frozen=True)
class Para:
    runs: tuple[Inline, ...]
    subtitle: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]  # the first cell heads the row labels
    rows: tuple[tuple[str, ...], ...]  # each row: its label, then one cell a column


Block = Heading | Para | Bullets | Table


def para(text: str, **kwargs: bool) -> Para:
    return Para((Text(text),), **kwargs)


def outline(brief: b.Brief) -> list[Block]:
    return list(_blocks(brief))


def _blocks(brief: b.Brief) -> Iterator[Block]:
    yield Heading(1, brief.title)
    yield para(brief.subtitle, subtitle=True)
    if brief.published_on:
        yield para(f"Published {brief.published_on}", subtitle=True)
    if brief.is_draft:
        yield Para((Text("Draft: ", bold=True), Text(W.draft_notice)))
    for section, empty in brief.shown_sections:
        yield Heading(2, section.heading)
        if empty:
            yield para(section.if_empty)
            continue
        if section.lead_in:
            yield para(section.lead_in)
        yield from _SECTION_BLOCKS[section.kind](brief, section)


def _text(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield from (para(text) for text in section.text)


def _questions(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield Bullets(tuple((Text(text),) for text in section.text))


def _intro(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield from (para(text) for text in brief.intro)


def _scope(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    for label, value in brief.scope:
        yield Para((Text(f"{label}: ", bold=True), Text(value)))


def _cohort(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield from (para(text) for text in brief.children)
    yield from (para(text) for text in brief.cohort_figures)
    if brief.needs:
        yield para(W.needs_lead_in)
        yield Bullets(tuple((Text(need),) for need in brief.needs))


def _grades(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    if brief.grades is None:
        return
    yield para(brief.grades.lead)
    yield Bullets(tuple((Text(count),) for count in brief.grades.counts))
    yield para(brief.grades.rounding)


def _programme(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    for linked in brief.linked_audits:
        yield Heading(3, linked.heading)
        yield para(f"{W.audit_relationship}: {linked.relationship}.")
        yield from (para(text) for text in linked.note)
        for label, value in linked.scope:
            yield Para((Text(f"{label}: ", bold=True), Text(value)))
        yield from (para(text) for text in linked.cohort)
        if linked.grades is not None:
            yield para(linked.grades.lead)
            yield Bullets(tuple((Text(count),) for count in linked.grades.counts))
            yield para(linked.grades.rounding)
    if brief.comparison is not None:
        comparison = brief.comparison
        yield Table(
            caption=comparison.caption,
            header=("", *comparison.columns),
            rows=tuple((label, *values) for label, values in comparison.rows),
        )


def _worries(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield _items(brief.worries)


def _good_practice(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield _items(brief.good_practice)


def _themes(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    for theme in brief.themes:
        yield Heading(3, theme.title)
        for label, texts in (
            (W.found, theme.found),
            (W.strengths, theme.strengths),
            (W.needs_to_happen, theme.needs_to_happen),
        ):
            if texts:
                yield Heading(4, label)
                yield from (para(text) for text in texts)
        if theme.taken_forward_by:
            yield Heading(4, W.taken_forward)
            yield para(theme.taken_forward_text)


def _escalations(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield Bullets(
        tuple(
            (Text(b.sentence(escalation.summary)), Text(f" {escalation.details}"))
            for escalation in brief.escalations
        )
    )


def _actions(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield Bullets(tuple(_action(action) for action in brief.actions))


def _reviews(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    for review in brief.reviews:
        yield Heading(3, review.title)
        yield para(f"{W.relationship}: {review.relationship}.")
        yield from (para(text) for text in review.note)
        if review.learning_points:
            yield para(W.learning_points_lead_in)
            yield Bullets(tuple((Text(point),) for point in review.learning_points))
        if review.embedded:
            yield para(W.embedded_lead_in)
            yield Bullets(
                tuple(
                    (Text(f"{check.label}: ", bold=True), Text(check.sentence))
                    for check in review.embedded
                )
            )
        if review.url:
            yield Para((Link(f"Read the {review.title}", review.url),))


def _agencies(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield para(brief.agencies_text)


def _resources(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield Bullets(tuple(_resource(resource) for resource in brief.resources))


def _reaudit(brief: b.Brief, section: BriefSection) -> Iterator[Block]:
    yield para(brief.reaudit_text)


K = SectionKind
_SECTION_BLOCKS: dict[str, Callable[[b.Brief, BriefSection], Iterator[Block]]] = {
    K.TEXT: _text,
    K.QUESTIONS: _questions,
    K.INTRO: _intro,
    K.SCOPE: _scope,
    K.COHORT: _cohort,
    K.GRADES: _grades,
    K.PROGRAMME: _programme,
    K.WORRIES: _worries,
    K.GOOD_PRACTICE: _good_practice,
    K.THEMES: _themes,
    K.ESCALATIONS: _escalations,
    K.ACTIONS: _actions,
    K.REVIEWS: _reviews,
    K.AGENCIES: _agencies,
    K.RESOURCES: _resources,
    K.REAUDIT: _reaudit,
}


def _items(items: tuple[b.BriefItem, ...]) -> Block:
    return Bullets(
        tuple(
            (Text(item.lead), Text(f" {item.credit}", italic=True))
            if item.credit
            else (Text(item.text),)
            for item in items
        )
    )


def _action(action: b.BriefAction) -> tuple[Inline, ...]:
    return (Text(b.sentence(action.description), bold=True), Text(f" {action.details_text}"))


def _resource(resource: b.BriefResource) -> tuple[Inline, ...]:
    runs: list[Inline] = [
        Link(resource.title, resource.url) if resource.url else Text(resource.title)
    ]
    if resource.description:
        runs.append(Text(f": {resource.description}"))
    return tuple(runs)
