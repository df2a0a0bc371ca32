"""The SSDA903 tables: exact CSV columns (docs/domain.md §4.2), what each column must hold, and
how a file is recognised as a table from its header row alone, whatever the file is called."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from maca.sampling import codes

CodeList = Callable[[int], frozenset[str]]


def _fixed(values: frozenset[str] | dict[str, str]) -> CodeList:
    frozen = frozenset(values)
    return lambda year: frozen


@dataclass(frozen=True)
class TableSpec:
    name: str  # the validator's name, e.g. "Episodes"
    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()  # must not be blank
    dates: tuple[str, ...] = ()
    code_lists: dict[str, CodeList] = field(default_factory=dict)
    optional_columns: tuple[str, ...] = ()  # may be present; used when they are
    needed_for_sampling: bool = False

    @property
    def known_columns(self) -> frozenset[str]:
        return frozenset(self.columns) | frozenset(self.optional_columns)


# Values in these columns identify a child or a home; problem reports show only their shape.
IDENTIFYING_COLUMNS = frozenset({"CHILD", "UPN", "DOB", "MC_DOB", "HOME_POST", "PL_POST", "SW_ID"})

HEADER = TableSpec(
    "Header",
    "Header",
    ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    required=("CHILD", "SEX", "DOB", "ETHNIC"),
    dates=("DOB", "MC_DOB"),
    code_lists={
        "SEX": codes.sex_codes,
        "ETHNIC": _fixed(codes.ETHNIC),
        "MOTHER": _fixed(codes.ZERO_ONE),
    },
    optional_columns=("UASC",),
    needed_for_sampling=True,
)
EPISODES = TableSpec(
    "Episodes",
    "Episodes",
    (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ),
    required=("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"),
    dates=("DECOM", "DEC"),
    code_lists={
        "RNE": _fixed(codes.RNE),
        "LS": _fixed(codes.LEGAL_STATUS),
        "CIN": _fixed(codes.CATEGORY_OF_NEED),
        "PLACE": codes.placement_codes,
        "PLACE_PROVIDER": _fixed(codes.PLACEMENT_PROVIDER),
        "REC": _fixed(codes.REC),
        "REASON_PLACE_CHANGE": _fixed(codes.REASON_PLACE_CHANGE),
        "PL_LOCATION": _fixed(codes.PL_LOCATION),
    },
    optional_columns=("PL_LA", "PL_LOCATION", "PL_DISTANCE"),
    needed_for_sampling=True,
)  # fmt: skip
REVIEWS = TableSpec(
    "Reviews",
    "Reviews",
    ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    required=("CHILD", "REVIEW"),
    dates=("DOB", "REVIEW"),
    code_lists={"REVIEW_CODE": _fixed(codes.REVIEW_CODE)},
)
UASC = TableSpec(
    "UASC",
    "Unaccompanied asylum-seeking children",
    ("CHILD", "SEX", "DOB", "DUC"),
    required=("CHILD",),
    dates=("DOB", "DUC"),
    code_lists={"SEX": codes.sex_codes},
)
OC2 = TableSpec(
    "OC2",
    "OC2 (outcomes for children looked after 12 months or more)",
    (
        "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
        "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    required=("CHILD",),
    dates=("DOB",),
    code_lists={
        "SDQ_REASON": _fixed(codes.SDQ_REASON),
        **{
            flag: _fixed(codes.ZERO_ONE)
            for flag in (
                "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
            )
        },
    },
)  # fmt: skip
OC3 = TableSpec(
    "OC3",
    "OC3 (care leavers)",
    ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    required=("CHILD",),
    dates=("DOB",),
    code_lists={
        "IN_TOUCH": _fixed(codes.IN_TOUCH),
        "ACTIV": _fixed(codes.ACTIV),
        "ACCOM": _fixed(codes.ACCOM),
    },
)
AD1 = TableSpec(
    "AD1",
    "AD1 (adoptions)",
    (
        "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    required=("CHILD",),
    dates=("DOB", "DATE_INT", "DATE_MATCH"),
    code_lists={
        "FOSTER_CARE": _fixed(codes.ZERO_ONE),
        "NB_ADOPTR": _fixed(frozenset({"1", "2"})),
        "SEX_ADOPTR": _fixed(codes.SEX_ADOPTR),
        "LS_ADOPTR": _fixed(codes.LS_ADOPTR),
    },
)  # fmt: skip
PLACED_ADOPTION = TableSpec(
    "PlacedAdoption",
    "Placed for adoption",
    ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    required=("CHILD",),
    dates=("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
    code_lists={"REASON_PLACED_CEASED": _fixed(codes.REASON_PLACED_CEASED)},
)
PREV_PERM = TableSpec(
    "PrevPerm",
    "Previous permanence",
    ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    required=("CHILD",),
    dates=("DOB",),  # DATE_PERM may have unknown parts ("ZZ"), checked on its own
    code_lists={"PREV_PERM": _fixed(codes.PREV_PERM)},
)
MISSING = TableSpec(
    "Missing",
    "Missing and away from placement",
    ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    required=("CHILD", "MISSING", "MIS_START"),
    dates=("DOB", "MIS_START", "MIS_END"),
    code_lists={"MISSING": _fixed(codes.MISSING)},
)
SW_EPISODES = TableSpec(
    "SWEpisodes",
    "Social worker episodes",
    ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    required=("CHILD", "SW_DECOM"),
    dates=("DOB", "SW_DECOM", "SW_DEC"),
    code_lists={"SW_REASON": _fixed(codes.SW_REASON)},
)

# Deprivation of liberty orders, collected from 2024/25.
DOLO = TableSpec(
    "DoLo",
    "Deprivation of liberty",
    ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
    required=("CHILD",),
    dates=("DOB", "DOLO_START", "DOLO_END"),
)

TABLES: tuple[TableSpec, ...] = (
    HEADER, EPISODES, REVIEWS, UASC, OC2, OC3, AD1, PLACED_ADOPTION, PREV_PERM, MISSING,
    SW_EPISODES, DOLO,
)  # fmt: skip
BY_NAME = {spec.name: spec for spec in TABLES}
REQUIRED_TABLES = tuple(spec.name for spec in TABLES if spec.needed_for_sampling)


@dataclass(frozen=True)
class Recognition:
    spec: TableSpec | None
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()


def recognise(columns: list[str]) -> Recognition:
    """Which table a header row belongs to.

    An exact column set wins. Otherwise the closest table by shared columns is named, with what
    is missing, so "the Episodes file has no REC column" is reported rather than "unknown file".
    A file is only taken as a near miss when it shares most of a table's columns and at least
    one column that table alone has among its near neighbours."""
    found = {column.strip().upper() for column in columns}
    best: tuple[float, TableSpec] | None = None
    for spec in TABLES:
        if set(spec.columns) <= found <= spec.known_columns:
            return Recognition(spec)
        shared = len(found & spec.known_columns)
        score = shared / len(found | set(spec.columns))
        if best is None or score > best[0]:
            best = (score, spec)
    if best is None or best[0] < 0.6:
        return Recognition(None)
    spec = best[1]
    return Recognition(
        spec,
        missing=tuple(column for column in spec.columns if column not in found),
        unexpected=tuple(sorted(found - spec.known_columns)),
    )
