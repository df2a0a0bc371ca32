"""Reading 903 files (CSV or XML) into raw tables, one per table and collection year.

Everything here is about whether a file can be read at all; a problem found here is fatal and
stops the import. Checks on the values are in `validate.py`.

Each CSV file is recognised from its header row alone; then all of them are read at once, in
one polars query, each value converted as it is read (`parse.py`: dates looked up, codes as enums)
beside the text it came from, which the checks compare it with. The columns no check or kept
table uses are not loaded (`parse.NOT_USED`), though every byte of the file is still parsed.
"""

from __future__ import annotations

import itertools
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from maca.sampling import codes, parse, tables
from maca.sampling.problems import FATAL, WARNING, ExtractError, Problem
from maca.sampling.tables import TableSpec

# The engine the CSV files are read with, all at once (`_collect_csv`). Polars' in-memory
# engine reads the files side by side, each in pieces over every core; with its streaming
# engine (the default) a national extract's files took half as long again to read and
# convert (elapsed), and a little more CPU time.
READ_ENGINE: Literal["in-memory"] = "in-memory"

ROW = "_row"  # spreadsheet row (header is row 1) for CSV, line number for XML
PATH = "_path"  # for XML, the record's element path (/EXPSSDA903/CHILD[3]/EPISODE[2])


@dataclass(frozen=True)
class SourceFile:
    path: Path
    year: int
    name: str = ""  # what the person called it (an upload's original name)

    @property
    def display_name(self) -> str:
        return self.name or self.path.name


@dataclass
class RawTable:
    spec: TableSpec
    year: int
    file: str
    # Every column as text (a code column may be read straight into its enum instead), plus
    # ROW and the converted columns (parse.py).
    frame: pl.DataFrame
    row_label: str = "row"


@dataclass
class RawExtract:
    tables: list[RawTable]
    notes: list[Problem] = field(default_factory=list)  # warnings found while reading

    def get(self, name: str, year: int) -> RawTable | None:
        for table in self.tables:
            if table.spec.name == name and table.year == year:
                return table
        return None

    @property
    def years(self) -> list[int]:
        return sorted({table.year for table in self.tables})


Progress = Callable[[int, str], None]


def _no_progress(percent: int, message: str) -> None:
    return None


