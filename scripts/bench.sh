#!/usr/bin/env bash
# `make bench`: the benchmarks against SQLite, then PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test
ensure_test_redis >/dev/null
env -u DATABASE_URL $BIN/python -m benchmarks
ensure_postgres
$BIN/python -m benchmarks
