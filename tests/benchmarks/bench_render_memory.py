"""Memory of the process that renders report PDFs over repeated renders: it must stay flat.

One fictional audit (20 children x 8 agencies x 20 questions, 7 charts) is built in a fresh
SQLite test database; its `report.pdf` is then asked for N times (default 200) through the
whole request (Django's test client: middleware, throttle, access checks) and the job that
makes the draft's file (run in this process, as the test settings run tasks: charts,
WeasyPrint), then downloaded. The process's resident memory (RSS, from /proc) is printed
after the first render, which loads WeasyPrint, fonts and the chart renderer once, and then
every N/5 renders. The figure that matters is the growth from render 20 (after the warm-up)
to the last. Baseline, before WeasyPrint's font configuration was kept per thread
(maca/reports/renderers/pdf.py): 348.5 MB after 10 renders, 370.0 MB after 100, +0.24 MB a
render and still rising. After: 345.6 MB after 10, 349.6 MB from render 40 to 100. Flat means
under 0.1 MB a render.

    make bench ARGS="--renders 200"
    python -m tests.benchmarks.bench_render_memory --renders 30
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import time
from pathlib import Path
from typing import Any

SIZE = {"cases": 20, "agencies": 8, "questions": 20, "sections": 5}
WARM_UP = 20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _report_pdf(client: Any, url: str) -> Any:
    """The draft report's PDF as a person gets it: asked for, made by the job, downloaded."""
    asked = client.get(url)
    if asked.status_code != 302:
        return asked
    return client.get(f"{asked.url}download/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    # scripts/bench.sh passes the same ARGS to every benchmark: ignore the others' options.
    args, _ = parser.parse_known_args()
    renders = max(args.renders, WARM_UP + 5)

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.pop("DATABASE_URL", None)  # memory does not depend on the database
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    # Each render is a job; its two log lines would bury the figures.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from maca.moderation.tests.builders import build_moderated_audit

        built = build_moderated_audit(
            status="published",
            cases=SIZE["cases"],
            agencies=SIZE["agencies"],
            questions=SIZE["questions"],
            sections=SIZE["sections"],
        )
        client = Client()
        client.force_login(built.panel)
        url = reverse("reports:report-pdf", args=[built.audit.slug])
        start_mb = rss_mb()
        marks: list[tuple[int, float, float]] = []
        started = time.perf_counter()
        for done in range(1, renders + 1):
            response = _report_pdf(client, url)
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                raise SystemExit(f"report.pdf answered {response.status_code}")
            if done in (1, WARM_UP) or done % max(1, renders // 5) == 0 or done == renders:
                gc.collect()
                marks.append((done, rss_mb(), time.perf_counter() - started))
        print(
            f"report.pdf of a fictional audit ({SIZE['cases']} children x {SIZE['agencies']} "
            f"agencies x {SIZE['questions']} questions), {renders} renders in one process"
        )
        print(f"  before the first fetch: {start_mb:7.1f} MB RSS")
        print(f"  {'fetches':>8} {'RSS MB':>8} {'seconds':>8}")
        for done, mb, seconds in marks:
            print(f"  {done:8} {mb:8.1f} {seconds:8.1f}")
        warm = next(mb for done, mb, _ in marks if done == WARM_UP)
        last_done, last_mb, _ = marks[-1]
        per_fetch = (last_mb - warm) / (last_done - WARM_UP)
        verdict = "flat" if per_fetch < 0.1 else "GROWING"
        print(
            f"  growth from fetch {WARM_UP} to {last_done}: {last_mb - warm:+.1f} MB "
            f"= {per_fetch:+.3f} MB a fetch ({verdict}; baseline before the fix: +0.24 MB a fetch)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
