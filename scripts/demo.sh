#!/usr/bin/env bash
# Sets everything up and starts the demo: the server on SQLite with demo data, the extension built into dist/chrome,
# and the LinkedIn-like and X-like composer fixtures served locally to try it against.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
HOST=${HERALD_DEMO_HOST:-127.0.0.1}
PORT=${HERALD_DEMO_PORT:-5000}
LINKEDIN=http://127.0.0.1:8001
X=http://localhost:8002

.venv/bin/herald init-db
.venv/bin/herald demo
.venv/bin/herald build-extension --out dist/chrome --site-origin "linkedin=$LINKEDIN" --site-origin "x=$X"

.venv/bin/python -m http.server 8001 --bind 127.0.0.1 --directory tests/fixtures/sites >/dev/null 2>&1 &
fixtures_linkedin=$!
.venv/bin/python -m http.server 8002 --bind 127.0.0.1 --directory tests/fixtures/sites >/dev/null 2>&1 &
fixtures_x=$!
# Background jobs (email delivery, weekly digest, reminders) beside the server; mail links need the public URL.
export HERALD_PUBLIC_BASE_URL=${HERALD_PUBLIC_BASE_URL:-http://$HOST:$PORT}
.venv/bin/herald worker >"${HERALD_INSTANCE_PATH:-instance}/worker.log" 2>&1 &
worker=$!
trap 'kill $fixtures_linkedin $fixtures_x $worker 2>/dev/null || true' EXIT

cat <<MSG

Herald demo
  Server and admin console: http://$HOST:$PORT/admin   (sign in with the admin credentials above)
  Extension:  chromium → chrome://extensions → Developer mode → Load unpacked → $(pwd)/dist/chrome
              then open the extension's options, set the server URL to http://$HOST:$PORT and sign in as an employee.
  Try it:     LinkedIn-like composer $LINKEDIN/linkedin.html   ("Start a post")
              X-like composer        $X/x.html
  Jobs:       herald worker runs beside the server (log: instance/worker.log); set HERALD_SMTP_HOST to send mail.
Stop with Ctrl+C.
MSG
export HERALD_CORS_ORIGINS=${HERALD_CORS_ORIGINS:-chrome-extension://*}
.venv/bin/herald run --host "$HOST" --port "$PORT"
