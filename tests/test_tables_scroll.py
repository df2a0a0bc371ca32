"""Every table maca shows sits in its own scrolling region, so that on a 375 px phone the page
never scrolls sideways (issue 16): the one way is `<div class="maca-grid-wrapper" tabindex="0"
role="region" aria-label="… (scrolls sideways on a small screen)">` straight around the table,
which a keyboard can reach and scroll and which says what it holds. The browser test in
tests/browser/test_print_and_small_screens.py checks the pages themselves at 375 px."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = '<div class="maca-grid-wrapper" tabindex="0" role="region" aria-label="'
REGION = re.compile(re.escape(WRAPPER) + r'[^"<>]+ \(scrolls sideways[^"<>]*\)">\s*')


def _sources() -> list[Path]:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    tags = sorted((ROOT / "maca").glob("*/templatetags/*.py"))
    return templates + tags


def unwrapped_tables(source: str) -> list[int]:
    """The line of each `<table` not straight inside a labelled scrolling region."""
    found = []
    for match in re.finditer(r"<table\b", source):
        before = source[: match.start()]
        opening = before[before.rfind("<") :]
        # In Python sources the wrapper and the table are string literals on adjacent lines.
        plain = re.sub(r"""["']\n\s*f?["']""", "", opening).replace("\\", "")
        if not REGION.fullmatch(plain):
            found.append(before.count("\n") + 1)
    return found


def test_every_table_scrolls_inside_its_own_labelled_region() -> None:
    bare = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in unwrapped_tables(path.read_text(encoding="utf-8"))
    }
    assert not bare, f"tables that would widen the page on a phone: {sorted(bare)}"


def test_the_check_finds_a_bare_table_and_a_region_without_a_name() -> None:
    assert unwrapped_tables('<h2>Agencies</h2>\n<table class="govuk-table">') == [2]
    assert unwrapped_tables('<div class="maca-grid-wrapper">\n<table>') == [2]
    assert unwrapped_tables(f'{WRAPPER}Agencies">\n<table>') == [2]
    labelled = f'{WRAPPER}Agencies (scrolls sideways on a small screen)">\n  <table class="x">'
    assert unwrapped_tables(labelled) == []
    in_python = f"""'{WRAPPER}'\n    f"Answers to {{code}} (scrolls sideways)\\">"\n    '<table>'"""
    assert unwrapped_tables(in_python) == []
