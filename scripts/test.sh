#!/usr/bin/env bash
# Sets everything up and runs every test: lint, unit, API, CLI, and the real-browser tests in Debian's chromium,
# all on SQLite; and every server-side test again on a real PostgreSQL server (tests/pg_support.py starts a
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
# The server-side tests run in one Python process each and leave a core idle: the SQLite and the
# PostgreSQL runs of them go side by side (each on its own databases, free ports and tmp dirs), then the
# real-browser tests, in two processes (pytest-xdist, one test file at a time each: the files' browser and
# server fixtures stay within one process); most of a browser test's time is waiting on the page.
# The Firefox tests (tests/e2e/test_firefox.py, marked browser and firefox: firefox-esr through Marionette)
# run in this phase too, one file in one process like the others.
pg_log=$(mktemp /tmp/herald-pg-pass.XXXXXX.log)
if [ $# -eq 0 ]; then pg_args=(tests/server tests/admin); else pg_args=("$@"); fi
HERALD_TEST_DATABASE=postgresql .venv/bin/pytest -m "not browser" --durations=15 -p no:cacheprovider \
    "${pg_args[@]}" >"$pg_log" 2>&1 &
pg_pid=$!
sqlite_rc=0
.venv/bin/pytest -m "not browser" --durations=15 "$@" || sqlite_rc=$?
phase_done "SQLite (server)"
pg_rc=0
wait "$pg_pid" || pg_rc=$?
echo "== PostgreSQL pass (ran beside the SQLite one), its output:"
cat "$pg_log"
rm -f "$pg_log"
phase_done "PostgreSQL (wait)"
browser_rc=0
.venv/bin/pytest -m browser -n 2 --dist loadfile --durations=15 "$@" || browser_rc=$?
phase_done "browser tests"
echo "== exit codes: SQLite $sqlite_rc, PostgreSQL $pg_rc, browser $browser_rc"
# pytest exits 5 when a selection is empty (e.g. a file argument with no browser tests).
for rc in "$sqlite_rc" "$pg_rc" "$browser_rc"; do
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then exit "$rc"; fi
done
