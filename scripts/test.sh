#!/usr/bin/env bash
# Everything `make test` checks, in order, with a summary at the end:
#
#   ruff (lint and format), mypy, the apps' layers (lint-imports), missing migrations, then
#   pytest on SQLite (with the browser tests) and, beside it, pytest on PostgreSQL (without
#   them) when a server is reachable.
#
# Every step runs even when an earlier one fails, so one run shows every problem.
# Extra arguments go to both pytest runs, e.g. `scripts/test.sh -k returns -x`.
#
# Environment:
#   MACA_TEST_POSTGRES_URL  server for the PostgreSQL pass
#                           (default postgres://postgres@127.0.0.1:5432/maca; pytest-django
#                           creates and drops test_<name> there, the named database itself
#                           need not exist)
#   CI                      when set, an unreachable PostgreSQL is a failure, not a skip
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PG_URL="${MACA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/maca}"
PY="$ROOT/.venv/bin/python"
BIN="$ROOT/.venv/bin"

bash scripts/bootstrap.sh || {
    echo "make test: could not prepare .venv (see above)" >&2
    exit 1
}

# Tests choose their own database; a DATABASE_URL left in the shell must not leak into the
# SQLite pass.
unset DATABASE_URL
export DJANGO_SETTINGS_MODULE=config.settings_test

STEP_NAMES=()
STEP_RESULTS=()
STEP_SECONDS=()
FAILED=0

record() { # name result seconds
    STEP_NAMES+=("$1")
    STEP_RESULTS+=("$2")
    STEP_SECONDS+=("$3")
}

if [[ -t 1 ]]; then
    banner() { printf '\n\033[1m==> %s\033[0m\n' "$1"; }
else
    banner() { printf '\n==> %s\n' "$1"; }
fi

# run NAME COMMAND...: runs a step and records OK or FAILED.
run() {
    local name="$1"
    shift
    banner "$name"
    local start=$SECONDS rc=0
    "$@" || rc=$?
    if ((rc == 0)); then
        record "$name" "ok" $((SECONDS - start))
    else
        record "$name" "FAILED (exit $rc)" $((SECONDS - start))
        FAILED=1
    fi
}

# run_pytest NAME PYTEST-ARGS...: like run, but pytest's "no tests ran" (exit 5) is a failure
# with its own message rather than something that passes quietly.
run_pytest() {
    local name="$1"
    shift
    banner "$name"
    local start=$SECONDS rc=0
    "$PY" -m pytest "$@" || rc=$?
    record_pytest "$name" "$rc" $((SECONDS - start))
}

# record_pytest NAME EXIT-CODE SECONDS: pytest's outcome, with "no tests ran" as a failure.
record_pytest() {
    case $2 in
        0) record "$1" "ok" "$3" ;;
        5)
            echo "make test: $1 collected no tests; that counts as a failure." >&2
            record "$1" "FAILED (no tests ran)" "$3"
            FAILED=1
            ;;
        *)
            record "$1" "FAILED (exit $2)" "$3"
            FAILED=1
            ;;
    esac
}

postgres_reachable() {
    "$PY" - "$PG_URL" <<'PY'
import sys

import psycopg
from psycopg.conninfo import make_conninfo

# Ask the server's maintenance database: the project database need not exist yet.
conninfo = make_conninfo(sys.argv[1], dbname="postgres", connect_timeout=5)
try:
    psycopg.connect(conninfo).close()
except psycopg.Error as exc:
    print(f"  ({str(exc).strip().splitlines()[0]})", file=sys.stderr)
    raise SystemExit(1) from None
PY
}

run "ruff check" "$BIN/ruff" check --extend-exclude static,.venv,.tools .
run "ruff format --check" "$BIN/ruff" format --check --extend-exclude static,.venv,.tools .
run "mypy" "$BIN/mypy" .
run "layers (lint-imports)" "$BIN/lint-imports" --no-logo
run "migrations up to date" "$PY" manage.py makemigrations --check --dry-run

# The two passes share nothing (each builds its own test database, and files go to pytest's
# own temporary folders), so the PostgreSQL pass runs beside the SQLite one: on a machine with
# two cores the whole suite then takes about as long as its longer pass. Its output is kept
# in a file and printed after the SQLite pass, so the two do not interleave.
pg_safe_url="$(printf '%s' "$PG_URL" | sed -E 's#//([^:@/]*):[^@/]*@#//\1:***@#')"
PG_NAME="pytest on PostgreSQL (without browser tests)"
PG_LOG="$(mktemp "${TMPDIR:-/tmp}/maca-postgres-pass.XXXXXX")"
PG_PID=""
PG_START=$SECONDS
banner "PostgreSQL at $pg_safe_url?"
if postgres_reachable; then
    echo "make test: the PostgreSQL pass runs beside the SQLite pass; its output follows it."
    (
        # Everyone on this machine shares the server's test_<name> database, so take turns.
        if command -v flock >/dev/null 2>&1; then
            exec 8>"${TMPDIR:-/tmp}/maca-postgres-tests.lock"
            flock 8
        fi
        DATABASE_URL="$PG_URL" exec "$PY" -m pytest --create-db -m "not browser" "$@"
    ) >"$PG_LOG" 2>&1 &
    PG_PID=$!
    # Interrupted (Ctrl-C) or stopped early: do not leave the PostgreSQL pass running.
    trap 'kill "$PG_PID" 2>/dev/null; rm -f "$PG_LOG"' EXIT
elif [[ -n "${CI:-}" ]]; then
    echo "make test: PostgreSQL not reachable at $pg_safe_url, and CI is set: every test must run on PostgreSQL in CI." >&2
    record "$PG_NAME" "FAILED (PostgreSQL not reachable)" 0
    FAILED=1
else
    echo "make test: PostgreSQL not reachable at $pg_safe_url: skipped the PostgreSQL run." >&2
    echo "make test: start a server there (user postgres, trust auth) or set MACA_TEST_POSTGRES_URL." >&2
    record "$PG_NAME" "SKIPPED (PostgreSQL not reachable at $pg_safe_url)" 0
fi

# --create-db: a test database kept from an earlier run may predate a migration that has
# since been rewritten; building it afresh costs seconds and rules that out.
run_pytest "pytest on SQLite (with browser tests)" --create-db "$@"

if [[ -n "$PG_PID" ]]; then
    banner "$PG_NAME"
    rc=0
    wait "$PG_PID" || rc=$?
    cat "$PG_LOG"
    record_pytest "$PG_NAME" "$rc" $((SECONDS - PG_START))
fi
rm -f "$PG_LOG"

banner "Summary"
for i in "${!STEP_NAMES[@]}"; do
    printf '  %-46s %5ss  %s\n' "${STEP_NAMES[$i]}" "${STEP_SECONDS[$i]}" "${STEP_RESULTS[$i]}"
done
if ((FAILED)); then
    printf '\nmake test: FAILED\n'
    exit 1
fi
printf '\nmake test: all checks passed\n'
