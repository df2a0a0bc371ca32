"""The field's 903 validation rules that bear on a cohort, under the codes the field's
validator (csc-validator-be-903) gives them, so an analyst recognises "411" or "1015" at once.
The rules maca implements, whether each is an error or a warning, and what it means, are listed
in docs/ssda903-rules.md.

Each rule is a short function registered under its code (`registry.rule`), grouped by theme in
this package's modules. A rule gives a polars expression that is true on the rows breaking it,
evaluated over a whole table at once (no per-row Python): the table's values as read and
converted (`parse.py`), plus each row's neighbours in child and date order and a few facts
about its child from the Header (`context.py`).
"""

from maca.sampling.rules import (
    care,
    consistency,
    continuity,
    dolo,
    episodes,
    location,
    missing,
    oc2,
    reviews,
    temporary,
    uasc,
    uasc_years,
)
from maca.sampling.rules.registry import RULES, Rule, checks_for_rules

__all__ = [
    "RULES",
    "Rule",
    "care",
    "checks_for_rules",
    "consistency",
    "continuity",
    "dolo",
    "episodes",
    "location",
    "missing",
    "oc2",
    "reviews",
    "temporary",
    "uasc",
    "uasc_years",
]
