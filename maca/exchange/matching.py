"""What an import would do with each agency, need, review, grading scale and brief template
the document names, worked out before anything is written (`import_plan`).

Each entry is one of three:

- **exact**: stored here with the same keys (short name and name, slug and content, …), so
  there is nothing to ask;
- **similar**: something stored matches only in part (by one of its two names, only ignoring
  letter case, or a scale with the same slug but other levels): the person importing chooses
  whether to use the stored one or add the file's as new, because a name must never quietly
  become another;
- **new**: nothing stored matches; it is added as the file gives it.

Adding a similar entry as new keeps the file's names unless one is already taken (names are
unique here); then the new one gets a numbered name, which the plan shows before anyone
chooses it.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q

from maca.accounts.models import Agency
from maca.audits.models import GradingScale, Need
from maca.core.errors import Refused
from maca.exchange.selectors import brief_template_part, scale_part
from maca.learning.models import Review
from maca.reports.models import BriefTemplate, BriefTemplateVersion


class Verdict(enum.StrEnum):
    EXACT = "exact"
    SIMILAR = "similar"
    NEW = "new"


class Choice(enum.StrEnum):
    STORED = "stored"
    NEW = "new"


# How each kind is named in a choice (`agency:CSC`), said in a sentence, and found in the file.
KINDS = {
    "agency": ("agency", "agencies"),
    "need": ("need", "needs"),
    "review": ("earlier review", "reviews"),
    "scale": ("grading scale", "scales"),
    "template": ("brief template", "brief_template"),
}


@dataclass(frozen=True)
class Match:
    kind: str
    key: str  # the file's own key for it: short name, code, slug or template name
    path: str  # where it is in the file
    in_file: str
    verdict: Verdict
    stored_id: int | None = None
    stored: str = ""
    # What differs from the stored one, as sentences.
    differences: tuple[str, ...] = ()
    # The names it would be added under, where the file's are taken here: (field, new name).
    renamed: tuple[tuple[str, str], ...] = ()
    # Why the stored one cannot be used instead, if it cannot.
    stored_unusable: str = ""

    @property
    def ref(self) -> str:
        """How a choice names it: `agency:CSC`."""
        return f"{self.kind}:{self.key}"

    @property
    def what(self) -> str:
        return KINDS[self.kind][0]

    @property
    def only_case_differs(self) -> bool:
        return self.verdict is Verdict.SIMILAR and self.differences == (CASE_ONLY,)

    @property
    def suggested(self) -> Choice | None:
        """The answer to offer first, if any. Letter case alone is not a different
        organisation, so the stored one; a stored one that cannot serve leaves only new;
        anything else is the person's to decide, so nothing is chosen for them."""
        if self.verdict is not Verdict.SIMILAR:
            return None
        if self.stored_unusable:
            return Choice.NEW
        return Choice.STORED if self.only_case_differs else None

    def new_name(self, name: str, given: str) -> str:
        return dict(self.renamed).get(name, given)

    @property
    def added_as(self) -> str:
        """How it is shown when added as new."""
        if not self.renamed:
            return self.in_file
        return ", ".join(f"{name.replace('_', ' ')} '{value}'" for name, value in self.renamed)


CASE_ONLY = "Only letter case differs"


@dataclass(frozen=True)
class ImportPlan:
    matches: tuple[Match, ...] = ()
    by_ref: dict[str, Match] = field(default_factory=dict)

    @classmethod
    def of(cls, matches: list[Match]) -> ImportPlan:
        return cls(tuple(matches), {match.ref: match for match in matches})

    @property
    def similar(self) -> list[Match]:
        return [match for match in self.matches if match.verdict is Verdict.SIMILAR]

    def get(self, kind: str, key: str) -> Match:
        return self.by_ref[f"{kind}:{key}"]


def import_plan(doc: dict[str, Any]) -> ImportPlan:
    """The plan for a document that has passed `validate_document`. Reads only."""
    matches: list[Match] = []
    for kind, (name_field, title_field, model) in _TWO_NAMED.items():
        for index, item in enumerate(doc.get(KINDS[kind][1], [])):
            path = f"$.{KINDS[kind][1]}[{index}]"
            matches.append(_two_named(kind, path, item, name_field, title_field, model))
    for index, item in enumerate(doc.get("scales", [])):
        matches.append(_scale(f"$.scales[{index}]", item))
    if doc.get("brief_template"):
        matches.append(_template(doc["brief_template"]))
    return ImportPlan.of(matches)


# --- Agencies, needs and reviews: two names each, both unique here ---------------------------

# kind -> (the short key, the long name, the model)
_TWO_NAMED: dict[str, tuple[str, str, type[Model]]] = {
    "agency": ("short_name", "name", Agency),
    "need": ("code", "label", Need),
    "review": ("short_name", "title", Review),
}


# Needs are one shared list known by code (as 903 extracts and the sampling use them): the
# same code is the same need, whatever the file calls it; the plan says where labels differ.
_KEYED_BY_CODE = {"need"}


