"""The quick ways through the import give what the plain ways give: a file whose codes are read
straight into their enums is checked and kept as one read as text, rows in any order are kept
in child then date order with the same facts, and the shortcuts in the cohort (dates looked up
rather than computed) agree with polars. Every value is fictional."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from maca.core import calendar
from maca.sampling.derive import child_facts
from maca.sampling.extract import TABLE_FILES, build_extract, load_extract, save_extract
from maca.sampling.ingest import SourceFile, read_extract
from maca.sampling.problems import ExtractError, problems_from_frame
from maca.sampling.rules import RULES
from maca.sampling.services import extract_fingerprint, fingerprinted_pipeline, run_pipeline
from maca.sampling.tests.conftest import EPISODE_COLUMNS, HEADER_COLUMNS

CENSUS = dt.date(2024, 3, 31)
HEADER = f"{HEADER_COLUMNS}\n9000001,1,01/02/2012,WBRI,UN1,,\n9000002,2,03/04/2010,BAFR,UN2,,\n"
LOCATION_COLUMNS = f"{EPISODE_COLUMNS},PL_LA,PL_LOCATION,PL_DISTANCE"


def _import(paths: list[Path], year: int = 2024):
    raw = read_extract([SourceFile(path, year) for path in paths])
    return raw, build_extract(raw, home_districts=["Z1"])


def _by_child(result, name: str) -> pl.DataFrame:
    """A kept table with each child's CHILD id in place of its number, in a fixed order."""
    ids = result.extract.identity.select("child_idx", "child_id")
    frame = result.extract.table(name)
    if name != "identity":
        frame = frame.join(ids, on="child_idx", how="left")
    frame = frame.drop("child_idx").with_columns(pl.col(pl.Categorical).cast(pl.String))
    return frame.sort(pl.all(), nulls_last=True, maintain_order=True)


def _rewrite(path: Path, change) -> None:
    frame = pl.read_csv(path, infer_schema=False)
    change(frame).write_csv(path)


def test_a_file_read_as_text_is_kept_as_the_quick_read_keeps_it(generated):
    paths = generated(children=200, seed=31, with_location=True)
    quick_raw, quick = _import(paths)
    episodes = next(p for p in paths if p.name == "episodes.csv")
    # One code in lower case with a space: the quick read stops at it and the file is read
    # as text, trimmed and upper-cased, and accepted.
    _rewrite(
        episodes,
        lambda frame: frame.with_columns(
            pl.when(pl.int_range(pl.len()) == 5)
            .then(pl.lit(" ") + pl.col("PLACE").str.to_lowercase())
            .otherwise(pl.col("PLACE"))
            .alias("PLACE")
        ),
    )
    text_raw, text = _import(paths)
    assert quick_raw.get("Episodes", 2024).frame["PLACE"].dtype == pl.Enum  # type: ignore[union-attr]
    assert text_raw.get("Episodes", 2024).frame["PLACE"].dtype == pl.String  # type: ignore[union-attr]
    own = ~pl.col("rule").is_in(list(RULES))  # the field's rules warn on generated data
    assert text.problems.filter(own).height == quick.problems.filter(own).height == 0
    assert text.problems.equals(quick.problems)
    for name in TABLE_FILES:
        assert _by_child(text, name).equals(_by_child(quick, name)), name


def _pieces(frame: pl.DataFrame) -> set[tuple[int, ...]]:
    return {tuple(chunk.len() for chunk in column.get_chunks()) for column in frame.get_columns()}


def test_every_column_of_a_file_read_is_in_the_same_pieces(generated):
    # Polars reads a file in pieces but converts some columns (dates, row numbers) whole. A
    # table whose columns are cut differently is copied whole whenever rows are picked out.
    paths = generated(children=300, seed=33, with_location=True)
    quick = read_extract([SourceFile(path, 2024) for path in paths]).get("Episodes", 2024)
    assert quick is not None
    assert len(_pieces(quick.frame)) == 1
    assert quick.frame["_row"].n_chunks() > 1  # read in pieces, or this shows nothing
    episodes = next(p for p in paths if p.name == "episodes.csv")
    _rewrite(episodes, lambda frame: frame.with_columns(pl.col("PLACE").str.to_lowercase()))
    text = read_extract([SourceFile(path, 2024) for path in paths]).get("Episodes", 2024)
    assert text is not None and text.frame["PLACE"].dtype == pl.String
    assert len(_pieces(text.frame)) == 1


def test_rows_in_any_order_are_kept_in_child_and_date_order(generated, tmp_path):
    paths = generated(children=150, seed=32, with_location=True)
    _raw, in_order = _import(paths)
    for name in ("episodes.csv", "reviews.csv", "missing.csv", "sw_episodes.csv", "oc2.csv"):
        path = next(p for p in paths if p.name == name)
        _rewrite(path, lambda frame: frame.sample(fraction=1.0, shuffle=True, seed=7))
    _raw, shuffled = _import(paths)
    # The Header is unchanged, so the children have the same numbers.
    assert shuffled.extract.identity.equals(in_order.extract.identity)
    for name in ("episodes", "reviews", "missing", "sw", "oc2"):
        assert shuffled.extract.table(name).equals(in_order.extract.table(name)), name
    episodes = shuffled.extract.episodes
    assert episodes.equals(episodes.sort("child_idx", "decom", maintain_order=True))
    assert (
        child_facts(shuffled.extract, CENSUS)
        .sort("child_idx")
        .equals(child_facts(in_order.extract, CENSUS).sort("child_idx"))
    )
    # And kept, then read back, they give the same facts again.
    save_extract(shuffled.extract, shuffled.problems, tmp_path / "kept")
    loaded = load_extract(tmp_path / "kept", {"years": [2024]})
    assert (
        child_facts(loaded, CENSUS)
        .sort("child_idx")
        .equals(child_facts(in_order.extract, CENSUS).sort("child_idx"))
    )


