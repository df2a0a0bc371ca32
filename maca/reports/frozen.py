"""The audit report as data that can be kept with a published version and rendered again.

`AuditReport` holds a few database rows (escalations, actions, learning points) for the
renderers to read. Kept as JSON they become the small frozen records below, which answer the
same attributes and methods the page, PDF and Word renderers use, so a published report renders
exactly as it did when it was published, whatever happens to the rows afterwards.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from maca.audits.models import Escalation
from maca.learning.models import Action, LearningPoint
from maca.reports.report import AuditReport


@dataclasses.dataclass(frozen=True)
class FrozenPoint:
    order: int
    text: str


@dataclasses.dataclass(frozen=True)
class FrozenEscalation:
    public_summary: str
    public_outcome: str
    urgency: str
    status: str

    def get_urgency_display(self) -> str:
        return self.urgency

    def get_status_display(self) -> str:
        return self.status


@dataclasses.dataclass(frozen=True)
class FrozenOwner:
    short_name: str


@dataclasses.dataclass(frozen=True)
class FrozenOwners:
    names: tuple[FrozenOwner, ...]

    def all(self) -> tuple[FrozenOwner, ...]:
        return self.names


@dataclasses.dataclass(frozen=True)
class FrozenAction:
    description: str
    owners: FrozenOwners
    due: str
    status: str

    def get_status_display(self) -> str:
        return self.status


def _frozen_row(value: Any) -> Any:
    """A database row the report shows, as the frozen record standing for it."""
    if isinstance(value, LearningPoint):
        return FrozenPoint(order=value.order, text=value.text)
    if isinstance(value, Escalation):
        return FrozenEscalation(
            public_summary=value.public_summary,
            public_outcome=value.public_outcome,
            urgency=str(value.get_urgency_display()),
            status=str(value.get_status_display()),
        )
    if isinstance(value, Action):
        return FrozenAction(
            description=value.description,
            owners=FrozenOwners(
                tuple(FrozenOwner(agency.short_name) for agency in value.owners.all())
            ),
            due=str(value.due) if value.due else "",
            status=str(value.get_status_display()),
        )
    return value


def to_data(value: Any) -> Any:
    """JSON-ready data of a report (or any part of one)."""
    value = _frozen_row(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_data(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, list | tuple):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item) for key, item in value.items()}
    return value


_STANDING_FOR: dict[Any, type] = {
    LearningPoint: FrozenPoint,
    Escalation: FrozenEscalation,
    Action: FrozenAction,
}


def from_data(kind: Any, data: Any) -> Any:
    """The value of type `kind` that `to_data` made `data` from (rows come back frozen)."""
    kind = _STANDING_FOR.get(kind, kind)
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return from_data(inner, data)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], item) for item in data)
        return tuple(from_data(arg, item) for arg, item in zip(args, data, strict=True))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                field.name: from_data(hints[field.name], data[field.name])
                for field in dataclasses.fields(kind)
                if field.name in data
            }
        )
    return data


def report_to_data(report: AuditReport) -> dict[str, Any]:
    return typing.cast(dict[str, Any], to_data(report))


def report_from_data(data: dict[str, Any]) -> AuditReport:
    return typing.cast(AuditReport, from_data(AuditReport, data))
