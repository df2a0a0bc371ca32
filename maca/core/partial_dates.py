"""Dates known only to the year or month, as real briefs give them ("March 2022").

Stored as ISO text ("2022", "2022-03", "2022-03-08") so they sort correctly in SQL on
both databases and need no second precision column.
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

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date like 2022, 2022-03 or 2022-03-08")
        year = int(match["year"])
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
    def of(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def _sort_key(self) -> tuple[int, int, int]:
        # A year alone sorts before any month of it, as its ISO text does in SQL.
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def isoformat(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.month is None:
            return str(self.year)
        month_name = calendar.month_name[self.month]
        if self.day is None:
            return f"{month_name} {self.year}"
        return f"{self.day} {month_name} {self.year}"


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
