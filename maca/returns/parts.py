"""The return in parts, one page each: "About this return", every section of the tool, then the
summary. The return's page lists them with their status (the GOV.UK "complete multiple tasks"
pattern) so an auditor can fill a long return a section at a time and see what is left."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404, QueryDict

from maca.returns.forms import HEADER_NAMES, OVERALL_NAMES, Raw, raw_from_post, section_names
from maca.returns.structure import Problem, ReturnStructure

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"

ABOUT = "about"
SUMMARY = "summary"


@dataclass(frozen=True)
class ReturnPart:
    slug: str  # the page's address: "about", "section-3" or "summary"
    title: str
    names: frozenset[str]  # the form fields on its page

    @property
    def section_order(self) -> int | None:
        if self.slug.startswith("section-"):
            return int(self.slug.removeprefix("section-"))
        return None


@dataclass(frozen=True)
class PartStatus:
    part: ReturnPart
    status: str


def return_parts(structure: ReturnStructure) -> list[ReturnPart]:
    """Every part, in the order of the one-page form."""
    parts = [ReturnPart(ABOUT, "About this return", frozenset(HEADER_NAMES))]
    for section in structure.sections:
        title = f"{section.section.order}. {section.section.title}"
        names = frozenset(section_names(section))
        parts.append(ReturnPart(f"section-{section.section.order}", title, names))
    parts.append(ReturnPart(SUMMARY, "Summary and overall grade", frozenset(OVERALL_NAMES)))
    return parts


def part_for(structure: ReturnStructure, slug: str) -> tuple[ReturnPart, ReturnPart | None]:
    """The part at `slug` and the one after it (None after the last); 404 for no such part."""
    parts = return_parts(structure)
    for index, part in enumerate(parts):
        if part.slug == slug:
            return part, parts[index + 1] if index + 1 < len(parts) else None
    raise Http404("No such part of the return")


def with_part_posted(
    structure: ReturnStructure, saved: Raw, post: QueryDict, part: ReturnPart
) -> Raw:
    """The whole return as saved, with this part's fields as posted: a part's page sends only
    its own fields, and the others must keep what was saved."""
    posted = raw_from_post(structure, post)
    return {**saved, **{name: value for name, value in posted.items() if name in part.names}}


def _filled(value: object) -> bool:
    if isinstance(value, list | tuple):
        return any(str(item).strip() for item in value)
    return bool(str(value or "").strip())


def part_statuses(
    structure: ReturnStructure, saved: Raw, problems: Iterable[Problem]
) -> list[PartStatus]:
    """Each part: not started while nothing in it is filled, completed once nothing in it
    stops the return being submitted, in progress in between."""
    open_keys = {problem.key for problem in problems}
    statuses = []
    for part in return_parts(structure):
        if not any(_filled(saved.get(name)) for name in part.names):
            status = NOT_STARTED
        elif open_keys & part.names:
            status = IN_PROGRESS
        else:
            status = COMPLETED
        statuses.append(PartStatus(part, status))
    return statuses
