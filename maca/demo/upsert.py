"""Write-if-different helpers that make loading the demo idempotent.

`update_or_create` saves on every call, which bumps `updated_at` and re-encrypts identifiers
with a fresh nonce; a second load would then change rows although nothing changed. These
helpers compare first and save only the fields that differ, and count what they did so the
command can say "nothing changed".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


class _Unset:
    """Marks `existing` as not given, since None means "fetched, and absent"."""


UNSET = _Unset()


@dataclass
class Tally:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def note_created(self, model: type[models.Model]) -> None:
        self.created[model._meta.label] += 1

    def note_updated(self, model: type[models.Model]) -> None:
        self.updated[model._meta.label] += 1


def _same(instance: models.Model, name: str, wanted: Any) -> bool:
    model_field = instance._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        current_pk = getattr(instance, model_field.attname)  # type: ignore[union-attr]
        wanted_pk = wanted.pk if isinstance(wanted, models.Model) else wanted
        return bool(current_pk == wanted_pk)
    assert isinstance(model_field, models.Field)
    return bool(model_field.to_python(getattr(instance, name)) == model_field.to_python(wanted))


def upsert[M: models.Model](
    tally: Tally,
    model: type[M],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any] | None = None,
    existing: M | _Unset | None = UNSET,
    on_create: dict[str, Any] | None = None,
) -> M:
    """Find the row by its natural key, create it, or save only the fields that differ.

    `existing` skips the lookup query when the caller has already fetched the rows in bulk
    (None: fetched, and there is no such row);
    `on_create` holds values written only when the row is new (e.g. a password hash).
    """
    values = values or {}
    if isinstance(existing, _Unset):
        instance = model._default_manager.filter(**lookup).first()
    else:
        instance = existing
    if instance is None:
        instance = model._default_manager.create(**lookup, **values, **(on_create or {}))
        tally.note_created(model)
        return instance
    changed = [name for name, wanted in values.items() if not _same(instance, name, wanted)]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        # auto_now only runs for fields named in update_fields.
        stamp = ["updated_at"] if any(f.name == "updated_at" for f in model._meta.fields) else []
        instance.save(update_fields=changed + stamp)
        tally.note_updated(model)
    return instance


def set_related(
    tally: Tally, instance: models.Model, name: str, targets: Iterable[models.Model]
) -> None:
    """Make a many-to-many relation hold exactly `targets`, touching it only if it differs."""
    manager = getattr(instance, name)
    wanted = {target.pk for target in targets}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current:
        manager.set(list(wanted))
        label = manager.through._meta.label
        tally.created[label] += len(wanted - current)
        if current - wanted:
            tally.updated[label] += len(current - wanted)
