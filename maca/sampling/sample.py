"""Drawing the sample: simple random or stratified with proportional allocation, from a
seeded generator, so the same frame and seed always give the same children.

The frame is put in a fixed order (by the LA's CHILD id) before drawing, so the result does
not depend on how the files were sorted or on any key maca holds. Python's
`random.Random(seed).sample` is documented and stable across versions; anyone with the extract,
the filters and the seed can repeat the draw.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    key: str  # the sort key (CHILD id); never stored
    child_idx: int
    stratum: str = ""


@dataclass(frozen=True)
class Allocation:
    stratum: str
    frame: int
    sample: int


class SampleError(ValueError):
    pass


def new_seed() -> int:
    return secrets.randbelow(900_000) + 100_000


def allocate(sizes: list[tuple[str, int]], size: int) -> list[Allocation]:
    """Proportional allocation by largest remainder; ties go to the earlier stratum."""
    total = sum(count for _stratum, count in sizes)
    if size > total:
        raise SampleError(f"A sample of {size} cannot be drawn from {total} children.")
    if total == 0:
        return []
    quotas = [(stratum, count, size * count / total) for stratum, count in sizes]
    floors = {stratum: int(quota) for stratum, _count, quota in quotas}
    left = size - sum(floors.values())
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i][2] - int(quotas[i][2])), i))
    for index in order[:left]:
        floors[quotas[index][0]] += 1
    return [
        Allocation(stratum, count, min(floors[stratum], count)) for stratum, count, _q in quotas
    ]


def draw_random(members: list[Member], size: int, seed: int) -> list[Member]:
    if size > len(members):
        raise SampleError(f"A sample of {size} cannot be drawn from {len(members)} children.")
    ordered = sorted(members, key=lambda member: member.key)
    return random.Random(seed).sample(ordered, size)


def draw_stratified(
    members: list[Member], size: int, seed: int, strata_order: list[str]
) -> tuple[list[Member], list[Allocation]]:
    by_stratum: dict[str, list[Member]] = {}
    for member in members:
        by_stratum.setdefault(member.stratum, []).append(member)
    known = [s for s in strata_order if s in by_stratum]
    others = sorted(s for s in by_stratum if s not in strata_order)
    sizes = [(stratum, len(by_stratum[stratum])) for stratum in known + others]
    allocations = allocate(sizes, size)
    rng = random.Random(seed)
    chosen: list[Member] = []
    for allocation in allocations:
        ordered = sorted(by_stratum[allocation.stratum], key=lambda member: member.key)
        chosen.extend(rng.sample(ordered, allocation.sample))
    return chosen, allocations


def pseudonyms(taken: set[str], count: int) -> list[str]:
    """ "Child A", "Child B" … "Child Z", "Child AA" …, skipping names already in the audit."""
    names: list[str] = []
    number = 0
    while len(names) < count:
        number += 1
        letters = ""
        n = number
        while n:
            n, remainder = divmod(n - 1, 26)
            letters = chr(65 + remainder) + letters
        name = f"Child {letters}"
        if name not in taken:
            names.append(name)
    return names
