"""History of every change to the records an audit is judged by.

Who changed what, when, and the old and new values, kept the same way on SQLite and
PostgreSQL. Single saves and deletes are caught by model signals; bulk `update()` and
`bulk_update()` by `HistoryQuerySet`, which tracked models use as their manager, so a bulk
operation cannot slip past; many-to-many links by `m2m_changed`.

Who is acting comes from `acting_as()`, which the middleware sets for each request and which
commands and background tasks set themselves; without it a change is recorded as the system's.
Identifier fields are never copied into history: only the fact that they changed.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    # django-stubs reads this alias as settings.AUTH_USER_MODEL (maca's accounts User), so
    # core names the person acting without importing the accounts app above it.
    from django.contrib.auth.models import _AnyUser, _User

    from maca.core.models import ChangeRecord

REDACTED = "(changed; not shown)"

_actor: contextvars.ContextVar[_User | None] = contextvars.ContextVar(
    "maca_history_actor", default=None
)
# What a person did, in the words of the workflow ("submit", "send_back"), for the records
# written while they did it; without it a record says only "create", "update" or "delete".
_action_label: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "maca_history_action_label", default=None
)
# While a queryset delete runs: the audit ids looked up in one query, and the records to write
# in one insert, so deleting many rows costs the same number of queries as deleting one.
_KnownAuditIds = dict[tuple[type[models.Model], Any], int | None]  # (model, pk): audit id
_known_audit_ids: contextvars.ContextVar[_KnownAuditIds | None] = contextvars.ContextVar(
    "maca_history_known_audit_ids", default=None
)
_pending: contextvars.ContextVar[list[ChangeRecord] | None] = contextvars.ContextVar(
    "maca_history_pending", default=None
)


@contextmanager
def acting_as(user: _AnyUser | None) -> Iterator[None]:
    """Record changes made inside the block as made by `user` (None: the system)."""
    token = _actor.set(user if user is not None and user.is_authenticated else None)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> _User | None:
    return _actor.get()


@contextmanager
def recorded_as(action: str) -> Iterator[None]:
    """Record the changes made inside the block under the workflow step that made them (at
    most 20 characters), e.g. a return's "submit", so its history reads as what happened."""
    token = _action_label.set(action)
    try:
        yield
    finally:
        _action_label.reset(token)


_loading: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "maca_history_loading", default=False
)


@contextmanager
def loading_saved_rows() -> Iterator[None]:
    """Record nothing inside the block: rows being loaded from a backup bring their own
    history. Saves say so themselves (`raw`); links between rows (many-to-many) do not."""
    token = _loading.set(True)
    try:
        yield
    finally:
        _loading.reset(token)


class HistoryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    audit_path: str | None  # None: the model belongs to no audit (people, agencies)
    redacted: frozenset[str]
    # Keep a deleted row's many-to-many links in its record, so undoing the delete can
    # restore them (the database drops them with the row, without a signal).
    links_on_delete: bool = False

    def fields(self) -> list[models.Field]:
        return [
            field
            for field in self.model._meta.concrete_fields
            if field.name not in {"created_at", "updated_at"} and not field.primary_key
        ]


_registry: dict[type[models.Model], Tracked] = {}