def _shown(short: str, long: str) -> str:
    return f"{long} ({short})"


def _two_named(
    kind: str, path: str, item: dict[str, Any], short_field: str, long_field: str, model: Any
) -> Match:
    short, long = item[short_field], item[long_field]
    by_short = model.objects.filter(**{short_field: short}).first()
    by_long = model.objects.filter(**{long_field: long}).first()
    in_file = _shown(short, long)
    if by_short is not None and by_short == by_long:
        return Match(kind, short, path, in_file, Verdict.EXACT, by_short.pk, in_file)
    if by_short is not None and kind in _KEYED_BY_CODE:
        stored = _shown(short, getattr(by_short, long_field))
        differences = _name_differences((long_field, long, getattr(by_short, long_field)))
        return Match(kind, short, path, in_file, Verdict.EXACT, by_short.pk, stored, differences)
    found = (
        by_short
        or by_long
        or model.objects.filter(**{f"{short_field}__iexact": short}).first()
        or model.objects.filter(**{f"{long_field}__iexact": long}).first()
    )
    if found is None:
        return Match(kind, short, path, in_file, Verdict.NEW)
    stored_short, stored_long = getattr(found, short_field), getattr(found, long_field)
    return Match(
        kind,
        short,
        path,
        in_file,
        Verdict.SIMILAR,
        found.pk,
        _shown(stored_short, stored_long),
        differences=_name_differences(
            (short_field, short, stored_short), (long_field, long, stored_long)
        ),
        renamed=_free_names(model, ((short_field, short), (long_field, long))),
    )


def _name_differences(*pairs: tuple[str, str, str]) -> tuple[str, ...]:
    if all(given.casefold() == stored.casefold() for _, given, stored in pairs):
        return (CASE_ONLY,)
    return tuple(
        f"The {name.replace('_', ' ')} differs: '{given}' in the file, '{stored}' here"
        for name, given, stored in pairs
        if given != stored
    )


