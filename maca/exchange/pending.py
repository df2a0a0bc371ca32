"""Keeping an uploaded document between its upload and the importer's choices.

Only the person who uploaded it can open it, and only for `PENDING_IMPORT_HOURS`; it is
deleted once imported, and older ones are deleted whenever anyone uploads and by the daily run
(`maca daily`), so a document with children's details in it is not kept past its day.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404
from django.utils import timezone

from maca.accounts.models import User
from maca.exchange.models import PENDING_IMPORT_HOURS, PendingImport


def _expired_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=PENDING_IMPORT_HOURS)


def pending_imports_expire() -> int:
    """Delete every upload waiting longer than `PENDING_IMPORT_HOURS`; how many went."""
    deleted, _by_model = PendingImport.objects.filter(uploaded_at__lt=_expired_before()).delete()
    return deleted


def pending_import_add(*, user: User, content: bytes, filename: str, slug: str) -> PendingImport:
    """Keep the uploaded (already checked) document for its uploader's next step."""
    pending_imports_expire()
    return PendingImport.objects.create(
        uploaded_by=user,
        filename=filename[:255],
        slug=slug,
        document=content.decode("utf-8-sig"),
    )


def pending_import_for(user: User, public_id: uuid.UUID) -> PendingImport:
    """The person's own waiting upload; anyone else's, an expired one or one the keys can no
    longer open is not found."""
    found = PendingImport.objects.filter(
        public_id=public_id, uploaded_by=user, uploaded_at__gte=_expired_before()
    )
    try:
        pending = found.first()
    except ValueError:  # encrypted with a key since removed
        pending = None
    if pending is None:
        raise Http404("No upload waiting")
    return pending


def pending_import_delete(pending: PendingImport) -> None:
    PendingImport.objects.filter(pk=pending.pk).delete()
