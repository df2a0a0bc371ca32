"""Server time of the moderation page and the audit report for an audit of the largest size
maca is designed for (60 children x 12 agencies x 40 questions), on SQLite and on PostgreSQL.

Each page is fetched in-process with Django's test client (the whole request: middleware,
session, access checks, queries, template, charts), once cold and then N times; the median is
printed in milliseconds and as a ratio to a minimal Django view timed the same way in the same
run, so the figures can be compared across machines. The report's first (cold) fetch is shown
too: it draws the charts, which later fetches of the same figures take from a cache.

On a busy machine the wall-clock figures rise with the load; the CPU time the process spent on
the request (`time.process_time`) and the number of Python function calls one fetch makes
(cProfile) rise much less, so they are printed beside it for comparing before and after.

    make bench                       # both databases
    make bench ARGS="--runs 20"      # more runs
    make bench ARGS="--only sqlite"
    python -m tests.benchmarks.bench_pages --page moderation   # one page (and the baseline)

Figures for the moderation page (issue 17, goal 50 ms): 84 ms when the issue was filed; then
52.1 ms on SQLite and 59.9 ms on PostgreSQL on a quiet machine, about 254,000 calls and 43-47
ms CPU per request; after the page's repeated parts were written in Python and its forms drawn
from plain values, 24-28 ms CPU on SQLite and 22-26 ms on PostgreSQL, about 119,000 calls,
28 ms wall-clock on PostgreSQL in a quiet moment (same 24 queries), measured old and new in
the same run on a busy machine.

PostgreSQL is 127.0.0.1:5432, user postgres, trust auth (MACA_BENCH_POSTGRES_URL overrides);
if it cannot be reached that half is skipped with a message. Each backend runs in its own
process, because the database comes from the environment when Django starts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get(
    "MACA_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/maca_bench"
)
SIZE = {"cases": 60, "agencies": 12, "questions": 40, "sections": 10}
MINIMAL = "minimal view"
MODERATION = "moderation page (one child, 12 agencies x 40 questions)"
REPORT = "audit report page (60 x 12 x 40, 7 charts)"
PAGES = {"moderation": MODERATION, "report": REPORT}
MODERATION_GOAL_MS = 50


# --- The child process: one backend ---------------------------------------------------------


def minimal(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok")


def _urlpatterns() -> list[Any]:
    from django.urls import include, path

    return [path("__bench__/minimal/", minimal), path("", include("config.urls"))]


def __getattr__(name: str) -> Any:
    # ROOT_URLCONF points at this module in the child; Django reads `urlpatterns` lazily.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def _fetch(client: Any, url: str) -> tuple[float, float]:
    """One fetch: wall-clock and CPU milliseconds."""
    start, cpu_start = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    cpu = (time.process_time() - cpu_start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, cpu


def _calls(client: Any, url: str) -> int:
    """Python function calls one fetch makes: a measure of work that the load does not move."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(client.get, url)
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def _measure(client: Any, url: str, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The first fetch is the cold one (charts drawn, templates compiled); it also counts the
    # queries.
    with CaptureQueriesContext(connection) as queries:
        first, _ = _fetch(client, url)
    count = len(queries)  # read now: the next request empties the query log
    timings = [_fetch(client, url) for _ in range(runs)]
    return {
        "first": first,
        "median": statistics.median(wall for wall, _ in timings),
        "cpu": statistics.median(cpu for _, cpu in timings),
        "calls": _calls(client, url),
        "queries": count,
    }


def run_backend(runs: int, pages: list[str]) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import clear_url_caches, reverse

    settings.ROOT_URLCONF = __name__ if __name__ != "__main__" else "tests.benchmarks.bench_pages"
    settings.ALLOWED_HOSTS = ["*"]
    clear_url_caches()
    setup_test_environment()
    vendor = connection.vendor
    if vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_maca_bench_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from maca.audits.models import PanelGrade
        from maca.learning.models import Action, Finding
        from maca.moderation.tests.builders import build_moderated_audit

        start = time.perf_counter()
        built = build_moderated_audit(
            status="published",
            cases=SIZE["cases"],
            agencies=SIZE["agencies"],
            questions=SIZE["questions"],
            sections=SIZE["sections"],
        )
        good = built.level("ofsted-4", "good")
        PanelGrade.objects.bulk_create(
            PanelGrade(case=case, section=section, grade=good, reason="Agreed.")
            for case in built.cases
            for section in [None, *built.sections[:3]]
        )
        for index in range(12):
            finding = Finding.objects.create(
                audit=built.audit, heading="worry", order=index, text=f"Finding {index}"
            )
            finding.cases.set(built.cases[: 1 + index])
            action = Action.objects.create(
                audit=built.audit, order=index, description=f"Action {index}", status="agreed"
            )
            action.owners.set(built.agencies[:2])
        built_seconds = time.perf_counter() - start

        client = Client()
        client.force_login(built.panel)
        urls = {
            MINIMAL: "/__bench__/minimal/",
            MODERATION: reverse(
                "moderation:case", args=[built.audit.slug, built.cases[len(built.cases) // 2].pk]
            ),
            REPORT: reverse("reports:report", args=[built.audit.slug]),
        }
        labels = [MINIMAL, *(PAGES[page] for page in pages)]
        results = {label: _measure(client, urls[label], runs) for label in labels}
        return {
            "vendor": vendor,
            "version": getattr(connection, "Database").sqlite_version  # noqa: B009
            if vendor == "sqlite"
            else str(getattr(connection, "pg_version", "")),
            "built_seconds": built_seconds,
            "results": results,
            "runs": runs,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


# --- The parent process: both backends, one table -------------------------------------------


def postgres_reachable(url: str) -> str | None:
    """None if the server answers, else why not."""
    try:
        import psycopg
        from psycopg.conninfo import make_conninfo
    except ImportError as error:  # pragma: no cover
        return str(error)
    try:
        psycopg.connect(make_conninfo(url, dbname="postgres", connect_timeout=5)).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def child(backend: str, runs: int, pages: list[str]) -> dict[str, Any] | None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    if backend == "postgresql":
        env["DATABASE_URL"] = POSTGRES_URL
    else:
        env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.bench_pages",
            "--child",
            "--runs",
            str(runs),
            *(f"--page={page}" for page in pages),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        print(f"  {backend}: the benchmark failed:\n{completed.stderr[-3000:]}")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def report(data: dict[str, Any]) -> None:
    results = data["results"]
    base = results[MINIMAL]["median"]
    print(
        f"\n{data['vendor']} {data['version']}: test data built in {data['built_seconds']:.1f} s; "
        f"median of {data['runs']} runs after the first (cold) one"
    )
    print(
        f"  {'page':58} {'median ms':>10} {'x minimal':>10} {'cpu ms':>7} {'first ms':>9} "
        f"{'queries':>8} {'calls':>8}"
    )
    for label, row in results.items():
        ratio = row["median"] / base if base else float("nan")
        print(
            f"  {label:58} {row['median']:10.1f} {ratio:10.1f} {row['cpu']:7.1f} "
            f"{row['first']:9.1f} {row['queries']:8d} {row['calls']:8d}"
        )
    if MODERATION not in results:
        return
    moderation = results[MODERATION]["median"]
    verdict = "met" if moderation <= MODERATION_GOAL_MS else "NOT met"
    print(
        f"  moderation page: {moderation:.1f} ms against the goal of {MODERATION_GOAL_MS} ms "
        f"(issue 17): {verdict}; 84 ms when the issue was filed, 52 ms before the rework"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per page (default 11)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one backend only")
    parser.add_argument(
        "--page",
        action="append",
        choices=sorted(PAGES),
        help="only this page (repeat for more; default all), beside the minimal view",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = args.page or list(PAGES)
    if args.child:
        print(json.dumps(run_backend(args.runs, pages)))
        return 0

    print(
        "Server time of the moderation and report pages, 60 children x 12 agencies x "
        "40 questions (Django test client, in process)"
    )
    failed = False
    for backend in ("sqlite", "postgresql"):
        if args.only and backend != args.only:
            continue
        if backend == "postgresql":
            why = postgres_reachable(POSTGRES_URL)
            if why:
                print(f"\npostgresql: skipped, server not reachable at {POSTGRES_URL} ({why})")
                continue
        data = child(backend, args.runs, pages)
        if data is None:
            failed = True
            continue
        report(data)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
