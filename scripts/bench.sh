#!/usr/bin/env bash
# `make bench`: the benchmarks against SQLite, then PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test
ensure_test_redis >/dev/null
# The importer on the shared corpus of real plans (skipped when ../shared/corpus is absent).
$BIN/python -m benchmarks.corpus
$BIN/python -m benchmarks.corpus --no-year | tail -1
# The upload readers fuzzed longer than in `make test`: real workbooks and documents with hostile XML.
env -u DATABASE_URL FUZZ_EXAMPLES=1000 $BIN/pytest -q -p no:randomly tests/importing/test_hostile_files.py -k mutated
env -u DATABASE_URL $BIN/python -m benchmarks
ensure_postgres
$BIN/python -m benchmarks
# The pages at 1 000 000 tasks (PostgreSQL) and 20 000 (SQLite), today pinned on the 10th,
# the 26th and the last day; the data sets are generated on the first run and kept.
# BENCH_DAYS=0 leaves this out.
if [ "${BENCH_DAYS:-1}" != 0 ]; then
  scripts/bench-days.sh
fi
