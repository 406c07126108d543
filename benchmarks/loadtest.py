"""`make loadtest`: simulated people against the portal under gunicorn and PostgreSQL,
on the loopback, for a bounded time; prints p50/p95 per page and fails on any error.

Staff open their tasks and report progress, the office works its review queue and
watches the dashboards, leadership reads the dashboards, and some export the ledger.
An error is a 5xx, a connection failure or an answer the action never gives; a 400
(the portal refusing a report, say one already sent) is counted as refused, not failed.

Environment: LOAD_USERS (50), LOAD_SECONDS (120), LOAD_TASKS (10000), LOAD_WORKERS
(gunicorn processes, 4), DATABASE_URL (PostgreSQL; a database `<name>_load` beside it is
created afresh)."""

import io
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-pass-2026"
REVIEW_ACTION = re.compile(r'action="(/tasks/reports/\d+/decide/)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reform_portal")
    if not base.startswith("postgres"):
        sys.exit("make loadtest needs PostgreSQL in DATABASE_URL.")
    return base.rsplit("/", 1)[0] + "/" + base.rsplit("/", 1)[1] + "_load"


def prepare(url: str, tasks: int) -> dict[str, list]:
    """A fresh database with the seeds, `tasks` generated tasks and a staff account for
    each lead department; returns who signs in as what, with their tasks."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "reform_portal.settings.test"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from departments.models import Membership
    from tasks.models import Assignment

    call_command("migrate", verbosity=0)
    call_command("load_seed_plans", verbosity=0, stdout=io.StringIO())
    call_command("create_demo_users", password=PASSWORD, stdout=io.StringIO())
    call_command("generate_demo_data", tasks=tasks, departments=40, seed=7, stdout=io.StringIO())
    User = get_user_model()
    leads = (
        Assignment.objects.filter(role="lead", task__status__in=["assigned", "acknowledged", "in_progress"])
        .values_list("department_id", "task_id")
        .order_by("department_id", "task_id")
    )
    by_department = defaultdict(list)
    for department_id, task_id in leads:
        by_department[department_id].append(task_id)
    departments = sorted(by_department, key=lambda d: -len(by_department[d]))[:40]
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(User(username=f"load-{d}", password=hashed) for d in departments)
    Membership.objects.bulk_create(
        Membership(user=u, department_id=d, role="staff") for u, d in zip(users, departments, strict=True)
    )
    return {"staff": [(u.username, by_department[d][:200]) for u, d in zip(users, departments, strict=True)]}


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)
        self.refused = defaultdict(int)
        self.errors = defaultdict(list)

    def record(self, page: str, status: int, seconds: float, ok: tuple[int, ...]):
        with self.lock:
            self.samples[page].append(seconds * 1000)
            if status == 400 and 400 not in ok:
                self.refused[page] += 1
            elif status not in ok:
                self.errors[page].append(status)


def person(role: str, username: str, tasks: list[int], base: str, until: float, rec: Recorder, seed: int):
    from benchmarks.http_session import Session

    rng = random.Random(seed)
    session = Session(base, timeout=60)

    def call(page, path, data=None, ok=(200,), form_page=None):
        try:
            status, body, seconds = session.post(path, data, form_page) if data is not None else session.get(path)
        except OSError:
            status, body, seconds = 0, "", 0.0
        rec.record(page, status, seconds, ok)
        return body

    try:
        if not session.sign_in(username, PASSWORD):
            rec.record("sign in", 0, 0.0, (302,))
            return
    except OSError:
        rec.record("sign in", 0, 0.0, (302,))
        return
    period = date.today().replace(day=1).isoformat()
    pending = list(tasks)
    rng.shuffle(pending)
    while True:  # every person does at least one round, however slowly the machine signs them in
        if role == "staff":
            call("task list (own)", "/tasks/?role=lead")
            if pending:
                task = pending.pop()
                call("task page", f"/tasks/{task}/")
                call(
                    "report: save and submit",
                    f"/tasks/{task}/report/",
                    {"period": period, "text": "本月按计划推进，已完成阶段性工作。", "percent": "100", "submit": "1"},
                    ok=(302,),
                )
            call("inbox", "/tasks/inbox/")
        elif role == "office":
            call("dashboard", "/dashboard/")
            queue = call("review queue", "/tasks/review/")
            actions = REVIEW_ACTION.findall(queue)
            if actions:
                call(
                    "review: accept",
                    rng.choice(actions),
                    {"decision": "accept", "comment": ""},
                    ok=(302, 200),
                    form_page="/tasks/review/",
                )
            call("department ranking", "/dashboard/departments/")
        elif role == "leader":
            call("dashboard", "/dashboard/")
            call("plans dashboard", "/dashboard/plans/")
            call("task list (red)", "/tasks/?light=red")
        else:
            call("ledger export", f"/tasks/export/?light=red&year={date.today().year}")
            call("task list (red)", "/tasks/?light=red&page=2")
        if time.monotonic() >= until:
            break
        time.sleep(rng.uniform(0.5, 1.5))


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", "50"))
    seconds = float(os.environ.get("LOAD_SECONDS", "120"))
    tasks = int(os.environ.get("LOAD_TASKS", "10000"))
    workers = os.environ.get("LOAD_WORKERS", "4")
    url = _database_url()
    print(f"准备数据：{tasks} 项任务 → {url.rsplit('/', 1)[1]}", flush=True)
    people = prepare(url, tasks)
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reform_portal.settings.test", "DATABASE_URL": url}
    log = (ROOT / "var" / "loadtest-gunicorn.log").open("w")  # noqa: SIM115  (lives as long as the server)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "reform_portal.wsgi", "-w", workers, "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        staff = people["staff"]
        roles = ["office"] * max(1, users // 5) + ["leader"] * max(1, users // 10) + ["exporter"] * max(1, users // 10)
        roles += ["staff"] * (users - len(roles))
        accounts = {"office": ("office", []), "leader": ("leader", []), "exporter": ("office", [])}
        recorder = Recorder()
        until = time.monotonic() + seconds
        threads = []
        for n, role in enumerate(roles):
            username, own = staff[n % len(staff)] if role == "staff" else accounts[role]
            thread = threading.Thread(target=person, args=(role, username, own, base, until, recorder, n))
            thread.start()
            threads.append(thread)
            time.sleep(0.05)  # people arrive over a few seconds, not in one instant
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    total = sum(len(s) for s in recorder.samples.values())
    errors = sum(len(e) for e in recorder.errors.values())
    print(f"\n{users} 人，{seconds:.0f} 秒，gunicorn {workers} 进程 × 4 线程，PostgreSQL，{tasks} 项任务")
    print(f"{'page':<26} {'requests':>8} {'refused':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page, samples in sorted(recorder.samples.items()):
        samples.sort()
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
        print(
            f"{page:<26} {len(samples):>8} {recorder.refused[page]:>8} {len(recorder.errors[page]):>7} "
            f"{statistics.median(samples):>8.0f} {p95:>8.0f} {samples[-1]:>8.0f}"
        )
    print(f"total {total} requests, {errors} errors ({total / seconds:.1f} requests/s)")
    for page, statuses in recorder.errors.items():
        if statuses:
            print(f"  errors on {page}: {sorted(set(statuses))}")
    return 1 if errors or not total else 0


if __name__ == "__main__":
    sys.exit(main())
