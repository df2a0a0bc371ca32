"""Frozen, numbered published versions (design: "A published brief is a frozen, versioned
snapshot").

When an audit moves forward into Published, what readers will see is built once and kept as
data on a `BriefSnapshot`: the brief with its Markdown, the audit report as a reader sees it,
and whatever other apps register with `register_freezer` (the API keeps its findings and
figures). While the audit is published every format, web page, PDF, Word, Markdown, 7-minute
briefing, report, findings and the API, serves the latest version and nothing else.

A change made after publication is a draft of the next version. Coordinators see that the
draft differs and how (`draft_state`), publish it as the next version, which runs the
disclosure check again exactly as the first publication did (`brief_publish_next`), or
discard it (`brief_draft_discard`), which undoes the changes to findings, actions and
resources through their history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import typing
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from maca.accounts.models import Role, User
from maca.accounts.selectors import Roles
from maca.audits.models import AUDIT_STATUS_ORDER, Audit, AuditStatus
from maca.audits.selectors import AuditAccess, require_learning
from maca.core import history
from maca.core.errors import Refused
from maca.core.history import current_actor
from maca.core.models import ChangeRecord
from maca.learning.models import Action, Finding, Resource
from maca.learning.published import actions_to_data
from maca.learning.selectors import actions_for_audit
from maca.reports.brief import (
    Brief,
    BriefAction,
    BriefComparison,
    BriefEscalation,
    BriefGrades,
    BriefItem,
    BriefLearningCheck,
    BriefLinkedAudit,
    BriefResource,
    BriefReview,
    BriefTheme,
    build_brief,
    system_access,
)
from maca.reports.brief_sections import BriefSection
from maca.reports.brief_templates import brief_template_version_freeze
from maca.reports.frozen import report_from_data, report_to_data
from maca.reports.models import BriefSnapshot
from maca.reports.report import AuditReport, build_report

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
                    strengths=_strings(theme.get("strengths")),
                )
                for theme in data["themes"]
            ),
            "escalations": tuple(BriefEscalation(**item) for item in data["escalations"]),
            "actions": tuple(
                BriefAction(
                    **{
                        **action,
                        "owners": _strings(action["owners"]),
                        "contributors": _strings(action.get("contributors")),
                    }
                )
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
            # Versions published before brief templates have no sections and follow the
            # learning brief (the dataclass's defaults).
            **_template_fields(data),
        }
    )


def _template_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "sections" in data:
        fields["sections"] = tuple(
            BriefSection(**{**section, "text": _strings(section.get("text"))})
            for section in data["sections"]
        )
    if "scope" in data:
        fields["scope"] = tuple((str(label), str(value)) for label, value in data["scope"])
    # Versions published before the audit's figures have neither and print none.
    if "cohort_figures" in data:
        fields["cohort_figures"] = _strings(data["cohort_figures"])
    if data.get("grades"):
        fields["grades"] = _grades_from_data(data["grades"])
    if "linked_audits" in data:
        fields["linked_audits"] = tuple(
            BriefLinkedAudit(
                **{
                    **linked,
                    "note": _strings(linked["note"]),
                    "scope": tuple((str(k), str(v)) for k, v in linked["scope"]),
                    "cohort": _strings(linked["cohort"]),
                    "grades": _grades_from_data(linked.get("grades")),
                }
            )
            for linked in data["linked_audits"]
        )
    if data.get("comparison"):
        comparison = data["comparison"]
        fields["comparison"] = BriefComparison(
            caption=comparison["caption"],
            columns=_strings(comparison["columns"]),
            rows=tuple((str(label), _strings(values)) for label, values in comparison["rows"]),
        )
    return fields


def _grades_from_data(grades: dict[str, Any] | None) -> BriefGrades | None:
    if not grades:
        return None
    return BriefGrades(
        lead=grades["lead"], counts=_strings(grades["counts"]), rounding=grades["rounding"]
    )


# --- Taking a snapshot ----------------------------------------------------------------------

# What other apps keep with each version, by name: each function gets the audit as a reader
# sees it and returns JSON-ready data (the API registers its findings and figures).
Freezer = Callable[[AuditAccess], Any]
_freezers: dict[str, Freezer] = {}


def register_freezer(name: str, freezer: Freezer) -> None:
    _freezers[name] = freezer


def _long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def reader_access(audit: Audit) -> AuditAccess:
    """The audit as a reader sees it once published: no child, no pseudonym, no draft."""
    return AuditAccess(
        audit=audit,
        roles=Roles(roles=frozenset({Role.READER})),
        is_coordinator=False,
        is_panel_member=False,
        agency_ids=frozenset(),
    )


def _published_content(audit: Audit, published_on: str) -> dict[str, Any]:
    from maca.reports.renderers.markdown import render_markdown

    brief = build_brief(system_access(audit))
    brief = dataclasses.replace(brief, published_on=published_on, is_draft=False)
    reader = reader_access(audit)
    report = dataclasses.replace(build_report(reader), is_draft=False)
    return {
        "brief": brief_to_data(brief),
        "markdown": render_markdown(brief),
        "report": report_to_data(report),
        "frozen": {name: freezer(reader) for name, freezer in sorted(_freezers.items())},
    }


@transaction.atomic
def brief_snapshot_create(*, audit: Audit, by: User | None = None) -> BriefSnapshot:
    """Freeze what readers see as it is now, as the next version, and record who did."""
    now = timezone.now()
    published_on = _long_date(audit.published_on) if audit.published_on else ""
    published_on = published_on or _long_date(timezone.localdate(now))
    latest = audit.brief_snapshots.aggregate(top=Max("version"))["top"] or 0
    snapshot = BriefSnapshot.objects.create(
        audit=audit,
        version=latest + 1,
        published_at=now,
        published_by=by,
        published_by_name=(getattr(by, "full_name", "") or str(by))[:200] if by else "System",
        **_published_content(audit, published_on),
    )
    history.record_event(
        snapshot,
        action="publish",
        changes={"version": ["", str(snapshot.version)]},
        audit_id=audit.pk,
    )
    brief_template_version_freeze(audit=audit)
    return snapshot


# Where an imported audit that has not passed the disclosure check waits: one stage before
# Published, from where publishing it runs the check as any publication does.
STAGE_BEFORE_PUBLISHED = AUDIT_STATUS_ORDER[_PUBLISHED_INDEX - 1]


@dataclasses.dataclass(frozen=True)
class ImportedPublication:
    """What the disclosure check made of an audit imported at Published or later."""

    arrived_as: str  # the stage the document gave
    unresolved: int  # hits left to resolve; the audit waits before Published while any are
    snapshot: BriefSnapshot | None  # version 1, frozen at import when nothing was found

    @property
    def published(self) -> bool:
        return self.snapshot is not None


@transaction.atomic
def imported_published_check(*, audit: Audit) -> ImportedPublication:
    """An audit imported at Published or later (its document says so, and anyone can write
    one) has never been through the disclosure check here, so it is run now, as publishing
    would. Clean: the audit keeps its stage and is frozen as version 1 at once. Otherwise it
    waits one stage before Published, with all its data, until the hits are resolved and it is
    published in the usual way. Either way the audit's history says what happened."""
    arrived_as = audit.status
    if AUDIT_STATUS_ORDER.index(arrived_as) < _PUBLISHED_INDEX:
        raise ValueError(f"{audit.slug} was not imported as published ({arrived_as})")
    from maca.reports.disclosure_check import run_check

    unresolved = run_check(audit).unresolved_count
    arrived_label = AuditStatus(arrived_as).label
    if unresolved:
        audit.status = STAGE_BEFORE_PUBLISHED
        audit.save(update_fields=["status", "updated_at"])
        outcome = f"{unresolved} thing{'s' if unresolved != 1 else ''} to resolve"
        stage = [arrived_label, AuditStatus(STAGE_BEFORE_PUBLISHED).label]
        snapshot = None
    else:
        outcome = "nothing to resolve"
        stage = ["", arrived_label]
        snapshot = brief_snapshot_create(audit=audit, by=current_actor())
    history.record_event(
        audit,
        action="import checked",
        changes={
            "Imported as": ["", arrived_label],
            "Stage": stage,
            "Disclosure check on import": ["", outcome],
        },
        audit_id=audit.pk,
    )
    return ImportedPublication(arrived_as=arrived_as, unresolved=unresolved, snapshot=snapshot)


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
    published, and not moving back to it from Follow-up) freezes the brief. An import at
    Published or later is checked and frozen by `imported_published_check`."""
    before = getattr(instance, "_maca_status_before", None)
    if created or kwargs.get("raw") or before is None or instance.status != AuditStatus.PUBLISHED:
        return
    if AUDIT_STATUS_ORDER.index(before) < _PUBLISHED_INDEX:
        brief_snapshot_create(audit=instance, by=current_actor())


def connect() -> None:
    pre_save.connect(_remember_status, sender=Audit, dispatch_uid="reports_snapshot_status")
    post_save.connect(_snapshot_on_publishing, sender=Audit, dispatch_uid="reports_snapshot")


# --- Reading --------------------------------------------------------------------------------


def latest_snapshot(access: AuditAccess) -> BriefSnapshot | None:
    """The version readers see now, or None while the audit is not published."""
    if not access.audit.is_published:
        return None
    require_learning(access)
    snapshot = access.audit.brief_snapshots.first()
    if snapshot is None or not snapshot.report or set(_freezers) - set(snapshot.frozen):
        snapshot = _freeze_unversioned(access.audit)
    return snapshot


def _freeze_unversioned(audit: Audit) -> BriefSnapshot:
    """An audit published before versions were kept (it passed the disclosure check when it
    was published), or loaded by the demo, is frozen the first time anyone reads it, so from
    then on it changes for readers only through a checked publication like any other. An
    import at Published or later does not wait for this: `imported_published_check` checks
    and freezes it as it is imported."""
    with transaction.atomic():
        locked = Audit.objects.select_for_update().get(pk=audit.pk)
        snapshot = locked.brief_snapshots.first()
        if snapshot is None:
            return brief_snapshot_create(audit=locked, by=None)
        missing = sorted(set(_freezers) - set(snapshot.frozen))
        if not snapshot.report or missing:
            # Kept by an earlier release, before versions held the report and these parts:
            # add what they show now, once.
            reader = reader_access(locked)
            if not snapshot.report:
                report = build_report(reader)
                snapshot.report = report_to_data(dataclasses.replace(report, is_draft=False))
            snapshot.frozen = {
                **snapshot.frozen,
                **{name: _freezers[name](reader) for name in missing},
            }
            snapshot.save(update_fields=["report", "frozen"])
        return snapshot


def published_brief(access: AuditAccess) -> tuple[Brief, BriefSnapshot | None]:
    """The brief to show: the latest frozen version while the audit is published, else the
    live brief (a draft, or a published audit from before snapshots were kept)."""
    snapshot = latest_snapshot(access)
    if snapshot is not None:
        return brief_from_data(snapshot.brief), snapshot
    return build_brief(access), None


def published_report(access: AuditAccess) -> tuple[AuditReport, BriefSnapshot | None]:
    """The report to show: the version readers see while the audit is published (as a reader
    sees it, so without pseudonyms), else the live report for whoever may see it."""
    snapshot = latest_snapshot(access)
    if snapshot is not None and snapshot.report:
        return report_from_data(snapshot.report), snapshot
    return build_report(access), None


def published_frozen(access: AuditAccess, name: str) -> Any | None:
    """What the app that registered `name` kept with the version readers see, or None when
    there is no such version (the caller then reads the live rows)."""
    snapshot = latest_snapshot(access)
    if snapshot is None or name not in snapshot.frozen:
        return None
    return snapshot.frozen[name]


FROZEN_ACTIONS = "learning.actions"


def frozen_actions(reader: AuditAccess) -> list[dict[str, Any]]:
    """The actions readers may see (those of the brief), as kept with a version."""
    return actions_to_data(reader.audit, actions_for_audit(reader, brief_only=True))


def published_actions_by_audit(audits: typing.Sequence[Audit]) -> dict[int, list[dict[str, Any]]]:
    """The actions of each published audit's latest version, in two queries however many
    audits there are (an audit not frozen yet is frozen now, once)."""
    latest = BriefSnapshot.objects.filter(
        audit__in=audits,
        version=Subquery(
            BriefSnapshot.objects.filter(audit=OuterRef("audit"))
            .order_by("-version")
            .values("version")[:1]
        ),
    ).only("audit_id", "frozen")
    kept = {snapshot.audit_id: snapshot for snapshot in latest}
    found = {}
    for audit in audits:
        snapshot = kept.get(audit.pk)
        if snapshot is None or FROZEN_ACTIONS not in snapshot.frozen:
            snapshot = _freeze_unversioned(audit)
        found[audit.pk] = snapshot.frozen.get(FROZEN_ACTIONS, [])
    return found


def brief_versions(access: AuditAccess) -> list[BriefSnapshot]:
    require_learning(access)
    return list(
        access.audit.brief_snapshots.defer("brief", "markdown", "report", "frozen").select_related(
            None
        )
    )


def brief_version(access: AuditAccess, version: int) -> BriefSnapshot:
    from django.http import Http404

    require_learning(access)
    snapshot = access.audit.brief_snapshots.filter(version=version).first()
    if snapshot is None:
        raise Http404("No such version")
    return snapshot


# --- The draft of the next version ----------------------------------------------------------

# The brief's parts as a coordinator knows them, for "what changed".
_SECTION_NAMES = {
    "title": "Title",
    "theme": "Theme",
    "date_text": "Date",
    "intro": "Introduction",
    "children": "The children",
    "needs": "Needs",
    "worries": "What we are worried about",
    "good_practice": "Good practice",
    "themes": "Themes for learning",
    "escalations": "Escalations",
    "actions": "Actions",
    "reviews": "Earlier reviews",
    "agencies": "Agencies",
    "resources": "Resources",
    "agencies_text": "Agencies",
    "reaudit_text": "Re-audit",
    "sections": "Sections and their headings",
    "document_name": "Kind of document",
    "scope": "Scope",
}
# What changes with the act of publishing itself, not with the draft.
_NOT_COMPARED = {"slug", "published_on", "is_draft"}
# Changes of these a draft may be discarded of: the learning the coordinators and panel write.
# An action's progress belongs to its owners and the tracker, so discarding keeps it.
_DISCARDABLE: dict[type, frozenset[str]] = {
    Finding: frozenset(),
    Action: frozenset({"status", "done_on", "evidence_of_impact", "verified_by_id", "verified_at"}),
    Resource: frozenset(),
}


@dataclasses.dataclass(frozen=True)
class DraftState:
    """How the draft of the next version differs from the version readers see."""

    published: BriefSnapshot
    changed: tuple[str, ...]  # names of the parts that differ, in the brief's order
    since: dt.datetime | None  # the first change after publication (or the last discard)
    diff: tuple[tuple[str, str], ...]  # ("-", line) / ("+", line) / (" ", line)

    @property
    def differs(self) -> bool:
        return bool(self.changed)

    @property
    def next_version(self) -> int:
        return self.published.version + 1


def _draft_base(snapshot: BriefSnapshot) -> dt.datetime:
    return max(filter(None, [snapshot.published_at, snapshot.discarded_at]))


def _first_change_since(audit: Audit, since: dt.datetime) -> dt.datetime | None:
    return (
        ChangeRecord.objects.filter(audit_id=audit.pk, at__gt=since)
        .exclude(action__in=["publish", "discard draft"])
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )


def _line_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        sign = line[:1]
        if sign in {"-", "+", " "}:
            lines.append((sign, line[2:]))
    return tuple(lines)


def _as_stored(value: dict[str, Any]) -> dict[str, Any]:
    """`value` as a JSON field gives it back (tuples as lists, keys as text), to compare."""
    return typing.cast(dict[str, Any], json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def draft_state(access: AuditAccess) -> DraftState | None:
    """For the audit's coordinators and panel once it is published: what the next version
    would change. None for everyone else, and before publication."""
    from maca.reports.renderers.markdown import render_markdown

    if not access.sees_every_agency:
        return None
    snapshot = latest_snapshot(access)
    if snapshot is None:
        return None
    now = _as_stored(_published_content(access.audit, snapshot.brief.get("published_on", "")))
    keys = [key for key in [*now["brief"], *snapshot.brief] if key not in _NOT_COMPARED]
    changed = list(
        dict.fromkeys(
            _SECTION_NAMES.get(key, key.replace("_", " ").capitalize())
            for key in keys
            if now["brief"].get(key) != snapshot.brief.get(key)
        )
    )
    if snapshot.report and now["report"] != snapshot.report:
        changed.append("Audit report")
    if now["frozen"] != {name: snapshot.frozen.get(name) for name in now["frozen"]}:
        changed.append("Findings and figures in the API")
    draft_markdown = render_markdown(brief_from_data(now["brief"]))
    return DraftState(
        published=snapshot,
        changed=tuple(changed),
        since=_first_change_since(access.audit, _draft_base(snapshot)) if changed else None,
        diff=_line_diff(snapshot.markdown, draft_markdown) if changed else (),
    )


def _require_coordinator_of_published(access: AuditAccess) -> BriefSnapshot:
    if not access.is_coordinator:
        from django.http import Http404

        raise Http404("No audit found")
    snapshot = access.audit.brief_snapshots.first() if access.audit.is_published else None
    if snapshot is None:
        raise Refused("The brief has not been published yet: publish it from the audit's stage.")
    return snapshot


@transaction.atomic
def brief_publish_next(*, access: AuditAccess, by: User) -> BriefSnapshot:
    """Publish the draft as the next version: refused, as the first publication is, while the
    disclosure check has anything unresolved, and when nothing has changed."""
    from maca.reports.disclosure_check import run_check, unresolved_message

    audit = Audit.objects.select_for_update().get(pk=access.audit.pk)
    access = dataclasses.replace(access, audit=audit)
    _require_coordinator_of_published(access)
    state = draft_state(access)
    if state is None or not state.differs:
        raise Refused("Nothing has changed since the version readers see was published.")
    unresolved = run_check(audit).unresolved_count
    if unresolved:
        raise Refused(unresolved_message(unresolved))
    return brief_snapshot_create(audit=audit, by=by)


@transaction.atomic
def brief_draft_discard(*, access: AuditAccess, by: User) -> int:
    """Put the findings, actions and resources back as the version readers see has them, by
    undoing each change made since it was published (or since the last discard). All or
    nothing: a change that cannot be undone refuses the whole discard."""
    audit = Audit.objects.select_for_update().get(pk=access.audit.pk)
    snapshot = _require_coordinator_of_published(dataclasses.replace(access, audit=audit))
    snapshot = BriefSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    try:
        with transaction.atomic(), history.recorded_as("discard draft"):
            undone = history.revert_since(
                audit_id=audit.pk, since=_draft_base(snapshot), keep=_DISCARDABLE
            )
    except history.NotRevertible as error:
        raise Refused(f"The draft cannot be discarded: {error}") from error
    if not undone:
        raise Refused("There are no changes to findings, actions or resources to discard.")
    snapshot.discarded_at = timezone.now()
    snapshot.save(update_fields=["discarded_at"])
    history.record_event(
        snapshot,
        action="discard draft",
        changes={"changes undone": ["", str(undone)]},
        audit_id=audit.pk,
    )
    return undone
