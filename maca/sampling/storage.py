"""Where kept 903 extracts live: the `extracts` storage (settings.STORAGES).

By default a folder on this machine, `MACA_SAMPLING_DIR`. Any Django storage can take its
place (shared or S3-compatible object storage through django-storages, see the README), so
several web servers and workers on several machines see the same extracts.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages

EXTRACTS = "extracts"


def extract_storage() -> Storage:
    return storages[EXTRACTS]


class SamplingDirStorage(FileSystemStorage):
    """A folder on this machine: `location` if given, else `MACA_SAMPLING_DIR` (read each time,
    so a changed setting applies at once)."""

    def __init__(self, location: Any = None, **kwargs: Any) -> None:
        super().__init__(location=location, **kwargs)
        self._given_location = location

    @property  # type: ignore[override]
    def base_location(self) -> str:
        from maca.sampling import conf

        return str(self._given_location or conf.sampling_dir())

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)
