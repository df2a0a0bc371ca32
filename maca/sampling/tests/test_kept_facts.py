"""Each child's facts on the extract's own census date are worked out as it is kept, kept with
it, and read back by the cohort instead of the extract; on any other date, or when the code
that works them out has changed, they are worked out from the extract. All data fictional."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from maca.sampling import derive, kept_facts
from maca.sampling.extract import (
    build_extract,
    delete_extract,
    load_extract,
    load_kept,
    save_extract,
)
from maca.sampling.ingest import SourceFile, read_extract

CENSUS = dt.date(2024, 3, 31)


@pytest.fixture
def result(generated):
    raw = read_extract([SourceFile(path, 2024) for path in generated(children=60, seed=23)])
    return build_extract(raw, home_districts=["Z1", "Z2"])


def _keep(result, store: Path) -> None:
    save_extract(
        result.extract,
        result.problems,
        store,
        derived=kept_facts.facts_to_keep(result.extract),
    )


def _worked_out(store: Path, census: dt.date) -> pl.DataFrame:
    return derive.child_facts(load_extract(store, {"years": [2024]}), census)


def test_the_kept_facts_are_those_worked_out_from_the_kept_extract(result, tmp_path: Path):
    store = tmp_path / "store"
    _keep(result, store)
    kept = load_kept(store, kept_facts.kept_name(CENSUS))
    assert kept is not None and kept.height > 0
    assert kept.equals(_worked_out(store, CENSUS))
    assert kept.schema == _worked_out(store, CENSUS).schema


def test_the_cohort_reads_kept_facts_without_loading_the_extract(
    result, tmp_path: Path, monkeypatch
):
    store = tmp_path / "store"
    _keep(result, store)
    expected = _worked_out(store, CENSUS)

    def refuse(*args, **kwargs):
        raise AssertionError("the extract was loaded")

    monkeypatch.setattr(kept_facts, "load_extract", refuse)
    facts = kept_facts.facts_on(store, {"years": [2024]}, CENSUS)
    assert facts.frame.equals(expected)
    assert facts.extract_children == result.extract.children.height


def test_another_census_date_is_worked_out_from_the_extract(result, tmp_path: Path):
    store = tmp_path / "store"
    _keep(result, store)
    other = dt.date(2023, 12, 31)
    assert load_kept(store, kept_facts.kept_name(other)) is None
    facts = kept_facts.facts_on(store, {"years": [2024]}, other)
    assert facts.frame.equals(_worked_out(store, other))
    assert facts.extract_children == result.extract.children.height


def test_facts_kept_by_other_code_are_not_read(result, tmp_path: Path, monkeypatch):
    store = tmp_path / "store"
    _keep(result, store)
    # A later release that works the facts out differently has another digest.
    monkeypatch.setattr(kept_facts, "code_digest", lambda: "a-later-release")
    assert load_kept(store, kept_facts.kept_name(CENSUS)) is None
    facts = kept_facts.facts_on(store, {"years": [2024]}, CENSUS)
    assert facts.frame.equals(_worked_out(store, CENSUS))


def test_the_digest_follows_the_code_the_facts_depend_on():
    digest = kept_facts.code_digest()
    assert len(digest) == 16 and kept_facts.kept_name(CENSUS).endswith(digest)
    assert kept_facts.kept_name(CENSUS).startswith("facts-20240331-")


def test_facts_that_fail_to_be_worked_out_leave_nothing_kept(result, tmp_path: Path):
    store = tmp_path / "store"

    def broken() -> pl.DataFrame:
        raise RuntimeError("fictional failure")

    with pytest.raises(RuntimeError):
        save_extract(result.extract, result.problems, store, derived={"facts-x": broken})
    assert not list(store.glob("*/*"))


def test_the_facts_go_with_their_extract(result, tmp_path: Path):
    store = tmp_path / "store"
    _keep(result, store)
    delete_extract(store)
    assert not store.exists()


def test_the_import_keeps_the_facts_for_the_cohort_page(generated, tmp_path: Path, db):
    from maca.sampling import selectors
    from maca.sampling.extract import extract_store
    from maca.sampling.services import import_903_local

    files = [SourceFile(path, 2024) for path in generated(children=30, seed=4)]
    batch, _result = import_903_local(files=files, home_districts=["Z1"])
    assert batch is not None
    census = selectors.default_census_date(batch)
    assert census == CENSUS
    store = extract_store(batch.storage_name)
    assert load_kept(store, kept_facts.kept_name(census)) is not None