def registered_model(content_type_id: int) -> type[models.Model] | None:
    """The tracked model a ChangeRecord's content type stands for (None if not tracked)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model if model in _registry else None


def _value(tracked: Tracked, field: models.Field, obj: models.Model) -> str:
    if field.name in tracked.redacted:
        return REDACTED if field.value_from_object(obj) not in (None, "") else ""
    try:
        return field.value_to_string(obj)
    except (AttributeError, TypeError, ValueError):
        # A value assigned but not yet reloaded may be a plain string (a date typed as text).
        value = field.value_from_object(obj)
        return "" if value is None else str(value)


def _snapshot(tracked: Tracked, obj: models.Model) -> dict[str, str]:
    return {field.attname: _value(tracked, field, obj) for field in tracked.fields()}


def _diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        name: [before.get(name, ""), value]
        for name, value in after.items()
        if before.get(name, "") != value or (value == REDACTED and before.get(name) == REDACTED)
    }


def _audit_id(tracked: Tracked, pk: Any) -> int | None:
    if tracked.audit_path is None:
        return None
    return (
        tracked.model._base_manager.filter(pk=pk).values_list(tracked.audit_path, flat=True).first()
    )


def _audit_ids(tracked: Tracked, pks: list[Any]) -> dict[Any, int | None]:
    """Each row's audit id, in one query (none for models outside audits)."""
    if tracked.audit_path is None:
        return {}
    return dict(
        tracked.model._base_manager.filter(pk__in=pks).values_list("pk", tracked.audit_path)
    )


def _write(records: list[ChangeRecord]) -> None:
    if records:
        apps.get_model("core", "ChangeRecord").objects.bulk_create(records)


def _record(
    tracked: Tracked,
    obj: models.Model,
    action: str,
    changes: dict[str, Any],
    *,
    audit_id: int | None,
) -> ChangeRecord:
    change_record = apps.get_model("core", "ChangeRecord")
    actor = current_actor()
    return change_record(
        content_type=ContentType.objects.get_for_model(tracked.model),
        object_id=str(obj.pk),
        # Not str(obj): many models name themselves through related rows, a query each.
        object_repr=f"{tracked.model._meta.verbose_name} {obj.pk}",
        audit_id=audit_id,
        action=_action_label.get() or action,
        changes=changes,
        actor=actor,
        actor_name=str(actor)[:200] if actor else "System",
    )


def record_event(
    obj: models.Model,
    *,
    action: str,
    changes: dict[str, list[str]],
    audit_id: int | None = None,
) -> None:
    """Write one record of something done to `obj` that is not a change of a tracked field
    (a person deactivated, an authenticator removed with the reason given, a version of the
    brief published), in the same words as the tracked changes. `changes` maps a name to
    [old, new]."""
    change_record = apps.get_model("core", "ChangeRecord")
    actor = current_actor()
    change_record.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        audit_id=audit_id,
        action=(_action_label.get() or action)[:20],
        changes=changes,
        actor=actor,
        actor_name=str(actor)[:200] if actor else "System",
    )


# --- Signals for single saves and deletes ---------------------------------------------------


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    tracked = _registry.get(sender)
    if tracked is None or kwargs.get("raw"):
        return
    old = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._history_before = _snapshot(tracked, old) if old else None  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    tracked = _registry.get(sender)
    if tracked is None or kwargs.get("raw"):
        return
    before = getattr(instance, "_history_before", None)
    after = _snapshot(tracked, instance)
    changes = _diff(before or {}, after)
    if not changes and before is not None:
        return
    action = "create" if created or before is None else "update"
    audit_id = _audit_id(tracked, instance.pk)
    _write([_record(tracked, instance, action, changes, audit_id=audit_id)])


def _link_names(model: type[models.Model]) -> list[str]:
    """The many-to-many links of a model, from either side (a finding's agencies, and the
    actions that name it), by the attribute that reaches them."""
    forward = [field.name for field in model._meta.many_to_many]
    reverse = [
        relation.get_accessor_name()
        for relation in model._meta.related_objects
        if relation.many_to_many
    ]
    return [*forward, *(name for name in reverse if name)]


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    tracked = _registry.get(sender)
    if tracked is None:
        return
    known = _known_audit_ids.get() or {}
    key = (sender, instance.pk)
    audit_id = known[key] if key in known else _audit_id(tracked, instance.pk)
    instance._history_audit_id = audit_id  # type: ignore[attr-defined]
    if tracked.links_on_delete:
        instance._history_links = {  # type: ignore[attr-defined]
            name: ", ".join(
                str(pk) for pk in sorted(getattr(instance, name).values_list("pk", flat=True))
            )
            for name in _link_names(sender)
        }


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    tracked = _registry.get(sender)
    if tracked is None:
        return
    before = _snapshot(tracked, instance)
    changes = {name: [value, ""] for name, value in before.items() if value}
    links = getattr(instance, "_history_links", {})
    changes.update({name: [ids, ""] for name, ids in links.items() if ids})
    audit_id = getattr(instance, "_history_audit_id", None)
    record = _record(tracked, instance, "delete", changes, audit_id=audit_id)
    pending = _pending.get()
    if pending is None:
        _write([record])
    else:
        pending.append(record)


