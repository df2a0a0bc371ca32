"""Each kind of bad input gives a message naming file, row and column; fatal ones keep
nothing."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from maca.sampling.extract import build_extract
from maca.sampling.ingest import SourceFile, read_extract
from maca.sampling.problems import ExtractError, problems_from_frame
from maca.sampling.rules import RULES
from maca.sampling.tests.conftest import EPISODE_COLUMNS, HEADER_COLUMNS

GOOD_HEADER = f"{HEADER_COLUMNS}\n9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
GOOD_EPISODES = f"{EPISODE_COLUMNS}\n9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"


def _fatal(paths: list[Path], year: int = 2024) -> list:
    with pytest.raises(ExtractError) as caught:
        read_extract([SourceFile(p, year) for p in paths])
    return caught.value.problems


def _row_problems(paths: list[Path], year: int = 2024) -> list:
    """maca's own problems about rows; the field's rules (numbered codes) are tested in
    test_rules.py, and whether a file is of its year in test_defects.py."""
    raw = read_extract([SourceFile(p, year) for p in paths])
    problems = problems_from_frame(build_extract(raw, home_districts=["Z1"]).problems)
    return [p for p in problems if p.rule not in RULES and p.rule != "year-mismatch"]


def test_missing_column_is_fatal_and_named(write):
    header = write("header.csv", GOOD_HEADER)
    episodes = write(
        "episodes.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "9000001,01/05/2023,S,C2,N1,U4,PR1,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    [problem] = _fatal([header, episodes])
    assert (problem.file, problem.row, problem.column, problem.rule) == (
        "episodes.csv",
        1,
        "REC",
        "missing-column",
    )
    assert "Episodes" in problem.message and "REC" in problem.message


def test_wrong_date_format_names_row_and_column(write):
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
        "9000001,2023-06-01,P,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
        "9000001,01/07/23,P,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    problems = [
        p for p in _row_problems([write("h.csv", GOOD_HEADER), episodes]) if p.rule == "date-format"
    ]
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("episodes.csv", 3, "DECOM", "2023-06-01"),
        ("episodes.csv", 4, "DECOM", "01/07/23"),
    ]
    assert "DD/MM/YYYY" in problems[0].message
    assert problems[0].severity == "error"


def test_bad_date_of_birth_is_shown_only_by_its_shape(write):
    header = write("header.csv", f"{HEADER_COLUMNS}\n9000001,1,2012-02-01,WBRI,A12345678901B,,\n")
    [problem] = [
        p for p in _row_problems([header, write("e.csv", GOOD_EPISODES)]) if p.column == "DOB"
    ]
    assert problem.value == "(shape 9999-99-99)"
    assert "2012" not in problem.message


def test_unknown_code_names_the_year_list(write):
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n9000001,01/05/2023,S,C2,N1,Q9,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    [problem] = _row_problems([write("h.csv", GOOD_HEADER), episodes])
    assert (problem.file, problem.row, problem.column, problem.rule) == (
        "episodes.csv",
        2,
        "PLACE",
        "code",
    )
    assert "'Q9' is not a PLACE code in the 2023/24 code list" in problem.message


def test_code_lists_follow_the_collection_year(write):
    # K3 came with the October 2023 reforms: unknown in 2022/23, fine in 2023/24.
    k3 = f"{EPISODE_COLUMNS}\n9000001,01/05/2022,S,C2,N1,K3,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
    header = write("h.csv", GOOD_HEADER)
    assert [p.rule for p in _row_problems([header, write("e.csv", k3)], 2023)] == ["code"]
    assert _row_problems([header, write("e.csv", k3)], 2024) == []
    # SEX is 1/2 until 2023/24 and M/F/U from 2024/25.
    header_mf = write("h2.csv", f"{HEADER_COLUMNS}\n9000001,F,01/02/2012,WBRI,UN1,,\n")
    assert [p.column for p in _row_problems([header_mf, write("e.csv", GOOD_EPISODES)], 2024)] == [
        "SEX"
    ]
    assert _row_problems([header_mf, write("e.csv", GOOD_EPISODES)], 2025) == []


def test_codes_are_trimmed_and_upper_cased_before_checking(write):
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n9000001,01/05/2023,s,c2 , n1,u4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    assert _row_problems([write("h.csv", GOOD_HEADER), episodes]) == []


def test_duplicate_child_points_to_the_first_row(write):
    header = write(
        "header.csv",
        f"{HEADER_COLUMNS}\n"
        "9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
        "9000002,2,01/02/2013,WBRI,A12345678901C,,\n"
        "9000001,1,01/02/2012,WBRI,A12345678901B,,\n",
    )
    [problem] = _row_problems([header, write("e.csv", GOOD_EPISODES)])
    assert (problem.file, problem.row, problem.column, problem.rule) == (
        "header.csv",
        4,
        "CHILD",
        "duplicate-child",
    )
    assert "first at row 2" in problem.message
    assert problem.value.startswith("(shape ")


def test_utf16_is_fatal(write):
    header = write("header.csv", GOOD_HEADER, encoding="utf-16")
    [problem] = [
        p for p in _fatal([header, write("e.csv", GOOD_EPISODES)]) if p.file == "header.csv"
    ]
    assert (problem.file, problem.rule) == ("header.csv", "encoding")
    assert "UTF-16" in problem.message


def test_latin1_is_fatal_and_names_the_row(write):
    text = (
        f"{HEADER_COLUMNS}\n9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
        "9000002,2,01/02/2012,WBRI,Zoë,,\n"
    )
    header = write("header.csv", text, encoding="latin-1")
    [problem] = [
        p for p in _fatal([header, write("e.csv", GOOD_EPISODES)]) if p.file == "header.csv"
    ]
    assert (problem.file, problem.row, problem.rule) == ("header.csv", 3, "encoding")


def test_empty_file_is_fatal(write):
    problems = _fatal([write("header.csv", ""), write("e.csv", GOOD_EPISODES)])
    assert [(p.file, p.rule) for p in problems] == [
        ("header.csv", "empty-file"),
        ("(extract)", "missing-table"),  # and so the extract has no Header table
    ]


def test_malformed_xml_is_fatal_with_line(write):
    xml = (
        "<?xml version='1.0'?>\n<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1</CHILDID>\n"
        "</CHILD>\n</EXPSSDA903>\n"
    )
    [problem] = _fatal([write("return.xml", xml)])
    assert (problem.file, problem.row, problem.row_label, problem.rule) == (
        "return.xml",
        4,
        "line",
        "malformed-xml",
    )


def test_xml_with_a_doctype_is_refused(write):
    xml = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<EXPSSDA903></EXPSSDA903>\n'
    [problem] = _fatal([write("return.xml", xml)])
    assert problem.rule == "malformed-xml"


def test_file_that_is_no_903_table_is_fatal(write):
    problems = _fatal([write("notes.csv", "NAME,COLOUR\nfictional,blue\n")])
    assert ("notes.csv", 1, "unknown-table") in [(p.file, p.row, p.rule) for p in problems]


def test_required_tables_are_named(write):
    problems = _fatal([write("header.csv", GOOD_HEADER)])
    assert [(p.rule, p.table) for p in problems] == [("missing-table", "Episodes")]


def test_two_files_for_one_table_are_fatal(write):
    problems = _fatal(
        [
            write("h.csv", GOOD_HEADER),
            write("e1.csv", GOOD_EPISODES),
            write("e2.csv", GOOD_EPISODES),
        ]
    )
    assert [p.rule for p in problems] == ["duplicate-table"]


def test_episode_for_a_child_not_in_the_header(write):
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        "9000001,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
        "9000009,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    [problem] = _row_problems([write("h.csv", GOOD_HEADER), episodes])
    assert (problem.row, problem.column, problem.rule, problem.severity) == (
        3,
        "CHILD",
        "unknown-child",
        "error",
    )


def test_xml_problems_name_the_line(write):
    xml = (
        "<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>\n<CHILD>\n<HEADER>"
        "<CHILDID>77</CHILDID><UPN>UN1</UPN><SEX>1</SEX><DOB>01/01/2015</DOB>"
        "<ETHNIC>WBRI</ETHNIC><UASC /></HEADER>\n"
        "<EPISODE><DECOM>01/05/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN>"
        "<PL>U4</PL><PL_POST>Y2 2BB</PL_POST><HOME_POST>Z1 1AA</HOME_POST><URN>XXXXXXX</URN>"
        "<PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE /></EPISODE>\n"
        "<EPISODE><DECOM>31/02/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN>"
        "<PL>U4</PL><PL_POST /><HOME_POST /><URN /><PLACE_PROVIDER>PR1</PLACE_PROVIDER>"
        "<DEC /><REC /><REASON_PLACE_CHANGE /></EPISODE>\n</CHILD>\n</EXPSSDA903>\n"
    )
    [problem] = _row_problems([write("return.xml", xml)])
    assert (problem.file, problem.row, problem.row_label, problem.column, problem.rule) == (
        "return.xml",
        6,
        "line",
        "DECOM",
        "date-format",
    )


def _episode(decom: str, dec: str = "", rne: str = "P") -> str:
    return (
        f"9000001,{decom},{rne},C2,N1,U4,PR1,{dec},{'E11' if dec else ''},,Z1 1AA,Y2 2BB,XXXXXXX\n"
    )


def test_dates_polars_would_read_leniently_are_not_dates(write):
    # Each of these is 10 characters long and polars' own parser reads it as a date.
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        + _episode("01/05/2023", rne="S")
        + _episode(" 1/ 6/2023")
        + _episode("01/ 7/2023")
        + _episode("01/08/2023", dec="01/09/+202")
        + _episode("01/10/2023", dec="01/11/ 202"),
    )
    problems = [
        p for p in _row_problems([write("h.csv", GOOD_HEADER), episodes]) if p.rule != "date-order"
    ]
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in problems] == [
        ("episodes.csv", 3, "DECOM", "1/ 6/2023", "date-format"),  # shown trimmed
        ("episodes.csv", 4, "DECOM", "01/ 7/2023", "date-format"),
        ("episodes.csv", 5, "DEC", "01/09/+202", "date-format"),
        ("episodes.csv", 6, "DEC", "01/11/ 202", "date-format"),
    ]
    assert all("DD/MM/YYYY" in p.message and p.severity == "error" for p in problems)


def test_dates_with_implausible_years_name_file_row_column_value_and_rule(write):
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        + _episode("01/05/2023", rne="S")
        + _episode("01/06/1850")
        + _episode("01/07/2023", dec="01/08/2190")
        + _episode("31/03/2025")  # the last plausible day: a year after the return's end
        + _episode("01/04/2025"),
    )
    problems = _row_problems([write("h.csv", GOOD_HEADER), episodes])
    assert [(p.file, p.row, p.column, p.value, p.rule, p.severity) for p in problems] == [
        ("episodes.csv", 3, "DECOM", "01/06/1850", "date-range", "error"),
        ("episodes.csv", 4, "DEC", "01/08/2190", "date-range", "error"),
        ("episodes.csv", 6, "DECOM", "01/04/2025", "date-range", "error"),
    ]
    assert problems[0].message == (
        "'01/06/1850' is not a plausible DECOM for the 2023/24 return: it should be from "
        "01/01/1994 to 31/03/2025."
    )


def test_implausible_date_of_birth_is_shown_only_by_its_shape(write):
    header = write(
        "header.csv",
        f"{HEADER_COLUMNS}\n9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
        "9000002,1,14/06/1850,WBRI,A12345678901C,,\n"
        "9000003,1,01/04/2024,WBRI,A12345678901D,,\n",  # born after the return's year ended
    )
    problems = _row_problems([header, write("e.csv", GOOD_EPISODES)])
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in problems] == [
        ("header.csv", 3, "DOB", "(shape 99/99/9999)", "date-range"),
        ("header.csv", 4, "DOB", "(shape 99/99/9999)", "date-range"),
    ]
    assert problems[0].message == (
        "This DOB is not a plausible DOB for the 2023/24 return: it should be from 01/01/1994 "
        "to 31/03/2024."
    )
    assert all("1850" not in p.message and "2024" not in (p.value or "") for p in problems)


def test_plausible_range_moves_with_the_collection_year(write):
    episodes = write("episodes.csv", f"{EPISODE_COLUMNS}\n" + _episode("01/05/1997", rne="S"))
    header = write("h.csv", f"{HEADER_COLUMNS}\n9000001,1,01/02/1996,WBRI,A12345678901B,,\n")
    assert _row_problems([header, episodes], year=2024) == []
    # SEX codes are M/F/U from 2024/25, so the 2028 return also has a code problem.
    problems = [p for p in _row_problems([header, episodes], year=2028) if p.column != "SEX"]
    assert [(p.file, p.column, p.rule) for p in problems] == [
        ("episodes.csv", "DECOM", "date-range"),
        ("h.csv", "DOB", "date-range"),
    ]
    assert all("2027/28" in p.message and "01/01/1998" in p.message for p in problems)


def test_children_with_implausible_dates_are_left_out_of_the_extract(write):
    header = write(
        "header.csv",
        f"{HEADER_COLUMNS}\n9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
        "9000002,1,01/02/2190,WBRI,A12345678901C,,\n",
    )
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        + _episode("01/05/2023", rne="S")
        + "9000002,01/05/2023,S,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    raw = read_extract([SourceFile(header, 2024), SourceFile(episodes, 2024)])
    result = build_extract(raw, home_districts=["Z1"])
    # The child whose Header row was left out keeps its number, marked as having a problem,
    # so it is left out of every draw and its other rows do not dangle.
    children = result.extract.children
    assert children.filter(~pl.col("has_problem"))["child_idx"].to_list() == [0]
    assert children["has_problem"].to_list() == [False, True]
    assert result.summary["children_kept"] == 1
    assert result.error_count == 1


def test_xml_date_with_implausible_year_names_the_line(write):
    xml = (
        "<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>\n<CHILD>\n<HEADER>"
        "<CHILDID>77</CHILDID><UPN>UN1</UPN><SEX>1</SEX><DOB>01/01/2015</DOB>"
        "<ETHNIC>WBRI</ETHNIC><UASC /></HEADER>\n"
        "<EPISODE><DECOM>01/05/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN>"
        "<PL>U4</PL><PL_POST /><HOME_POST /><URN /><PLACE_PROVIDER>PR1</PLACE_PROVIDER>"
        "<DEC>01/06/2190</DEC><REC>E11</REC><REASON_PLACE_CHANGE /></EPISODE>\n"
        "</CHILD>\n</EXPSSDA903>\n"
    )
    [problem] = _row_problems([write("return.xml", xml)])
    assert (problem.file, problem.row, problem.row_label, problem.column, problem.value) == (
        "return.xml",
        5,
        "line",
        "DEC",
        "01/06/2190",
    )
    assert problem.rule == "date-range" and "2023/24" in problem.message


def test_upn_shape_is_checked_in_either_case(write):
    header = write(
        "header.csv",
        f"{HEADER_COLUMNS}\n"
        "9000001,1,01/02/2012,WBRI,A12345678901B,,\n"
        "9000002,1,01/02/2012,WBRI,a12345678901b,,\n"
        "9000003,1,01/02/2012,WBRI,un2,,\n"
        "9000004,1,01/02/2012,WBRI,B1234,,\n"
        "9000005,1,01/02/2012,WBRI,UN6,,\n",
    )
    problems = _row_problems([header, write("e.csv", GOOD_EPISODES)])
    assert [(p.row, p.column, p.rule, p.severity) for p in problems] == [
        (5, "UPN", "upn-format", "warning"),
        (6, "UPN", "upn-format", "warning"),
    ]


@pytest.mark.parametrize(
    ("starts", "duplicate", "first"),
    [
        (["01/05/2023", "01/05/2023", "01/06/2023"], 3, 2),  # in order
        (["01/05/2023", "01/06/2023", "01/05/2023"], 4, 2),  # out of order
        (["01/05/2023", "", "01/05/2023"], 4, 2),  # a blank start between the two
    ],
)
def test_duplicate_episode_is_found_in_or_out_of_order(write, starts, duplicate, first):
    rows = "".join(f"9000001,{start},P,C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n" for start in starts)
    episodes = write("episodes.csv", f"{EPISODE_COLUMNS}\n{rows}")
    problems = [
        p
        for p in _row_problems([write("h.csv", GOOD_HEADER), episodes])
        if p.rule == "duplicate-episode"
    ]
    assert [(p.row, p.column) for p in problems] == [(duplicate, "DECOM")]
    assert f"at row {first}" in problems[0].message


def test_social_worker_id_must_start_with_sw_or_xx(write):
    sw = write(
        "sw.csv",
        "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"
        "9000001,01/02/2012,SW1001,01/05/2023,01/06/2023,ABSENC\n"
        "9000001,01/02/2012,XX,01/06/2023,01/07/2023,ABSENC\n"
        "9000001,01/02/2012,AB12,01/07/2023,,\n",
    )
    problems = _row_problems([write("h.csv", GOOD_HEADER), write("e.csv", GOOD_EPISODES), sw])
    assert [(p.file, p.row, p.column, p.rule) for p in problems] == [
        ("sw.csv", 4, "SW_ID", "sw-id")
    ]
