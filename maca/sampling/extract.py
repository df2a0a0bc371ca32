"""From validated raw tables to the extract maca keeps: typed, one row per fact, keyed by an
internal child number, with the CHILD id, UPN and date of birth split off into an identity
table, and each table's rows in child number then date order. The kept extract is written in
the Arrow IPC format, each file encrypted at rest.
"""

from __future__ import annotations

import hashlib
import io
import mmap
import os
import secrets
import shutil
import time
from collections.abc import Buffer, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import polars as pl
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

from maca.core import crypto
from maca.sampling import codes, conf
from maca.sampling.ingest import ROW, Progress, RawExtract, RawTable, _no_progress
from maca.sampling.parse import (
    categorical_values,
    child_date_key,
    chunked_like,
    code_col,
    code_enum,
    date_col,
    num_col,
)
from maca.sampling.problems import ERROR, PROBLEM_SCHEMA, WARNING, Problem
from maca.sampling.rules.context import child_facts
from maca.sampling.storage import extract_storage
from maca.sampling.validate import child_numbers, empty_problems, validate_table

_CHECK_THREADS = 2  # tables checked at a time (`build_extract`)
TABLE_FILES = ("identity", "children", "episodes", "reviews", "missing", "uasc", "oc2", "sw")


@dataclass
class Extract:
    identity: pl.DataFrame  # child_idx, child_id, upn, dob: only ever read to build a case
    children: pl.DataFrame  # child_idx, sex, ethnic, uasc_flag, has_problem, last_year
    episodes: pl.DataFrame
    reviews: pl.DataFrame
    missing: pl.DataFrame
    uasc: pl.DataFrame
    oc2: pl.DataFrame
    sw: pl.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pl.DataFrame:
        frame: pl.DataFrame = getattr(self, name)
        return frame


@dataclass
class ImportResult:
    extract: Extract
    problems: pl.DataFrame  # PROBLEM_SCHEMA, without any child identifier
    summary: dict[str, Any]

    @property
    def error_count(self) -> int:
        return int((self.problems["severity"] == ERROR).sum())


def child_hmac(values: list[str]) -> list[str]:
    """Keyed hashes of CHILD ids, to recognise a child again (already sampled, or listed to
    leave out) without keeping the id. Computed only for the children being sampled from."""
    key = conf.child_hmac_key()
    # blake2b's keyed mode is a MAC.
    return [hashlib.blake2b(v.encode(), key=key[:64], digest_size=16).hexdigest() for v in values]


def home_district_expr(postcode: pl.Expr) -> pl.Expr:
    """The outward code of a postcode ("Z24 7QH" -> "Z24"; "Z247QH" -> "Z24")."""
    compact = postcode.str.to_uppercase().str.replace_all(r"\s+", "")
    length = compact.str.len_chars()
    return pl.when(length >= 5).then(compact.str.slice(0, length - 3))


# Codes are stored as enums: a million short strings cost more to sort, write and read than
# the data they carry. The enums are those validation converts to, so storing costs nothing.
ENUMS = {
    "sex": code_enum("Header", "SEX"),
    "ethnic": code_enum("Header", "ETHNIC"),
    "rne": code_enum("Episodes", "RNE"),
    "ls": code_enum("Episodes", "LS"),
    "cin": code_enum("Episodes", "CIN"),
    "place": code_enum("Episodes", "PLACE"),
    "place_provider": code_enum("Episodes", "PLACE_PROVIDER"),
    "rec": code_enum("Episodes", "REC"),
    "reason_place_change": code_enum("Episodes", "REASON_PLACE_CHANGE"),
    "pl_location": code_enum("Episodes", "PL_LOCATION"),
    "missing": code_enum("Missing", "MISSING"),
    "review_code": code_enum("Reviews", "REVIEW_CODE"),
    "sdq_reason": code_enum("OC2", "SDQ_REASON"),
    "sw_reason": code_enum("SWEpisodes", "SW_REASON"),
}


def _typed(name: str, expr: pl.Expr) -> pl.Expr:
    return expr.cast(ENUMS[name]).alias(name) if name in ENUMS else expr.alias(name)


OC2_FLAGS = (
    "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
)  # fmt: skip

