#!/usr/bin/env bash
# `make bench`: the benchmarks against SQLite, then PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test
# The machine's Redis when one answers on the standard port, else one of our own.
if [ -z "${REDIS_URL:-}" ] && _redis_ping redis://127.0.0.1:6379/0; then
  export REDIS_URL=redis://127.0.0.1:6379/0
fi
ensure_redis 6391 >/dev/null
env -u DATABASE_URL $BIN/python -m benchmarks
ensure_postgres
$BIN/python -m benchmarks
