"""Times read as people write them, "3 December 2026, 8:25pm": in every template, never a
24-hour clock or an ISO timestamp."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

from django.conf import settings

from maca.core.templatetags.time_tags import as_people_write_it, clock_time

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Django date format with a time in it (H, G, i, s, a, A, P): `|date:"j F Y, H:i"`.
TIME_FORMAT = re.compile(r'\|\s*(?:date|time)\s*:\s*"[^"]*[HGisaAP][^"]*"')


def test_clock_time_has_no_leading_zero_and_no_seconds():
    assert clock_time(dt.datetime(2026, 12, 3, 20, 25, 59, tzinfo=LONDON)) == "8:25pm"
    assert clock_time(dt.datetime(2026, 12, 3, 0, 5, tzinfo=LONDON)) == "12:05am"
    assert clock_time(dt.datetime(2026, 12, 3, 12, 0, tzinfo=LONDON)) == "12:00pm"
    assert clock_time(None) == ""
    assert as_people_write_it(dt.datetime(2026, 12, 3, 20, 25, tzinfo=LONDON)) == (
        "3 December 2026, 8:25pm"
    )


def test_no_template_formats_a_time_its_own_way():
    root = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.html"))
        for match in TIME_FORMAT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use |as_people_write_it or |clock_time instead:\n" + "\n".join(
        offenders
    )


# strftime's clock directives (%H, %I, %M, %p): the code's own way of writing a time.
CLOCK_DIRECTIVE = re.compile(r"%-?[HIMp]")
# A spreadsheet of the identifier access log keeps sortable times: a file, not a page.
MACHINE_READABLE = {"identifiers/views.py"}


def test_no_code_writes_a_time_its_own_way():
    root = Path(settings.BASE_DIR) / "maca"
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and str(path.relative_to(root)) not in MACHINE_READABLE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CLOCK_DIRECTIVE.search(line)
    ]
    assert offenders == [], "use as_people_write_it or clock_time instead:\n" + "\n".join(offenders)
