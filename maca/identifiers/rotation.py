"""Re-encrypting every stored identifier with the newest key in MACA_IDENTIFIER_KEYS.

To rotate: put a new key first (`NEW,OLD`), run `maca rotate-identifier-keys`, and once it
reports nothing left on an old key, drop the old key. The stored tokens are read and written as
they are (never decrypted into a model), so history does not record a change that is not one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models.functions import Cast

from maca.core import crypto
from maca.identifiers.models import IDENTITY_FIELDS, AgencyReference, ChildIdentity

ENCRYPTED_FIELDS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (ChildIdentity, IDENTITY_FIELDS),
    (AgencyReference, ("reference",)),
)


@dataclass
class RotationCount:
    label: str
    values: int = 0
    on_old_key: int = 0
    rotated: int = 0
    unreadable: int = 0


def rotate_identifier_keys(*, dry_run: bool, batch_size: int = 500) -> list[RotationCount]:
    """Count (and unless `dry_run`, re-encrypt) values not yet on the newest key, one
    transaction per batch of rows, so a long run can stop and resume without harm."""
    counts = []
    for model, fields in ENCRYPTED_FIELDS:
        count = RotationCount(label=model._meta.label)
        for batch in _batches(model, fields, batch_size):
            _rotate_batch(model, fields, batch, count, dry_run=dry_run)
        counts.append(count)
    counts.append(_rotate_authenticator_secrets(dry_run=dry_run))
    return counts


# Keys of allauth's Authenticator.data that hold a secret encrypted by maca's MFA adapter.
_AUTHENTICATOR_SECRET_KEYS = ("secret", "seed")


def _rotate_authenticator_secrets(*, dry_run: bool) -> RotationCount:
    """Authenticator-app secrets and recovery-code seeds are encrypted with the same keys
    (maca.accounts.adapter.MfaAdapter), so they move to the newest key too."""
    from allauth.mfa.models import Authenticator

    count = RotationCount(label="mfa.Authenticator")
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            data = dict(authenticator.data)
            rotated_keys = 0
            for key in _AUTHENTICATOR_SECRET_KEYS:
                token = data.get(key)
                if not token:
                    continue
                count.values += 1
                if crypto.is_current(token):
                    continue
                try:
                    data[key] = crypto.rotate(token)
                except ValueError:
                    count.unreadable += 1
                    continue
                count.on_old_key += 1
                rotated_keys += 1
            if rotated_keys and not dry_run:
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                count.rotated += rotated_keys
    return count


def _raw_rows(
    model: type[models.Model], fields: tuple[str, ...], after: int, size: int
) -> list[tuple]:
    # Cast to plain text, so the tokens come back as stored rather than decrypted.
    raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in fields}
    return list(
        model._base_manager.filter(pk__gt=after)
        .order_by("pk")
        .annotate(**raw)
        .values_list("pk", *raw)[:size]
    )


def _batches(
    model: type[models.Model], fields: tuple[str, ...], size: int
) -> Iterator[list[tuple]]:
    last = 0
    while True:
        rows = _raw_rows(model, fields, last, size)
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rotate_batch(
    model: type[models.Model],
    fields: tuple[str, ...],
    rows: list[tuple],
    count: RotationCount,
    *,
    dry_run: bool,
) -> None:
    # A plain queryset: the history manager would record a re-encryption as a change.
    plain: models.QuerySet[models.Model] = models.QuerySet(model=model)
    with transaction.atomic():
        for pk, *tokens in rows:
            changes = {}
            for name, token in zip(fields, tokens, strict=True):
                if not token:
                    continue
                count.values += 1
                if crypto.is_current(token):
                    continue
                try:
                    rotated = crypto.rotate(token)
                except ValueError:
                    count.unreadable += 1
                    continue
                count.on_old_key += 1
                changes[name] = models.Value(rotated, output_field=models.TextField())
            if changes and not dry_run:
                plain.filter(pk=pk).update(**changes)
                count.rotated += len(changes)