# What is kept of each table, and from which column: (table, kept columns, key for one row
# per child and date across years, or None to keep every row).
KEPT: dict[str, tuple[str, dict[str, pl.Expr], tuple[str, ...] | None]] = {
    "Episodes": (
        "episodes",
        {
            "decom": pl.col(date_col("DECOM")),
            "rne": pl.col(code_col("RNE")),
            "ls": pl.col(code_col("LS")),
            "cin": pl.col(code_col("CIN")),
            "place": pl.col(code_col("PLACE")),
            "place_provider": pl.col(code_col("PLACE_PROVIDER")),
            "dec": pl.col(date_col("DEC")),
            "rec": pl.col(code_col("REC")),
            "reason_place_change": pl.col(code_col("REASON_PLACE_CHANGE")),
        },
        ("decom",),
    ),
    "Reviews": (
        "reviews",
        {"review": pl.col(date_col("REVIEW")), "review_code": pl.col(code_col("REVIEW_CODE"))},
        ("review",),
    ),
    "Missing": (
        "missing",
        {
            "missing": pl.col(code_col("MISSING")),
            "mis_start": pl.col(date_col("MIS_START")),
            "mis_end": pl.col(date_col("MIS_END")),
        },
        ("mis_start", "missing"),
    ),
    "UASC": ("uasc", {"duc": pl.col(date_col("DUC"))}, ()),
    "OC2": (
        "oc2",
        {
            "sdq_score": pl.col(num_col("SDQ_SCORE")),
            "sdq_reason": pl.col(code_col("SDQ_REASON")),
            **{flag.lower(): pl.col(flag) == "1" for flag in OC2_FLAGS},
            "year": pl.col("__year"),
        },
        ("year",),
    ),
    "SWEpisodes": (
        "sw",
        {
            "sw_decom": pl.col(date_col("SW_DECOM")),
            "sw_dec": pl.col(date_col("SW_DEC")),
            "sw_reason": pl.col(code_col("SW_REASON")),
        },
        ("sw_decom",),
    ),
}
EMPTY: dict[str, dict[str, Any]] = {
    "episodes": {
        "decom": pl.Date, "rne": ENUMS["rne"], "ls": ENUMS["ls"], "cin": ENUMS["cin"],
        "place": ENUMS["place"], "place_provider": ENUMS["place_provider"], "dec": pl.Date,
        "rec": ENUMS["rec"], "reason_place_change": ENUMS["reason_place_change"],
    },
    "reviews": {"review": pl.Date, "review_code": ENUMS["review_code"]},
    "missing": {"missing": ENUMS["missing"], "mis_start": pl.Date, "mis_end": pl.Date},
    "uasc": {"duc": pl.Date},
    "oc2": {
        "sdq_score": pl.Int32, "sdq_reason": ENUMS["sdq_reason"],
        **{flag.lower(): pl.Boolean for flag in OC2_FLAGS}, "year": pl.Int32,
    },
    "sw": {"sw_decom": pl.Date, "sw_dec": pl.Date, "sw_reason": ENUMS["sw_reason"]},
}  # fmt: skip


def child_ids(raw: RawExtract) -> pl.Enum:
    """Every CHILD id in any year's Header, in the order they first appear (earliest year
    first): a child's number (child_idx) is its place in this list, so the same files always
    give the same numbers. The other tables nearly always list children in the Header's order,
    so their rows come already in child number order, and keeping them in that order (which
    the cohort's sorting and grouping rely on to go fast) costs little."""
    headers = [
        t.frame["CHILD"]
        for t in sorted(raw.tables, key=lambda table: table.year)
        if t.spec.name == "Header"
    ]
    return pl.Enum(pl.concat(headers).drop_nulls().unique(maintain_order=True))


# The tables the field's rules take facts about a child from (`rules.context.child_facts`).
FACT_TABLES = frozenset({"Header", "UASC", "Episodes", "OC2", "OC3", "AD1", "DoLo"})


