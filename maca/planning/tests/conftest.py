from __future__ import annotations

import pytest

from maca.accounts.models import Role, User
from maca.audits.models import ToolVersion
from maca.planning import services
from tests.factories import person_with_role


@pytest.fixture
def coordinator(db: None) -> User:
    return person_with_role(Role.COORDINATOR, full_name="Fictional Coordinator")


@pytest.fixture
def ready_version(db: None) -> ToolVersion:
    """The ready-made CLA out-of-area tool, version 1, as a coordinator adds it."""
    tool, _ = services.ready_tool_add(slug="cla-out-of-area")
    return tool.versions.get(number=1)
