"""The whole-audit document: its JSON Schema, the checks beyond the schema (references
between its parts), and the tool fingerprint. Both export and import use this module, so what
one writes the other reads.

Every problem is given as a JSON path into the document, e.g. `$.cases[3].pseudonym`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from maca.core.errors import Refused
from maca.core.partial_dates import PartialDate
from maca.exchange.schema_build import (
    FORMAT,
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    SCHEMA_ID,
    SCHEMA_PATH,
)

MAX_PROBLEMS = 200

# Keys a 903 `facts` object must never carry: these identify a child and live, encrypted, in
# `maca.identifiers`. Export leaves them out and import refuses them.
IDENTIFIER_KEYS = frozenset(
    {
        "child",
        "child_id",
        "la_child_id",
        "upn",
        "nhs_number",
        "dob",
        "date_of_birth",
        "name",
        "full_name",
        "first_name",
        "surname",
        "postcode",
        "home_postcode",
        "pl_post",
    }
)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DocumentInvalid(Refused):
    """The document cannot be imported; `problems` says where and why (the import page and the
    API list each by its JSON path). Nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.more = max(0, len(problems) - MAX_PROBLEMS)
        super().__init__("; ".join(str(problem) for problem in self.problems[:5]))


# --- Reading the JSON -----------------------------------------------------------------------
# Python's JSON reader accepts what the format never needs and what breaks what follows it:
# nesting thousands of levels deep (the checks below recurse), numbers too large for any column,
# field names of any length, the same field twice (the last silently wins). The document is
# read as I-JSON (RFC 7493) with a depth and a field-name limit; each problem is named by its
# JSON path like any other.

# The format's deepest value is six levels down (`$.returns[0].answers[0].grade.code`); the
# facts of a case leave room for more, but never this much.
MAX_DEPTH = 32
MAX_KEY_LENGTH = 200
# I-JSON's interoperable range: beyond it numbers lose precision in most JSON readers.
LARGEST_NUMBER = 2**53 - 1
_LONGEST_NUMBER_TEXT = 40


class _NotANumber(ValueError):
    pass


def _no_constant(name: str) -> Any:
    # Python reads NaN and Infinity; JSON has neither, and no database column takes them.
    raise _NotANumber(name)


@dataclass(frozen=True)
class _OutOfRange:
    """Stands in for a number too large to keep, so the walk can name where it was."""

    text: str

    def message(self) -> str:
        shown = (
            self.text if len(self.text) <= 24 else f"{self.text[:20]}… ({len(self.text)} digits)"
        )
        return (
            f"{shown} is out of range: numbers must be between -{LARGEST_NUMBER} and "
            f"{LARGEST_NUMBER}"
        )


class _RepeatedFields(dict[str, Any]):
    """An object that named some field more than once (JSON readers disagree on which wins)."""

    repeated: list[str]


def _integer(text: str) -> int | _OutOfRange:
    if len(text) > _LONGEST_NUMBER_TEXT:  # never hand int() thousands of digits
        return _OutOfRange(text)
    value = int(text)
    return value if abs(value) <= LARGEST_NUMBER else _OutOfRange(text)


