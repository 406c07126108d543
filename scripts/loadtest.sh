#!/usr/bin/env bash
# `make loadtest`: the bounded load test (benchmarks/loadtest.py) on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test
ensure_test_redis >/dev/null
ensure_postgres
mkdir -p var
exec $BIN/python -m benchmarks.loadtest
