#!/usr/bin/env bash
# `make test`: the whole suite against SQLite, then against PostgreSQL, with a
# real Redis. Starts what is missing; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test

# The machine's Redis when one answers on the standard port, else one of our own.
if [ -z "${REDIS_URL:-}" ] && _redis_ping redis://127.0.0.1:6379/0; then
  export REDIS_URL=redis://127.0.0.1:6379/0
fi
ensure_redis 6391
echo "Redis: $REDIS_URL"

echo "== SQLite =="
env -u DATABASE_URL $BIN/pytest "$@"

ensure_postgres
echo "== PostgreSQL: ${DATABASE_URL} =="
$BIN/pytest "$@"
