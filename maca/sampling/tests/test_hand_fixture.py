"""Cohort counts, placement moves and review timeliness on a small extract written by hand,
with the expected numbers worked out in the comments.

Collection year 2023/24 (the extract covers 1 April 2023 to 31 March 2024). Census date
31 March 2024, so "the last 12 months" is 1 April 2023 to 31 March 2024. The home area's
postcode district is Z1; any other district is out of area.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from maca.core import calendar
from maca.sampling.cohort import CohortFilters, build_cohort
from maca.sampling.derive import child_facts
from maca.sampling.extract import build_extract
from maca.sampling.facts import case_details, with_flags
from maca.sampling.ingest import SourceFile, read_extract

CENSUS = dt.date(2024, 3, 31)

HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
1001,1,15/06/2012,WBRI,A10010000001B,,
1002,2,01/04/2020,BAFR,UN1,,
1003,1,20/09/2008,OOTH,UN2,,
1004,2,01/01/2010,WBRI,A10040000001C,,
1005,1,01/01/2015,WBRI,A10050000001D,,
1006,2,10/10/2016,MWBC,A10060000001E,,
1007,1,05/05/2005,WIRI,A10070000001F,,
"""
# 1001: in care since 10/01/2022 (before the window, so looked after at its start: 1
#       placement), then moves on 05/05/2023 (P) and 01/12/2023 (T): 2 moves, 3 placements.
#       The L episode of 20/08/2023 changes legal status only, so it is not a move. Why each
#       placement ended is on the episode that ended: CREQB, then CARPL. Now in W3: out.
# 1002: started 01/02/2024 in Z1 (in area): 1 placement, no moves.
# 1003: started 17/04/2023 (inside the window: 1 placement) in X9, moved 02/05/2023 (P) and
#       01/06/2023 (B): 2 moves, 3 placements. UASC. Out of area.
# 1004: left care on the census date itself, so not looked after on it.
# 1005: short breaks (V3), left out of "looked after".
# 1006: in care since 2019, never moved, in Y1: out of area, 1 placement.
# 1007: no placement postcode, so neither in nor out of area.
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
1001,10/01/2022,S,C2,N1,U4,PR1,05/05/2023,X1,CREQB,Z1 1AA,Y5 1AB,XXXXXXX
1001,05/05/2023,P,C2,N1,U6,PR4,20/08/2023,X1,,Z1 1AA,Y5 1AB,XXXXXXX
1001,20/08/2023,L,E1,N1,U6,PR4,01/12/2023,X1,CARPL,Z1 1AA,Y5 1AB,XXXXXXX
1001,01/12/2023,T,E1,N1,U6,PR4,,,,Z1 1AA,W3 2CD,XXXXXXX
1002,01/02/2024,S,C1,N2,U4,PR1,,,,Z1 1AA,Z1 4EF,XXXXXXX
1003,17/04/2023,S,V2,N8,K2,PR4,02/05/2023,X1,CLOSE,Z1 1AA,X9 9ZZ,SC000001
1003,02/05/2023,P,V2,N8,U6,PR4,01/06/2023,X1,STAND,Z1 1AA,X9 9ZZ,XXXXXXX
1003,01/06/2023,B,C2,N8,K2,PR5,,,,Z1 1AA,X9 8YY,SC000002
1004,01/05/2022,S,C2,N1,U4,PR1,31/03/2024,E4A,,Z1 1AA,Z1 5GH,XXXXXXX
1005,01/01/2024,S,V3,N2,U4,PR1,,,,Z1 1AA,Z1 6JK,XXXXXXX
1006,01/02/2019,S,C2,N1,U4,PR1,,,,Z1 1AA,Y1 1AA,XXXXXXX
1007,01/01/2023,S,V2,N4,H5,PR4,,,,Z1 1AA,,XXXXXXX
"""  # noqa: E501
# Reviews (CPPCR 2010 reg 33), counted from the start of the period of care:
# 1001: in care since before the extract (10/01/2022 < 01/04/2023), so its first reviews are
#       not in the extract: the review of 28/04/2023 cannot be judged; the next was due 6
#       months later, by 28/10/2023, and was held 01/11/2023: late. 0 of 1 on time.
# 1002: started 01/02/2024; the first review was due within 20 working days, by 29/02/2024,
#       and none was held: overdue on the census date.
# 1003: started 17/04/2023. 20 working days, skipping the bank holidays of 1 May and 8 May
#       2023 (the Coronation), end on 17/05/2023 (15/05/2023 if holidays were ignored); held
#       16/05/2023: on time. The second was due 3 months later, by 16/08/2023; held
#       22/08/2023: late. The third was due by 22/02/2024; held 20/02/2024: on time. 2 of 3.
# 1006: in care since 2019: 01/09/2023 cannot be judged; 01/03/2024 was due by 01/03/2024:
#       on time. 1 of 1.
REVIEWS = """CHILD,DOB,REVIEW,REVIEW_CODE
1001,15/06/2012,28/04/2023,PN1
1001,15/06/2012,01/11/2023,PN1
1003,20/09/2008,16/05/2023,PN5
1003,20/09/2008,22/08/2023,PN1
1003,20/09/2008,20/02/2024,PN1
1006,10/10/2016,01/09/2023,PN1
1006,10/10/2016,01/03/2024,PN2
"""
# 1001 went missing once inside the window; the 01/02/2023 "away" is before it.
MISSING = """CHILD,DOB,MISSING,MIS_START,MIS_END
1001,15/06/2012,M,10/06/2023,11/06/2023
1001,15/06/2012,A,01/02/2023,01/02/2023
"""
UASC = """CHILD,SEX,DOB,DUC
1003,1,20/09/2008,
"""
# 1006 has been looked after 12 months or more: OC2 with SDQ 15 (borderline), no dental check.
OC2 = """CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED
1006,10/10/2016,15,,,,1,0,1,0,0,0
"""  # noqa: E501


@pytest.fixture
def facts(write):
    paths = [
        write("a.csv", HEADER),
        write("b.csv", EPISODES),
        write("c.csv", REVIEWS),
        write("d.csv", MISSING),
        write("e.csv", UASC),
        write("f.csv", OC2),
    ]
    raw = read_extract([SourceFile(Path(p), 2024) for p in paths])
    result = build_extract(raw, home_districts=["Z1"])
    assert result.error_count == 0, result.problems
    frame = child_facts(result.extract, CENSUS)
    return result.extract, frame


def _steps(extract, frame, **filters):
    cohort = build_cohort(
        frame,
        CohortFilters(census_date=CENSUS, **filters),
        extract_children=extract.children.height,
        location_source="districts",
    )
    return [step.count for step in cohort.steps], cohort


def _row(frame, idx_of, child):
    return frame.filter(frame["child_idx"] == idx_of[child]).row(0, named=True)


@pytest.fixture
def idx_of(facts):
    extract, _frame = facts
    return dict(zip(extract.identity["child_id"], extract.identity["child_idx"], strict=True))


def test_looked_after_and_out_of_area_counts(facts):
    extract, frame = facts
    # 7 children; 5 looked after on 31/03/2024 (not 1004, who left that day, nor 1005 on
    # short breaks); 3 of them out of area (1001, 1003, 1006). 1007 cannot be placed.
    steps, cohort = _steps(extract, frame, location="out")
    assert steps == [7, 5, 3]
    assert any("1 children could not be placed" in note for note in cohort.notes)


def test_filters_in_order(facts):
    extract, frame = facts
    assert _steps(extract, frame, location="out", placements="three_plus")[0] == [7, 5, 3, 2]
    assert _steps(extract, frame, location="in")[0] == [7, 5, 1]
    assert _steps(extract, frame, uasc="yes")[0] == [7, 5, 1]
    assert _steps(extract, frame, missing="missing")[0] == [7, 5, 1]
    assert _steps(extract, frame, missing="none")[0] == [7, 5, 4]
    assert _steps(extract, frame, location="out", age_bands=("10 to 15",))[0] == [7, 5, 3, 2]
    assert _steps(extract, frame, legal_statuses=("C2", "E1"))[0] == [7, 5, 3]


def test_a_day_earlier_the_child_who_left_is_still_looked_after(facts):
    extract, _frame = facts
    earlier = child_facts(extract, dt.date(2024, 3, 30))
    assert earlier.height == 6


def test_placements_and_moves(facts, idx_of):
    extract, frame = facts
    child_1001 = _row(frame, idx_of, "1001")
    assert (child_1001["placements_12m"], child_1001["moves_12m"]) == (3, 2)
    child_1003 = _row(frame, idx_of, "1003")
    assert (child_1003["placements_12m"], child_1003["moves_12m"]) == (3, 2)
    assert (
        _row(frame, idx_of, "1002")["placements_12m"],
        _row(frame, idx_of, "1002")["moves_12m"],
    ) == (1, 0)
    assert _row(frame, idx_of, "1006")["placements_12m"] == 1
    details = case_details(extract, frame, CENSUS, [idx_of["1001"], idx_of["1003"]])
    moves = details[idx_of["1001"]]["moves"]
    assert [(m["date"], m["reason"]) for m in moves] == [
        ("2023-05-05", "CREQB"),
        ("2023-12-01", "CARPL"),
    ]
    assert [m["reason"] for m in details[idx_of["1003"]]["moves"]] == ["CLOSE", "STAND"]


def test_missing_in_the_last_12_months(facts, idx_of):
    _extract, frame = facts
    child = _row(frame, idx_of, "1001")
    assert (child["missing_12m"], child["away_12m"]) == (1, 0)


def test_first_review_due_counts_bank_holidays():
    # The working-day arithmetic the fixture's comments rely on.
    assert calendar.add_working_days(dt.date(2023, 4, 17), 20) == dt.date(2023, 5, 17)
    assert calendar.add_working_days(dt.date(2024, 2, 1), 20) == dt.date(2024, 2, 29)


def test_review_timeliness(facts, idx_of):
    extract, frame = facts
    flagged = with_flags(frame).collect()
    details = case_details(
        extract, frame, CENSUS, [idx_of[c] for c in ("1001", "1002", "1003", "1006")]
    )

    reviews_1003 = details[idx_of["1003"]]["reviews"]
    assert [(r["date"], r["due"], r["on_time"]) for r in reviews_1003] == [
        ("2023-05-16", "2023-05-17", True),
        ("2023-08-22", "2023-08-16", False),
        ("2024-02-20", "2024-02-22", True),
    ]
    reviews_1001 = details[idx_of["1001"]]["reviews"]
    assert [(r["date"], r["due"], r["on_time"]) for r in reviews_1001] == [
        ("2023-04-28", None, None),
        ("2023-11-01", "2023-10-28", False),
    ]
    reviews_1006 = details[idx_of["1006"]]["reviews"]
    assert [r["on_time"] for r in reviews_1006] == [None, True]

    status = {
        child: _row(flagged, idx_of, child)["flag_reviews_on_time"]
        for child in ("1001", "1002", "1003", "1006")
    }
    assert status == {"1001": "not_met", "1002": "not_met", "1003": "partly_met", "1006": "met"}
    overdue = {
        child: _row(flagged, idx_of, child)["flag_review_not_overdue"]
        for child in ("1001", "1002", "1003", "1006")
    }
    # 1002's first review was due 29/02/2024 and has not happened.
    assert overdue == {"1001": "met", "1002": "not_met", "1003": "met", "1006": "met"}
    assert details[idx_of["1002"]]["next_review_due"] == "2024-02-29"


def test_health_flags_from_oc2(facts, idx_of):
    _extract, frame = facts
    child = _row(with_flags(frame).collect(), idx_of, "1006")
    assert child["flag_dental_check"] == "not_met"
    assert child["flag_health_assessment"] == "met"
    assert child["flag_sdq"] == "met"  # aged 7 on 31/03/2024: SDQ applies
    assert child["flag_health_surveillance"] == "not_applicable"  # only under 5
    no_oc2 = _row(with_flags(frame).collect(), idx_of, "1001")
    assert no_oc2["flag_dental_check"] == "not_applicable"
