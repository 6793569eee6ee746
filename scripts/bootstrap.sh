#!/usr/bin/env bash
# Installs everything Herald needs on a fresh Debian machine with Python 3.11: the virtualenv and Python packages,
# the npm packages the composer fixtures use, Debian's chromium for the real-browser tests and Debian's
# postgresql for the PostgreSQL test pass (tests/pg_support.py starts its own throwaway clusters; the
# system cluster Debian creates is not used).
# Idempotent: a second run only checks. Usage: scripts/bootstrap.sh [--with-browser] [--with-postgres]
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
with_postgres=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    --with-postgres) with_postgres=1 ;;
    *) echo "Unknown option: $arg" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
  || { echo "Herald needs Python >= 3.11" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "Installing Debian's python3-venv ..."
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi
stamp=.venv/.herald-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
  || ! .venv/bin/python -c 'import psycopg2' 2>/dev/null; then
  echo "Installing Python packages ..."
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,postgres]'
  touch "$stamp"
fi
# The console's and the emails' translations: .po in git, .mo built here (start-up also rebuilds stale ones).
.venv/bin/herald i18n compile >/dev/null

if [ -f tests/fixtures/sites/package-lock.json ]; then
  if ! command -v npm >/dev/null; then echo "Installing Debian's npm ..."; apt_install nodejs npm; fi
  lock=tests/fixtures/sites/package-lock.json
  if [ ! -d tests/fixtures/sites/node_modules ] || [ "$lock" -nt tests/fixtures/sites/node_modules ]; then
    echo "Installing the composer fixtures' npm packages ..."
    (cd tests/fixtures/sites && npm ci --no-audit --no-fund --loglevel=error)
    touch tests/fixtures/sites/node_modules
  fi
fi

if [ -f tests/fixtures/oidc/package-lock.json ]; then
  if ! command -v npm >/dev/null; then echo "Installing Debian's npm ..."; apt_install nodejs npm; fi
  lock=tests/fixtures/oidc/package-lock.json
  if [ ! -d tests/fixtures/oidc/node_modules ] || [ "$lock" -nt tests/fixtures/oidc/node_modules ]; then
    echo "Installing the OpenID Connect provider fixture's npm packages ..."
    (cd tests/fixtures/oidc && npm ci --no-audit --no-fund --loglevel=error)
    touch tests/fixtures/oidc/node_modules
  fi
fi

# Mozilla's addons-linter, pinned (extension_build/addons_linter): the tests lint the Firefox package with it.
if [ -f extension_build/addons_linter/package-lock.json ]; then
  if ! command -v npm >/dev/null; then echo "Installing Debian's npm ..."; apt_install nodejs npm; fi
  lock=extension_build/addons_linter/package-lock.json
  if [ ! -d extension_build/addons_linter/node_modules ] || [ "$lock" -nt extension_build/addons_linter/node_modules ]; then
    echo "Installing addons-linter ..."
    (cd extension_build/addons_linter && npm ci --no-audit --no-fund --loglevel=error)
    touch extension_build/addons_linter/node_modules
  fi
fi

if [ $with_browser = 1 ] && ! command -v chromium >/dev/null; then
  echo "Installing Debian's chromium ..."
  apt_install chromium
fi

# Debian's Firefox ESR for the Firefox real-browser tests (tests/e2e/test_firefox.py, driven through Marionette).
if [ $with_browser = 1 ] && ! command -v firefox-esr >/dev/null; then
  echo "Installing Debian's firefox-esr ..."
  apt_install firefox-esr
fi

if [ $((with_browser + with_postgres)) -gt 0 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing Debian's postgresql (the tests start throwaway clusters) ..."
  apt_install postgresql
fi

# Thai glyphs and emoji for the screenshots the browser tests take (the panel speaks Thai too, and
# suggestions carry emoji): without them a person looking at the screenshots sees boxes.
if [ $with_browser = 1 ] && ! dpkg -s fonts-thai-tlwg fonts-noto-color-emoji >/dev/null 2>&1; then
  echo "Installing Debian's Thai and emoji fonts ..."
  apt_install fonts-thai-tlwg fonts-noto-color-emoji
fi

if [ $with_browser = 1 ] && ! command -v redis-server >/dev/null; then
  echo "Installing Debian's redis-server (the job-queue tests start a throwaway one) ..."
  apt_install redis-server
fi
