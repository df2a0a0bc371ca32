"""Dates known only to the year or month, as real briefs give them ("March 2022"), and the
years partnerships count in: financial years ("2016/17", April to March) and academic years
(September to August).

Stored as ISO text ("2022", "2022-03", "2022-03-08"; "2016-FY" and "2016-AY" for the years
starting in 2016) so they sort in SQL on both databases and need no second precision column.
A financial or academic year sorts after the months of the year it starts in: close enough
for listing audits, and `PartialDate` itself sorts it at its first month.

A range ("15–19 January 2024") is two of them, a start and an end, written by `range_text`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models

# The stored text's shape, as a JSON Schema / OpenAPI pattern (no named groups): a year,
# month or day, or a financial or academic year by the year it starts in.
ISO_TEXT_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?|-FY|-AY)?$"

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<kind>FY|AY)|-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$",
    re.IGNORECASE,
)
# A year as people write it: "2016/17", "FY 2016/17", "academic year 2016/17".
_SPAN = re.compile(
    r"^(?:(?P<kind>fy|financial year|ay|academic year)\s*)?(?P<year>\d{4})/(?P<next>\d{2})$",
    re.IGNORECASE,
)
FINANCIAL = "financial"
ACADEMIC = "academic"
# Each kind of year: its code in the stored text and the month it starts.
_YEAR_KINDS = {FINANCIAL: ("FY", 4), ACADEMIC: ("AY", 9)}
_KIND_OF_CODE = {code: kind for kind, (code, _) in _YEAR_KINDS.items()}


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    year_kind: str = ""  # FINANCIAL or ACADEMIC: the year starting in `year`, no month or day

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        span = _SPAN.match(" ".join(text.split()))
        if span:
            return cls._span(text, span)
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date like 2022, 2022-03 or 2022-03-08")
        year = int(match["year"])
        if match["kind"]:
            return cls(year, year_kind=_KIND_OF_CODE[match["kind"].upper()])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"{text!r} has no day {day}")
        return cls(year, month, day)

    @classmethod
    def _span(cls, text: str, match: re.Match[str]) -> PartialDate:
        """A financial year unless it says academic: "2016/17" is how partnerships write
        the financial years their reports cover."""
        year = int(match["year"])
        if int(match["next"]) != (year + 1) % 100:
            raise ValueError(f"{text!r} is not one year and the next, like 2016/17")
        kind = (match["kind"] or "").lower()
        return cls(year, year_kind=ACADEMIC if kind.startswith("a") else FINANCIAL)

    @classmethod
    def of(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def _sort_key(self) -> tuple[int, int, int]:
        # A year alone sorts before any month of it, as its ISO text does in SQL.
        return (self.year, self.month or self._first_month or 0, self.day or 0)

    @property
    def _first_month(self) -> int | None:
        return _YEAR_KINDS[self.year_kind][1] if self.year_kind else None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    @property
    def precision(self) -> str:
        if self.year_kind:
            return f"{self.year_kind}_year"
        return "day" if self.day else "month" if self.month else "year"

    def isoformat(self) -> str:
        if self.year_kind:
            return f"{self.year:04d}-{_YEAR_KINDS[self.year_kind][0]}"
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> dt.date:
        if self._first_month:
            return dt.date(self.year, self._first_month, 1)
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        if self._first_month:
            return dt.date(self.year + 1, self._first_month, 1) - dt.timedelta(days=1)
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.year_kind:
            # "2016/17", as partnerships write their financial years.
            years = f"{self.year}/{(self.year + 1) % 100:02d}"
            return f"academic year {years}" if self.year_kind == ACADEMIC else years
        if self.month is None:
            return str(self.year)
        month_name = calendar.month_name[self.month]
        if self.day is None:
            return f"{month_name} {self.year}"
        return f"{self.day} {month_name} {self.year}"


def range_text(start: PartialDate, end: PartialDate | None) -> str:
    """'15–19 January 2024', '29 January – 2 February 2024', 'January–March 2024', or the two
    dates either side of a dash; the start alone when there is no end or it is the same."""
    if end is None or end == start:
        return str(start)
    same_year = start.year == end.year and not (start.year_kind or end.year_kind)
    if same_year and start.precision == end.precision == "day":
        if start.month == end.month:
            return f"{start.day}–{end}"
        return f"{start.day} {calendar.month_name[start.month or 1]} – {end}"
    if same_year and start.precision == end.precision == "month":
        return f"{calendar.month_name[start.month or 1]}–{end}"
    return f"{start} – {end}"


def when_text(start: PartialDate, end: PartialDate | None = None) -> str:
    """The date after a verb: 'on 8 March 2022', 'in March 2022', 'in 2016/17', 'between 15
    and 19 January 2024'."""
    if end is not None and end != start:
        text = range_text(start, end)
        first, _, last = text.partition("–")
        return f"between {first.strip()} and {last.strip()}"
    return f"on {start}" if start.precision == "day" else f"in {start}"


class PartialDateField(models.CharField):
    """A model field holding a PartialDate as sortable ISO text."""

    description = "A date known to the year, month or day"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return PartialDate.parse(value)

    def to_python(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, PartialDate):
            return value or None
        if isinstance(value, dt.date):
            return PartialDate.of(value)
        try:
            return PartialDate.parse(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def get_prep_value(self, value: Any) -> Any:
        partial = cast("PartialDate | None", self.to_python(value))
        if partial is None:
            return None if self.null else ""
        return partial.isoformat()

    def value_to_string(self, obj: models.Model) -> str:
        value = cast("PartialDate | None", self.value_from_object(obj))
        return value.isoformat() if value else ""
