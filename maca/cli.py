"""The `maca` command: Django's management commands with maca's settings chosen for you.

`maca demo`, `maca brief …` and every other `manage.py` command work the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else ["maca", *argv])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(args) > 1 and args[1] == "demo":
        # The demo runs on a laptop over plain HTTP with a development key; never in production.
        os.environ.setdefault("MACA_DEBUG", "true")
        # Shows the shared demo authenticator's current code on the sign-in code page.
        os.environ.setdefault("MACA_DEMO", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
