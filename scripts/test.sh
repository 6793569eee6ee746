#!/usr/bin/env bash
# Sets everything up and runs every test: lint, unit, API, CLI, and the real-browser tests in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --with-browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/herald openapi --check
.venv/bin/herald migrate --check
exec .venv/bin/pytest "$@"
