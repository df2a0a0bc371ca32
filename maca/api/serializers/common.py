"""Fields and small shapes shared by the API's serializers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from maca.core.partial_dates import ISO_TEXT_PATTERN, PartialDate

PARTIAL_DATE_PATTERN = ISO_TEXT_PATTERN


@extend_schema_field(
    {
        "type": "string",
        "pattern": PARTIAL_DATE_PATTERN,
        "description": "A date known to the year, month or day: 2022, 2022-03 or 2022-03-08; "
        "or a financial (April to March) or academic (September to August) year by the year "
        "it starts in: 2016-FY, 2016-AY.",
    }
)
class PartialDateField(serializers.Field):
    """A `PartialDate` as ISO text; on input, text like 2022, 2022-03 or 2022-03-08."""

    default_error_messages = {
        "invalid": "Enter a date like 2022, 2022-03, 2022-03-08, 2016-FY or 2016-AY."
    }

    def to_representation(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, PartialDate) else str(value)

    def to_internal_value(self, data: Any) -> PartialDate:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return PartialDate.parse(data)
        except ValueError:
            self.fail("invalid")
        raise AssertionError("unreachable")


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    sector = serializers.CharField()


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField()


class AuditRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class RelatedStrings(serializers.Field):
    """A many-to-many (read from its prefetch) as one attribute of each row, e.g. agencies'
    short names; the serializers here are not model serializers, so DRF's related fields do
    not fit."""

    def __init__(self, attribute: str, **kwargs: Any) -> None:
        self.attribute = attribute
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> list[Any]:
        return [getattr(item, self.attribute) for item in value.all()]


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class RelatedIds(RelatedStrings):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__("pk", **kwargs)


def short_names() -> RelatedStrings:
    """A many-to-many of agencies as their short names."""
    return RelatedStrings("short_name")


OBJECT = OpenApiTypes.OBJECT