def _links_changed(
    sender: Any, instance: models.Model, action: str, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    tracked = _registry.get(type(instance))
    if tracked is None or _loading.get() or action not in {"post_add", "post_remove", "pre_clear"}:
        return
    field_name = next(
        (
            field.name
            for field in type(instance)._meta.many_to_many
            if field.remote_field.through is sender
        ),
        None,
    )
    if field_name is None:
        return
    if action == "pre_clear":
        pk_set = set(getattr(instance, field_name).values_list("pk", flat=True))
    ids = ", ".join(str(pk) for pk in sorted(pk_set or []))
    if not ids:
        return
    verb = "added" if action == "post_add" else "removed"
    changes = {field_name: [ids if verb == "removed" else "", ids if verb == "added" else ""]}
    audit_id = _audit_id(tracked, instance.pk)
    _write([_record(tracked, instance, f"links {verb}", changes, audit_id=audit_id)])


# --- Bulk operations ------------------------------------------------------------------------


class HistoryQuerySet(models.QuerySet):
    """Records history for `update()` and `bulk_update()` (which calls `update()`)."""

    def update(self, **kwargs: Any) -> int:
        tracked = _registry.get(self.model)
        if tracked is None:
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        before = {
            obj.pk: _snapshot(tracked, obj) for obj in self.model._base_manager.filter(pk__in=pks)
        }
        rows = super().update(**kwargs)
        after = self.model._base_manager.filter(pk__in=pks)
        audit_ids = _audit_ids(tracked, pks)
        records = []
        for obj in after:
            changes = _diff(before.get(obj.pk, {}), _snapshot(tracked, obj))
            if changes:
                records.append(
                    _record(tracked, obj, "bulk update", changes, audit_id=audit_ids.get(obj.pk))
                )
        _write(records)
        return rows

    def delete(self) -> tuple[int, dict[str, int]]:
        tracked = _registry.get(self.model)
        if tracked is None or _pending.get() is not None:
            return super().delete()
        known: _KnownAuditIds = {
            (self.model, pk): audit_id
            for pk, audit_id in (
                self.values_list("pk", tracked.audit_path)
                if tracked.audit_path is not None
                else ((pk, None) for pk in self.values_list("pk", flat=True))
            )
        }
        known_token = _known_audit_ids.set(known)
        pending_token = _pending.set([])
        try:
            result = super().delete()
            _write(_pending.get() or [])
        finally:
            _known_audit_ids.reset(known_token)
            _pending.reset(pending_token)
        return result

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        tracked = _registry.get(self.model)
        if tracked is not None:
            with_pk = [obj for obj in created if obj.pk is not None]
            audit_ids = _audit_ids(tracked, [obj.pk for obj in with_pk])
            _write(
                [
                    _record(
                        tracked,
                        obj,
                        "create",
                        _diff({}, _snapshot(tracked, obj)),
                        audit_id=audit_ids.get(obj.pk),
                    )
                    for obj in with_pk
                ]
            )
        return created


HistoryManager = models.Manager.from_queryset(HistoryQuerySet)


def track(
    label: str,
    *,
    audit_path: str | None,
    redacted: tuple[str, ...] = (),
    links_on_delete: bool = False,
) -> None:
    """Keep history for a model ("app_label.Model"); `audit_path` leads to its audit's id
    (None for models that belong to no audit)."""
    model = apps.get_model(label)
    _registry[model] = Tracked(
        model=model,
        audit_path=audit_path,
        redacted=frozenset(redacted),
        links_on_delete=links_on_delete,
    )
    uid = f"maca-history-{label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
    models.signals.pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-pre-d")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-post-d")
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            _links_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
        )


