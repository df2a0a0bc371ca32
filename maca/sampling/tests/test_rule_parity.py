"""maca's rules against the field validator's own test cases (fixtures/validator_cases.json,
MIT licensed, see fixtures/validator_cases.md): the same tables given to both, rule by rule,
and the rows each flags compared. Every value is fictional."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from maca.sampling.rules import RULES
from maca.sampling.rules.registry import tables_of
from maca.sampling.tests.rule_frames import Rows, run_checks

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "validator_cases.json").read_text()
)
# Where maca differs from the validator on its own test data, and why (docs/ssda903-rules.md).
KNOWN_DIFFERENCES: dict[str, str] = {
    "354": "the validator's test ends its collection year on 01/04/2021, which no real year "
    "does; maca's year always ends on 31 March, so it also flags an episode starting 01/04/2021",
}


# The validator reads a return without a Header for these by taking each UASC table's rows
# as the Header's UASC flags; maca never has such a return (the Header is required), so
# those of the validator's test cases are not run.
_HEADER_ALWAYS_GIVEN = frozenset({"205A", "205B", "205C", "205D"})


def _calls(code: str) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = CASES[code]["calls"]
    if code in _HEADER_ALWAYS_GIVEN:
        return [call for call in calls if "Header" in call["tables"]]
    return calls


def _year(code: str, metadata: dict[str, Any]) -> int:
    """The collection year the validator's test stands for: from its collection dates, and
    at least the first year the rule applies to."""
    end, start = metadata.get("collection_end"), metadata.get("collection_start")
    year = 2024
    if named := metadata.get("collectionYear"):  # "2024" is 2024/25, maca's 2025
        year = int(named[:4]) + 1
    elif end:
        year = dt.datetime.strptime(end, "%d/%m/%Y").year
    elif start:
        year = dt.datetime.strptime(start, "%d/%m/%Y").year + 1
    return max(year, RULES[code].years_from)


def _flagged(code: str, call: dict[str, Any], settings: Any) -> tuple[set, set]:
    """(rows the validator flags, rows maca flags) as (table, position) pairs, on every table
    the rule checks; a table of the year before is named with "_last"."""
    given = call["tables"]
    metadata = given.get("metadata") or {}
    settings.MACA_LA_CODE = metadata.get("localAuthority") or ""
    tables: dict[str, Rows] = {
        name: table["rows"] for name, table in given.items() if name != "metadata"
    }
    tables = {name: rows for name, rows in tables.items() if name.removesuffix("_last") in _KNOWN}
    positions = {
        name: {label: number for number, label in enumerate(table["index"])}
        for name, table in given.items()
        if name != "metadata"
    }
    expected = {
        (name, positions[name][label])
        for name, labels in call["expected"].items()
        if name.removesuffix("_last") in tables_of(code)
        for label in labels
    }
    year = _year(code, metadata)
    found = run_checks(tables, year, xml=metadata.get("file_format") == "xml", rule=code)
    return expected, {
        (problem.table + ("_last" if problem.year == year - 1 else ""), (problem.row or 0) - 2)
        for problem in found
    }


_KNOWN = {"Header", "Episodes", "UASC", "Missing", "Reviews", "DoLo", "OC2", "OC3", "AD1"}


# The validator's own tests of these fail before calling the rule under pandas 3 (they build
# their data in a way it refuses), so there is no case to compare: test_rules.py has maca's.
NO_VALIDATOR_CASE = frozenset({"185", "190"})


def test_every_rule_has_the_validators_test_cases():
    assert set(RULES) <= set(CASES)
    compared = set(RULES) - NO_VALIDATOR_CASE
    assert all(CASES[code]["status"] == "passed" and CASES[code]["calls"] for code in compared)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_agrees_with_the_validator_on_its_own_tests(code, settings):
    if code in KNOWN_DIFFERENCES:
        pytest.skip(KNOWN_DIFFERENCES[code])
    if code in NO_VALIDATOR_CASE:
        pytest.skip("the validator's own test of this rule does not run under pandas 3")
    for call in _calls(code):
        expected, found = _flagged(code, call, settings)
        assert found == expected, f"{code}: validator {sorted(expected)}, maca {sorted(found)}"
