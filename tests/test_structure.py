"""The shape of the code: no function in maca/ runs past 120 lines (engineering.md: a function
over ~60 lines is asking to be split, none over 120). Migrations and the demo's data modules,
which are lists of rows rather than steps, are left out."""

from __future__ import annotations

import ast
from pathlib import Path

MACA = Path(__file__).resolve().parents[1] / "maca"
LONGEST = 120


def _checked_modules() -> list[Path]:
    return [
        path
        for path in sorted(MACA.rglob("*.py"))
        if "migrations" not in path.parts
        and not (path.parent.name == "demo" and path.name.startswith("data"))
    ]


def _long_functions(limit: int) -> dict[tuple[str, str], int]:
    found = {}
    for path in _checked_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found[(path.relative_to(MACA).as_posix(), node.name)] = length
    return found


def test_no_function_in_maca_is_longer_than_120_lines() -> None:
    too_long = {
        f"maca/{module} {name}: {length} lines"
        for (module, name), length in _long_functions(LONGEST).items()
    }
    assert not too_long, "Split these into named steps: " + "; ".join(sorted(too_long))


def test_the_check_finds_a_long_function() -> None:
    # The walk must see functions at all: at a limit of a few lines, many are longer.
    assert len(_long_functions(5)) > 100
