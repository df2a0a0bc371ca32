from __future__ import annotations

import pytest

from maca.demo.services import DemoSummary, demo_load


@pytest.fixture
def demo(db: None) -> DemoSummary:
    return demo_load()
