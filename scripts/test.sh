#!/usr/bin/env bash
# Sets everything up and runs every test: lint, unit, API, CLI, and the real-browser tests in Debian's chromium,
# all on SQLite; then every server-side test again on a real PostgreSQL server (tests/pg_support.py starts a
# throwaway cluster on a free port and removes it afterwards), together with the tests that need PostgreSQL
# itself (marked `postgresql`, e.g. two `herald run` nodes on one database).
# Arguments go to both pytest runs, e.g. scripts/test.sh tests/server -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --with-browser --with-postgres
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/herald openapi --check
.venv/bin/herald migrate --check
started=$SECONDS
.venv/bin/pytest "$@"
echo "SQLite pass: $((SECONDS - started)) s"
started=$SECONDS
if [ $# -eq 0 ]; then set -- tests/server tests/admin; fi
HERALD_TEST_DATABASE=postgresql .venv/bin/pytest -m "not browser" "$@"
echo "PostgreSQL pass: $((SECONDS - started)) s"
