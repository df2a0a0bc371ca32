"""The apps' layers (README, "Layout"; the contract in pyproject.toml) are checked by
import-linter in `make lint`. These tests show the check passes on the code as it is, and
fails on a copy of it where core reaches up to reports, whether the import sits at the top
of the module or, hidden, inside a function."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

UPWARD_AT_TOP = "from maca.reports import brief as _brief\n"
UPWARD_IN_FUNCTION = """

def _reaches_up() -> object:
    from maca.reports import brief

    return brief
"""


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first, so `maca` is the copy under `root`, not the installed one.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _copy_of_the_code(destination: Path) -> Path:
    shutil.copytree(
        ROOT / "maca", destination / "maca", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_apps_import_only_downward():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("upward", [UPWARD_AT_TOP, UPWARD_IN_FUNCTION], ids=["top", "function"])
def test_an_import_against_the_layers_fails_the_check(tmp_path, upward):
    copy = _copy_of_the_code(tmp_path)
    module = copy / "maca" / "core" / "calendar.py"
    module.write_text(module.read_text() + upward)
    result = _lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "maca.core is not allowed to import maca.reports" in result.stdout
    assert "maca.core.calendar -> maca.reports.brief" in result.stdout
