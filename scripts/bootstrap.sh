#!/usr/bin/env bash
# Make .venv ready to run maca and its tests, from nothing but a Python >= 3.12 on the machine.
#
#   1. find an interpreter (python3.13, python3.12, python3, then pyenv's installed versions);
#   2. put a pinned uv into .tools/ with pip (pip is how this machine reaches the registry);
#   3. `uv sync --frozen` builds .venv exactly from uv.lock, never downloading an interpreter.
#
# Safe to run again: when everything is in place it only asks uv to confirm .venv matches
# uv.lock, which takes well under a second.
set -euo pipefail

UV_VERSION="0.13.8"
MIN_MINOR=12 # Python 3.12 or newer

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Several people (or make -j) may bootstrap one checkout at once; let them take turns.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/maca-bootstrap-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).lock"
    flock 9
fi

say() { printf 'bootstrap: %s\n' "$*" >&2; }

# Prints the interpreter's absolute path when it runs and is Python 3.MIN_MINOR or newer.
usable_python() {
    local candidate="$1"
    "$candidate" - "$MIN_MINOR" 2>/dev/null <<'PY'
import sys
if sys.version_info[0] == 3 and sys.version_info[1] >= int(sys.argv[1]):
    print(sys.executable)
else:
    raise SystemExit(1)
PY
}

find_python() {
    local candidate found
    # An explicit choice wins, so a machine with an unusual layout can still be served.
    if [[ -n "${MACA_PYTHON:-}" ]]; then
        if found="$(usable_python "$MACA_PYTHON")"; then
            echo "$found"
            return 0
        fi
        say "MACA_PYTHON=$MACA_PYTHON is not a working Python 3.$MIN_MINOR or newer"
        return 1
    fi
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && found="$(usable_python "$candidate")"; then
            echo "$found"
            return 0
        fi
    done
    # Under pyenv a bare python3.12 is a shim that fails unless that version is active, so
    # look at the installed versions directly, newest first.
    local pyenv_root=""
    if command -v pyenv >/dev/null 2>&1; then
        pyenv_root="$(pyenv root 2>/dev/null || true)"
    fi
    pyenv_root="${pyenv_root:-${PYENV_ROOT:-$HOME/.pyenv}}"
    if [[ -d "$pyenv_root/versions" ]]; then
        local version
        while IFS= read -r version; do
            candidate="$pyenv_root/versions/$version/bin/python3"
            if [[ -x "$candidate" ]] && found="$(usable_python "$candidate")"; then
                echo "$found"
                return 0
            fi
        done < <(ls -1 "$pyenv_root/versions" | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -t. -k1,1nr -k2,2nr -k3,3nr)
    fi
    # Debian/Ubuntu and python.org installs.
    for candidate in /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9]; do
        if [[ -x "$candidate" ]] && found="$(usable_python "$candidate")"; then
            echo "$found"
            return 0
        fi
    done
    return 1
}

# Fast path: .venv already exists on a good interpreter and uv is in place. uv sync is still
# run, because it is how we notice that uv.lock has changed since the last time.
venv_python_ok() {
    [[ -x .venv/bin/python ]] && usable_python .venv/bin/python >/dev/null
}

tools_uv_ok() {
    [[ -x .tools/bin/uv ]] && [[ "$(.tools/bin/uv --version 2>/dev/null)" == "uv $UV_VERSION"* ]]
}

PYTHON=""
if ! tools_uv_ok || ! venv_python_ok; then
    if ! PYTHON="$(find_python)"; then
        cat >&2 <<EOF
bootstrap: maca needs Python 3.$MIN_MINOR or newer, and none was found.
bootstrap: looked for python3.14, python3.13, python3.12 and python3 on PATH, pyenv's installed
bootstrap: versions (${PYENV_ROOT:-~/.pyenv}/versions) and /usr/bin, /usr/local/bin.
bootstrap: Install one (for example 'apt-get install python3.12' or 'pyenv install 3.12'), or
bootstrap: point at it with MACA_PYTHON=/path/to/python3.12 and run this again.
EOF
        exit 1
    fi
    say "using $PYTHON ($("$PYTHON" -c 'import platform; print(platform.python_version())'))"
fi

if ! tools_uv_ok; then
    say "installing uv $UV_VERSION into .tools/"
    rm -rf .tools
    "$PYTHON" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

# uv must use the interpreter we chose, never fetch one of its own.
export UV_PYTHON_DOWNLOADS=never
export UV_PROJECT_ENVIRONMENT="$ROOT/.venv"

if venv_python_ok; then
    # Keep the existing environment's interpreter; uv only adds, removes or updates packages.
    .tools/bin/uv sync --frozen --quiet --python "$ROOT/.venv/bin/python"
else
    say "creating .venv from uv.lock"
    rm -rf .venv
    .tools/bin/uv sync --frozen --quiet --python "$PYTHON"
fi