def _decimal_number(text: str) -> float | _OutOfRange:
    if len(text) > _LONGEST_NUMBER_TEXT:
        return _OutOfRange(text)
    value = float(text)
    return value if math.isfinite(value) and abs(value) <= LARGEST_NUMBER else _OutOfRange(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    marked = _RepeatedFields(result)
    counts = Counter(key for key, _ in pairs)
    marked.repeated = [key for key, count in counts.items() if count > 1]
    return marked


def _shown_path(parts: Iterable[Any]) -> str:
    return _path(
        part if isinstance(part, int) or len(part) <= 40 else f"{part[:40]}..." for part in parts
    )


# Only these can hold a problem; plain text, numbers, booleans and null are not visited.
_VISITED = (dict, list, _OutOfRange)


def _structure_problems(root: Any) -> list[Problem]:
    """Walks the parsed document without recursion (it may be thousands of levels deep)."""
    problems: list[Problem] = []
    pending: list[tuple[Any, tuple[Any, ...]]] = [(root, ())] if isinstance(root, _VISITED) else []
    while pending and len(problems) <= MAX_PROBLEMS:
        node, parts = pending.pop()
        if isinstance(node, _OutOfRange):
            problems.append(Problem(_shown_path(parts), node.message()))
        elif len(parts) >= MAX_DEPTH:
            problems.append(
                Problem(
                    _shown_path(parts),
                    f"is nested too deeply: the document may be at most {MAX_DEPTH} levels deep",
                )
            )
        elif isinstance(node, dict):
            if type(node) is _RepeatedFields:
                problems.extend(
                    Problem(_shown_path((*parts, key)), "is given more than once in its object")
                    for key in node.repeated
                )
            for key, value in node.items():
                if len(key) > MAX_KEY_LENGTH:
                    problems.append(
                        Problem(
                            _shown_path((*parts, key)),
                            f"is a field name of {len(key)} characters; the longest accepted "
                            f"is {MAX_KEY_LENGTH}",
                        )
                    )
                elif isinstance(value, _VISITED):
                    pending.append((value, (*parts, key)))
        else:
            pending.extend(
                (value, (*parts, index))
                for index, value in enumerate(node)
                if isinstance(value, _VISITED)
            )
    return sorted(problems, key=lambda problem: _sort_key(problem.path))


def parse_json(text: str) -> Any:
    """The document read from JSON text, or `DocumentInvalid` naming every place where it is
    not JSON this format can hold."""
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_integer,
            parse_float=_decimal_number,
            parse_constant=_no_constant,
        )
    except _NotANumber as error:
        raise DocumentInvalid([Problem("$", f"Not valid JSON: {error} is not a number")]) from None
    except json.JSONDecodeError as error:
        raise DocumentInvalid(
            [
                Problem(
                    "$", f"Not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
                )
            ]
        ) from None
    except RecursionError:
        raise DocumentInvalid(
            [
                Problem(
                    "$",
                    f"is nested too deeply: the document may be at most {MAX_DEPTH} levels deep",
                )
            ]
        ) from None
    problems = _structure_problems(document)
    if problems:
        raise DocumentInvalid(problems)
    return document


# --- The schema -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def json_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json_schema())


def _path(parts: Iterable[Any]) -> str:
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(part)):
            text += f".{part}"
        else:
            text += f"[{json.dumps(str(part))}]"
    return text


def _schema_problems(error: SchemaError) -> Iterator[Problem]:
    where = list(error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        for name in error.validator_value:
            if name not in instance:
                yield Problem(_path([*where, name]), "is required")
        return
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for name in sorted(set(instance) - allowed):
            yield Problem(_path([*where, name]), "is not a field of this format")
        return
    if error.validator == "const":
        yield Problem(_path(where), f"must be {json.dumps(error.validator_value)}")
        return
    if error.validator == "enum":
        values = ", ".join(json.dumps(v) for v in error.validator_value)
        yield Problem(_path(where), f"must be one of {values}")
        return
    if error.validator == "anyOf" and instance is not None:
        # A nullable part that is not null: what is wrong inside it is the useful answer.
        inner = [sub for sub in error.context or [] if sub.validator != "type" or sub.path]
        if inner:
            for sub in inner:
                yield from _schema_problems(sub)
            return
    if error.validator in {"type", "anyOf"}:
        kinds = error.validator_value if error.validator == "type" else "the documented shape"
        wanted = " or ".join(kinds) if isinstance(kinds, list) else str(kinds)
        yield Problem(_path(where), f"must be {wanted}, not {json.dumps(instance)[:60]}")
        return
    yield Problem(_path(where), _plain_message(error))


def _plain_message(error: SchemaError) -> str:
    limit = error.validator_value
    if error.validator == "pattern":
        shape = error.schema.get("description") if isinstance(error.schema, dict) else None
        shown = json.dumps(error.instance)[:60]
        return f"{shown} is not in the form {shape}" if shape else f"{shown} is not in the form"
    if error.validator == "maxLength":
        return f"must be {limit} characters or fewer"
    if error.validator == "minLength":
        return "must not be empty" if limit == 1 else f"must be at least {limit} characters"
    if error.validator == "minimum":
        return f"must be {limit} or more"
    if error.validator == "maximum":
        return f"must be {limit} or less"
    if error.validator == "minItems":
        return f"must have at least {limit} item{'s' if limit != 1 else ''}"
    return error.message[:300]


def schema_problems(document: Any) -> list[Problem]:
    problems: list[Problem] = []
    for error in _validator().iter_errors(document):
        problems.extend(_schema_problems(error))
    return sorted(set(problems), key=lambda problem: _sort_key(problem.path))


def _sort_key(path: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"[\[\].]+", path) if part]


