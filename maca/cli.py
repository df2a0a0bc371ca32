"""The `maca` command: Django's management commands with maca's settings chosen for you.

`maca demo`, `maca brief …` and every other `manage.py` command work the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["maca", *argv])
    execute_from_command_line(args)
    return 0
