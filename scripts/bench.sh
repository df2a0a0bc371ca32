#!/usr/bin/env bash
# Runs the benchmarks in tests/benchmarks/ from the repository root, each as a module so it can
# import maca and tests.* alike:
#   - tests/benchmarks/__main__.py, if there is one, as `python -m tests.benchmarks`;
#   - otherwise every tests/benchmarks/bench_*.py, as `python -m tests.benchmarks.bench_<name>`.
# Arguments are passed on to each benchmark. DJANGO_SETTINGS_MODULE defaults to the test
# settings, so a benchmark never touches the demo database by accident.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings_test}"

if [[ -f tests/benchmarks/__main__.py ]]; then
    exec "$PY" -m tests.benchmarks "$@"
fi

shopt -s nullglob
benches=(tests/benchmarks/bench_*.py)
if ((${#benches[@]} == 0)); then
    echo "make bench: no benchmarks yet (add tests/benchmarks/bench_<name>.py)."
    exit 0
fi

failed=()
for file in "${benches[@]}"; do
    module="$(basename "$file" .py)"
    printf '\n==> %s\n' "$module"
    "$PY" -m "tests.benchmarks.$module" "$@" || failed+=("$module")
done
if ((${#failed[@]})); then
    echo "make bench: failed: ${failed[*]}" >&2
    exit 1
fi
