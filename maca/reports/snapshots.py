"""Frozen, versioned published briefs (design: "A published brief is a frozen, versioned
snapshot").

When an audit moves forward into Published, the brief is built once and kept as data
(`BriefSnapshot.brief`) with its Markdown. While the audit stays published, every format (web
page, PDF, Word, Markdown, 7-minute briefing) renders the latest snapshot, so what readers see
is what passed the disclosure check, even if a finding is edited later. Moving back and
publishing again makes the next version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from maca.audits.models import AUDIT_STATUS_ORDER, Audit, AuditStatus
from maca.audits.selectors import AuditAccess, require_learning
from maca.core.history import current_actor
from maca.reports.brief import (
    Brief,
    BriefAction,
    BriefEscalation,
    BriefItem,
    BriefLearningCheck,
    BriefResource,
    BriefReview,
    BriefTheme,
    build_brief,
    system_access,
)
from maca.reports.models import BriefSnapshot

_PUBLISHED_INDEX = AUDIT_STATUS_ORDER.index(AuditStatus.PUBLISHED)


# --- The brief as data and back -------------------------------------------------------------


def brief_to_data(brief: Brief) -> dict[str, Any]:
    return dataclasses.asdict(brief)


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values or ())


def brief_from_data(data: dict[str, Any]) -> Brief:
    """The `Brief` a snapshot holds. Tuples come back as tuples, so renderers cannot tell a
    frozen brief from a live one."""
    return Brief(
        **{
            **data,
            "intro": _strings(data["intro"]),
            "children": _strings(data["children"]),
            "needs": _strings(data["needs"]),
            "worries": tuple(BriefItem(**item) for item in data["worries"]),
            "good_practice": tuple(BriefItem(**item) for item in data["good_practice"]),
            "themes": tuple(
                BriefTheme(
                    title=theme["title"],
                    found=_strings(theme["found"]),
                    needs_to_happen=_strings(theme["needs_to_happen"]),
                    taken_forward_by=_strings(theme["taken_forward_by"]),
                )
                for theme in data["themes"]
            ),
            "escalations": tuple(BriefEscalation(**item) for item in data["escalations"]),
            "actions": tuple(
                BriefAction(**{**action, "owners": _strings(action["owners"])})
                for action in data["actions"]
            ),
            "reviews": tuple(
                BriefReview(
                    **{
                        **review,
                        "note": _strings(review["note"]),
                        "learning_points": _strings(review["learning_points"]),
                        "embedded": tuple(
                            BriefLearningCheck(**check) for check in review["embedded"]
                        ),
                    }
                )
                for review in data["reviews"]
            ),
            "agencies": _strings(data["agencies"]),
            "resources": tuple(BriefResource(**item) for item in data["resources"]),
        }
    )


# --- Taking a snapshot ----------------------------------------------------------------------


def _long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


@transaction.atomic
def brief_snapshot_create(*, audit: Audit, by: Any = None) -> BriefSnapshot:
    """Freeze the brief as it is now, as the next version."""
    from maca.reports.renderers.markdown import render_markdown

    now = timezone.now()
    brief = build_brief(system_access(audit))
    if not brief.published_on:
        brief = dataclasses.replace(brief, published_on=_long_date(timezone.localdate(now)))
    latest = audit.brief_snapshots.aggregate(top=Max("version"))["top"] or 0
    return BriefSnapshot.objects.create(
        audit=audit,
        version=latest + 1,
        published_at=now,
        published_by=by,
        published_by_name=(getattr(by, "full_name", "") or str(by))[:200] if by else "System",
        brief=brief_to_data(brief),
        markdown=render_markdown(brief),
    )


def _remember_status(sender: type[Audit], instance: Audit, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    instance._maca_status_before = (  # type: ignore[attr-defined]
        Audit._base_manager.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def _snapshot_on_publishing(
    sender: type[Audit], instance: Audit, created: bool, **kwargs: Any
) -> None:
    """Moving forward into Published (not creating or importing an audit that is already
    published, and not moving back to it from Follow-up) freezes the brief."""
    before = getattr(instance, "_maca_status_before", None)
    if created or kwargs.get("raw") or before is None or instance.status != AuditStatus.PUBLISHED:
        return
    if AUDIT_STATUS_ORDER.index(before) < _PUBLISHED_INDEX:
        brief_snapshot_create(audit=instance, by=current_actor())


def connect() -> None:
    pre_save.connect(_remember_status, sender=Audit, dispatch_uid="reports_snapshot_status")
    post_save.connect(_snapshot_on_publishing, sender=Audit, dispatch_uid="reports_snapshot")


# --- Reading --------------------------------------------------------------------------------


def published_brief(access: AuditAccess) -> tuple[Brief, BriefSnapshot | None]:
    """The brief to show: the latest frozen version while the audit is published, else the
    live brief (a draft, or a published audit from before snapshots were kept)."""
    if access.audit.is_published:
        require_learning(access)
        snapshot = access.audit.brief_snapshots.first()
        if snapshot is not None:
            return brief_from_data(snapshot.brief), snapshot
    return build_brief(access), None


def brief_versions(access: AuditAccess) -> list[BriefSnapshot]:
    require_learning(access)
    return list(access.audit.brief_snapshots.defer("brief", "markdown").select_related(None))


def brief_version(access: AuditAccess, version: int) -> BriefSnapshot:
    from django.http import Http404

    require_learning(access)
    snapshot = access.audit.brief_snapshots.filter(version=version).first()
    if snapshot is None:
        raise Http404("No such version")
    return snapshot