# --- Events and undo ------------------------------------------------------------------------


class NotRevertible(Exception):
    """A recorded change cannot be undone (its value was redacted, or the row it needs has
    gone); the caller refuses the whole undo."""


def _python_value(field: models.Field, text: str) -> Any:
    if text in {"", "None"} and field.null:
        return None  # value_to_string writes a missing value as "None"
    if isinstance(field, models.JSONField):
        import json

        return json.loads(text) if text else field.get_default()
    return field.to_python(text)


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _undo_links(obj: models.Model | None, changes: dict[str, list[str]]) -> None:
    if obj is None:
        return  # The row itself was created after the point and is gone already.
    for name, (removed, added) in changes.items():
        related = getattr(obj, name)
        if added:
            related.remove(*_ids(added))
        if removed:
            related.add(*_ids(removed))


def _old_values(tracked: Tracked, changes: dict[str, list[str]]) -> dict[str, Any]:
    by_attname = {field.attname: field for field in tracked.fields()}
    return {
        name: _python_value(by_attname[name], old)
        for name, (old, _new) in changes.items()
        if name in by_attname
    }


def _undo(record: ChangeRecord, model: type[models.Model], keep: frozenset[str]) -> None:
    """Undo one ChangeRecord. Fields named in `keep` are left as they are now."""
    tracked = _registry[model]
    obj = model._base_manager.filter(pk=record.object_id).first()
    changes = {name: pair for name, pair in record.changes.items() if name not in keep}
    if any(REDACTED in pair for pair in changes.values()):
        raise NotRevertible(f"{record.object_repr}: a redacted value cannot be restored.")
    if record.action in {"links added", "links removed"}:
        _undo_links(obj, changes)
    elif record.action == "create":
        if obj is not None:
            obj.delete()
    elif record.action == "delete":
        if obj is None:
            restored = model._base_manager.create(
                pk=record.object_id, **_old_values(tracked, changes)
            )
            m2m = set(_link_names(model))
            _undo_links(
                restored, {name: [ids, ""] for name, (ids, _) in changes.items() if name in m2m}
            )
    elif record.action in {"update", "bulk update"}:
        if obj is None:
            raise NotRevertible(f"{record.object_repr} no longer exists.")
        values = _old_values(tracked, changes)
        for name, value in values.items():
            setattr(obj, name, value)
        if values:
            fields = {field.attname: field.name for field in tracked.fields()}
            obj.save(update_fields=[fields[name] for name in values])
    else:
        raise NotRevertible(f"{record.object_repr}: a '{record.action}' cannot be undone here.")


def revert_since(
    *,
    audit_id: int,
    since: dt.datetime,
    keep: dict[type[models.Model], frozenset[str]],
) -> int:
    """Undo, newest first, every recorded change to the models in `keep` made to one audit's
    rows after `since`; each model's named fields are kept as they are now. Run inside a
    transaction: a change that cannot be undone raises `NotRevertible` and the caller rolls
    back, so nothing is half undone. The undo itself is recorded like any other change."""
    change_record = apps.get_model("core", "ChangeRecord")
    by_type = {ContentType.objects.get_for_model(model).pk: model for model in keep}
    records = list(
        change_record.objects.filter(
            audit_id=audit_id, at__gt=since, content_type_id__in=list(by_type)
        ).order_by("-at", "-id")
    )
    for record in records:
        model = by_type[record.content_type_id]
        _undo(record, model, keep[model])
    return len(records)
