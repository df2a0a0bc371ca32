"""Load benchmark: the production server (`maca serve`, gunicorn) on PostgreSQL with the demo
data, and simulated people of every role browsing it over real HTTP with locust.

1. Creates a PostgreSQL database (MACA_LOAD_DB, default `maca_load`, on MACA_LOAD_POSTGRES,
   default postgres://postgres@127.0.0.1:5432; loopback only) and loads the demo into it with
   `maca demo --no-serve`.
2. Starts `maca serve` on 127.0.0.1 on a free port (its default workers: 2 × CPUs + 1).
3. Signs in each demo person for real: password, then the code of the demo authenticator
   (TOTP, computed here), and finds which of the issue's pages each can open: overview,
   returns grid, case, moderation, findings, report, brief, "Your work", a return, the API.
4. For 10, 50 and 100 people (`--people`), runs locust headless for a fixed time
   (`--seconds`), each person borrowing a signed-in session and opening their pages in turn with
   1-3 s pauses, and prints p50/p95/p99 and errors per page.

Everything stops by itself: locust runs for the given time and stops, the server is stopped
and the database dropped (`--keep` keeps it, `--reuse` loads nothing and uses it as it is).
Only 127.0.0.1 is ever contacted.

Baseline (issue 17, 50 people, 4 sync gunicorn workers, 2 cores): p95 570 ms, p99 3.3 s.
Goal: p95 <= 300 ms and p99 <= 1 s on every page, 0 errors.

    python -m tests.benchmarks.bench_load [--people 10,50,100] [--seconds 60]
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import hmac
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
BASELINE_50 = {"p95": 570, "p99": 3300}
GOAL = {"p95": 300, "p99": 1000}
PAGES = (
    "overview", "grid", "case", "moderation", "findings", "report", "brief", "your work",
    "return", "api",
)  # fmt: skip
# Keys for the benchmark's own throwaway database of fictional people only.
SECRET_KEY = "maca-load-benchmark-only-" + "0" * 40
IDENTIFIER_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"maca-load-benchmark").digest()).decode()


def totp_now(secret: str, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 with SHA-1, as authenticator apps (and allauth) compute it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // period), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def _loopback_only(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"bench_load: {host!r} is not a loopback address; refusing.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MACA_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        MACA_SECRET_KEY=SECRET_KEY,
        MACA_IDENTIFIER_KEYS=IDENTIFIER_KEY,
        MACA_SSL_REDIRECT="false",
        MACA_ALLOWED_HOSTS="127.0.0.1",
        MACA_DEBUG="false",
        MACA_LOG_LEVEL="ERROR",
    )
    return env


# --- The database ---------------------------------------------------------------------------


def create_database(server: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def load_demo(env: dict[str, str]) -> None:
    started = time.perf_counter()
    demo_env = env | {"MACA_DEBUG": "true"}  # as `maca demo` always runs
    subprocess.run(
        [str(BIN / "maca"), "demo", "--no-serve"], env=demo_env, cwd=ROOT, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    print(f"  demo data loaded in {time.perf_counter() - started:.0f} s")


def plan_candidates(out: Path) -> None:
    """Run in a child process with the load database's settings: for every demo person, the
    addresses of each page they might open (the first that answers is used)."""
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from maca.audits.models import AgencyReturn
    from maca.audits.selectors import audit_access_for, audits_visible_to, cases_visible

    people = []
    for user in (
        get_user_model()
        .objects.filter(
            is_active=True, pk__in=Authenticator.objects.filter(type="totp").values("user_id")
        )
        .order_by("email")
    ):
        candidates: dict[str, list[str]] = {page: [] for page in PAGES}
        candidates["your work"].append(reverse("returns:dashboard"))
        candidates["api"].append("/api/v1/audits/")
        agencies = list(user.role_assignments.exclude(agency=None).values_list("agency", flat=True))
        for audit in audits_visible_to(user).order_by("-created_at"):
            slug = audit.slug
            for page, name in (
                ("overview", "audits:overview"), ("grid", "audits:grid"),
                ("findings", "learning:findings"), ("report", "reports:report"),
                ("brief", "reports:brief"),
            ):  # fmt: skip
                candidates[page].append(reverse(name, args=[slug]))
            try:
                case = cases_visible(audit_access_for(user, slug)).first()
            except Exception:
                case = None
            if case is not None:
                candidates["case"].append(reverse("audits:case", args=[slug, case.pk]))
                candidates["moderation"].append(reverse("moderation:case", args=[slug, case.pk]))
            returns = AgencyReturn.objects.filter(case__audit=audit).order_by("pk")
            if agencies:
                returns = returns.filter(agency__in=agencies)
            for kept in returns[:1]:
                candidates["return"].append(
                    reverse("returns:return", args=[slug, kept.case_id, kept.agency_id])
                )
        people.append({"email": user.email, "candidates": candidates})
    from maca.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET

    found = {"password": DEMO_PASSWORD, "secret": DEMO_TOTP_SECRET, "people": people}
    out.write_text(json.dumps(found), encoding="utf-8")


# --- Signing in and choosing pages ----------------------------------------------------------


def _cookie_header(session: Any) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


def _send(session: Any, method: str, url: str, **kwargs: Any) -> Any:
    """The server marks its cookies Secure, as in production; over loopback HTTP a client keeps
    them but will not send them, so they are sent by hand."""
    headers = kwargs.pop("headers", {}) | {"Cookie": _cookie_header(session)}
    return session.request(
        method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs
    )


def sign_in(base: str, email: str, password: str, secret: str) -> Any:
    import requests

    session = requests.Session()
    _send(session, "GET", f"{base}/sign-in/")
    step = _send(
        session, "POST", f"{base}/sign-in/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": _csrf(session)},
    )  # fmt: skip
    if step.status_code != 302:
        raise RuntimeError(f"{email}: password refused ({step.status_code})")
    code_page = base + step.headers["Location"].removeprefix(base)
    _send(session, "GET", code_page)
    step = _send(
        session, "POST", code_page,
        data={"code": totp_now(secret), "csrfmiddlewaretoken": _csrf(session)},
    )  # fmt: skip
    if step.status_code != 302:
        raise RuntimeError(f"{email}: second factor refused ({step.status_code})")
    return session


def _csrf(session: Any) -> str:
    return str(session.cookies.get("csrftoken", ""))


def plan_people(base: str, candidates: dict[str, Any]) -> list[dict[str, Any]]:
    plan = []
    for person in candidates["people"]:
        session = sign_in(base, person["email"], candidates["password"], candidates["secret"])
        pages = []
        for page, urls in person["candidates"].items():
            for url in urls:
                if _send(session, "GET", base + url).status_code == 200:
                    pages.append((page, url))
                    break
        if pages:
            plan.append(
                {"email": person["email"], "pages": pages, "cookie": _cookie_header(session)}
            )
    return plan


# --- The server and the runs ----------------------------------------------------------------


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "maca"), "serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    import requests

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30).status_code == 200:
                return server
        except requests.RequestException:  # not listening yet, or its workers still starting
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("bench_load: the server did not answer /healthz within 90 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_locust(base: str, plan_file: Path, people: int, seconds: int, folder: Path) -> list[dict]:
    prefix = folder / f"people-{people}"
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(ROOT / "tests/benchmarks/load_people.py"),
            "--headless", "--host", base, "--users", str(people),
            "--spawn-rate", str(max(1, people // 5)), "--run-time", f"{seconds}s",
            "--stop-timeout", "10", "--csv", str(prefix), "--only-summary",
            "--loglevel", "ERROR",
        ],
        env=os.environ | {"MACA_LOAD_PLAN": str(plan_file)},
        cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def report(people: int, seconds: int, rows: list[dict]) -> dict[str, float]:
    print(f"\n{people} people for {seconds} s (1-3 s between pages):")
    print(f"  {'page':12} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    order = {page: index for index, page in enumerate(PAGES)}
    rows = sorted(rows, key=lambda row: order.get(row["Name"], len(PAGES)))
    total: dict[str, float] = {}
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        figures = {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
            "p99": float(row["99%"] or 0),
        }
        met = figures["p95"] <= GOAL["p95"] and figures["p99"] <= GOAL["p99"]
        flag = "" if met and not figures["errors"] else "  <- over the goal"
        print(
            f"  {name:12} {figures['requests']:>9} {figures['errors']:>7} {figures['p50']:>8.0f} "
            f"{figures['p95']:>8.0f} {figures['p99']:>8.0f}{flag}"
        )
        if row["Name"] == "Aggregated":
            total = figures
    if total:
        load = os.getloadavg()[0]
        print(f"  {total['requests'] / seconds:.1f} requests/s; load average {load:.1f}", end="")
        cpus = os.cpu_count() or 1
        # The server, PostgreSQL and locust share the machine; anything else slows all three.
        print(
            f" on {cpus} CPUs (busy: figures are high)" if load > cpus * 1.5 else f" on {cpus} CPUs"
        )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", default="10,50,100", help="comma-separated (default 10,50,100)")
    parser.add_argument("--seconds", type=int, default=60, help="per run (default 60, at most 600)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is")
    parser.add_argument("--plan-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan_out:
        plan_candidates(Path(args.plan_out))
        return
    counts = [int(item) for item in args.people.split(",") if item.strip()]
    if not counts or max(counts) > 200 or min(counts) < 1 or not 5 <= args.seconds <= 600:
        raise SystemExit("bench_load: 1-200 people, 5-600 seconds")

    server_url = os.environ.get("MACA_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    database = os.environ.get("MACA_LOAD_DB", "maca_load")
    _loopback_only(server_url)
    env = _environment(f"{server_url}/{database}")
    print(f"Load benchmark: PostgreSQL database {database}, {os.cpu_count()} CPUs")
    if not args.reuse:
        create_database(server_url, database)
        load_demo(env)
    with tempfile.TemporaryDirectory(prefix="maca-load-") as temporary:
        folder = Path(temporary)
        candidates = folder / "candidates.json"
        subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_load", "--plan-out", str(candidates)],
            env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, folder / "server.log")
        try:
            plan = plan_people(base, json.loads(candidates.read_text()))
            plan_file = folder / "plan.json"
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            pages = sum(len(person["pages"]) for person in plan)
            print(f"  {len(plan)} demo people signed in (password and code); {pages} pages in all")
            results = {
                n: report(n, args.seconds, run_locust(base, plan_file, n, args.seconds, folder))
                for n in counts
            }
            errors = (folder / "server.log").read_text(errors="replace").count("Traceback")
            print(f"\n  server log: {errors} errors with a traceback")
        finally:
            stop_server(server)
            if not args.keep and not args.reuse:
                drop_database(server_url, database)
    if results.get(50):
        fifty = results[50]
        print(
            f"\n50 people, all pages: p95 {fifty['p95']:.0f} ms, p99 {fifty['p99']:.0f} ms, "
            f"{fifty['errors']:.0f} errors; issue 17's baseline p95 {BASELINE_50['p95']} ms, "
            f"p99 {BASELINE_50['p99']} ms; goal p95 <= {GOAL['p95']} ms, p99 <= {GOAL['p99']} ms"
        )


if __name__ == "__main__":
    main()