def test_a_duplicate_episode_is_found_when_the_rows_are_not_in_order(write):
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
        "9000002,01/06/2023,S,V2,N4,K2,PR4,,,,Z1 1AA,Z3 3CC,SC123456\n"
        "9000001,01/05/2023,P,C2,N1,U6,PR4,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    problems = problems_from_frame(_import([write("h.csv", HEADER), episodes])[1].problems)
    [problem] = [p for p in problems if p.rule not in RULES]
    assert (problem.row, problem.column, problem.rule) == (4, "DECOM", "duplicate-episode")
    assert "at row 2" in problem.message


def test_the_placement_la_is_trimmed_when_read_quickly(write):
    episodes = write(
        "episodes.csv",
        f"{LOCATION_COLUMNS}\n"
        "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX, 903 ,OUT,12.5\n"
        "9000002,01/06/2023,S,V2,N4,K2,PR4,,,,Z1 1AA,Z3 3CC,SC123456,900,IN,\n",
    )
    raw, result = _import([write("h.csv", HEADER), episodes])
    assert isinstance(raw.get("Episodes", 2024).frame["PL_LA"].dtype, pl.Categorical)  # type: ignore[union-attr]
    # Kept as an enum of the values found, trimmed.
    assert result.extract.episodes["pl_la"].dtype == pl.Enum(["900", "903"])
    assert result.extract.episodes["pl_la"].cast(pl.String).to_list() == ["903", "900"]


def test_a_wrong_byte_in_a_column_not_kept_is_still_found(write):
    # URN is neither checked nor kept, so it is not loaded; the file is still parsed whole.
    body = f"{EPISODE_COLUMNS}\n" + "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
    bad = "9000002,01/06/2023,S,V2,N4,K2,PR4,,,,Z1 1AA,Z3 3CC,SCé\n".encode("latin-1")
    episodes = write("episodes.csv", body.encode() + bad)
    with pytest.raises(ExtractError) as caught:
        read_extract([SourceFile(write("h.csv", HEADER), 2024), SourceFile(episodes, 2024)])
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.rule) == ("episodes.csv", 3, "encoding")


def test_problems_in_a_large_file_are_reported(generated):
    # Large enough to be read in several pieces: naming a bad value must not fail on them.
    paths = generated(children=3000, seed=33)
    header = next(p for p in paths if p.name == "header.csv")
    _rewrite(
        header,
        lambda frame: frame.with_columns(
            pl.when(pl.int_range(pl.len()) == 2500)
            .then(pl.lit("2012-02-01"))
            .otherwise(pl.col("DOB"))
            .alias("DOB")
        ),
    )
    problems = [p for p in problems_from_frame(_import(paths)[1].problems) if p.rule not in RULES]
    assert [(p.row, p.column, p.value) for p in problems] == [(2502, "DOB", "(shape 9999-99-99)")]


def test_the_fingerprint_taken_beside_the_pipeline_is_the_one_taken_alone(generated):
    files = [SourceFile(path, 2024) for path in generated(children=40, seed=41)]
    result, fingerprint = fingerprinted_pipeline(files, home_districts=["Z1"])
    assert fingerprint == extract_fingerprint(files)
    alone = run_pipeline(files, home_districts=["Z1"])
    assert result.summary == alone.summary
    assert result.problems.equals(alone.problems)


def test_a_file_that_cannot_be_read_fails_the_fingerprint_first(generated):
    """As when the fingerprint was taken before the pipeline: the import fails unexpectedly
    rather than with the pipeline's own problem."""
    paths = generated(children=40, seed=42)
    gone = SourceFile(paths[0].with_name("gone.csv"), 2024)
    with pytest.raises(FileNotFoundError):
        fingerprinted_pipeline([*(SourceFile(p, 2024) for p in paths), gone], home_districts=[])


def test_months_later_looked_up_as_polars_computes_them():
    days = pl.DataFrame(
        {"day": pl.date_range(dt.date(1990, 1, 1), dt.date(2045, 12, 31), "1d", eager=True)}
    )
    for months in (3, 6):
        looked_up = days.select(calendar.add_months_expr("day", months, in_calendar=True))
        computed = days.select(pl.col("day").dt.offset_by(f"{months}mo"))
        assert looked_up.equals(computed)
    assert calendar.covers_dates(dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    assert not calendar.covers_dates(dt.date(1985, 4, 1), dt.date(2024, 3, 31))
    assert not calendar.covers_dates(None, None)
