#!/usr/bin/env bash
# `make test`: the whole suite against SQLite and against PostgreSQL, side by side, with a
# real Redis. Starts what is missing; extra arguments go to pytest (both runs).
#
# Each run spreads its tests over TEST_WORKERS processes (pytest-xdist, default 3). Most
# tests wait on a browser, a worker process or a database rather than compute, so more
# processes than the two cores still shorten the run. SQLite's output goes to a log that is
# printed when PostgreSQL's run ends; either failing fails `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test
workers=${TEST_WORKERS:-3}

ensure_test_redis
echo "Redis: $REDIS_URL"
ensure_postgres

mkdir -p .run
# Bytecode is written, whatever the environment says (PYTHONDONTWRITEBYTECODE), into the
# git-ignored __pycache__ folders. Without it each of the run's eight pytest processes
# compiled the project and rewrote the tests' asserts afresh, 15 s of CPU a collection
# instead of 7 s, and every worker and command the tests start compiled the project again.
# One collection beside the seed templates writes it before those processes start.
unset PYTHONDONTWRITEBYTECODE
env -u DATABASE_URL $BIN/pytest --collect-only -q -p no:cacheprovider >.run/collect.log 2>&1 &
collected=$!
# The seed world (migrations, seed plans, demo accounts) is built once per database as a
# template, side by side; every test process starts from a copy (tests/seed_world.py).
echo "== the seed world, once per database =="
env -u DATABASE_URL $BIN/python -m tests.seed_world >.run/template-sqlite &
template_sqlite=$!
$BIN/python -m tests.seed_world >.run/template-postgres
wait "$template_sqlite"
wait "$collected" || true  # a collection error is reported by the runs themselves
sqlite_template=$(tail -n 1 .run/template-sqlite)
postgres_template=$(tail -n 1 .run/template-postgres)
drop_templates() {
  env -u DATABASE_URL $BIN/python -m tests.seed_world --drop "$sqlite_template" || true
  $BIN/python -m tests.seed_world --drop "$postgres_template" || true
}

sqlite_log=.run/test-sqlite.log
echo "== SQLite, beside PostgreSQL (its output follows the PostgreSQL run; live in $sqlite_log) =="
env -u DATABASE_URL PORTAL_TEST_TEMPLATE="$sqlite_template" $BIN/pytest -n "$workers" --dist loadgroup "$@" >"$sqlite_log" 2>&1 &
sqlite_pid=$!
trap 'kill "$sqlite_pid" 2>/dev/null || true; drop_templates' INT TERM

echo "== PostgreSQL: ${DATABASE_URL} =="
postgres_status=0
PORTAL_TEST_TEMPLATE="$postgres_template" $BIN/pytest -n "$workers" --dist loadgroup "$@" || postgres_status=$?

sqlite_status=0
wait "$sqlite_pid" || sqlite_status=$?
drop_templates >/dev/null 2>&1
echo "== PostgreSQL: exit $postgres_status; SQLite: exit $sqlite_status, its run: =="
cat "$sqlite_log"
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
