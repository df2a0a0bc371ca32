"""The keyed hash of the 903 CHILD id kept with each sampled child could match the child back
to an extract, so the identifiers' retention purge clears it with the identities."""

from __future__ import annotations

from django.db.models import QuerySet

from maca.audits.models import Audit
from maca.identifiers.retention import SampleHashes
from maca.sampling.models import SampledChild


def _hashed(audit: Audit) -> QuerySet[SampledChild]:
    return SampledChild.objects.filter(case__audit=audit).exclude(child_hmac="")


def _count(audit: Audit) -> int:
    return _hashed(audit).count()


def _clear(audit: Audit) -> None:
    _hashed(audit).update(child_hmac="")


SAMPLE_HASHES = SampleHashes(count=_count, clear=_clear)
