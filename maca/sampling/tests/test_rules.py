"""Each of the field's rules maca implements, on a planted example that breaks it and a clean
twin that differs only where the rule looks. Every value is fictional."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maca.sampling.extract import build_extract
from maca.sampling.ingest import SourceFile, read_extract
from maca.sampling.problems import ERROR, problems_from_frame
from maca.sampling.rules import RULES
from maca.sampling.rules.registry import ALL_RULES
from maca.sampling.tests.rule_frames import Rows, run_checks


def ep(**values: str | None) -> dict[str, str | None]:
    episode: dict[str, str | None] = {
        "CHILD": "1", "DECOM": "01/05/2023", "RNE": "S", "LS": "C2", "CIN": "N1",
        "PLACE": "U4", "PLACE_PROVIDER": "PR1", "PL_POST": "Z1 1AA", "URN": "XXXXXXX",
    }  # fmt: skip
    return episode | values


def pair(first: dict[str, str | None], second: dict[str, str | None]) -> dict[str, Rows]:
    """Two episodes of child 1, the first ending the day the second starts."""
    return {"Episodes": [ep(DEC="01/06/2023", REC="X1") | first, ep(DECOM="01/06/2023") | second]}


def located(**values: str | None) -> dict[str, str | None]:
    return ep(**({"PL_LA": "900", "PL_LOCATION": "IN", "PL_DISTANCE": "2.0"} | values))


def row(**values: str | None) -> dict[str, str | None]:
    return {"CHILD": "1", **values}


OC2_HEALTH = {
    "IMMUNISATIONS": "1",
    "TEETH_CHECK": "1",
    "HEALTH_ASSESSMENT": "1",
    "SUBSTANCE_MISUSE": "0",
}
HEADER = row(SEX="1", DOB="01/01/2010", ETHNIC="WBRI")
UASC_HEADER = HEADER | {"UASC": "1"}
DOLO_IN_JUNE = row(DOLO_START="01/06/2023", DOLO_END="20/06/2023")

# code: (planted tables, clean twin, options for run_checks)
CASES: dict[str, tuple[dict[str, Rows], dict[str, Rows], dict[str, Any]]] = {
    "142": (pair({"DEC": None, "REC": None}, {"RNE": "P"}), pair({}, {"RNE": "P"}), {}),
    "501": (
        pair({"DEC": "01/07/2023"}, {"RNE": "P"}),
        pair({}, {"RNE": "P"}),
        {},
    ),
    "148": (
        {"Episodes": [ep(DEC="01/06/2023")]},
        {"Episodes": [ep(DEC="01/06/2023", REC="E8")]},
        {},
    ),
    "354": ({"Episodes": [ep(DECOM="01/05/2024")]}, {"Episodes": [ep()]}, {}),
    "385": (
        {"Episodes": [ep(DEC="01/05/2024", REC="E8")]},
        {"Episodes": [ep(DEC="01/06/2023", REC="E8")]},
        {},
    ),
    "357": ({"Episodes": [ep(RNE="P")]}, {"Episodes": [ep()]}, {}),
    "431": (pair({"REC": "E8"}, {}), pair({"REC": "E8", "DEC": "01/05/2023"}, {}), {}),
    "432": (pair({"REC": "E8"}, {"RNE": "P"}), pair({"REC": "E8"}, {"RNE": "S"}), {}),
    "433": (pair({}, {"RNE": "P", "DECOM": "02/06/2023"}), pair({}, {"RNE": "P"}), {}),
    "434": (pair({}, {"RNE": "L"}), pair({}, {"RNE": "L", "LS": "C1"}), {}),
    "435": (pair({}, {"RNE": "P"}), pair({}, {"RNE": "P", "PLACE": "U6", "PL_POST": "Y2 2BB"}), {}),
    "436": (
        pair({}, {"RNE": "B", "PLACE": "U6"}),
        pair({}, {"RNE": "B", "LS": "C1", "PLACE": "U6"}),
        {},
    ),
    "388": (
        {"Episodes": [ep(DEC="01/06/2023", REC="X1")]},
        {"Episodes": [ep(DEC="01/06/2023", REC="E8")]},
        {},
    ),
    "411": (
        {"Episodes": [located(PL_LA="901")]},
        {"Episodes": [located()]},
        {"la_code": "900"},
    ),
    "1015": (
        {"Episodes": [located(PL_LA="901", PLACE="K2", PL_LOCATION="OUT")]},
        {"Episodes": [located(PLACE="K2")]},
        {"la_code": "900"},
    ),
    "392a": (
        {"Header": [HEADER], "Episodes": [located(PL_DISTANCE=None)]},
        {"Header": [HEADER], "Episodes": [located()]},
        {},
    ),
    "406": (
        {"Header": [UASC_HEADER], "Episodes": [located()]},
        {"Header": [UASC_HEADER], "Episodes": [located(PL_DISTANCE=None)]},
        {},
    ),
    "454": (
        {"Episodes": [located(DECOM="01/05/2025", PL_DISTANCE="400.0")]},
        {"Episodes": [located(DECOM="01/05/2025", PL_DISTANCE="300.0")]},
        {"year": 2026},
    ),
    "380": (
        {"Episodes": [ep(PLACE="T1")]},
        pair({}, {"RNE": "P", "PLACE": "T1"}),
        {},
    ),
    "381": (
        {"Episodes": [ep(PLACE="T1", DEC="01/06/2023", REC="E8")]},
        {"Episodes": [ep(PLACE="T1", DEC="01/06/2023", REC="X1")]},
        {},
    ),
    "383": (
        {
            "Episodes": [
                ep(DEC="01/06/2023", REC="X1"),
                ep(DECOM="01/06/2023", RNE="P", PLACE="T1", DEC="05/06/2023", REC="X1"),
                ep(DECOM="05/06/2023", RNE="P", PLACE="U6"),
            ]
        },
        {
            "Episodes": [
                ep(DEC="01/06/2023", REC="X1"),
                ep(DECOM="01/06/2023", RNE="P", PLACE="T1", DEC="05/06/2023", REC="X1"),
                ep(DECOM="05/06/2023", RNE="P"),
            ]
        },
        {},
    ),
    "365": (
        {"Episodes": [ep(LS="V3", PLACE="R1", DEC="01/06/2023", REC="E8")]},
        {"Episodes": [ep(LS="V3", PLACE="R1", DEC="10/05/2023", REC="E8")]},
        {},
    ),
    "366": (
        pair({}, {"LS": "V3", "RNE": "P"}),
        pair({"REC": "E8"}, {"LS": "V3", "RNE": "S"}),
        {},
    ),
    "367": (
        {"Episodes": [ep(LS="V3", PLACE="R1", DEC="01/09/2023", REC="E8")]},
        {"Episodes": [ep(LS="V3", PLACE="R1", DEC="10/05/2023", REC="E8")]},
        {},
    ),
    "382": ({"Episodes": [ep(LS="V3", PLACE="T1")]}, {"Episodes": [ep(LS="V3", PLACE="R1")]}, {}),
    "384": ({"Episodes": [ep(LS="V4", PLACE="U1")]}, {"Episodes": [ep(LS="V4", PLACE="R1")]}, {}),
    "426": (
        pair({"LS": "V3", "REC": "E8"}, {"LS": "V4"}),
        pair({"LS": "V3", "REC": "E8"}, {"LS": "V3"}),
        {},
    ),
    "105": (
        {"Header": [HEADER | {"UASC": None}]},
        {"Header": [HEADER | {"UASC": "0"}]},
        {"xml": True},
    ),
    "303": (
        {"Header": [HEADER | {"UASC": "0"}], "UASC": [row(DUC="01/01/2028")]},
        {"Header": [UASC_HEADER], "UASC": [row(DUC="01/01/2028")]},
        {},
    ),
    "304": (
        {"UASC": [row(DOB="01/01/2006", DUC="02/01/2024")]},
        {"UASC": [row(DOB="01/01/2006", DUC="01/01/2024")]},
        {},
    ),
    "574": (
        {
            "Missing": [
                row(MISSING="M", MIS_START="01/05/2023", MIS_END="10/05/2023"),
                row(MISSING="M", MIS_START="05/05/2023", MIS_END="06/05/2023"),
            ]
        },
        {
            "Missing": [
                row(MISSING="M", MIS_START="01/05/2023", MIS_END="10/05/2023"),
                row(MISSING="M", MIS_START="15/05/2023", MIS_END="16/05/2023"),
            ]
        },
        {},
    ),
    "586": (
        {"Missing": [row(DOB="01/01/2010", MISSING="M", MIS_START="01/01/2009")]},
        {"Missing": [row(DOB="01/01/2010", MISSING="M", MIS_START="01/05/2023")]},
        {},
    ),
    "440": (
        {"Reviews": [row(DOB="01/01/2010", REVIEW="01/05/2023", REVIEW_CODE="PN0")]},
        {"Reviews": [row(DOB="01/01/2010", REVIEW="01/05/2023", REVIEW_CODE="PN1")]},
        {},
    ),
    "441": (
        {"Reviews": [row(DOB="01/01/2022", REVIEW="01/05/2023", REVIEW_CODE="PN1")]},
        {"Reviews": [row(DOB="01/01/2022", REVIEW="01/05/2023", REVIEW_CODE="PN0")]},
        {},
    ),
    "700": (
        {"DoLo": [{"CHILD": "1", "DOLO_START": None}]},
        {"DoLo": [row(DOLO_START="01/06/2023")]},
        {},
    ),
    "701": (
        {"DoLo": [row(DOLO_START="01/06/2023", DOLO_END="31/02/2024")]},
        {"DoLo": [row(DOLO_START="01/06/2023", DOLO_END="01/02/2024")]},
        {},
    ),
    "702": (
        {"DoLo": [row(DOLO_START="01/06/2023", DOLO_END="01/05/2023")]},
        {"DoLo": [row(DOLO_START="01/06/2023", DOLO_END="01/07/2023")]},
        {},
    ),
    "703": (
        {"DoLo": [row(DOLO_START="01/06/2024")]},
        {"DoLo": [row(DOLO_START="01/06/2023")]},
        {},
    ),
    "704": (
        {"DoLo": [row(DOLO_START="01/06/2023", DOLO_END="01/06/2024")]},
        {"DoLo": [row(DOLO_START="01/06/2023", DOLO_END="01/07/2023")]},
        {},
    ),
    "705": (
        {
            "DoLo": [
                row(DOLO_START="01/06/2023"),
                row(DOLO_START="01/07/2023", DOLO_END="01/08/2023"),
            ]
        },
        {
            "DoLo": [
                row(DOLO_START="01/06/2023", DOLO_END="15/06/2023"),
                row(DOLO_START="01/07/2023", DOLO_END="01/08/2023"),
            ]
        },
        {},
    ),
    "202": (
        {"Header": [HEADER], "Header_last": [HEADER | {"SEX": "2"}]},
        {"Header": [HEADER], "Header_last": [HEADER]},
        {},
    ),
    "203": (
        {"Header": [HEADER], "Header_last": [HEADER | {"DOB": "02/01/2010"}]},
        {"Header": [HEADER], "Header_last": [HEADER]},
        {},
    ),
    "204": (
        {"Header": [HEADER], "Header_last": [HEADER | {"ETHNIC": "WIRI"}]},
        {"Header": [HEADER], "Header_last": [HEADER | {"ETHNIC": "wbri"}]},
        {},
    ),
    "INT18": (
        {"Header": [HEADER], "UASC": [row(SEX="1", DOB="02/01/2010")]},
        {"Header": [HEADER], "UASC": [row(SEX="1", DOB="01/01/2010")]},
        {},
    ),
    "INT21": (
        {"Header": [HEADER], "UASC": [row(SEX="2", DOB="01/01/2010")]},
        {"Header": [HEADER], "UASC": [row(SEX="1", DOB="01/01/2010")]},
        {},
    ),
    "INT33": (
        {"OC2": [row(SDQ_SCORE="10"), row(SDQ_SCORE="11")]},
        {"OC2": [row(SDQ_SCORE="10"), row(CHILD="2", SDQ_SCORE="11")]},
        {},
    ),
    "INT36": (
        {"UASC": [row(DUC="01/01/2028"), row(DUC="01/01/2028")]},
        {"UASC": [row(DUC="01/01/2028"), row(CHILD="2", DUC="01/01/2028")]},
        {},
    ),
    "452": (
        {
            "Episodes_last": [located(DECOM="01/05/2022", RNE="P")],
            "Episodes": [located(DECOM="01/05/2023", RNE="P", PL_LA="901")],
        },
        {
            "Episodes_last": [located(DECOM="01/05/2022", RNE="P")],
            "Episodes": [located(DECOM="01/05/2023", RNE="P")],
        },
        {},
    ),
    "453": (
        {
            "Episodes_last": [located(DECOM="01/05/2022", RNE="P")],
            "Episodes": [located(DECOM="01/05/2023", RNE="P", PL_DISTANCE="5.0")],
        },
        {
            "Episodes_last": [located(DECOM="01/05/2022", RNE="P")],
            "Episodes": [located(DECOM="01/05/2023", RNE="P", PL_DISTANCE="2.1")],
        },
        {},
    ),
    "562": (
        {
            "Episodes_last": [ep(DECOM="01/05/2022")],
            "Episodes": [ep(DECOM="01/06/2022", RNE="P")],
        },
        {
            "Episodes_last": [ep(DECOM="01/05/2022")],
            "Episodes": [ep(DECOM="01/05/2022")],
        },
        {},
    ),
    "502": (
        {"Episodes_last": [ep(DECOM="01/05/2022")], "Episodes": [ep(DECOM="02/05/2022")]},
        {"Episodes_last": [ep(DECOM="01/05/2022")], "Episodes": [ep(DECOM="01/05/2022")]},
        {},
    ),
    "575": (
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "Missing": [row(MISSING="M", MIS_START="01/06/2023")],
        },
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "Missing": [row(MISSING="M", MIS_START="01/06/2023", MIS_END="02/06/2023")],
        },
        {},
    ),
    "577": (
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "Missing": [row(MISSING="M", MIS_START="01/06/2023", MIS_END="02/08/2023")],
        },
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "Missing": [row(MISSING="M", MIS_START="01/06/2023", MIS_END="02/06/2023")],
        },
        {},
    ),
    "578": (
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "Missing": [row(MISSING="M", MIS_START="01/08/2023", MIS_END="02/08/2023")],
        },
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "Missing": [row(MISSING="M", MIS_START="01/06/2023", MIS_END="02/06/2023")],
        },
        {},
    ),
    "581": (
        {
            "Episodes": [ep()],
            "Missing": [row(MISSING="M", MIS_START="01/04/2023", MIS_END="02/04/2023")],
        },
        {
            "Episodes": [ep()],
            "Missing": [row(MISSING="M", MIS_START="01/06/2023", MIS_END="02/06/2023")],
        },
        {},
    ),
    "188": (
        {"OC2": [row(DOB="01/06/2020", SDQ_SCORE="10")]},
        {"OC2": [row(DOB="01/06/2020")]},
        {},
    ),
    "189": (
        {"OC2": [row(DOB="01/01/2006", SDQ_REASON="SDQ1")]},
        {"OC2": [row(DOB="01/01/2006")]},
        {},
    ),
    "542": (
        {"OC2": [row(DOB="01/06/2015", CONVICTED="0")]},
        {"OC2": [row(DOB="01/06/2015")]},
        {},
    ),
    "544": (
        {"OC2": [row(DOB="01/06/2010", CONVICTED="1")]},
        {"OC2": [row(DOB="01/06/2010", CONVICTED="1", **OC2_HEALTH)]},
        {},
    ),
    "547": (
        {"OC2": [row(DOB="01/06/2020", HEALTH_CHECK="1")]},
        {"OC2": [row(DOB="01/06/2020", HEALTH_CHECK="1", **OC2_HEALTH)]},
        {},
    ),
    "708": (
        {"DoLo": [row(DOB="01/01/2010", DOLO_START="01/01/2009")]},
        {"DoLo": [row(DOB="01/01/2010", DOLO_START="01/06/2023")]},
        {},
    ),
    "205A": (
        {
            "Header": [HEADER | {"UASC": "0"}], "Header_last": [UASC_HEADER],
            "UASC": [row(DOB="01/01/2010", DUC="01/01/2028")], "UASC_last": [row(DOB="01/01/2010")],
        },
        {
            "Header": [HEADER | {"UASC": "0"}], "Header_last": [UASC_HEADER],
            "UASC": [row(DOB="01/01/2010")], "UASC_last": [row(DOB="01/01/2010", DUC="01/01/2023")],
        },
        {},
    ),
    "205B": (
        {
            "Header": [UASC_HEADER], "Header_last": [UASC_HEADER],
            "UASC": [row(DOB="01/01/2010")], "UASC_last": [row(DOB="01/01/2010", DUC="01/01/2027")],
        },
        {
            "Header": [UASC_HEADER], "Header_last": [UASC_HEADER],
            "UASC": [row(DOB="01/01/2010", DUC="01/01/2028")],
            "UASC_last": [row(DOB="01/01/2010", DUC="01/01/2028")],
        },
        {},
    ),
    "205C": (
        {
            "Header": [HEADER | {"UASC": "0"}], "Header_last": [HEADER | {"UASC": "0"}],
            "UASC": [row(DOB="01/01/2010", DUC="01/01/2028")], "UASC_last": [row(DOB="01/01/2010")],
        },
        {
            "Header": [HEADER | {"UASC": "0"}], "Header_last": [HEADER | {"UASC": "0"}],
            "UASC": [row(DOB="01/01/2010")], "UASC_last": [row(DOB="01/01/2010")],
        },
        {},
    ),
    "205D": (
        {"Header": [UASC_HEADER], "Header_last": [HEADER | {"UASC": "0"}]},
        {"Header": [UASC_HEADER], "Header_last": [UASC_HEADER]},
        {},
    ),
    "185": (
        {"Episodes": [ep(DECOM="01/05/2023")], "OC2": [row(DOB="01/01/2012", SDQ_SCORE="10")]},
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012", SDQ_SCORE="10")]},
        {},
    ),
    "186": (
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012", **OC2_HEALTH)]},
        {
            "Episodes": [ep(DECOM="01/05/2022")],
            "OC2": [row(DOB="01/01/2012", SDQ_SCORE="10", **OC2_HEALTH)],
        },
        {},
    ),
    "190": (
        {"Episodes": [ep(DECOM="01/05/2023")], "OC2": [row(DOB="01/01/2012", **OC2_HEALTH)]},
        {"Episodes": [ep(DECOM="01/05/2023")], "OC2": [row(DOB="01/01/2012")]},
        {},
    ),
    "191": (
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012", SDQ_SCORE="1")]},
        {
            "Episodes": [ep(DECOM="01/05/2022")],
            "OC2": [row(DOB="01/01/2012", SDQ_SCORE="1", **OC2_HEALTH)],
        },
        {},
    ),
    "543": (
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012")]},
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012", CONVICTED="0")]},
        {},
    ),
    "545": (
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2021")]},
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2021", HEALTH_CHECK="1")]},
        {},
    ),
    "546": (
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012", HEALTH_CHECK="1")]},
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012")]},
        {},
    ),
    "707": (
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "DoLo": [row(DOLO_START="01/06/2023")],
        },
        {
            "Episodes": [ep(DEC="01/07/2023", REC="E8")],
            "DoLo": [row(DOLO_START="01/06/2023", DOLO_END="20/06/2023")],
        },
        {},
    ),
    "187": (
        {
            "Episodes": [ep(DECOM="01/05/2022")], "OC3": [row(DOB="01/01/2005", IN_TOUCH="YES")],
            "AD1": [row(CHILD="2", DOB="01/01/2020")],
        },
        {
            "Episodes": [ep(DECOM="01/05/2022")], "OC3": [row(DOB="01/01/2005")],
            "AD1": [row(CHILD="2", DOB="01/01/2020")],
        },
        {},
    ),
    "706": (
        {"DoLo_last": [row(DOLO_START="01/06/2022")], "DoLo": [row(DOLO_START="01/07/2023")]},
        {"DoLo_last": [row(DOLO_START="01/06/2022")], "DoLo": [row(DOLO_START="01/06/2022")]},
        {},
    ),
    "709": (
        {"Episodes": [ep(PLACE="U4")], "DoLo": [DOLO_IN_JUNE]},
        {"Episodes": [ep(PLACE="K2")], "DoLo": [DOLO_IN_JUNE]},
        {},
    ),
    "710": (
        {"Episodes": [ep(PLACE="K1")], "DoLo": [DOLO_IN_JUNE]},
        {"Episodes": [ep(PLACE="U4")], "DoLo": [DOLO_IN_JUNE]},
        {},
    ),
}  # fmt: skip

# Rules the validator checks on a second table, on a planted example and clean twin for it.
SECOND_TABLE_CASES: dict[tuple[str, str], tuple[dict[str, Rows], dict[str, Rows]]] = {
    ("191", "Episodes"): (
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(CHILD="2", DOB="01/01/2012")]},
        {"Episodes": [ep(DECOM="01/05/2022")], "OC2": [row(DOB="01/01/2012", **OC2_HEALTH)]},
    ),
    ("187", "AD1"): (
        {
            "Episodes": [ep(DECOM="01/05/2022")], "OC3": [row(CHILD="2", DOB="01/01/2005")],
            "AD1": [row(DOB="01/01/2020", DATE_INT="01/03/2023")],
        },
        {
            "Episodes": [ep(DECOM="01/05/2022")], "OC3": [row(CHILD="2", DOB="01/01/2005")],
            "AD1": [row(DOB="01/01/2020")],
        },
    ),
    ("709", "Episodes"): (CASES["709"][0], CASES["709"][1]),
    ("710", "Episodes"): (CASES["710"][0], CASES["710"][1]),
}  # fmt: skip

# 503A to 503J: the first episode against last year's open one, one column each.
_CHANGED = {
    "503A": {"RNE": "P"}, "503B": {"LS": "C1"}, "503C": {"CIN": "N2"}, "503D": {"PLACE": "U6"},
    "503E": {"PLACE_PROVIDER": "PR2"}, "503F": {"URN": "SC000001"}, "503G": {"PL_DISTANCE": "9.0"},
    "503H": {"PL_LA": "901"}, "503J": {"PL_LOCATION": "OUT"},
}  # fmt: skip
for _code, _change in _CHANGED.items():
    _last = {"Episodes_last": [located(DECOM="01/05/2022")]}
    CASES[_code] = (
        _last | {"Episodes": [located(DECOM="01/05/2022", **_change)]},
        _last | {"Episodes": [located(DECOM="01/05/2022")]},
        {},
    )


def _found(tables: dict[str, Rows], code: str, options: dict[str, Any], settings: Any) -> list:
    settings.MACA_LA_CODE = options.get("la_code", "")
    return run_checks(tables, options.get("year", 2024), xml=options.get("xml", False), rule=code)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_finds_its_planted_example_and_not_the_clean_twin(code, settings):
    planted, clean, options = CASES[code]
    found = _found(planted, code, options, settings)
    assert found, f"{code} did not find its planted example"
    assert all(problem.message.endswith(f"[{code}]") for problem in found)
    assert all(problem.severity == RULES[code].severity for problem in found)
    assert _found(clean, code, options, settings) == []


@pytest.mark.parametrize("code,table", sorted(SECOND_TABLE_CASES))
def test_rule_finds_its_planted_example_on_its_second_table(code, table, settings):
    planted, clean = SECOND_TABLE_CASES[code, table]
    assert [p.table for p in _found(planted, code, {}, settings) if p.table == table]
    assert [p for p in _found(clean, code, {}, settings) if p.table == table] == []


def test_every_rule_has_a_planted_example():
    assert set(CASES) == set(RULES)
    second_tables = {(item.code, item.table) for item in ALL_RULES} - {
        (item.code, item.table) for item in RULES.values()
    }
    assert set(SECOND_TABLE_CASES) == second_tables


def test_rules_that_decide_the_cohort_are_errors():
    # An open or overlapping episode, an end date without a reason, or an episode after the
    # year leaves the child's current episode in doubt: the child is left out of the draw.
    errors = {code for code, item in RULES.items() if item.severity == ERROR}
    assert {"142", "501", "148", "354", "385"} <= errors


def test_own_la_is_taken_from_the_extract_when_not_configured(settings):
    settings.MACA_LA_CODE = ""
    rows = [located() for _ in range(3)] + [located(CHILD="2", PL_LA="901")]
    found = run_checks({"Episodes": rows}, rule="411")
    assert [problem.row for problem in found] == [5]


def test_the_rules_page_lists_every_rule_with_its_severity():
    page = (Path(__file__).resolve().parents[3] / "docs" / "ssda903-rules.md").read_text()
    for item in ALL_RULES:
        assert f"| {item.code} | {item.table} | {item.column} | {item.severity}" in page, item


@pytest.mark.parametrize("xml", [False, True])
def test_a_clean_generated_extract_breaks_no_rule_and_loses_no_child(generated, xml):
    # The generator follows the field's rules (temporary placements return, short breaks are
    # short, each reason for a new episode matches what changed), so every child stays in
    # the cohort exactly as before the rules were checked.
    paths = generated(children=400, seed=21, with_location=not xml, xml=xml)
    raw = read_extract([SourceFile(path, 2024) for path in paths])
    result = build_extract(raw, home_districts=["Z1", "Z2", "Z3", "Z4", "Z5"])
    assert problems_from_frame(result.problems) == []
    assert not result.extract.children["has_problem"].any()