# --- Values ---------------------------------------------------------------------------------


def parse_datetime(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("no time zone")
    return value


def datetime_text(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def date_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def partial_text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, PartialDate) else None


def number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- The tool fingerprint -------------------------------------------------------------------


def tool_fingerprint(sections: list[dict[str, Any]]) -> str:
    """SHA-256 of a tool's sections and questions as the document gives them, so the same
    content always has the same fingerprint wherever it came from."""
    content = [
        {
            "order": section["order"],
            "title": section["title"],
            "help_text": section.get("help_text", ""),
            "grading_scale": section.get("grading_scale"),
            "questions": [
                {
                    "order": question["order"],
                    "code": question["code"],
                    "text": question["text"],
                    "help_text": question.get("help_text", ""),
                    "kind": question["kind"],
                    "scale": question.get("scale"),
                    "choices": list(question.get("choices", [])),
                    "requires_reason": bool(question.get("requires_reason", False)),
                    "standard": question.get("standard", ""),
                    "applies_to_sectors": sorted(question.get("applies_to_sectors", [])),
                    "applies_to_agencies": sorted(question.get("applies_to_agencies", [])),
                    "learning_point": question.get("learning_point"),
                }
                for question in sorted(section.get("questions", []), key=lambda q: q["order"])
            ],
        }
        for section in sorted(sections, key=lambda s: s["order"])
    ]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- References between the parts ----------------------------------------------------------


class _Checker:
    """Collects the problems, and what the document's parts name once (scales, agencies,
    reviews, the tool's questions, cases…) as each part is checked, for the parts after it
    that refer to them."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.scales: dict[str, set[str]] = {}
        self.agencies: set[str] = set()
        self.taking_part: set[str] = set()
        self.needs: set[str] = set()
        self.reviews: set[str] = set()
        self.points: set[tuple[str, int]] = set()
        self.has_tool = doc.get("tool") is not None
        self.questions: dict[str, dict[str, Any]] = {}
        self.sections: set[int] = set()
        self.cases: set[str] = set()
        self.returns: set[tuple[str, str]] = set()
        self.escalations: set[str] = set()
        self.findings: set[str] = set()

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def items(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        return [(f"$.{key}[{index}]", item) for index, item in enumerate(self.doc.get(key, []))]

    def unique(self, key: str, field: str, what: str, *, fold: bool = False) -> set[str]:
        seen: dict[str, int] = {}
        for path, item in self.items(key):
            value = item[field]
            norm = value.casefold() if fold else value
            if norm in seen:
                self.add(f"{path}.{field}", f"{what} {value!r} appears more than once")
            else:
                seen[norm] = 1
        return {item[field] for _, item in self.items(key)}

    def refer(self, path: str, value: Any, known: set[Any], what: str) -> None:
        if value is not None and value not in known:
            self.add(path, f"{what} {value!r} is not in the document")

    def date(self, path: str, value: str | None) -> None:
        if value is None:
            return
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            self.add(path, f"{value!r} is not a real date")

    def partial(self, path: str, value: str | None) -> None:
        if value is None:
            return
        try:
            PartialDate.parse(value)
        except ValueError as error:
            self.add(path, str(error))

    def moment(self, path: str, value: str | None) -> None:
        if value is None:
            return
        try:
            parse_datetime(value)
        except ValueError:
            self.add(path, f"{value!r} is not a real date and time with a time zone")

    def dates(self, path: str, item: dict[str, Any], kinds: dict[str, str]) -> None:
        for name, kind in kinds.items():
            value = item.get(name)
            {"date": self.date, "partial": self.partial, "moment": self.moment}[kind](
                f"{path}.{name}", value
            )

    def scale_ref(self, path: str, slug: str | None) -> None:
        self.refer(path, slug, set(self.scales), "Scale")

    def grade(self, path: str, value: dict[str, str] | None) -> None:
        if value is None:
            return
        if value["scale"] not in self.scales:
            self.add(f"{path}.scale", f"Scale {value['scale']!r} is not in `scales`")
        elif value["code"] not in self.scales[value["scale"]]:
            self.add(f"{path}.code", f"Scale {value['scale']!r} has no level {value['code']!r}")

    def point_ref(self, path: str, ref: dict[str, Any] | None) -> None:
        if ref is None:
            return
        if ref["review"] not in self.reviews:
            self.add(f"{path}.review", f"Review {ref['review']!r} is not in `reviews`")
        elif (ref["review"], ref["order"]) not in self.points:
            self.add(f"{path}.order", f"{ref['review']} has no learning point {ref['order']}")

    def question_ref(self, path: str, code: str | None) -> None:
        if code is None:
            return
        if not self.has_tool:
            self.add(path, f"Question {code!r} is named but the document has no `tool`")
        elif code not in self.questions:
            self.add(path, f"Question {code!r} is not in the tool")


def reference_problems(doc: dict[str, Any]) -> list[Problem]:
    """Everything the schema cannot say: unique keys, references that must resolve, real
    dates, grades that exist on their scale. Call only on a schema-valid document."""
    c = _Checker(doc)
    _check_version(c)
    _check_audit_dates(c)
    _check_linked_audits(c)
    c.scales = _check_scales(c)
    c.scale_ref("$.audit.overall_scale", doc["audit"].get("overall_scale"))
    c.agencies = c.unique("agencies", "short_name", "Agency short name", fold=True)
    c.unique("agencies", "name", "Agency name", fold=True)
    for path, agency in c.items("agencies"):
        c.date(f"{path}.returns_due", agency.get("returns_due"))
    c.taking_part = {a["short_name"] for _, a in c.items("agencies") if a.get("taking_part", True)}
    c.needs = c.unique("needs", "code", "Need code")
    c.reviews, c.points = _check_reviews(c)
    c.questions, c.sections = _check_tool(c)
    c.cases = _check_cases(c)
    _check_involvement(c)
    c.returns = _check_returns(c)
    c.escalations = _check_escalations(c)
    _check_panel_grades(c)
    _check_discrepancies(c)
    c.findings = _check_findings(c)
    _check_actions(c)
    _check_brief_template(c)
    return c.problems


def _check_audit_dates(c: _Checker) -> None:
    audit = c.doc["audit"]
    c.dates(
        "$.audit",
        audit,
        {
            "audit_date": "partial",
            "audit_date_until": "partial",
            "reaudit_due": "partial",
            "returns_due": "date",
            "panel_date": "date",
            "published_on": "date",
        },
    )
    c.date("$.audit.sample.census_date", audit.get("sample", {}).get("census_date"))
    _check_date_range(c, audit.get("audit_date"), audit.get("audit_date_until"))


def _check_date_range(c: _Checker, start: str | None, end: str | None) -> None:
    """The audit's end, as planning keeps it: never without a start, never before it."""
    if end is None:
        return
    if start is None:
        c.add("$.audit.audit_date_until", "An end is given but `audit_date` is missing")
        return
    try:
        if PartialDate.parse(end).latest() < PartialDate.parse(start).earliest():
            c.add("$.audit.audit_date_until", f"{end!r} is before the audit began ({start!r})")
    except ValueError:
        pass  # already named by the date checks


# What version 2 added, by where it sits: a version 1 document carrying any of it is
# mislabelled, and reading it as version 1 would drop it silently.
_VERSION_2_AUDIT_FIELDS = ("audit_date_until", "partnership_names", "figures", "linked_audits")
_VERSION_2_ACTION_FIELDS = ("lead_owner", "lead_owner_name", "other_owners")


def _check_version(c: _Checker) -> None:
    if c.doc["format_version"] >= 2:
        return
    version = c.doc["format_version"]
    if "brief_template" in c.doc:
        c.add("$.brief_template", f"is new in format version 2; this document says {version}")
    for name in _VERSION_2_AUDIT_FIELDS:
        if name in c.doc["audit"]:
            c.add(f"$.audit.{name}", f"is new in format version 2; this document says {version}")
    for path, action in c.items("actions"):
        for name in _VERSION_2_ACTION_FIELDS:
            if name in action:
                c.add(f"{path}.{name}", f"is new in format version 2; this document says {version}")


def _check_brief_template(c: _Checker) -> None:
    template = c.doc.get("brief_template")
    if not template:
        return
    orders = Counter(section["order"] for section in template["sections"])
    for index, section in enumerate(template["sections"]):
        if orders[section["order"]] > 1:
            c.add(f"$.brief_template.sections[{index}].order", "Order is used twice")


def _check_linked_audits(c: _Checker) -> None:
    own = c.doc["audit"]["slug"]
    seen: set[str] = set()
    for index, link in enumerate(c.doc["audit"].get("linked_audits", [])):
        path = f"$.audit.linked_audits[{index}].slug"
        if link["slug"] == own:
            c.add(path, "An audit cannot be linked to itself")
        elif link["slug"] in seen:
            c.add(path, f"Audit {link['slug']!r} is linked more than once")
        seen.add(link["slug"])


def _check_scales(c: _Checker) -> dict[str, set[str]]:
    """Each scale's levels, by code."""
    scales: dict[str, set[str]] = {}
    for path, scale in c.items("scales"):
        if scale["slug"] in scales:
            c.add(f"{path}.slug", f"Scale {scale['slug']!r} appears more than once")
            continue
        codes = Counter(level["code"] for level in scale["levels"])
        values = Counter(level["value"] for level in scale["levels"])
        for index, level in enumerate(scale["levels"]):
            if codes[level["code"]] > 1:
                c.add(f"{path}.levels[{index}].code", f"Code {level['code']!r} is used twice")
            if values[level["value"]] > 1:
                c.add(f"{path}.levels[{index}].value", f"Value {level['value']} is used twice")
        scales[scale["slug"]] = set(codes)
    return scales


def _check_reviews(c: _Checker) -> tuple[set[str], set[tuple[str, int]]]:
    """The reviews' short names, and their learning points as (short name, order)."""
    points: set[tuple[str, int]] = set()
    c.unique("reviews", "title", "Review title", fold=True)
    reviews = c.unique("reviews", "short_name", "Review short name", fold=True)
    for path, review in c.items("reviews"):
        c.partial(f"{path}.published", review.get("published"))
        orders = Counter(point["order"] for point in review.get("learning_points", []))
        for index, point in enumerate(review.get("learning_points", [])):
            if orders[point["order"]] > 1:
                c.add(f"{path}.learning_points[{index}].order", "Order is used twice")
            points.add((review["short_name"], point["order"]))
    return reviews, points


def _check_tool(c: _Checker) -> tuple[dict[str, dict[str, Any]], set[int]]:
    """The tool's questions by code, and its sections' orders."""
    questions: dict[str, dict[str, Any]] = {}
    sections: set[int] = set()
    tool = c.doc.get("tool")
    if tool is None:
        return questions, sections
    for s_index, section in enumerate(tool["sections"]):
        s_path = f"$.tool.sections[{s_index}]"
        if section["order"] in sections:
            c.add(f"{s_path}.order", f"Section order {section['order']} is used twice")
        sections.add(section["order"])
        c.scale_ref(f"{s_path}.grading_scale", section.get("grading_scale"))
        question_orders: set[int] = set()
        for q_index, question in enumerate(section["questions"]):
            q_path = f"{s_path}.questions[{q_index}]"
            if question["code"] in questions:
                c.add(f"{q_path}.code", f"Question code {question['code']!r} is used twice")
            questions[question["code"]] = question
            if question["order"] in question_orders:
                c.add(f"{q_path}.order", "Two questions of the section have this order")
            question_orders.add(question["order"])
            c.scale_ref(f"{q_path}.scale", question.get("scale"))
            for a_index, short in enumerate(question.get("applies_to_agencies", [])):
                c.refer(f"{q_path}.applies_to_agencies[{a_index}]", short, c.agencies, "Agency")
            c.point_ref(f"{q_path}.learning_point", question.get("learning_point"))
    return questions, sections


def _check_cases(c: _Checker) -> set[str]:
    cases = c.unique("cases", "pseudonym", "Pseudonym")
    for path, case in c.items("cases"):
        for index, code in enumerate(case.get("needs", [])):
            c.refer(f"{path}.needs[{index}]", code, c.needs, "Need")
        for key in case.get("facts", {}):
            if str(key).casefold() in IDENTIFIER_KEYS:
                c.add(f"{path}.facts.{key}", "Child identifiers do not belong in an export")
    return cases


def _check_involvement(c: _Checker) -> None:
    seen_involvement: set[tuple[str, str]] = set()
    for path, row in c.items("involvement"):
        c.refer(f"{path}.case", row["case"], c.cases, "Case")
        c.refer(f"{path}.agency", row["agency"], c.taking_part, "Agency taking part")
        key = (row["case"], row["agency"])
        if key in seen_involvement:
            c.add(path, "This child and agency appear twice")
        seen_involvement.add(key)


def _check_returns(c: _Checker) -> set[tuple[str, str]]:
    """Every return's (case, agency)."""
    returns: set[tuple[str, str]] = set()
    for path, row in c.items("returns"):
        c.refer(f"{path}.case", row["case"], c.cases, "Case")
        c.refer(f"{path}.agency", row["agency"], c.taking_part, "Agency taking part")
        key = (row["case"], row["agency"])
        if key in returns:
            c.add(path, f"A second return from {row['agency']} for {row['case']}")
        returns.add(key)
        c.dates(
            path,
            row,
            {
                "due_date": "date",
                "submitted_at": "moment",
                "signed_off_at": "moment",
                "reviewed_at": "moment",
            },
        )
        c.grade(f"{path}.overall_grade", row.get("overall_grade"))
        _check_return_parts(c, path, row)
    return returns


def _check_return_parts(c: _Checker, path: str, row: dict[str, Any]) -> None:
    """A return's answers and section summaries."""
    answered: set[str] = set()
    for index, answer in enumerate(row.get("answers", [])):
        a_path = f"{path}.answers[{index}]"
        c.question_ref(f"{a_path}.question", answer["question"])
        if answer["question"] in answered:
            c.add(f"{a_path}.question", f"{answer['question']} is answered twice")
        answered.add(answer["question"])
        c.grade(f"{a_path}.grade", answer.get("grade"))
        c.date(f"{a_path}.date_value", answer.get("date_value"))
    summarised: set[int] = set()
    for index, summary in enumerate(row.get("sections", [])):
        s_path = f"{path}.sections[{index}]"
        if summary["section"] not in c.sections:
            c.add(f"{s_path}.section", f"The tool has no section {summary['section']}")
        if summary["section"] in summarised:
            c.add(f"{s_path}.section", "This section is summarised twice")
        summarised.add(summary["section"])
        c.grade(f"{s_path}.grade", summary.get("grade"))


def _check_escalations(c: _Checker) -> set[str]:
    escalations = c.unique("escalations", "ref", "Escalation ref")
    for path, row in c.items("escalations"):
        c.refer(f"{path}.case", row.get("case"), c.cases, "Case")
        c.refer(f"{path}.raised_by_agency", row.get("raised_by_agency"), c.agencies, "Agency")
        c.refer(f"{path}.raised_to_agency", row["raised_to_agency"], c.agencies, "Agency")
        raised_from = (row.get("case"), row.get("raised_by_agency"))
        if row.get("from_return") and raised_from not in c.returns:
            c.add(f"{path}.from_return", "There is no return from the raising agency for the child")
        c.dates(
            path,
            row,
            {
                "raised_at": "moment",
                "acknowledge_by": "moment",
                "acknowledged_at": "moment",
                "actioned_at": "moment",
                "resolved_at": "moment",
                "withdrawn_at": "moment",
            },
        )
    return escalations


def _check_panel_grades(c: _Checker) -> None:
    graded: set[tuple[str, int | None]] = set()
    for path, row in c.items("panel_grades"):
        c.refer(f"{path}.case", row["case"], c.cases, "Case")
        if row.get("section") is not None and row["section"] not in c.sections:
            c.add(f"{path}.section", f"The tool has no section {row['section']}")
        key = (row["case"], row.get("section"))
        if key in graded:
            c.add(path, "The child already has an agreed grade for this section")
        graded.add(key)
        c.grade(f"{path}.grade", row["grade"])


def _check_discrepancies(c: _Checker) -> None:
    for path, row in c.items("discrepancies"):
        c.refer(f"{path}.case", row["case"], c.cases, "Case")
        c.question_ref(f"{path}.question", row.get("question"))
        for index, short in enumerate(row.get("agencies", [])):
            c.refer(f"{path}.agencies[{index}]", short, c.agencies, "Agency")


def _check_findings(c: _Checker) -> set[str]:
    findings = c.unique("findings", "ref", "Finding ref")
    for path, row in c.items("findings"):
        for name, known, what in (
            ("taken_forward_by", c.agencies, "Agency"),
            ("agencies", c.agencies, "Agency"),
            ("cases", c.cases, "Case"),
            ("escalations", c.escalations, "Escalation"),
        ):
            for index, value in enumerate(row.get(name, [])):
                c.refer(f"{path}.{name}[{index}]", value, known, what)
        for index, ref in enumerate(row.get("learning_points", [])):
            c.point_ref(f"{path}.learning_points[{index}]", ref)
        for index, code in enumerate(row.get("questions", [])):
            c.question_ref(f"{path}.questions[{index}]", code)
    return findings


def _check_actions(c: _Checker) -> None:
    for path, row in c.items("actions"):
        c.dates(path, row, {"due": "partial", "done_on": "partial", "verified_at": "moment"})
        for index, short in enumerate(row.get("owners", [])):
            c.refer(f"{path}.owners[{index}]", short, c.agencies, "Agency")
        _check_action_lead(c, path, row)
        for index, ref in enumerate(row.get("findings", [])):
            c.refer(f"{path}.findings[{index}]", ref, c.findings, "Finding")
        for index, update in enumerate(row.get("updates", [])):
            c.moment(f"{path}.updates[{index}].at", update["at"])


def _check_action_lead(c: _Checker, path: str, row: dict[str, Any]) -> None:
    """The lead organisation, as the action tracker keeps it: a listed agency among the owners,
    or a name written out, not both."""
    lead = row.get("lead_owner")
    if lead is None:
        return
    if lead not in row.get("owners", []):
        c.add(f"{path}.lead_owner", f"The lead {lead!r} is not one of the action's `owners`")
    if row.get("lead_owner_name", "").strip():
        c.add(
            f"{path}.lead_owner_name",
            "The lead organisation is given twice: as `lead_owner` and as this name",
        )


def _nul_problems(node: Any, path: str = "$") -> Iterator[Problem]:
    """Text with a NUL character: valid JSON, but no database text column stores it."""
    if isinstance(node, str):
        if "\x00" in node:
            yield Problem(path, "contains a NUL character (\\u0000)")
    elif isinstance(node, dict):
        for key, value in node.items():
            if "\x00" in str(key):
                yield Problem(path, "has a field name with a NUL character (\\u0000)")
            yield from _nul_problems(value, _path_join(path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nul_problems(value, f"{path}[{index}]")


def _path_join(path: str, key: Any) -> str:
    return path + _path([key])[1:]


def validate_document(doc: Any) -> list[Problem]:
    problems = schema_problems(doc) + list(_nul_problems(doc))
    if problems:
        return problems
    return reference_problems(doc)


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "FORMAT_VERSIONS",
    "SCHEMA_ID",
    "DocumentInvalid",
    "Problem",
    "validate_document",
]
