#!/usr/bin/env bash
# `make test`: the whole suite against SQLite, then against PostgreSQL, with a
# real Redis. Starts what is missing; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test

ensure_test_redis
echo "Redis: $REDIS_URL"

echo "== SQLite =="
env -u DATABASE_URL $BIN/pytest "$@"

ensure_postgres
echo "== PostgreSQL: ${DATABASE_URL} =="
$BIN/pytest "$@"
