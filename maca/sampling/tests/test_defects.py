"""Imports that used to go wrong: a left-out Header row, fully quoted CSV files, sampling into
an audit past setting up, the DoLo table, and the messages for bad dates, binary files, XML
and blank ids. Every value is fictional."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maca.audits.models import Case
from maca.sampling.extract import build_extract
from maca.sampling.ingest import SourceFile, read_extract
from maca.sampling.problems import ExtractError, problems_from_frame
from maca.sampling.tests.conftest import EPISODE_COLUMNS, HEADER_COLUMNS
from tests.factories import build_audit


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _problems(paths: list[Path], year: int = 2024) -> list:
    raw = read_extract([SourceFile(p, year) for p in paths])
    return problems_from_frame(build_extract(raw, home_districts=["Z1"]).problems)


@pytest.mark.django_db
def test_left_out_header_row_does_not_break_cohort_or_sample(tmp_path, generated):
    paths = generated(children=60, seed=11)
    folder = paths[0].parent
    header = folder / "header.csv"
    lines = header.read_text().splitlines()
    fields = lines[1].split(",")
    fields[3] = "NOPE"  # an ETHNIC code on no list: the row is left out
    lines[1] = ",".join(fields)
    header.write_text("\n".join(lines) + "\n")
    built = build_audit(cases=0, agencies=1, findings=0, status="sampling")
    printed = _run(
        "import-903", str(folder), "--year", "2024", "--home-districts", "Z1",
        "--audit", built.audit.slug, "--leave-out-problem-rows",
    )  # fmt: skip
    pattern = r"Imported (\d+) children .*leaving out (\d+) children.*Import id: (\S+)"
    found = re.search(pattern, printed)
    assert found, printed
    kept, left_out, public_id = int(found.group(1)), int(found.group(2)), found.group(3)
    assert left_out >= 1 and kept + left_out == 60
    counts = _run("cohort", "--import", public_id, "--census", "31/03/2024")
    assert "Looked after" in counts or counts.strip()
    _run(
        "sample", "--import", public_id, "--audit", built.audit.slug, "--size", "3",
        "--seed", "4", "--census", "31/03/2024",
    )  # fmt: skip
    assert Case.objects.filter(audit=built.audit).count() == 3


def test_fully_quoted_csv_reads_quoted_blanks_as_blank(write):
    def quoted(text: str) -> str:
        return "\n".join(
            ",".join(f'"{value}"' for value in line.split(",")) for line in text.splitlines()
        )

    header = write(
        "header.csv", quoted(f"{HEADER_COLUMNS}\n9000001,1,01/02/2012,WBRI,A12345678901B,,")
    )
    episodes = write(
        "episodes.csv",
        quoted(
            f"{EPISODE_COLUMNS},PL_LA,PL_LOCATION,PL_DISTANCE\n"
            "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX,,,"
        ),
    )
    problems = [p for p in _problems([header, episodes]) if p.severity == "error"]
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["published", "closed", "returns_open"])
def test_sample_refuses_audits_past_setting_up(status, generated):
    folder = generated(children=40, seed=12)[0].parent
    built = build_audit(cases=0, agencies=1, findings=0, status=status)
    printed = _run("import-903", str(folder), "--year", "2024", "--home-districts", "Z1")
    public_id = re.search(r"Import id: (\S+)", printed).group(1)  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="being set up"):
        _run(
            "sample", "--import", public_id, "--audit", built.audit.slug, "--size", "2",
            "--seed", "1", "--census", "31/03/2024",
        )  # fmt: skip
    assert not Case.objects.filter(audit=built.audit).exists()


@pytest.mark.django_db
def test_sample_refuses_an_import_made_for_another_audit(generated):
    folder = generated(children=40, seed=13)[0].parent
    first = build_audit(cases=0, agencies=1, findings=0, status="sampling")
    second = build_audit(cases=0, agencies=1, findings=0, status="sampling")
    printed = _run(
        "import-903", str(folder), "--year", "2024", "--home-districts", "Z1",
        "--audit", first.audit.slug,
    )  # fmt: skip
    public_id = re.search(r"Import id: (\S+)", printed).group(1)  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="another audit"):
        _run(
            "sample", "--import", public_id, "--audit", second.audit.slug, "--size", "2",
            "--seed", "1", "--census", "31/03/2024",
        )  # fmt: skip
    assert not Case.objects.filter(audit=second.audit).exists()


def test_dolo_table_is_recognised_and_checked(write, minimal_extract):
    dolo = write(
        "dolo.csv",
        "CHILD,DOB,DOLO_START,DOLO_END\n9000001,01/02/2012,01/06/2024,01/09/2024\n",
    )
    raw = read_extract([SourceFile(p, 2025) for p in [*minimal_extract, dolo]])
    assert "DoLo" in {table.spec.name for table in raw.tables}


def test_a_day_that_does_not_exist_is_called_so(write, minimal_extract):
    header = write("h.csv", f"{HEADER_COLUMNS}\n9000001,1,31/02/2012,WBRI,A12345678901B,,\n")
    [problem] = [p for p in _problems([header, minimal_extract[1]]) if p.column == "DOB"]
    assert "does not exist" in problem.message and "DD/MM/YYYY" not in problem.message


def test_binary_file_is_not_called_utf16(write, minimal_extract):
    sheet = write("episodes.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" * 8)
    with pytest.raises(ExtractError) as caught:
        read_extract([SourceFile(minimal_extract[0], 2024), SourceFile(sheet, 2024)])
    messages = " ".join(p.message for p in caught.value.problems)
    assert "UTF-16" not in messages and "not a text file" in messages
    utf16 = write("e16.csv", "CHILD,DECOM\n1,2\n".encode("utf-16-le"))
    with pytest.raises(ExtractError, match="UTF-16"):
        read_extract([SourceFile(utf16, 2024)])


def test_xml_problems_name_the_element_path(write):
    xml = write(
        "return.xml",
        "<EXPSSDA903>\n<CHILD>\n<HEADER>\n<CHILDID>9000001</CHILDID><SEX>1</SEX>"
        "<DOB>01/02/2012</DOB><ETHNIC>WBRI</ETHNIC>\n</HEADER>\n"
        "<EPISODE><DECOM>01/05/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>Q9</PL>"
        "<PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>\n</CHILD>\n</EXPSSDA903>\n",
    )
    [problem] = [p for p in _problems([xml]) if p.column == "PLACE"]
    assert "/EXPSSDA903[1]/CHILD[1]/EPISODE[1]/PL" in problem.message
    broken = write("broken.xml", "<EXPSSDA903>\n<CHILD>\n<HEADER>\n</CHILD>\n</EXPSSDA903>\n")
    with pytest.raises(ExtractError, match=r"/EXPSSDA903\[1\]/CHILD\[1\]/HEADER\[1\]"):
        read_extract([SourceFile(broken, 2024)])


@pytest.mark.parametrize("blank", ["", '""', " "])
def test_blank_child_is_a_blank_required_field(write, minimal_extract, blank):
    episodes = write(
        "e.csv",
        f"{EPISODE_COLUMNS}\n{blank},01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    [problem] = [p for p in _problems([minimal_extract[0], episodes]) if p.column == "CHILD"]
    assert problem.rule == "required"


def test_years_that_do_not_follow_one_another_are_refused(minimal_extract):
    files = [SourceFile(p, 2024) for p in minimal_extract]
    files += [SourceFile(p, 2020) for p in minimal_extract]
    with pytest.raises(ExtractError) as caught:
        read_extract(files)
    [problem] = [p for p in caught.value.problems if p.rule == "unrelated-years"]
    assert "2019/20" in problem.message and "2023/24" in problem.message


def test_a_file_given_for_the_wrong_year_is_warned_about(minimal_extract):
    raw = read_extract([SourceFile(p, 2022) for p in minimal_extract])
    problems = problems_from_frame(build_extract(raw, home_districts=["Z1"]).problems)
    [problem] = [p for p in problems if p.rule == "year-mismatch"]
    assert problem.severity == "warning" and "2021/22" in problem.message


@pytest.mark.django_db
def test_importing_the_same_extract_again_says_so(generated):
    folder = generated(children=30, seed=14)[0].parent
    first = _run("import-903", str(folder), "--year", "2024", "--home-districts", "Z1")
    assert "imported before" not in first
    first_id = re.search(r"Import id: (\S+)", first).group(1)  # type: ignore[union-attr]
    again = _run("import-903", str(folder), "--year", "2024", "--home-districts", "Z1")
    assert f"imported before (for this audit), as import {first_id}" in again
