"""`make loadtest` itself, small: a few people for a few seconds, and no errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_a_short_load_run_ends_by_itself_with_no_errors():
    if connection.vendor != "postgresql":
        pytest.skip("the load test runs the portal on PostgreSQL")
    db = connection.settings_dict
    base = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/lt{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": base, "LOAD_USERS": "6", "LOAD_SECONDS": "8", "LOAD_TASKS": "300"}
    # Two instances of one process each and two Celery workers: the shape a city runs, small.
    env.update(LOAD_INSTANCES="2", LOAD_WORKERS="1", LOAD_CELERY="2")
    if os.environ.get("PORTAL_TEST_TEMPLATE"):
        env["LOAD_TEMPLATE"] = os.environ["PORTAL_TEST_TEMPLATE"]  # the seed world, migrated once
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadtest"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("total ") and ", 0 errors" in summary
    for page in ("report: save and submit", "review queue", "dashboard", "ledger export"):
        assert page in result.stdout
    assert "gunicorn 2 个实例" in result.stdout and "Celery 2 个 worker" in result.stdout
    assert "reminder sweep: queued" in result.stdout and "reminders:" not in result.stdout
    import psycopg

    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "lt{os.getpid()}_load" WITH (FORCE)')
