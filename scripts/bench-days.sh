#!/usr/bin/env bash
# The pages on a province's worth of data, today pinned on the 10th, the 26th and the last
# day of the month (benchmarks/days.py): 1 000 000 tasks on PostgreSQL and 20 000 on
# SQLite, then the nightly reminder sweep and the assessment ranking on the same days
# (benchmarks/jobs.py). Each data set is generated once (about 12 and 6 minutes here) and kept:
# PostgreSQL's in the database BENCH_DAYS_DATABASE (bench_days_1m), SQLite's in
# var/bench-days-20k.sqlite3. Delete them to generate afresh.
# BENCH_DAYS_SIZES=postgres or =sqlite runs one of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=reform_portal.settings.test
ensure_test_redis >/dev/null
sizes=${BENCH_DAYS_SIZES:-postgres,sqlite}

generate() { # tasks departments: a fresh database with the seeds and the demo accounts, then the tasks
  $BIN/python manage.py migrate -v0
  $BIN/python manage.py load_seed_plans -v0 >/dev/null
  $BIN/python manage.py create_demo_users --password bench-pass-2026 >/dev/null
  $BIN/python manage.py generate_demo_data --tasks "$1" --departments "$2" --matters 200
}

if [[ $sizes == *postgres* ]]; then
  ensure_postgres
  name=${BENCH_DAYS_DATABASE:-bench_days_1m}
  url="${DATABASE_URL%/*}/$name"
  if ! $BIN/python - "$url" <<'PY' 2>/dev/null; then
import sys, psycopg
with psycopg.connect(sys.argv[1]) as c:
    assert c.execute("SELECT count(*) FROM tasks_task").fetchone()[0] >= 1_000_000
PY
    echo "== generating 1 000 000 tasks into $name (once) =="
    $BIN/python - "${DATABASE_URL%/*}/postgres" "$name" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
    DATABASE_URL="$url" generate 1000000 2000
    DATABASE_URL="$url" $BIN/python manage.py dbshell -- -c "VACUUM ANALYZE" >/dev/null
  fi
  DATABASE_URL="$url" $BIN/python manage.py migrate -v0
  DATABASE_URL="$url" $BIN/python -m benchmarks.days --days 10,26,last --runs 5 --label 1M
  DATABASE_URL="$url" $BIN/python -m benchmarks.jobs --days 10,26,last --runs 3 --label 1M
fi

if [[ $sizes == *sqlite* ]]; then
  file=var/bench-days-20k.sqlite3
  mkdir -p var
  if [ ! -s "$file" ]; then
    echo "== generating 20 000 tasks into $file (once) =="
    DATABASE_URL="sqlite:///$PWD/$file" generate 20000 200
  fi
  DATABASE_URL="sqlite:///$PWD/$file" $BIN/python manage.py migrate -v0
  DATABASE_URL="sqlite:///$PWD/$file" $BIN/python -m benchmarks.days --days 10,26,last --runs 5 --label 20k
  DATABASE_URL="sqlite:///$PWD/$file" $BIN/python -m benchmarks.jobs --days 10,26,last --runs 3 --label 20k
fi
