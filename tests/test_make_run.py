"""`make run` as a newcomer uses it: the portal comes up, a demo account signs in,
and Ctrl-C stops the web server, the worker, beat and the portal's own Redis."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="runs once, in the SQLite pass: it uses its own database file"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def outside_address() -> str | None:
    """This machine's address on its network, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.254.254.254", 1))  # no packet is sent: it only picks the route
        except OSError:
            return None
        address = sock.getsockname()[0]
    return None if address.startswith("127.") else address


def read_until(process, pattern: str, timeout: float) -> str:
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if re.search(pattern, line):
            return "".join(seen)
    raise AssertionError("not seen: " + pattern + "\n" + "".join(seen))


def test_run_serves_the_portal_and_ctrl_c_stops_everything(tmp_path):
    web_port, redis_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL", "HOST", "DEBUG", "SECRET_KEY"}
    }
    env.update(
        PORT=str(web_port),
        PORTAL_REDIS_PORT=str(redis_port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        DEMO_PASSWORD="run-test-2026",
    )
    process = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # A first start on a busy machine loads the seed plans and waits for the site: minutes, not seconds.
        output = read_until(process, rf"已启动：http://127\.0\.0\.1:{web_port}/", timeout=420)
        assert "已载入方案 000_zhongzhan_2014" in output
        assert re.search(r"staff\s+经办人\s+区机构编制委员会办公室", output)
        assert "run-test-2026" in output
        assert port_open(redis_port)

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{web_port}"
        login_page = opener.open(f"{base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode({"username": "staff", "password": "run-test-2026", "csrfmiddlewaretoken": token})
        landing = opener.open(f"{base}/accounts/login/", data=form.encode()).read().decode()
        assert "我的任务" in landing and "共 <strong" in landing

        # Issue 17 item 5: the portal's own error pages, no DEBUG page, and only this machine.
        try:
            opener.open(f"{base}/no-such-page/")
        except urllib.error.HTTPError as error:
            missing = error.read().decode()
            assert error.code == 404 and "您要找的页面不存在" in missing and "Traceback" not in missing
        other = outside_address()
        if other:
            with socket.socket() as sock:
                sock.settimeout(2)
                assert sock.connect_ex((other, web_port)) != 0, "the portal answers beyond the loopback"

        deadline = time.monotonic() + 60
        worker_log, beat_log = ROOT / ".run" / "worker.log", ROOT / ".run" / "beat.log"
        while time.monotonic() < deadline and "ready" not in worker_log.read_text(errors="replace"):
            time.sleep(0.5)
        assert "ready" in worker_log.read_text(errors="replace")
        assert "beat: Starting" in beat_log.read_text(errors="replace")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        rest = process.communicate(timeout=60)[0]
    assert "已全部停止" in rest
    assert process.returncode is not None
    assert not port_open(web_port)
    assert not port_open(redis_port)
    leftovers = subprocess.run(["pgrep", "-f", f"runserver 127.0.0.1:{web_port}"], capture_output=True, text=True)
    assert leftovers.stdout == ""


def test_run_refuses_debug_beyond_the_loopback():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(HOST="0.0.0.0", DEBUG="1", PORT=str(free_port()))
    done = subprocess.run(["scripts/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "拒绝启动" in done.stderr
    assert "已启动" not in done.stdout
