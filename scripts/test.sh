#!/usr/bin/env bash
# Sets everything up and runs every test: lint, unit, API, CLI, and the real-browser tests in Debian's chromium,
# all on SQLite; then every server-side test again on a real PostgreSQL server (tests/pg_support.py starts a
# throwaway cluster on a free port and removes it afterwards), together with the tests that need PostgreSQL
# itself (marked `postgresql`, e.g. two `herald run` nodes on one database).
# Arguments go to both pytest runs, e.g. scripts/test.sh tests/server -x
# Each phase prints its duration, each pytest run its slowest tests, and a summary closes the run:
# the whole must stay under 20 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
timings=()
phase_start=$SECONDS
phase_done() {
    timings+=("$(printf '%-18s %5d s' "$1" $((SECONDS - phase_start)))")
    echo "== $1: $((SECONDS - phase_start)) s"
    phase_start=$SECONDS
}
summary() {
    echo "== phase timings"
    printf '   %s\n' "${timings[@]}"
    echo "   total              $SECONDS s"
}
trap summary EXIT
scripts/bootstrap.sh --with-browser --with-postgres
phase_done bootstrap
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/herald openapi --check
.venv/bin/herald migrate --check
phase_done lint+checks
.venv/bin/pytest --durations=15 "$@"
phase_done "SQLite pass"
if [ $# -eq 0 ]; then set -- tests/server tests/admin; fi
HERALD_TEST_DATABASE=postgresql .venv/bin/pytest -m "not browser" --durations=15 "$@"
phase_done "PostgreSQL pass"
