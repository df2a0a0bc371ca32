"""gunicorn's settings when started by `maca serve`, which passes them as JSON in
MACA_GUNICORN_OPTIONS (gunicorn reads this module's names that are its settings).

Imports nothing of maca or Django: gunicorn's master stays free of the application's code.
Beside maca.cli rather than in an app: like the command line, it is an entry point that may
start any layer (the workers' hook warms up the reports' chart engine)."""

from __future__ import annotations

import json
import os

globals().update(json.loads(os.environ.get("MACA_GUNICORN_OPTIONS", "{}")))


def post_worker_init(worker: object) -> None:
    """Start the chart renderer's engine in each new worker before it takes requests: its
    first drawing costs about half a second, which would otherwise fall on someone's page."""
    from maca.reports.charts import warm_up

    warm_up()
