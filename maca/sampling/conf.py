"""Settings the 903 import reads, each with a default so the app works before they are set.

The lead's `config/settings.py` may define any of these; until it does, the environment is read
directly, so a deployment can set them without a code change:

- ``MACA_HOME_POSTCODE_DISTRICTS``: the partnership's own postcode districts (comma-separated,
  e.g. ``Z1,Z2,Z3``), used to tell in-area from out-of-area placements when an extract does not
  carry PL_LOCATION. An import can override it.
- ``MACA_SAMPLING_DIR``: where validated extracts are kept (encrypted Arrow IPC files), one
  folder per import. Must be shared by the web processes and the task worker.
- ``MACA_CHILD_HMAC_KEY``: key for the keyed hash that matches a child across imports without
  storing the CHILD id. Derived from the secret key when unset.
- ``MACA_LA_CODE``: the LA's own three-digit code, which the placement rules 411 and 1015
  compare PL_LA with. Taken from the extract when unset (docs/ssda903-rules.md).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def _setting(name: str) -> object:
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name)
    return value


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
        return parse_districts(_setting("MACA_HOME_POSTCODE_DISTRICTS"))
    except ValueError as error:
        raise ImproperlyConfigured(f"MACA_HOME_POSTCODE_DISTRICTS: {error}") from None


def sampling_dir() -> Path:
    raw = _setting("MACA_SAMPLING_DIR")
    path = Path(str(raw)) if raw else Path(settings.BASE_DIR) / "var" / "sampling"
    path.mkdir(parents=True, exist_ok=True)
    return path


def child_hmac_key() -> bytes:
    raw = _setting("MACA_CHILD_HMAC_KEY")
    if raw:
        return str(raw).encode()
    return hashlib.sha256(f"maca-903-child-match:{settings.SECRET_KEY}".encode()).digest()


def own_la_code() -> str | None:
    """The LA's own three-digit code (MACA_LA_CODE), used by the placement rules 411 and 1015.
    Unset, it is taken from the extract (`rules.context`)."""
    value = str(_setting("MACA_LA_CODE") or "").strip()
    return value or None
