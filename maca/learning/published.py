"""Actions as a published version of their audit has them, for the people who read it.

Readers see an audit's actions only once it is published, and then only as published: a
later edit is a draft of the next version until a coordinator publishes it through the
disclosure check. Each published version keeps its actions as data (`actions_to_data`, which
the reports app stores with the version); the tracker and the API show readers those
(`PublishedAction`), which answer the attributes and methods the tracker's page, exports and
the API read from an `Action`.

The versions live in the reports app, above this one, so it tells this app how to read them
(`register_published_actions`) instead of being imported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from maca.audits.models import Audit
from maca.core.partial_dates import PartialDate
from maca.learning.models import Action, ActionStatus

# Given audits, their latest published version's actions as data, by audit id.
PublishedActionsReader = Callable[[Sequence[Audit]], dict[int, list[dict[str, Any]]]]
_reader: PublishedActionsReader | None = None


def register_published_actions(reader: PublishedActionsReader) -> None:
    global _reader
    _reader = reader


@dataclass(frozen=True)
class PublishedAudit:
    slug: str
    title: str


@dataclass(frozen=True)
class PublishedOwner:
    pk: int
    short_name: str


@dataclass(frozen=True)
class PublishedRelated:
    """A many-to-many as published: `.all()` as a prefetched relation answers."""

    items: tuple[Any, ...] = ()

    def all(self) -> tuple[Any, ...]:
        return self.items

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


@dataclass(frozen=True)
class PublishedFinding:
    pk: int


@dataclass(frozen=True)
class PublishedAction:
    pk: int
    audit: PublishedAudit
    order: int
    description: str
    owners: PublishedRelated
    lead_name: str
    due: PartialDate | None
    status: str
    done_on: PartialDate | None
    measure_of_success: str
    evidence_of_impact: str
    verified_at: dt.datetime | None
    include_in_brief: bool
    findings: PublishedRelated
    lead: None = None
    updates: PublishedRelated = PublishedRelated()
    is_published_copy: bool = True

    @property
    def id(self) -> int:
        return self.pk

    def get_status_display(self) -> str:
        return str(ActionStatus(self.status).label)


def _partial(value: PartialDate | str | None) -> str:
    return value.isoformat() if isinstance(value, PartialDate) else ""


def _partial_back(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def actions_to_data(audit: Audit, actions: Iterable[Action]) -> list[dict[str, Any]]:
    """One audit's actions a reader may see, as kept with a published version. `actions`
    come with their lead, owners and findings prefetched."""
    return [
        {
            "pk": action.pk,
            "audit": {"slug": audit.slug, "title": audit.title},
            "order": action.order,
            "description": action.description,
            "owners": [[agency.pk, agency.short_name] for agency in action.owners.all()],
            "lead_name": action.lead_name or (action.lead.full_name if action.lead else ""),
            "due": _partial(action.due),
            "status": action.status,
            "done_on": _partial(action.done_on),
            "measure_of_success": action.measure_of_success,
            "evidence_of_impact": action.evidence_of_impact,
            "verified_at": action.verified_at.isoformat() if action.verified_at else "",
            "include_in_brief": action.include_in_brief,
            "findings": [finding.pk for finding in action.findings.all()],
        }
        for action in actions
    ]


def _from_data(row: dict[str, Any]) -> PublishedAction:
    return PublishedAction(
        pk=row["pk"],
        audit=PublishedAudit(**row["audit"]),
        order=row["order"],
        description=row["description"],
        owners=PublishedRelated(tuple(PublishedOwner(pk, name) for pk, name in row["owners"])),
        lead_name=row["lead_name"],
        due=_partial_back(row["due"]),
        status=row["status"],
        done_on=_partial_back(row["done_on"]),
        measure_of_success=row["measure_of_success"],
        evidence_of_impact=row["evidence_of_impact"],
        verified_at=dt.datetime.fromisoformat(row["verified_at"]) if row["verified_at"] else None,
        include_in_brief=row["include_in_brief"],
        findings=PublishedRelated(tuple(PublishedFinding(pk) for pk in row["findings"])),
    )


def published_actions(audits: Sequence[Audit]) -> list[PublishedAction]:
    """The actions of these published audits as their latest versions have them."""
    if _reader is None or not audits:
        return []
    kept = _reader(audits)
    return [_from_data(row) for audit in audits for row in kept.get(audit.pk, [])]
