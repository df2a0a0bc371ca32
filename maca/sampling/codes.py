"""SSDA903 code lists with plain-English labels, per collection year.

A collection year is named by the year it ends: 2024 means 1 April 2023 to 31 March 2024
("2023/24"). Code lists change between years (K3 added for 2023/24; SEX M/F/U from 2024/25;
H5 and P2 removed and Z1 split into Z11–Z14 for 2025/26), so every check asks for the list of
the year the file belongs to. Legal status, placement type and provider labels are the case's
(`maca.audits.codes`), so a case page and the import word them the same.
"""

from __future__ import annotations

import datetime as dt

from maca.audits.codes import LEGAL_STATUS as LEGAL_STATUS
from maca.audits.codes import PLACEMENT_PROVIDER as PLACEMENT_PROVIDER
from maca.audits.codes import PLACEMENT_TYPE

RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer",
    "T": "Change of placement, same carer",
    "B": "Change of legal status and of placement and carer",
    "U": "Change of legal status and of placement, same carer",
}
PLACEMENT_CHANGE_RNE = frozenset({"P", "T", "B", "U"})
NEW_PLACEMENT_RNE = PLACEMENT_CHANGE_RNE | {"S"}

SHORT_BREAK_LS = frozenset({"V3", "V4"})

CATEGORY_OF_NEED = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}

REASON_PLACE_CHANGE = {
    "CARPL": "Change to or implementation of the care plan",
    "CLOSE": "Provider resigned or closed",
    "ALLEG": "Allegation (s47)",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer asked to end it because of the child's behaviour",
    "CREQO": "Carer asked to end it for another reason",
    "CHILD": "Child asked to end it",
    "LAREQ": "Responsible or area authority asked to end it",
    "PLACE": "Change of placement status only",
    "CUSTOD": "Custody",
    "OTHER": "Other",
}

REC = {
    "X1": "Episode ended and a new one started the same day",
    "E11": "Adopted (application unopposed)",
    "E12": "Adopted (consent dispensed with)",
    "E13": (
        "Left care to live with parent, relative or other person without parental responsibility"
    ),
    "E14": "Remand ended",
    "E15": "Age assessment found the young person to be 18 or over",
    "E16": "Moved abroad",
    "E17": "Aged 18 or over and stayed with carers",
    "E2": "Died",
    "E3": "Care taken over by another UK local authority",
    "E41": "Residence or child arrangements order",
    "E45": "Special guardianship order: former foster carer, relative or friend",
    "E46": "Special guardianship order: former foster carer, other",
    "E47": "Special guardianship order: other carer, relative or friend",
    "E48": "Special guardianship order: other carer, other",
    "E4A": "Returned home as part of the care plan",
    "E4B": "Returned home not as part of the care plan",
    "E5": "Independent living with formal support",
    "E6": "Independent living without formal support",
    "E7": "Transferred to adult social care residential",
    "E8": "Other",
    "E9": "Sentenced to custody",
}

MISSING = {"M": "Missing", "A": "Away from placement without authorisation"}

REVIEW_CODE = {
    "PN0": "Child under 4",
    "PN1": "Attended and spoke for self",
    "PN2": "Attended, advocate spoke",
    "PN3": "Attended, conveyed views non-verbally",
    "PN4": "Attended, no contribution",
    "PN5": "Absent, advocate briefed",
    "PN6": "Absent, views sent",
    "PN7": "Absent, views not conveyed",
}

SDQ_REASON = {
    "SDQ1": "Outside the age range",
    "SDQ2": "Carer refused",
    "SDQ3": "Severity of disability",
    "SDQ4": "Other",
    "SDQ5": "Young person refused",
}

ETHNIC = frozenset(
    [
        "WBRI",
        "WIRI",
        "WOTH",
        "WIRT",
        "WROM",
        "MWBC",
        "MWBA",
        "MWAS",
        "MOTH",
        "AIND",
        "APKN",
        "ABAN",
        "AOTH",
        "BCRB",
        "BAFR",
        "BOTH",
        "CHNE",
        "OOTH",
        "REFU",
        "NOBT",
    ]
)
IN_TOUCH = frozenset({"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"})
ACTIV = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"})
ACCOM = frozenset(
    {f"{letter}{digit}" for letter in "BCDEGHKRTUVWXYZ" for digit in "12"} | {"S2", "0"}
)
PREV_PERM = frozenset({"P1", "P2", "P3", "P4", "Z1"})
SEX_ADOPTR = frozenset({"M1", "F1", "MM", "FF", "MF"})
LS_ADOPTR = frozenset({"L0", "L11", "L12", "L2", "L3", "L4"})
REASON_PLACED_CEASED = frozenset({"RD1", "RD2", "RD3", "RD4"})
SW_REASON = frozenset(
    {"MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED"}
    | {"OTHERS"}
)
ZERO_ONE = frozenset({"0", "1"})
PL_LOCATION = frozenset({"IN", "OUT"})


ALL_PLACEMENT_CODES = frozenset(PLACEMENT_TYPE)


def sex_codes(year: int) -> frozenset[str]:
    # 1/2 up to 2023/24; M/F/U from 2024/25 (U raises a query, not an error, in DfE's rules).
    return frozenset({"M", "F", "U"}) if year >= 2025 else frozenset({"1", "2"})


def sex_label(code: str | None) -> str:
    return {"1": "Male", "2": "Female", "M": "Male", "F": "Female"}.get(code or "", "")


def placement_codes(year: int) -> frozenset[str]:
    codes = set(PLACEMENT_TYPE)
    codes -= {"Z11", "Z12", "Z13", "Z14"}
    if year < 2024:
        codes.discard("K3")  # registered supported accommodation came with the October 2023 reforms
    if year >= 2026:
        codes -= {"H5", "P2", "Z1"}
        codes |= {"Z11", "Z12", "Z13", "Z14"}
    return frozenset(codes)


def placement_label(code: str | None) -> str:
    return PLACEMENT_TYPE.get(code or "", code or "")


def year_label(year: int) -> str:
    return f"{year - 1}/{str(year)[-2:]}"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def label(codes: dict[str, str], code: str | None) -> str:
    return codes.get(code or "", code or "")
