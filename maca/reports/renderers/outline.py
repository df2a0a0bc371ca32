"""The brief as a flat run of headings, paragraphs and bullet lists, for the formats that are
documents rather than web pages (Word and Markdown).

Both walk this one outline, so they keep the same headings in the same order; the web page and
PDF use the `reports/_brief_body.html` template, which follows the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from maca.reports import brief as b
from maca.reports.brief import WORDS as W


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


Block = Heading | Para | Bullets


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

    yield Heading(2, W.intro)
    yield from (para(text) for text in brief.intro)

    yield Heading(2, W.children)
    yield from (para(text) for text in brief.children)
    if brief.needs:
        yield para(W.needs_lead_in)
        yield Bullets(tuple((Text(need),) for need in brief.needs))
    elif not brief.children:
        yield para(W.no_children)

    yield Heading(2, W.worries)
    yield _items(brief.worries, W.no_worries)

    yield Heading(2, W.good_practice)
    yield _items(brief.good_practice, W.no_good_practice)

    yield Heading(2, W.themes)
    if not brief.themes:
        yield para(W.no_themes)
    for theme in brief.themes:
        yield Heading(3, theme.title)
        yield Heading(4, W.found)
        yield from (para(text) for text in theme.found)
        if theme.needs_to_happen:
            yield Heading(4, W.needs_to_happen)
            yield from (para(text) for text in theme.needs_to_happen)
        if theme.taken_forward_by:
            yield Heading(4, W.taken_forward)
            yield para(theme.taken_forward_text)

    yield Heading(2, W.escalations)
    if brief.escalations:
        yield para(W.escalations_lead_in)
        yield Bullets(
            tuple(
                (Text(b.sentence(escalation.summary)), Text(f" {escalation.details}"))
                for escalation in brief.escalations
            )
        )
    else:
        yield para(W.no_escalations)

    yield Heading(2, W.actions)
    if brief.actions:
        yield Bullets(tuple(_action(action) for action in brief.actions))
    else:
        yield para(W.no_actions)

    yield Heading(2, W.reviews)
    if not brief.reviews:
        yield para(W.no_reviews)
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

    yield Heading(2, W.agencies)
    yield para(brief.agencies_text)

    yield Heading(2, W.resources)
    if brief.resources:
        yield Bullets(tuple(_resource(resource) for resource in brief.resources))
    else:
        yield para(W.no_resources)

    yield Heading(2, W.reaudit)
    yield para(brief.reaudit_text)


def _items(items: tuple[b.BriefItem, ...], empty: str) -> Block:
    if not items:
        return para(empty)
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
    runs: list[Inline] = [Link(resource.title, resource.url)]
    if resource.description:
        runs.append(Text(f": {resource.description}"))
    return tuple(runs)
