"""The labelled sentences the disclosure check is measured on (all fictional), and the
measuring: recall for each kind of identifying detail and the share of clean sentences with
any hit that would stop publishing. Used by the tests and by `make bench`."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from maca.reports.disclosure import Kind, Rules, find_matches

DATA = Path(__file__).parent / "data"
MAIN = DATA / "disclosure_sentences.csv"
HOLDOUT = DATA / "disclosure_sentences_holdout.csv"
# Written after the rules were finished and measured without changing them; shown by
# `make bench`, not held to the goals by the tests.
BLIND = DATA / "disclosure_sentences_blind.csv"
CLEAN = "clean"
KINDS = (
    Kind.PERSON_NAME,
    Kind.ADDRESS,
    Kind.NAMED_SETTING,
    Kind.POLICE_REFERENCE,
    Kind.CASE_REFERENCE,
)

# The fictional partnership the sentences are written for.
RULES = Rules(
    reference_date=dt.date(2025, 3, 31),
    allowed_names=(
        "Northshire Safeguarding Children Partnership",
        "Northshire Police",
        "Northshire County Council",
        "Northshire Youth Justice Service",
        "Riverside NHS Foundation Trust",
        "North East Ambulance Service",
        "Barnardo's",
        "Georgia",
        "Archie",
        "Baby Leo",
    ),
)


def load(path: Path) -> list[tuple[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return [(row["kind"], row["sentence"]) for row in csv.DictReader(lines)]


@dataclass(frozen=True)
class Score:
    label: str
    found: int
    total: int

    @property
    def rate(self) -> float:
        return self.found / self.total if self.total else 0.0


@dataclass(frozen=True)
class Measurement:
    recall: dict[str, Score]
    false_positives: Score
    misses: list[tuple[str, str]]
    flagged_clean: list[tuple[str, list[str]]]


def measure(sentences: list[tuple[str, str]], rules: Rules = RULES) -> Measurement:
    found: dict[str, int] = {kind.value: 0 for kind in KINDS}
    totals: dict[str, int] = {kind.value: 0 for kind in KINDS}
    misses: list[tuple[str, str]] = []
    flagged: list[tuple[str, list[str]]] = []
    clean_total = 0
    for label, sentence in sentences:
        blocking = [m for m in find_matches(sentence, rules) if not m.kind.is_warning]
        if label == CLEAN:
            clean_total += 1
            if blocking:
                flagged.append((sentence, [f"{m.kind.value}: {m.text}" for m in blocking]))
            continue
        totals[label] += 1
        if any(match.kind.value == label for match in blocking):
            found[label] += 1
        else:
            misses.append((label, sentence))
    return Measurement(
        recall={kind: Score(kind, found[kind], totals[kind]) for kind in totals},
        false_positives=Score(CLEAN, len(flagged), clean_total),
        misses=misses,
        flagged_clean=flagged,
    )