def build_extract(
    raw: RawExtract, *, home_districts: list[str], progress: Progress = _no_progress
) -> ImportResult:
    ids = child_ids(raw)
    numbers = child_numbers(raw.tables, ids)
    facts = child_facts(
        [
            (table.spec.name, table.year, table.frame, number)
            for table, number in zip(raw.tables, numbers, strict=True)
            if table.spec.name in FACT_TABLES
        ],
        ids.categories.len(),
    )
    validated: dict[str, list[tuple[RawTable, pl.DataFrame]]] = {}
    problem_frames: list[pl.DataFrame] = []
    # Two tables are checked at a time (polars lets go of Python's lock while it works), so
    # the small tables are checked beside the episodes. Progress is reported from this thread
    # only, as it writes to the database.
    with ThreadPoolExecutor(_CHECK_THREADS) as pool:
        checked = pool.map(
            lambda pair: validate_table(pair[0], pair[1], facts.get(pair[0].year)),
            zip(raw.tables, numbers, strict=True),
        )
        for number, (table, (normalised, problems)) in enumerate(
            zip(raw.tables, checked, strict=True)
        ):
            progress(30 + 30 * number // max(len(raw.tables), 1), f"Checked {table.file}")
            problem_frames.append(problems)
            if table.spec.name == "Episodes":
                raw.notes.extend(_year_mismatch(table, normalised))
            if problems.height:
                bad_rows = problems.filter(pl.col("severity") == ERROR)["row"]
                if bad_rows.len():
                    normalised = normalised.filter(
                        ~pl.col(ROW).cast(pl.Int64).is_in(bad_rows.unique().implode())
                    )
            validated.setdefault(table.spec.name, []).append((table, normalised))
    problems = pl.concat(problem_frames) if problem_frames else empty_problems()
    progress(62, "Linking the tables")
    problem_children = (
        problems.filter(pl.col("severity") == ERROR)["child_idx"].drop_nulls().unique()
    )
    extract = _assemble(validated, problem_children, home_districts, ids.categories)
    extract.meta["years"] = raw.years
    summary = _summary(raw, problems, extract)
    notes = pl.DataFrame([n.as_dict() for n in raw.notes], schema=PROBLEM_SCHEMA)
    public = pl.concat([notes, problems.drop("child_idx")]).sort(
        "file", "row", nulls_last=False, maintain_order=True
    )
    return ImportResult(extract, public, summary)


def _year_mismatch(table: RawTable, frame: pl.DataFrame) -> list[Problem]:
    """A warning when no episode starts or ends in the collection year the file was given
    for: a return always has some, so the file is most likely another year's."""
    start, end = codes.year_bounds(table.year)
    in_year = pl.col(date_col("DECOM")).is_between(start, end) | pl.col(date_col("DEC")).is_between(
        start, end
    )
    if frame.height == 0 or frame.select(in_year.any()).item():
        return []
    return [
        Problem(
            WARNING,
            table.file,
            "year-mismatch",
            f"No episode starts or ends in {codes.year_label(table.year)}, the year this file "
            "was given for: check that it is that year's return.",
            table=table.spec.name,
            year=table.year,
        )
    ]


def _combine(
    pairs: list[tuple[RawTable, pl.DataFrame]],
    columns: dict[str, pl.Expr],
    key: tuple[str, ...] | None,
) -> pl.DataFrame:
    frames = []
    for table, frame in sorted(pairs, key=lambda pair: pair[0].year):
        present = set(frame.columns) | {"__year"}
        frame = frame.with_columns(pl.lit(table.year, dtype=pl.Int32).alias("__year"))
        frames.append(
            _known_children(frame).select(
                "child_idx",
                *[
                    _typed(name, expr if expr.meta.root_names()[0] in present else pl.lit(None))
                    for name, expr in columns.items()
                ],
            )
        )
    combined = pl.concat(frames, how="vertical_relaxed") if len(frames) > 1 else frames[0]
    if len(frames) > 1 and key is not None:
        # The later year's row wins: an episode open at 31 March is returned again, ended,
        # the year after.
        combined = combined.unique(["child_idx", *key], keep="last", maintain_order=True)
    return _in_child_order(combined, key[0] if key else None)


def _known_children(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of children in the Header (the others have been reported)."""
    if frame["child_idx"].null_count():
        return frame.filter(pl.col("child_idx").is_not_null())
    return frame


def _in_child_order(frame: pl.DataFrame, day: str | None) -> pl.DataFrame:
    """Rows in child number order, then date order: the cohort's sorting and grouping go
    fastest on rows in that order, and rows already in it (as a single year's nearly always
    are) cost only a look each."""
    key = frame.select(child_date_key("child_idx", day)).to_series()
    if key.null_count() == 0 and key.is_sorted():
        return frame
    return frame.sort(child_date_key("child_idx", day), maintain_order=True)


def _assemble(
    validated: dict[str, list[tuple[RawTable, pl.DataFrame]]],
    problem_children: pl.Series,
    home_districts: list[str],
    numbered: pl.Series,
) -> Extract:
    # The episodes (most of the work) are put together beside the other tables: polars lets
    # go of Python's lock while it works.
    with ThreadPoolExecutor(1) as pool:
        pending_episodes = pool.submit(
            _combine_with_locations, validated["Episodes"], home_districts
        )
        extract = _assemble_others(validated, problem_children, numbered)
        episodes = pending_episodes.result()
    extract.episodes = episodes
    has_903_location = any(
        "PL_LOCATION" in frame.columns for _table, frame in validated["Episodes"]
    )
    if has_903_location:
        location_source = "903"
    elif home_districts:
        location_source = "districts"
    else:
        location_source = "none"
    extract.meta = {
        "location_source": location_source,
        "has_distance": bool(episodes["pl_distance"].is_not_null().any()),
        "home_districts": home_districts,
    }
    return extract


def _assemble_others(
    validated: dict[str, list[tuple[RawTable, pl.DataFrame]]],
    problem_children: pl.Series,
    numbered: pl.Series,
) -> Extract:
    """Every kept table but the episodes (left empty here). `numbered` is every CHILD id,
    in child number order (`child_ids`).

    Every numbered child (`child_ids`) keeps a row, even one whose only Header row had an
    error and was left out: the cohort finds each child's row by its number, and the child's
    rows in the other tables are still there. Such a child has a problem, so it is counted
    and then left out of every draw, as any child with a problem row is."""
    header_frames = []
    for table, frame in validated["Header"]:
        present = set(frame.columns)
        header_frames.append(
            _known_children(frame).select(
                "child_idx",
                pl.col("CHILD").alias("child_id"),
                pl.col("UPN").alias("upn"),
                pl.col(date_col("DOB")).alias("dob"),
                _typed("sex", pl.col(code_col("SEX"))),
                _typed("ethnic", pl.col(code_col("ETHNIC"))),
                (pl.col("UASC") == "1" if "UASC" in present else pl.lit(False)).alias("uasc_flag"),
                pl.lit(table.year, dtype=pl.Int32).alias("last_year"),
            )
        )
    header = (
        pl.concat(header_frames)
        .sort("last_year", descending=True)
        .unique("child_idx", keep="first")
        .sort("child_idx")
    )
    header = _every_numbered_child(header, numbered)
    identity = header.select("child_idx", "child_id", "upn", "dob")
    children = header.select(
        "child_idx",
        "sex",
        "ethnic",
        pl.col("uasc_flag").fill_null(False),
        pl.col("child_idx").is_in(problem_children.implode()).alias("has_problem"),
        "last_year",
    )

    tables_out: dict[str, pl.DataFrame] = {}
    for source, (name, columns, key) in KEPT.items():
        if source == "Episodes":
            continue
        pairs = validated.get(source)
        if not pairs:
            tables_out[name] = pl.DataFrame(schema={"child_idx": pl.UInt32, **EMPTY[name]})
            continue
        tables_out[name] = _combine(pairs, columns, key)

    return Extract(
        identity=identity,
        children=children,
        episodes=pl.DataFrame(),
        reviews=tables_out["reviews"],
        missing=tables_out["missing"],
        uasc=tables_out["uasc"],
        oc2=tables_out["oc2"],
        sw=tables_out["sw"],
    )


def _every_numbered_child(header: pl.DataFrame, numbered: pl.Series) -> pl.DataFrame:
    """`header` with a row for each child number, the CHILD id alone for a child whose Header
    row was left out."""
    if header.height == numbered.len():
        return header
    every_child = pl.DataFrame(
        {
            "child_idx": pl.int_range(numbered.len(), dtype=pl.UInt32, eager=True),
            "__id": numbered.cast(pl.String),
        }
    )
    return (
        every_child.join(header, on="child_idx", how="left", maintain_order="left")
        .with_columns(pl.coalesce("child_id", "__id").alias("child_id"))
        .drop("__id")
    )


def _combine_with_locations(
    pairs: list[tuple[RawTable, pl.DataFrame]], home_districts: list[str]
) -> pl.DataFrame:
    """The episodes of every year. Placement location: PL_LOCATION / PL_LA / PL_DISTANCE
    when the extract has them; otherwise in or out of area from the placement postcode's
    district. The postcode itself is not kept."""
    columns = dict(KEPT["Episodes"][1])
    frames = []
    for _table, frame in sorted(pairs, key=lambda pair: pair[0].year):
        present = set(frame.columns)
        given = pl.col(code_col("PL_LOCATION")) if "PL_LOCATION" in present else None
        if given is not None and not frame[code_col("PL_LOCATION")].null_count():
            location = given  # every row has PL_LOCATION: nothing to derive
        else:
            district = home_district_expr(pl.col("PL_POST"))
            derived = (
                pl.when(district.is_null())
                .then(None)
                .when(district.is_in(home_districts))
                .then(pl.lit("IN"))
                .otherwise(pl.lit("OUT"))
                if home_districts
                else pl.lit(None, dtype=pl.String)
            ).cast(ENUMS["pl_location"])
            location = derived if given is None else pl.coalesce(given, derived)
        extra = {
            "pl_location": location,
            # Made an enum below, once every year's values are known.
            "pl_la": pl.col("PL_LA") if "PL_LA" in present else pl.lit(None, pl.String),
            "pl_distance": pl.col(num_col("PL_DISTANCE"))
            if "PL_DISTANCE" in present
            else pl.lit(None, pl.Float64),
        }
        frames.append(
            _known_children(frame).select(
                "child_idx",
                *[_typed(name, expr) for name, expr in {**columns, **extra}.items()],
            )
        )
    local_authorities = _local_authority_enum([frame["pl_la"] for frame in frames])
    frames = [
        frame.with_columns(column) for frame, column in zip(frames, local_authorities, strict=True)
    ]
    combined = frames[0]
    if len(frames) > 1:
        combined = pl.concat(frames, how="vertical_relaxed").unique(
            ["child_idx", "decom"], keep="last", maintain_order=True
        )
    return _in_child_order(combined, "decom")


def _local_authority_enum(columns: list[pl.Series]) -> list[pl.Series]:
    """Each year's PL_LA column (a categorical, text, or nulls where the file has none)
    without surrounding spaces, as one enum of the values they hold, in sorted order.

    A categorical is not kept: the Arrow writer copies its categories out with every file
    and the reader maps each row back, most of the time a national extract's million
    episodes take to write. An enum of a few hundred local authorities is written as a byte
    or two a row. Each distinct value is trimmed and numbered once, then the rows are
    renumbered by lookup, not converted one by one."""
    categorical = [
        column
        if isinstance(column.dtype, pl.Categorical)
        else column.cast(pl.String).cast(pl.Categorical)
        for column in columns
    ]
    values = [categorical_values(column) for column in categorical]
    trimmed = [text.str.strip_chars() for _numbers, text in values]
    enum = pl.Enum(pl.concat(trimmed).unique().sort())
    result = []
    for column, (numbers, _text), text in zip(categorical, values, trimmed, strict=True):
        size = cast(int, numbers.max()) + 1 if numbers.len() else 1
        slots = pl.repeat(None, size, dtype=pl.UInt32, eager=True).scatter(
            numbers, text.cast(enum).to_physical().cast(pl.UInt32)
        )
        positions = slots.gather(column.to_physical().cast(pl.UInt32))
        as_enum = positions.to_frame().select(pl.first().cat.to(enum)).to_series()
        result.append(chunked_like(as_enum, column).alias(column.name))
    return result


def _summary(raw: RawExtract, problems: pl.DataFrame, extract: Extract) -> dict[str, Any]:
    files = [
        {
            "file": table.file,
            "table": table.spec.name,
            "label": table.spec.label,
            "year": table.year,
            "rows": table.frame.height,
        }
        for table in raw.tables
    ]
    errors = problems.filter(pl.col("severity") == ERROR)
    left_out = extract.children.filter("has_problem")["child_idx"]
    episodes_left_out = (
        int(extract.episodes["child_idx"].is_in(left_out.implode()).sum()) if left_out.len() else 0
    )
    return {
        "files": files,
        "years": raw.years,
        "children": extract.children.height,
        "episodes": extract.episodes.height,
        "reviews": extract.reviews.height,
        "missing": extract.missing.height,
        "children_with_problems": left_out.len(),
        # What is left when the rows with errors, and their children, are left out.
        "children_kept": extract.children.height - left_out.len(),
        "episodes_kept": extract.episodes.height - episodes_left_out,
        "error_rows": errors.select(pl.struct("file", "row").n_unique()).item()
        if errors.height
        else 0,
        "errors": errors.height,
        "warnings": int((problems["severity"] == "warning").sum()) + len(raw.notes),
        "location_source": extract.meta["location_source"],
        "has_distance": extract.meta["has_distance"],
    }


# --- Storage --------------------------------------------------------------------------------


_MAGIC = b"MACA903\x01"
_TAG_SIZE = 16  # AES-GCM's, after the ciphertext


@cache
def _store_keys(keys: tuple[str, ...]) -> list[tuple[bytes, AESGCM]]:
    """AES-256-GCM keys derived from the identifier keys, newest first, each with an id.

    The identifier store's keys are reused (so one rotation covers both), but through AES-GCM
    rather than Fernet: Fernet base64-encodes and is some fifty times slower on the tens of
    megabytes a national extract takes."""
    derived = []
    for key in keys:
        material = hashlib.sha256(b"maca-903-store:" + key.encode()).digest()
        derived.append((hashlib.sha256(material).digest()[:8], AESGCM(material)))
    return derived


def _header_and_cipher() -> tuple[bytes, bytes, bytes, AESGCM]:
    """A fresh file header (magic, key id, nonce), its nonce, the data authenticated with the
    ciphertext (magic and key id) and the newest key."""
    key_id, cipher = _store_keys(crypto.configured_keys())[0]
    nonce = os.urandom(12)
    return _MAGIC + key_id + nonce, nonce, _MAGIC + key_id, cipher


def encrypt_bytes(data: bytes) -> bytes:
    header, nonce, associated, cipher = _header_and_cipher()
    return header + cipher.encrypt(nonce, data, associated)


def decrypt_bytes(blob: Buffer) -> bytes:
    # Views of the ciphertext, not copies: a national extract's episodes are 30 MB. They are
    # let go of even when decrypting fails, so a mapped file can still be closed.
    with memoryview(blob) as view, view[28:] as body:
        if bytes(view[:8]) != _MAGIC:
            raise ValueError("not an encrypted maca 903 file")
        key_id, nonce = bytes(view[8:16]), bytes(view[16:28])
        for candidate_id, cipher in _store_keys(crypto.configured_keys()):
            if candidate_id == key_id:
                return cipher.decrypt(nonce, body, _MAGIC + key_id)
    raise ValueError("the 903 extract was encrypted with a key that is no longer configured")


# Each table is kept in the Arrow IPC format (polars' own memory layout, written out as it
# is), not Parquet: a national extract's episodes take well under half the time to write, and
# no longer to read back (which every cohort built does). Uncompressed:
# encrypted bytes do not compress, and compressing first costs more time than the disk (some
# 40 MB for a national extract) it saves. Extracts kept before were Parquet, and are still
# read (`_table_path`, `read_frame`).
_SUFFIX = ".arrow.enc"
_OLD_SUFFIX = ".parquet.enc"
_ARROW_MAGIC = b"ARROW1"


@dataclass(frozen=True)
class Store:
    """Where one extract is kept: a folder (`name`) in a Django storage.

    Each save writes a new version folder, `<name>/v<time>-<random>/`, and marks it finished
    last (`COMPLETE`); readers take the newest finished version. So a save that fails half-way
    (the disk full, the worker killed) leaves the previous good version in use, and no file
    is ever overwritten: object stores need no rename. Extracts kept before versions were
    written straight into `<name>/`, and are still read."""

    storage: Storage
    name: str


_COMPLETE = "COMPLETE"


def extract_store(name: str) -> Store:
    """The extract called `name` in the `extracts` storage."""
    return Store(extract_storage(), name)


def _as_store(target: Store | Path) -> Store:
    """A folder on disk (the benchmarks, the command line's tests) is a storage of its own."""
    if isinstance(target, Store):
        return target
    return Store(FileSystemStorage(location=str(target.parent)), target.name)


def _local_path(storage: Storage, name: str) -> Path | None:
    """The file's path when the storage is a folder on this machine, else None (other
    storages may answer `path()` without keeping files there: InMemoryStorage does)."""
    if isinstance(storage, FileSystemStorage):
        return Path(storage.path(name))
    return None


def _listdir(storage: Storage, name: str) -> tuple[list[str], list[str]]:
    try:
        directories, files = storage.listdir(name)
    except FileNotFoundError:
        return [], []
    return list(directories), list(files)


def _current_folder(store: Store) -> str | None:
    """The folder holding the extract's newest finished version, or None if none is kept."""
    directories, files = _listdir(store.storage, store.name)
    if any(file.endswith((_SUFFIX, _OLD_SUFFIX)) for file in files):
        return store.name  # kept before versions
    for version in sorted((d for d in directories if d.startswith("v")), reverse=True):
        folder = f"{store.name}/{version}"
        if store.storage.exists(f"{folder}/{_COMPLETE}"):
            return folder
    return None


def _folder_of(target: Store | Path) -> tuple[Store, str]:
    store = _as_store(target)
    folder = _current_folder(store)
    if folder is None:
        raise FileNotFoundError(f"no 903 extract is kept at {store.name!r}")
    return store, folder


def extract_exists(target: Store | Path) -> bool:
    return _current_folder(_as_store(target)) is not None


def _delete_folder(storage: Storage, folder: str) -> None:
    """Delete a folder and everything in it."""
    local = _local_path(storage, folder)
    if local is not None:
        shutil.rmtree(local, ignore_errors=True)
        return
    directories, files = _listdir(storage, folder)
    for file in files:
        storage.delete(f"{folder}/{file}")
    for directory in directories:
        _delete_folder(storage, f"{folder}/{directory}")


def delete_extract(target: Store | Path) -> None:
    store = _as_store(target)
    _delete_folder(store.storage, store.name)


def _table_name(store: Store, folder: str, name: str) -> str:
    table = f"{folder}/{name}{_SUFFIX}"
    if folder == store.name and not store.storage.exists(table):
        old = f"{folder}/{name}{_OLD_SUFFIX}"
        if store.storage.exists(old):
            return old
    return table


def _sealed(frame: pl.DataFrame) -> tuple[bytes, io.BytesIO]:
    """The file's header and a buffer holding `frame` as Arrow IPC, encrypted in place, its
    tag at the end. It is encrypted where it was written, not into a copy: on a virtual
    machine, the tens of megabytes of new memory a copy needs cost about as much to map as
    encrypting them does."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    buffer.write(bytes(_TAG_SIZE))  # room for the tag
    header, nonce, associated, cipher = _header_and_cipher()
    with buffer.getbuffer() as sealed:
        cipher.encrypt_into(nonce, sealed[:-_TAG_SIZE], associated, sealed)
    return header, buffer


def write_frame(frame: pl.DataFrame, path: Path) -> None:
    """Write `frame` as Arrow IPC, encrypted, to a file."""
    header, buffer = _sealed(frame)
    with buffer.getbuffer() as sealed, path.open("wb") as out:
        out.write(header)
        out.write(sealed)


def _frame_from(data: bytes, columns: list[str] | None) -> pl.DataFrame:
    if data.startswith(_ARROW_MAGIC):
        return pl.read_ipc(data, columns=columns)
    return pl.read_parquet(data, columns=columns)


def read_frame(path: Path, columns: list[str] | None = None) -> pl.DataFrame:
    """Read a table written by `write_frame`. The file is mapped into memory rather than
    read into a copy, for the reason `_sealed` gives."""
    with (
        path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
    ):
        data = decrypt_bytes(mapped)
    return _frame_from(data, columns)


def _write_stored(frame: pl.DataFrame, storage: Storage, name: str) -> None:
    local = _local_path(storage, name)
    if local is not None:  # a folder on this machine: written in place, as fast as before
        local.parent.mkdir(parents=True, exist_ok=True)
        write_frame(frame, local)
        return
    header, buffer = _sealed(frame)
    with buffer.getbuffer() as sealed:
        content = header + bytes(sealed)
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # a fresh version folder is never taken; refuse to guess otherwise
        storage.delete(saved)
        raise FileExistsError(f"{name} is already kept")


def _read_stored(storage: Storage, name: str, columns: list[str] | None = None) -> pl.DataFrame:
    local = _local_path(storage, name)
    if local is not None:
        return read_frame(local, columns)
    with storage.open(name, "rb") as handle:
        blob = handle.read()
    return _frame_from(decrypt_bytes(blob), columns)


# Files are written and read two at a time: polars writes and reads a file on one
# core, and releases Python's lock while it does, so the episodes (most of the work) and the
# other tables go side by side.
_FILE_THREADS = 2


def save_extract(
    extract: Extract,
    problems: pl.DataFrame,
    target: Store | Path,
    *,
    derived: Mapping[str, Callable[[], pl.DataFrame]] | None = None,
) -> None:
    """Keep the extract as a new version, marked finished once every table is written; then
    the older versions go. A failure half-way deletes what was written and leaves the
    previous version as it was.

    `derived` names frames worked out from the extract (the cohort's facts on its own census
    date, `kept_facts`): each is worked out beside the writing of the tables, on the other
    core, and kept in the same version, so it goes when the extract does."""
    store = _as_store(target)
    folder = f"{store.name}/v{time.time_ns():020d}-{secrets.token_hex(3)}"
    frames = {name: extract.table(name) for name in TABLE_FILES} | {"problems": problems}
    largest_first = sorted(frames, key=lambda name: -frames[name].height)
    makers: list[tuple[str, Callable[[], pl.DataFrame]]] = [
        *(derived or {}).items(),
        *((name, lambda name=name: frames[name]) for name in largest_first),
    ]
    try:
        with ThreadPoolExecutor(_FILE_THREADS) as pool:
            for _done in pool.map(
                lambda made: _write_stored(
                    made[1](), store.storage, f"{folder}/{made[0]}{_SUFFIX}"
                ),
                makers,
            ):
                pass
        _mark_complete(store.storage, folder)
    except BaseException:
        _delete_folder(store.storage, folder)
        raise
    _delete_older_versions(store, folder)


def load_kept(
    target: Store | Path, name: str, columns: list[str] | None = None
) -> pl.DataFrame | None:
    """One frame of the current version, a table or one kept by `save_extract(derived=...)`,
    or None when the version has none of that name."""
    store, folder = _folder_of(target)
    stored = _table_name(store, folder, name)
    if not store.storage.exists(stored):
        return None
    return _read_stored(store.storage, stored, columns)


def _mark_complete(storage: Storage, folder: str) -> None:
    local = _local_path(storage, f"{folder}/{_COMPLETE}")
    if local is not None:
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(b"")
    else:
        storage.save(f"{folder}/{_COMPLETE}", ContentFile(b""))


def _delete_older_versions(store: Store, keep: str) -> None:
    directories, files = _listdir(store.storage, store.name)
    for file in files:  # the layout before versions
        store.storage.delete(f"{store.name}/{file}")
    for directory in directories:
        folder = f"{store.name}/{directory}"
        if folder != keep:
            _delete_folder(store.storage, folder)


def load_extract(
    target: Store | Path, meta: dict[str, Any], *, with_identity: bool = False
) -> Extract:
    store, folder = _folder_of(target)
    names = {name: _table_name(store, folder, name) for name in TABLE_FILES}

    def read(name: str) -> pl.DataFrame:
        if name == "identity" and not with_identity:
            return _read_stored(store.storage, names[name], ["child_idx", "dob"])
        return _read_stored(store.storage, names[name])

    largest_first = sorted(TABLE_FILES, key=lambda name: -store.storage.size(names[name]))
    with ThreadPoolExecutor(_FILE_THREADS) as pool:
        frames = dict(zip(largest_first, pool.map(read, largest_first), strict=True))
    return Extract(meta=dict(meta), **frames)


def load_problems(target: Store | Path) -> pl.DataFrame:
    store = _as_store(target)
    folder = _current_folder(store)
    if folder is None:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    name = _table_name(store, folder, "problems")
    if not store.storage.exists(name):
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    return _read_stored(store.storage, name)
