"""PostgreSQL going away and coming back while the portal runs: requests fail cleanly
(503, quickly) and the portal recovers by itself, without being restarted."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.http_session import Session
from tests.tasks.test_worker_faults import free_port, listening, wait_for
from tests.tcp_proxy import Proxy

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_portal_survives_a_database_restart(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite is a file in the portal's own process: it has no server to restart")
    db = connection.settings_dict
    proxy = Proxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reform_portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "600",  # connections kept between requests, as in production
    }
    log = tmp_path / "portal.log"
    portal = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: listening(port), 60), log.read_text()
        office = Session(f"http://127.0.0.1:{port}", timeout=20)
        assert office.sign_in("office", "demo-pass-2026")
        assert office.get("/dashboard/")[0] == 200

        proxy.go_down()
        status, body, seconds = office.get("/dashboard/")
        assert status == 503 and "数据库暂时不可用" in body and seconds < 15
        status, body, _ = office.get("/api/departments/")
        assert status == 503 and "数据库暂时不可用" in body

        proxy.come_back()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and office.get("/dashboard/")[0] != 200:
            time.sleep(0.5)
        status, body, _ = office.get("/dashboard/")
        assert status == 200 and "数据看板" in body  # the same session, no restart
    finally:
        portal.terminate()
        portal.wait(15)
        proxy.close()
