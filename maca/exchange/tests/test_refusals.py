"""A document that is wrong in any way is refused whole: every problem named by its JSON path,
and not one row written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from maca.exchange import services
from maca.exchange.document import DocumentInvalid
from maca.exchange.matching import Choice
from maca.exchange.services import audit_import
from maca.exchange.tests.conftest import HOSTILE_DOCUMENTS, as_bytes, changed, row_counts

pytestmark = pytest.mark.django_db


def _refused(content: bytes, similar: Choice | None = None) -> dict[str, str]:
    before = row_counts()
    with pytest.raises(DocumentInvalid) as error:
        audit_import(content=content, similar=similar)
    assert row_counts() == before, "a refused import wrote rows"
    return {problem.path: problem.message for problem in error.value.problems}


def _first_graded_answer(document: dict[str, Any]) -> tuple[int, int]:
    for r_index, row in enumerate(document["returns"]):
        for a_index, answer in enumerate(row["answers"]):
            if answer["grade"]:
                return r_index, a_index
    raise AssertionError("no graded answer in the demo")


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node = document
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


CASES: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, str]]] = [
    ("wrong type", _set(["cases", 3, "age_weeks"], "ten"), {"$.cases[3].age_weeks": "must be"}),
    (
        "wrong type in a list",
        _set(["findings", 0, "cases"], "Child A"),
        {"$.findings[0].cases": "must be array"},
    ),
    (
        "missing required field",
        _delete(["cases", 3, "pseudonym"]),
        {"$.cases[3].pseudonym": "is required"},
    ),
    ("missing audit title", _delete(["audit", "title"]), {"$.audit.title": "is required"}),
    ("missing audit", _delete(["audit"]), {"$.audit": "is required"}),
    (
        "unknown field",
        _set(["cases", 0, "child_name"], "Anything"),
        {"$.cases[0].child_name": "is not a field"},
    ),
    ("not a status", _set(["audit", "status"], "finished"), {"$.audit.status": "must be one of"}),
    ("another format", _set(["format"], "something-else"), {"$.format": "must be"}),
    ("a later version", _set(["format_version"], 3), {"$.format_version": "must be one of"}),
    (
        "duplicate pseudonym",
        _set(["cases", 1, "pseudonym"], "Child A"),
        {"$.cases[1].pseudonym": "'Child A' appears more than once"},
    ),
    (
        "a finding naming a child not in cases",
        _set(["findings", 0, "cases"], ["Child Q"]),
        {"$.findings[0].cases[0]": "Case 'Child Q' is not in the document"},
    ),
    (
        "an answer to a question not in the tool",
        _set(["returns", 0, "answers", 0, "question"], "Q99.9"),
        {"$.returns[0].answers[0].question": "Question 'Q99.9' is not in the tool"},
    ),
    (
        "a return from an agency not taking part",
        _set(["returns", 0, "agency"], "Nobody"),
        {"$.returns[0].agency": "Agency taking part 'Nobody' is not in the document"},
    ),
    (
        "an action naming an unknown finding",
        _set(["actions", 0, "findings"], ["F999"]),
        {"$.actions[0].findings[0]": "Finding 'F999' is not in the document"},
    ),
    (
        "a date that does not exist",
        _set(["audit", "returns_due"], "2022-02-30"),
        {"$.audit.returns_due": "is not a real date"},
    ),
    (
        "a time without a zone",
        _set(["escalations", 0, "raised_at"], "2022-02-10T14:40:00"),
        {"$.escalations[0].raised_at": "not in the form ISO 8601 with a time zone"},
    ),
    (
        "an identifier among the 903 facts",
        _set(["cases", 0, "facts", "upn"], "A123456789012"),
        {"$.cases[0].facts.upn": "identifiers do not belong"},
    ),
    (
        "an empty title",
        _set(["audit", "title"], ""),
        {"$.audit.title": "must not be empty"},
    ),
    (
        "a pseudonym too long",
        _set(["cases", 0, "pseudonym"], "Child " + "A" * 40),
        {"$.cases[0].pseudonym": "must be 40 characters or fewer"},
    ),
    (
        "a negative age",
        _set(["cases", 0, "age_weeks"], -1),
        {"$.cases[0].age_weeks": "must be 0 or more"},
    ),
    (
        "a second return from the same agency for a child",
        lambda d: d["returns"].append(dict(d["returns"][0])),
        {"$.returns[54]": "A second return"},
    ),
]


@pytest.mark.parametrize(("label", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_malformed_document_is_refused_with_json_paths(demo_document, label, change, expected):
    document = changed(demo_document)
    change(document)
    problems = _refused(as_bytes(document))
    for path, words in expected.items():
        assert path in problems, (label, problems)
        assert words.lower() in problems[path].lower(), (label, problems[path])


def test_a_grade_not_on_its_scale_is_refused(demo_document):
    document = changed(demo_document)
    r_index, a_index = _first_graded_answer(document)
    document["returns"][r_index]["answers"][a_index]["grade"]["code"] = "splendid"
    problems = _refused(as_bytes(document))
    assert f"$.returns[{r_index}].answers[{a_index}].grade.code" in problems


def test_every_problem_is_listed_not_only_the_first(demo_document):
    document = changed(demo_document)
    document["cases"][1]["pseudonym"] = "Child A"
    document["findings"][0]["cases"] = ["Child Q"]
    document["returns"][0]["answers"][0]["question"] = "Q99.9"
    problems = _refused(as_bytes(document))
    assert {
        "$.cases[1].pseudonym",
        "$.findings[0].cases[0]",
        "$.returns[0].answers[0].question",
    } <= set(problems)


@override_settings(AUDIT_IMPORT_MAX_BYTES=1024)
def test_oversized_input_is_refused_before_it_is_read(demo_document):
    problems = _refused(as_bytes(demo_document))
    assert list(problems) == ["$"]
    assert "the largest accepted is 1 KB" in problems["$"]


def test_text_with_a_nul_character_is_refused(demo_document):
    document = changed(demo_document)
    document["findings"][2]["text"] = "Before\u0000after"
    document["cases"][0]["facts"]["note"] = "x\u0000"
    problems = _refused(as_bytes(document))
    assert {"$.findings[2].text", "$.cases[0].facts.note"} <= set(problems)


def test_two_agencies_matching_the_same_one_here_are_refused(demo_document):
    document = changed(demo_document)
    police = next(a for a in document["agencies"] if a["short_name"] == "Police")
    # Here, "Police" is both the short name and the name of one agency: the first entry
    # finds it by short name, the second by name.
    document["agencies"].append({**police, "short_name": "Constabulary", "taking_part": False})
    police["name"] = "Police Service"
    # Both match it only in part; told to use the stored one for both, they would share it.
    problems = _refused(as_bytes(document), similar=Choice.STORED)
    index = len(document["agencies"]) - 1
    assert "same agency" in problems[f"$.agencies[{index}]"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"format": NaN}', "NaN is not a number"),
        (b'{"format": -Infinity}', "Infinity is not a number"),
        (b'{"format": "maca-audit-export",', "Not valid JSON"),
        (b"\xff\xfe\x00not text", "not UTF-8"),
        (b"[1, 2, 3]", "must be object"),
        (b"", "Not valid JSON"),
    ],
)
def test_input_that_is_not_a_document_is_refused(db, content, words):
    problems = _refused(content)
    assert words.lower() in problems["$"].lower()


@pytest.mark.parametrize(
    ("content", "path", "words"),
    [case[1:] for case in HOSTILE_DOCUMENTS],
    ids=[case[0] for case in HOSTILE_DOCUMENTS],
)
def test_a_hostile_document_is_refused_at_its_json_path(db, content, path, words):
    problems = _refused(content)
    assert words in problems[path]


def test_every_repeated_field_is_named_however_deep(demo_document):
    text = as_bytes(demo_document).decode()
    # The demo's first case given a second pseudonym: the last one would silently win.
    first_case = text.index('"pseudonym"')
    text = text[:first_case] + '"pseudonym": "Child Z", ' + text[first_case:]
    problems = _refused(text.encode())
    assert problems == {"$.cases[0].pseudonym": "is given more than once in its object"}


def test_a_scale_here_without_the_files_levels_cannot_be_used_and_nothing_is_kept(
    demo_document,
):
    document = changed(demo_document)
    scale = next(s for s in document["scales"] if s["slug"] == "ofsted-4")
    index = next(i for i, s in enumerate(document["scales"]) if s is scale)
    scale["levels"][0]["code"] = "splendid"
    for row in document["returns"]:
        for answer in row["answers"]:
            if answer["grade"] and answer["grade"]["scale"] == "ofsted-4":
                answer["grade"]["code"] = "splendid"
        if row["overall_grade"] and row["overall_grade"]["scale"] == "ofsted-4":
            row["overall_grade"]["code"] = "splendid"
        for summary in row["sections"]:
            if summary["grade"] and summary["grade"]["scale"] == "ofsted-4":
                summary["grade"]["code"] = "splendid"
    for grade in document["panel_grades"]:
        if grade["grade"]["scale"] == "ofsted-4":
            grade["grade"]["code"] = "splendid"
    problems = _refused(as_bytes(document), similar=Choice.STORED)
    assert "no level 'splendid'" in problems[f"$.scales[{index}].levels[0].code"]


def test_a_failure_part_way_through_leaves_nothing_behind(demo_document, monkeypatch):
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_learning", fail)
    before = row_counts()
    with pytest.raises(RuntimeError):
        audit_import(content=as_bytes(demo_document))
    assert row_counts() == before


def test_problems_are_capped_and_counted(demo_document):
    document = changed(demo_document)
    for case in document["cases"]:
        case["age_weeks"] = "old"
    for finding in document["findings"]:
        finding["heading"] = "other"
    for row in document["returns"]:
        for answer in row["answers"]:
            answer["choices"] = "all"
    with pytest.raises(DocumentInvalid) as error:
        audit_import(content=json.dumps(document).encode())
    assert len(error.value.problems) == 200
    assert error.value.more > 0


def _with_a_template(document: dict[str, Any]) -> dict[str, Any]:
    document = changed(document)
    document["brief_template"] = {
        "name": "Fictional partnership brief",
        "document_name": "Briefing",
        "sections": [
            {"order": 1, "kind": "intro", "heading": "Why we looked"},
            {"order": 1, "kind": "themes", "heading": "What we found"},
        ],
    }
    return document


def test_a_brief_template_with_a_section_order_twice_is_refused(demo_document):
    problems = _refused(as_bytes(_with_a_template(demo_document)))
    assert problems == {
        "$.brief_template.sections[0].order": "Order is used twice",
        "$.brief_template.sections[1].order": "Order is used twice",
    }


def test_a_version_1_document_with_a_brief_template_is_refused(demo_document):
    document = _with_a_template(demo_document)
    document["brief_template"]["sections"][1]["order"] = 2
    document["format_version"] = 1
    for name in ("audit_date_until", "partnership_names", "figures", "linked_audits"):
        document["audit"].pop(name, None)
    for action in document["actions"]:
        for name in ("lead_owner", "lead_owner_name", "other_owners"):
            action.pop(name, None)
    problems = _refused(as_bytes(document))
    assert problems == {"$.brief_template": "is new in format version 2; this document says 1"}