def _free_names(model: Any, fields: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """For each name already taken here (ignoring case), the first numbered one that is not."""
    renamed = []
    for name, value in fields:
        if model.objects.filter(**{f"{name}__iexact": value}).exists():
            limit = model._meta.get_field(name).max_length
            slug = name in {"slug", "code"}
            renamed.append((name, _numbered(value, limit, _taken(model, name), slug=slug)))
    return tuple(renamed)


def _taken(model: Any, name: str) -> Callable[[str], bool]:
    return lambda value: model.objects.filter(**{f"{name}__iexact": value}).exists()


def _numbered(value: str, limit: int, taken: Callable[[str], bool], *, slug: bool) -> str:
    for number in _count_from(2):
        suffix = f"-{number}" if slug else f" ({number})"
        candidate = f"{value[: limit - len(suffix)]}{suffix}"
        if not taken(candidate):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _count_from(start: int) -> Iterator[int]:
    number = start
    while True:
        yield number
        number += 1


# --- Grading scales: a slug, a name and levels -----------------------------------------------


def _scale_content(item: dict[str, Any]) -> dict[str, Any]:
    """A scale as the document gives it, with what may be left out filled in as export does."""
    return {
        "slug": item["slug"],
        "name": item["name"],
        "kind": item["kind"],
        "description": item.get("description", ""),
        "higher_is_better": item.get("higher_is_better", True),
        "levels": sorted(
            (
                {
                    "value": level["value"],
                    "code": level["code"],
                    "label": level["label"],
                    "description": level.get("description", ""),
                    "outcome": level.get("outcome", ""),
                }
                for level in item["levels"]
            ),
            key=lambda level: level["value"],
        ),
    }


def _scale_shown(content: dict[str, Any]) -> str:
    codes = ", ".join(level["code"] for level in content["levels"])
    return f"{content['name']} ({content['slug']}: {codes})"


def _scale(path: str, item: dict[str, Any]) -> Match:
    given = _scale_content(item)
    in_file = _scale_shown(given)
    found = (
        GradingScale.objects.filter(slug=item["slug"]).first()
        or GradingScale.objects.filter(name__iexact=item["name"]).first()
    )
    if found is None:
        return Match("scale", item["slug"], path, in_file, Verdict.NEW)
    stored = scale_part(found)
    if stored == given:
        return Match("scale", item["slug"], path, in_file, Verdict.EXACT, found.pk, in_file)
    stored_codes = {level["code"] for level in stored["levels"]}
    missing = [level["code"] for level in given["levels"] if level["code"] not in stored_codes]
    unusable = (
        f"The stored scale has no level {', '.join(repr(code) for code in missing)}"
        if missing
        else ""
    )
    return Match(
        "scale",
        item["slug"],
        path,
        in_file,
        Verdict.SIMILAR,
        found.pk,
        _scale_shown(stored),
        differences=_scale_differences(given, stored),
        renamed=_free_names(GradingScale, (("slug", item["slug"]), ("name", item["name"]))),
        stored_unusable=unusable,
    )


def _scale_differences(given: dict[str, Any], stored: dict[str, Any]) -> tuple[str, ...]:
    said = {
        "slug": "The slug differs",
        "name": "The name differs",
        "kind": "The kind of scale differs",
        "description": "The description differs",
        "higher_is_better": "Which end is better differs",
        "levels": "The levels differ",
    }
    return tuple(
        f"{sentence}: {_brief_value(given[key])} in the file, {_brief_value(stored[key])} here"
        if key != "levels"
        else f"{sentence}: {_levels(given[key])} in the file, {_levels(stored[key])} here"
        for key, sentence in said.items()
        if given[key] != stored[key]
    )


def _brief_value(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else str(value).lower()
    return text if len(text) <= 60 else f"{text[:57]}…'"


def _levels(levels: list[dict[str, Any]]) -> str:
    return "; ".join(f"{level['value']} {level['code']} '{level['label']}'" for level in levels)


# --- The brief template: matched only when identical ----------------------------------------


def template_fingerprint(part: dict[str, Any]) -> str:
    """What makes two brief template versions the same: everything but the version number and
    notes (a version number is only where it sits in its own template's history)."""
    import json

    content = {key: value for key, value in part.items() if key not in {"version", "notes"}}
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def template_content(item: dict[str, Any]) -> dict[str, Any]:
    """A document's brief template with what may be left out filled in as export does."""
    return {
        "name": item["name"],
        "document_name": item["document_name"],
        "description": item.get("description", ""),
        "version": item.get("version", 1),
        "notes": item.get("notes", ""),
        "sections": [
            {
                "order": section["order"],
                "kind": section["kind"],
                "heading": section["heading"],
                "lead_in": section.get("lead_in", ""),
                "text": section.get("text", ""),
                "if_empty": section.get("if_empty", ""),
                "is_shown": section.get("is_shown", True),
            }
            for section in sorted(item["sections"], key=lambda section: section["order"])
        ],
    }


def _template(item: dict[str, Any]) -> Match:
    given = template_content(item)
    key, path = given["name"], "$.brief_template"
    in_file = f"{given['name']}, version {given['version']}"
    wanted = template_fingerprint(given)
    versions = BriefTemplateVersion.objects.filter(
        Q(template__name=given["name"]) | Q(template__name__iexact=given["name"])
    ).select_related("template")
    for version in versions.prefetch_related("sections"):
        if template_fingerprint(brief_template_part(version)) == wanted:
            stored = f"{version.template.name}, version {version.number}"
            return Match("template", key, path, in_file, Verdict.EXACT, version.pk, stored)
    renamed = _free_names(BriefTemplate, (("name", given["name"]),))
    return Match("template", key, path, in_file, Verdict.NEW, renamed=renamed)


# --- Choosing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decisions:
    """Which entries use a stored row. Exact ones always do; new ones never."""

    plan: ImportPlan
    choices: Mapping[str, Choice]

    def uses_stored(self, match: Match) -> bool:
        if match.verdict is Verdict.SIMILAR:
            return self.choices[match.ref] is Choice.STORED
        return match.verdict is Verdict.EXACT


class MatchesToConfirm(Refused):
    """Some entries match stored ones only in part and nobody has said what to do with them.
    Nothing was saved."""

    def __init__(self, plan: ImportPlan, undecided: list[Match]) -> None:
        self.plan = plan
        self.undecided = undecided
        super().__init__(
            "Choose whether to use the stored one or add the file's as new for: "
            + ", ".join(match.ref for match in undecided)
        )


def decide(
    plan: ImportPlan, choices: Mapping[str, Choice], similar: Choice | None = None
) -> Decisions:
    """Each similar entry's choice, from `choices` (by ref) or else `similar` for them all;
    `MatchesToConfirm` if any is left without one. Choices for entries that are not similar
    (the stored rows changed since they were made) are not needed and are left aside."""
    chosen: dict[str, Choice] = {}
    undecided = []
    for match in plan.similar:
        choice = choices.get(match.ref, similar)
        if choice is None:
            undecided.append(match)
        else:
            chosen[match.ref] = choice
    if undecided:
        raise MatchesToConfirm(plan, undecided)
    return Decisions(plan, chosen)


def describe(match: Match, decisions: Decisions) -> str:
    """What the import did with it, as one sentence."""
    what = match.what.capitalize()
    if decisions.uses_stored(match):
        chosen = ", as chosen" if match.verdict is Verdict.SIMILAR else ""
        return f"{what} '{match.in_file}' matched the stored '{match.stored}'{chosen}."
    if match.verdict is Verdict.SIMILAR:
        return (
            f"{what} '{match.in_file}' added as new ({match.added_as}), as chosen, rather than "
            f"matched to the stored '{match.stored}'."
        )
    if match.renamed:
        return f"{what} '{match.in_file}' added as new ({match.added_as}: its name is taken here)."
    return f"{what} '{match.in_file}' added as new."
