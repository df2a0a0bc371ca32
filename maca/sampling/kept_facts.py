"""Each child's facts on the extract's own census date (`derive.child_facts`), worked out as
the extract is kept, beside the writing of its tables, and kept with it. The cohort page is
nearly always opened on that date, 31 March of the latest collection year; on it the page
needs neither the extract loaded back nor its facts worked out again. Facts on any other
date are worked out when asked for, and the draw, which loads the extract anyway for the
children's identifiers, works them out from it.

Kept facts are named by their census date and by the code that worked them out: a digest of
the modules whose rules decide them (the bank holidays among them) and of the polars release.
Facts an earlier release kept are never read by a later one that works them out differently;
they are worked out afresh instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from maca.core import calendar
from maca.sampling import codes, derive, parse
from maca.sampling.extract import Extract, Store, load_extract, load_kept


def default_census(years: list[int]) -> dt.date:
    """31 March of the latest collection year: the census date the 903 itself counts on."""
    return dt.date(max(years), 3, 31)


@cache
def code_digest() -> str:
    """What the facts depend on besides the extract: the rules' code and polars' release."""
    digest = hashlib.sha256()
    for module in (derive, calendar, codes, parse):
        digest.update(inspect.getsource(module).encode())
    digest.update(f"polars {pl.__version__}".encode())
    return digest.hexdigest()[:16]


def kept_name(census: dt.date) -> str:
    return f"facts-{census:%Y%m%d}-{code_digest()}"


def facts_to_keep(extract: Extract) -> dict[str, Callable[[], pl.DataFrame]]:
    """For `save_extract(derived=...)`: the facts on the extract's own census date."""
    years = extract.meta.get("years") or []
    if not years:
        return {}
    census = default_census(years)
    return {kept_name(census): lambda: derive.child_facts(extract, census)}


@dataclass(frozen=True)
class CensusFacts:
    frame: pl.DataFrame  # derive.child_facts
    extract_children: int  # every child in the extract, before any filter


def facts_on(target: Store | Path, meta: dict[str, Any], census: dt.date) -> CensusFacts:
    """Each child's facts on `census`: as kept with the extract when they were, else worked
    out from the extract."""
    kept = load_kept(target, kept_name(census))
    if kept is not None:
        children = load_kept(target, "children", ["child_idx"])
        if children is not None:
            return CensusFacts(kept, children.height)
    extract = load_extract(target, meta)
    return CensusFacts(derive.child_facts(extract, census), extract.children.height)
