"""What planning services refuse beyond the plain `Refused`, with messages a coordinator can
act on."""

from __future__ import annotations

from maca.audits.models import ToolVersion
from maca.core.errors import Refused


class ToolVersionFrozen(Refused):
    """The version has answers (or was frozen when the first was saved), so it cannot change.

    Its own type because the editor answers it with the "make a new version" page, not a form
    error."""

    def __init__(self, version: ToolVersion) -> None:
        self.version = version
        super().__init__(
            f"Version {version.number} of {version.tool} already has answers, so its sections "
            "and questions cannot change. Make a new version to edit the tool; audits using "
            f"version {version.number} keep it."
        )
