"""The 903 import's settings, read from `config/settings.py` (which documents them and reads
the environment): `MACA_HOME_POSTCODE_DISTRICTS`, `MACA_SAMPLING_DIR`, `MACA_CHILD_HMAC_KEY`
and `MACA_LA_CODE`, checked here where they are used."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def parse_districts(raw: object) -> list[str]:
    """Postcode districts from a comma/space separated string or a list, upper-cased.

    Raises ValueError naming the first entry that is not a district (outward code)."""
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw))
    districts: list[str] = []
    for item in items:
        district = str(item).strip().upper()
        if not district:
            continue
        if not _DISTRICT.match(district):
            raise ValueError(
                f"{district!r} is not a postcode district (the first part of a postcode, "
                "e.g. BS1 or M14)"
            )
        if district not in districts:
            districts.append(district)
    return districts


def home_postcode_districts() -> list[str]:
    try:
        return parse_districts(settings.MACA_HOME_POSTCODE_DISTRICTS)
    except ValueError as error:
        raise ImproperlyConfigured(f"MACA_HOME_POSTCODE_DISTRICTS: {error}") from None


def sampling_dir() -> Path:
    path = Path(settings.MACA_SAMPLING_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def child_hmac_key() -> bytes:
    raw = settings.MACA_CHILD_HMAC_KEY
    if raw:
        return str(raw).encode()
    return hashlib.sha256(f"maca-903-child-match:{settings.SECRET_KEY}".encode()).digest()


def own_la_code() -> str | None:
    """The LA's own three-digit code (MACA_LA_CODE), used by the placement rules 411 and 1015.
    Unset, it is taken from the extract (`rules.context`)."""
    value = str(settings.MACA_LA_CODE or "").strip()
    return value or None
