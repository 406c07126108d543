"""`make loadtest`: simulated people against the portal the way a city runs it on several
machines: two gunicorn instances and two Celery workers on one PostgreSQL and one Redis,
on the loopback, for a bounded time. Prints p50/p95 per page and fails on any error.

Staff open their tasks and report progress, the office works its review queue and
watches the dashboards, leadership reads the dashboards, and some export the ledger.
Each person's requests go to the instances in turn, as a balancer without sticky
sessions would send them. Meanwhile the reminder sweep is started on both workers at
once, again and again, as two beats would: every reminder owed must reach its person
exactly once.

An error is a 5xx, a connection failure, an answer the action never gives, or a
reminder sent twice or not at all; a 400 (the portal refusing a report, say one already
sent) is counted as refused, not failed.

Environment: LOAD_USERS (50), LOAD_SECONDS (120), LOAD_TASKS (10000), LOAD_INSTANCES
(gunicorn instances, 2), LOAD_WORKERS (processes per instance, 2), LOAD_CELERY (Celery
workers, 2), DATABASE_URL (PostgreSQL; a database `<name>_load` beside it is created
afresh), LOAD_TEMPLATE (a migrated, seeded database to copy instead of migrating)."""

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
    template = os.environ.get("LOAD_TEMPLATE", "")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            _copy_database(admin, template, name)
        else:
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

    if not template:
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


def _copy_database(admin, template: str, name: str) -> None:
    """CREATE DATABASE … TEMPLATE, waiting while another process copies the same template."""
    import psycopg

    for attempt in range(60):
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 59:
                raise
            time.sleep(0.5)


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


def person(role: str, username: str, tasks: list[int], base: list[str], until: float, rec: Recorder, seed: int):
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
    from django.utils import timezone

    period = timezone.localdate().replace(day=1).isoformat()
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
            call("ledger export", f"/tasks/export/?light=red&year={timezone.localdate().year}")
            call("task list (red)", "/tasks/?light=red&page=2")
        if time.monotonic() >= until:
            break
        time.sleep(rng.uniform(0.5, 1.5))


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not start: see var/loadtest-gunicorn.log")


def _start(command: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def beats(until: float, rounds: list[int]) -> None:
    """Two beats that both fire: the sweep is queued twice at once, every few seconds, and
    the two workers take one each."""
    from reform_portal.celery import app

    while time.monotonic() < until:
        for _ in range(2):
            app.send_task("tasks.sweep_reminders")
        rounds.append(2)
        time.sleep(min(5.0, max(0.0, until - time.monotonic())))


def reminders_once(seconds: float = 120) -> tuple[int, list[str]]:
    """After the workers have drained the queue: (reminders sent, what went wrong). Every
    reminder due is sent, each made one notification, and no escalation was noted twice."""
    from django.db.models import Count
    from django.utils import timezone

    from notifications.choices import NotificationKind
    from notifications.models import Notification
    from reminders.models import Reminder
    from reminders.schedule import Kind
    from tasks.choices import EventKind
    from tasks.models import TaskEvent

    automatic = Reminder.objects.exclude(kind=Kind.MANUAL)
    today = timezone.localdate()
    deadline = time.monotonic() + seconds
    while automatic.filter(sent_at__isnull=True, due_on__lte=today).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    problems = []
    unsent = automatic.filter(sent_at__isnull=True, due_on__lte=today).count()
    if unsent:
        problems.append(f"{unsent} reminders due and never sent")
    sent = automatic.filter(sent_at__isnull=False).count()
    notified = Notification.objects.filter(kind=NotificationKind.REMINDER).count()
    if notified != sent:
        problems.append(f"{sent} reminders sent as {notified} notifications")
    twice = (
        TaskEvent.objects.filter(kind=EventKind.REMINDER)
        .values("task_id", "summary", "at__date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    if twice:
        problems.append(f"{twice} escalations noted more than once")
    return sent, problems


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", "50"))
    seconds = float(os.environ.get("LOAD_SECONDS", "120"))
    tasks = int(os.environ.get("LOAD_TASKS", "10000"))
    instances = int(os.environ.get("LOAD_INSTANCES", "2"))
    workers = os.environ.get("LOAD_WORKERS", "2")
    celery_workers = int(os.environ.get("LOAD_CELERY", "2"))
    url = _database_url()
    print(f"准备数据：{tasks} 项任务 → {url.rsplit('/', 1)[1]}", flush=True)
    people = prepare(url, tasks)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reform_portal.settings.test", "DATABASE_URL": url}
    log = (ROOT / "var" / "loadtest-gunicorn.log").open("w")  # noqa: SIM115  (lives as long as the servers)
    ports = [_free_port() for _ in range(instances)]
    servers = [
        _start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "reform_portal.wsgi",
                "-w",
                workers,
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
            ],
            env,
            log,
        )  # fmt: skip
        for port in ports
    ]
    worker_log = (ROOT / "var" / "loadtest-celery.log").open("w")  # noqa: SIM115
    celery = [
        _start(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reform_portal",
                "worker",
                "--pool",
                "solo",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"load{n}-{os.getpid()}@%h",
            ],
            env,
            worker_log,
        )  # fmt: skip
        for n in range(celery_workers)
    ]
    sweeps: list[int] = []
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for_port(port, server)
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        staff = people["staff"]
        roles = ["office"] * max(1, users // 5) + ["leader"] * max(1, users // 10) + ["exporter"] * max(1, users // 10)
        roles += ["staff"] * (users - len(roles))
        accounts = {"office": ("office", []), "leader": ("leader", []), "exporter": ("office", [])}
        recorder = Recorder()
        until = time.monotonic() + seconds
        threads = []
        if celery_workers:
            threads.append(threading.Thread(target=beats, args=(until, sweeps)))
            threads[-1].start()
        for n, role in enumerate(roles):
            username, own = staff[n % len(staff)] if role == "staff" else accounts[role]
            # Each person starts on a different instance, then goes round them all.
            order = bases[n % len(bases) :] + bases[: n % len(bases)]
            thread = threading.Thread(target=person, args=(role, username, own, order, until, recorder, n))
            thread.start()
            threads.append(thread)
            time.sleep(0.05)  # people arrive over a few seconds, not in one instant
        for thread in threads:
            thread.join()
        sent, problems = reminders_once() if celery_workers else (0, [])
    finally:
        _stop(servers + celery)
    total = sum(len(s) for s in recorder.samples.values())
    errors = sum(len(e) for e in recorder.errors.values()) + len(problems)
    print(
        f"\n{users} 人，{seconds:.0f} 秒，gunicorn {instances} 个实例 × {workers} 进程 × 4 线程，"
        f"Celery {celery_workers} 个 worker，PostgreSQL，{tasks} 项任务"
    )
    print(f"{'page':<26} {'requests':>8} {'refused':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page, samples in sorted(recorder.samples.items()):
        samples.sort()
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
        print(
            f"{page:<26} {len(samples):>8} {recorder.refused[page]:>8} {len(recorder.errors[page]):>7} "
            f"{statistics.median(samples):>8.0f} {p95:>8.0f} {samples[-1]:>8.0f}"
        )
    if celery_workers:
        print(f"reminder sweep: queued {sum(sweeps)} times on {celery_workers} workers, {sent} reminders sent")
    for problem in problems:
        print(f"  reminders: {problem}")
    print(f"total {total} requests, {errors} errors ({total / seconds:.1f} requests/s)")
    for page, statuses in recorder.errors.items():
        if statuses:
            print(f"  errors on {page}: {sorted(set(statuses))}")
    return 1 if errors or not total else 0


if __name__ == "__main__":
    sys.exit(main())