def read_extract(files: list[SourceFile], progress: Progress = _no_progress) -> RawExtract:
    """Read every file, recognise its table, and refuse the lot if any file is unusable."""
    if not files:
        raise ExtractError([Problem(FATAL, "(no files)", "no-files", "No files were given.")])
    # Tables and problems are kept with the number of their file, to list them in file order.
    found: list[tuple[int, RawTable]] = []
    fatal: list[tuple[int, Problem]] = []
    notes: list[Problem] = []
    pending: list[tuple[int, _PendingCsv]] = []
    # Tables whose file was found but is unusable are reported once, not also as absent.
    attempted: set[tuple[str, int | None]] = set()
    for index, source in enumerate(files):
        progress(5 + 10 * index // len(files), f"Reading {source.display_name}")
        is_xml = source.path.exists() and _looks_like_xml(source.path)
        try:
            if is_xml:
                found.extend((index, _converted(table)) for table in _read_xml(source))
            else:
                csv = _open_csv(source)
                pending.append((index, csv))
                notes.extend(csv.ignored)
        except ExtractError as error:
            fatal.extend((index, problem) for problem in error.problems)
            attempted |= {(p.table, p.year) for p in error.problems if p.table}
            if is_xml:  # an XML file carries every table
                attempted |= {(name, source.year) for name in tables.REQUIRED_TABLES}
    if pending:
        progress(15, "Reading the CSV files")
        results = _collect_csv([csv for _index, csv in pending])
        for (index, csv), result in zip(pending, results, strict=True):
            if isinstance(result, RawTable):
                found.append((index, result))
            else:
                fatal.extend((index, problem) for problem in result)
                attempted.add((csv.spec.name, csv.source.year))
    problems = [problem for _index, problem in sorted(fatal, key=lambda pair: pair[0])]
    read = [table for _index, table in sorted(found, key=lambda pair: pair[0])]
    problems.extend(_check_tables(read, files, attempted))
    if problems:
        raise ExtractError(problems)
    return RawExtract(read, notes)


def _check_tables(
    found: list[RawTable], files: list[SourceFile], attempted: set[tuple[str, int | None]]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for table in found:
        key = (table.spec.name, table.year)
        if key in seen:
            problems.append(
                Problem(
                    FATAL,
                    table.file,
                    "duplicate-table",
                    f"Both {seen[key]} and {table.file} look like the {table.spec.label} table "
                    f"for {table.year - 1}/{str(table.year)[-2:]}; give one of them.",
                    table=table.spec.name,
                    year=table.year,
                )
            )
        seen[key] = table.file
    problems.extend(_check_years(files))
    for year in sorted({source.year for source in files}):
        for name in tables.REQUIRED_TABLES:
            if (name, year) not in seen and (name, year) not in attempted:
                spec = tables.BY_NAME[name]
                problems.append(
                    Problem(
                        FATAL,
                        "(extract)",
                        "missing-table",
                        f"No {spec.label} table for {year - 1}/{str(year)[-2:]}: a file with "
                        f"the columns {', '.join(spec.columns)} is needed.",
                        table=name,
                        year=year,
                    )
                )
    for table in found:
        if table.spec.needed_for_sampling and table.frame.height == 0:
            problems.append(
                Problem(
                    FATAL,
                    table.file,
                    "empty-table",
                    f"The {table.spec.label} table has no rows.",
                    table=table.spec.name,
                    year=table.year,
                )
            )
    return problems


def _check_years(files: list[SourceFile]) -> list[Problem]:
    """Collection years given together must follow one another: a child's episodes are linked
    from one year's return to the next, and a gap (2019/20 with 2023/24) would join unrelated
    returns as if they were one history."""
    years = sorted({source.year for source in files})
    gaps = [(before, after) for before, after in itertools.pairwise(years) if after != before + 1]
    return [
        Problem(
            FATAL,
            "(extract)",
            "unrelated-years",
            f"The files are for {codes.year_label(before)} and {codes.year_label(after)}, "
            "which do not follow one another: import years that follow one another, or each "
            "year on its own.",
            year=after,
        )
        for before, after in gaps
    ]


def _looks_like_xml(path: Path) -> bool:
    if path.suffix.lower() == ".xml":
        return True
    with path.open("rb") as handle:
        start = handle.read(64).lstrip(b"\xef\xbb\xbf").lstrip()
    return start.startswith(b"<")


def _fatal(source: SourceFile, rule: str, message: str, **kwargs: object) -> ExtractError:
    return ExtractError(
        [Problem(FATAL, source.display_name, rule, message, year=source.year, **kwargs)]  # type: ignore[arg-type]
    )


def _check_bytes(source: SourceFile) -> bytes:
    """The file's first bytes, once it is known to be neither missing, empty nor binary."""
    try:
        size = source.path.stat().st_size
        with source.path.open("rb") as handle:
            start = handle.read(4096)
    except OSError as error:
        raise _fatal(
            source, "unreadable", f"The file cannot be opened: {error.strerror}."
        ) from None
    if size == 0 or not start.strip():
        raise _fatal(source, "empty-file", "The file is empty.")
    if _looks_like_utf16(start):
        raise _fatal(
            source,
            "encoding",
            "The file is encoded as UTF-16, not UTF-8. Open it in a text editor and save it "
            "as UTF-8.",
            row=1,
        )
    if b"\x00" in start or start.startswith(_BINARY_STARTS):
        raise _fatal(
            source,
            "binary-file",
            "The file is not a text file (it may be a spreadsheet, a PDF or an archive). "
            "Export each 903 table as CSV, or the return as XML.",
        )
    return start


# How spreadsheets (xlsx, and the older xls), PDFs and archives begin.
_BINARY_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b")


def _looks_like_utf16(start: bytes) -> bool:
    """A UTF-16 byte-order mark, or text whose every other byte is zero, as UTF-16 makes of
    the letters, digits and commas of a 903 file. A binary file has zeros here and there."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    pairs = start[: len(start) - len(start) % 2]
    if len(pairs) < 4:
        return False
    even, odd = pairs[0::2], pairs[1::2]
    little_endian = odd.count(0) == len(odd) and 0 not in even
    big_endian = even.count(0) == len(even) and 0 not in odd
    return little_endian or big_endian


def _utf8_problem(source: SourceFile) -> ExtractError:
    # Only reached when polars has refused the file, so reading it again here costs nothing
    # in the ordinary case and finds the row to name.
    data = source.path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        return _fatal(
            source,
            "encoding",
            "The file is not UTF-8 (perhaps Windows-1252 or Latin-1). Save it as UTF-8.",
            row=row,
        )
    return _fatal(source, "unreadable", "The file could not be read as CSV.")


@dataclass
class _PendingCsv:
    """A CSV file recognised from its header row, to be read with the others.

    It is first read with each code column parsed straight into its enum (`fast`, with the
    dtypes of `parse.read_dtypes`), the cheapest way to read and check a file whose codes are
    all on the lists, as nearly all are. One value that is not (a code unknown, in lower case,
    with spaces) stops that reading, and the file is read again with every column as text
    (`text`), which the checks turn into problems naming the row."""

    source: SourceFile
    spec: TableSpec
    fast: pl.LazyFrame
    text: pl.LazyFrame
    ignored: list[Problem]


def _unreadable(source: SourceFile, error: Exception) -> ExtractError:
    if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
        return _utf8_problem(source)
    first_line = (str(error).strip().splitlines() or [""])[0][:200]
    return _fatal(source, "unreadable", f"The file could not be read as CSV ({first_line}).")


def _open_csv(source: SourceFile) -> _PendingCsv:
    """Recognise the table from the header row alone, and plan its reading and conversion."""
    start = _check_bytes(source)
    try:
        columns = pl.read_csv(
            source.path, n_rows=0, infer_schema=False, encoding="utf8", raise_if_empty=True
        ).columns
    except pl.exceptions.NoDataError:
        raise _fatal(source, "empty-file", "The file is empty.") from None
    except pl.exceptions.PolarsError as error:
        raise _unreadable(source, error) from None
    names = [name.lstrip("\ufeff").strip().upper() for name in columns]
    recognition = tables.recognise(names)
    if recognition.spec is None:
        raise _fatal(
            source,
            "unknown-table",
            f"The columns do not match any 903 table (columns found: {', '.join(names[:15])}).",
            row=1,
        )
    spec = recognition.spec
    if recognition.missing:
        raise _fatal(
            source,
            "missing-column",
            f"This looks like the {spec.label} table but has no "
            f"{_plural('column', recognition.missing)} {', '.join(recognition.missing)}.",
            row=1,
            column=recognition.missing[0],
            table=spec.name,
        )
    if len(set(names)) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise _fatal(
            source,
            "unreadable",
            f"The file has more than one column called {', '.join(repeated)}.",
            row=1,
            column=repeated[0],
            table=spec.name,
        )
    ignored = [
        Problem(
            WARNING,
            source.display_name,
            "unexpected-column",
            f"Column {column} is not part of the {spec.label} table and was ignored.",
            row=1,
            column=column,
            table=spec.name,
            year=source.year,
        )
        for column in recognition.unexpected
    ]
    keep = [(original, name) for original, name in zip(columns, names, strict=True)]
    unused = parse.NOT_USED.get(spec.name, frozenset())
    keep = [(o, name) for o, name in keep if name in spec.known_columns and name not in unused]
    kept = [name for _original, name in keep]
    dtypes = parse.read_dtypes(spec, kept)

    # Several export tools quote every field, and a quoted empty field ("") is read as an
    # empty string rather than as blank. Reading "" as blank costs a comparison a field, so
    # it is done only when the file quotes anything near its start, and always when a file
    # is read as text after the fast reading failed.
    quoted = b'"' in start

    def plan(typed: dict[str, pl.DataType], blanks: bool) -> pl.LazyFrame:
        overrides = {original: typed[name] for original, name in keep if name in typed}
        return (
            pl.scan_csv(
                source.path,
                infer_schema=False,
                schema_overrides=overrides,
                encoding="utf8",
                raise_if_empty=True,
                null_values=[""] if blanks else None,
            )
            .select([pl.col(original).alias(name) for original, name in keep])
            .with_row_index(ROW, offset=2)
            .pipe(parse.with_converted, spec, kept, year=source.year, as_read=frozenset(typed))
        )

    return _PendingCsv(source, spec, plan(dtypes, quoted), plan({}, True), ignored)


def _collect_csv(pending: list[_PendingCsv]) -> list[RawTable | list[Problem]]:
    """Read every file at once, each a table or the fatal problems that stopped it. If that
    fails, the files are read one by one, to find which need reading as text or cannot be read
    at all."""
    try:
        frames = pl.collect_all([csv.fast for csv in pending], engine=READ_ENGINE)
    except pl.exceptions.PolarsError:
        return [_collect_one(csv) for csv in pending]
    return [
        RawTable(csv.spec, csv.source.year, csv.source.display_name, _in_like_pieces(frame))
        for csv, frame in zip(pending, frames, strict=True)
    ]


def _in_like_pieces(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every column in the same pieces as the columns read from the file.

    The in-memory engine gives a file's columns in as many pieces as it parsed the file in,
    but the row numbers and the dates it converted in one piece each. A table whose columns
    are cut differently is copied whole to line them up whenever rows are picked out, so
    those few columns are cut like the others: a copy of a few megabytes, where lining the
    whole table up would copy it all."""
    if frame.width == 0:
        return frame
    like = max(frame.get_columns(), key=lambda column: column.n_chunks())
    realigned = [
        parse.chunked_like(column, like)
        for column in frame.get_columns()
        if column.n_chunks() != like.n_chunks()
    ]
    return frame.with_columns(realigned) if realigned else frame


def _collect_one(csv: _PendingCsv) -> RawTable | list[Problem]:
    try:
        frame = csv.fast.collect(engine=READ_ENGINE)
    except pl.exceptions.PolarsError:
        pass
    else:
        return RawTable(csv.spec, csv.source.year, csv.source.display_name, _in_like_pieces(frame))
    try:
        frame = csv.text.collect(engine=READ_ENGINE)
    except pl.exceptions.NoDataError:
        error = _fatal(csv.source, "empty-file", "The file is empty.")
    except pl.exceptions.PolarsError as polars_error:
        error = _unreadable(csv.source, polars_error)
    else:
        return RawTable(csv.spec, csv.source.year, csv.source.display_name, _in_like_pieces(frame))
    return error.problems


def _converted(table: RawTable) -> RawTable:
    """Add the converted columns to a table read from XML (a CSV file's are added as read)."""
    present = [column for column in table.frame.columns if column not in (ROW, PATH)]
    table.frame = parse.with_converted(table.frame, table.spec, present, year=table.year)
    return table


def _plural(word: str, items: tuple[str, ...]) -> str:
    return word if len(items) == 1 else f"{word}s"


# --- XML ------------------------------------------------------------------------------------

_XML_RENAMES = {"CHILDID": "CHILD", "PL": "PLACE"}
XML_NAMES = {column: element for element, column in _XML_RENAMES.items()}
_HEADER_GROUPS = {
    "AREVIEW": "Reviews",
    "AMISSING": "Missing",
    "OC2": "OC2",
    "PERMANENCE": "PrevPerm",
    "AD_PLACED": "PlacedAdoption",
}


class _XmlReader:
    """Streams the DfE XML layout with expat, which gives line numbers for every element.

    EXPSSDA903 > CHILD > HEADER (child fields, AREVIEW*, AMISSING*, OC2, PERMANENCE, AD_PLACED*)
    and EPISODE*. Each record keeps the line it starts on, so problems can name it."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.rows: dict[str, list[dict[str, str | int | None]]] = {
            spec.name: [] for spec in tables.TABLES
        }
        self.stack: list[str] = []
        self.text: list[str] = []
        self.child: dict[str, str | int | None] = {}
        self.record: dict[str, str | int | None] | None = None
        self.record_table = ""
        self.pending: list[tuple[str, dict[str, str | int | None]]] = []
        # How many of each element each open element holds so far, to name an element by its
        # path (/EXPSSDA903/CHILD[12]/EPISODE[2]), which a person can find in any XML viewer.
        self.counts: list[dict[str, int]] = [{}]
        self.path: list[str] = []
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text.append
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.entity

    def doctype(self, *args: object) -> None:
        # A DTD can define entities that expand without limit; the 903 layout has none.
        raise ValueError("the file has a DOCTYPE declaration, which a 903 file never has")

    def entity(self, *args: object) -> None:
        raise ValueError("the file declares entities, which a 903 file never has")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        depth = len(self.stack)
        self.stack.append(name)
        self.text.clear()
        siblings = self.counts[-1]
        siblings[name] = siblings.get(name, 0) + 1
        self.counts.append({})
        self.path.append(f"{name}[{siblings[name]}]")
        line = self.parser.CurrentLineNumber
        if depth == 0 and name != "EXPSSDA903":
            raise ValueError(f"the root element is <{name}>, not <EXPSSDA903>")
        where: dict[str, str | int | None] = {"_row": line, PATH: self.element_path()}
        if depth == 1 and name == "CHILD":
            self.child = dict(where)
            self.pending = []
        elif depth == 2 and name == "EPISODE":
            self.record, self.record_table = dict(where), "Episodes"
        elif depth == 3 and self.stack[2] == "HEADER" and name in _HEADER_GROUPS:
            self.record, self.record_table = dict(where), _HEADER_GROUPS[name]

    def element_path(self) -> str:
        return "/" + "/".join(self.path)

    def end(self, name: str) -> None:
        value = "".join(self.text).strip() or None
        self.text.clear()
        self.stack.pop()
        self.counts.pop()
        self.path.pop()
        depth = len(self.stack)
        field_name = _XML_RENAMES.get(name, name)
        if self.record is not None:
            closes_record = (depth == 2 and name == "EPISODE") or (
                depth == 3 and name in _HEADER_GROUPS
            )
            if closes_record:
                self.pending.append((self.record_table, self.record))
                self.record = None
            else:
                self.record[field_name] = value
        elif depth == 3 and self.stack[2] == "HEADER":
            self.child[field_name] = value
        elif depth == 1 and name == "CHILD":
            self.finish_child()

    def finish_child(self) -> None:
        child = self.child
        where = {"_row": child["_row"], PATH: child[PATH]}
        header = {column: child.get(column) for column in (*tables.HEADER.columns, "UASC")}
        self.rows["Header"].append({**header, **where})
        if child.get("UASC") == "1" or child.get("DUC"):
            self.rows["UASC"].append({**{c: child.get(c) for c in tables.UASC.columns}, **where})
        if child.get("IN_TOUCH") is not None:
            self.rows["OC3"].append({**{c: child.get(c) for c in tables.OC3.columns}, **where})
        if child.get("DATE_INT") is not None:
            self.rows["AD1"].append({**{c: child.get(c) for c in tables.AD1.columns}, **where})
        for table, record in self.pending:
            record.setdefault("CHILD", child.get("CHILD"))
            if "DOB" in tables.BY_NAME[table].columns:
                record.setdefault("DOB", child.get("DOB"))
            self.rows[table].append(record)

    def read(self) -> list[RawTable]:
        with self.source.path.open("rb") as handle:
            self.parser.ParseFile(handle)
        result = []
        for spec in tables.TABLES:
            rows = self.rows[spec.name]
            if not rows and not spec.needed_for_sampling:
                continue
            columns = list(spec.columns) + (["UASC"] if spec.name == "Header" else [])
            schema = {column: pl.String for column in columns}
            frame = pl.DataFrame(
                [{c: row.get(c) for c in columns} for row in rows], schema=schema
            ).with_columns(
                pl.Series(ROW, [row["_row"] for row in rows], dtype=pl.UInt32),
                pl.Series(PATH, [row[PATH] for row in rows], dtype=pl.String),
            )
            result.append(RawTable(spec, self.source.year, self.source.display_name, frame, "line"))
        return result


def _read_xml(source: SourceFile) -> list[RawTable]:
    _check_bytes(source)
    reader = _XmlReader(source)
    try:
        return reader.read()
    except xml.parsers.expat.ExpatError as error:
        raise _fatal(
            source,
            "malformed-xml",
            f"The XML is malformed: {xml.parsers.expat.ErrorString(error.code)} "
            f"{_inside(reader)}(line {error.lineno}, column {error.offset + 1}).",
            row=error.lineno,
            row_label="line",
        ) from None
    except ValueError as error:
        raise _fatal(
            source,
            "malformed-xml",
            f"The XML is not a 903 file: {error} {_inside(reader)}".rstrip() + ".",
            row=reader.parser.CurrentLineNumber,
            row_label="line",
        ) from None


def _inside(reader: _XmlReader) -> str:
    return f"in {reader.element_path()} " if reader.path else ""
