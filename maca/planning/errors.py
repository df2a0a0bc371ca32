"""What planning services refuse, with messages a coordinator can act on."""

from __future__ import annotations

from maca.audits.models import ToolVersion
from maca.core.errors import Refused

__all__ = ["Refused", "ToolVersionFrozen"]


class ToolVersionFrozen(Exception):
    """The version has answers (or was frozen when the first was saved), so it cannot change."""

    def __init__(self, version: ToolVersion) -> None:
        self.version = version
        super().__init__(
            f"Version {version.number} of {version.tool} already has answers, so its sections "
            "and questions cannot change. Make a new version to edit the tool; audits using "
            f"version {version.number} keep it."
        )
