"""A published version's downloads, rendered once and kept.

A published version never changes (`snapshots`), so its PDF, Word and Markdown files are made
the first time someone asks and then served from the `renders` storage (settings.STORAGES): a
folder on this machine by default, or storage every web server shares. Drafts are never kept.
A file that cannot be kept (a full disk, storage unreachable) is still served, made afresh.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder

RENDERS = "renders"
_RELEASE = importlib.metadata.version("maca")
log = logging.getLogger(__name__)


def _path(made_from: Any, name: str) -> str:
    # Named by what the file is made from, not by the audit or version: identical data gives
    # an identical file, and an audit deleted and made again under the same address (or a
    # reused row id) can never be served another's file.
    # The release is part of it too: a new release may render the same data differently.
    made = json.dumps([_RELEASE, made_from], sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.sha256(made.encode()).hexdigest()
    return f"published/{digest[:2]}/{digest}/{name}"


def kept_render(made_from: Any, name: str, make: Callable[[], bytes]) -> bytes:
    """The file `name` made from `made_from` (a published version's frozen data, which alone
    decides what `make` returns): from storage, or made now and kept."""
    storage = storages[RENDERS]
    path = _path(made_from, name)
    try:
        if storage.exists(path):
            with storage.open(path, "rb") as kept:
                return bytes(kept.read())
    except OSError:
        log.warning("Could not read the kept render %s; making it again", path, exc_info=True)
    content = make()
    try:
        if not storage.exists(path):
            storage.save(path, ContentFile(content))
    except OSError:
        log.warning("Could not keep the render %s; served it unkept", path, exc_info=True)
    return content


def name_for(kind: str, extension: str, *, varies_by: str = "") -> str:
    """A file name for one render; `varies_by` names what else shaped it (the site's address
    printed in a briefing), so a different one is kept apart."""
    suffix = f"-{hashlib.sha256(varies_by.encode()).hexdigest()[:12]}" if varies_by else ""
    return f"{kind}{suffix}.{extension}"
