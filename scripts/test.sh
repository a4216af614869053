#!/usr/bin/env bash
# Install what the tests need and run them all: the README's test command, and what CI runs.
#   - Python packages from requirements-dev.txt (into the active Python);
#   - Debian's Chromium for the browser tests, Debian's nginx for the deployment tests and
#     Debian's postgresql for the class store's tests (a private cluster each run, tests/postgres.py),
#     when they are missing and we may install them (root with apt-get).
# Playwright's own browser download does not work on these machines; the tests use /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium not found and cannot be installed here: browser tests will be skipped (they fail under CI=true)."
  fi
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's nginx for the deployment tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "nginx not found and cannot be installed here: deployment tests will be skipped (they fail under CI=true)."
  fi
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's postgresql for the class store's tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL not found and cannot be installed here: its class store tests will be skipped (they fail under CI=true)."
  fi
fi
python -m ruff check .
python -m ruff format --check .   # one style for the whole tree: run `ruff format .` before committing
exec python -m pytest "$@"
