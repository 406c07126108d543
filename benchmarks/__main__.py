"""`make bench`: timings of the portal's hot paths on this machine.

Runs against the database in DATABASE_URL (a throwaway SQLite file by default),
which it migrates and fills; prints one line per measurement."""

import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tasks.models import Task  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def timed(label: str, runs: int, action) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    summarise(label, samples)


def summarise(label: str, samples: list[float]) -> None:
    """One line: the median and 95th percentile of `samples`, in milliseconds."""
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{label:<46} p50 {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms   ({len(samples)} runs)")


def one_megabyte_plan() -> bytes:
    """The five seed documents, repeated to 1 MB: each copy starts its numbering again."""
    from pathlib import Path

    seeds = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt"))
    text = "\n".join(path.read_text(encoding="utf-8") for path in seeds) + "\n"
    copies = 1_000_000 // len(text.encode()) + 1
    return (text * copies).encode("utf-8")


def bench_import() -> None:
    from django.contrib.auth import get_user_model

    from departments.selectors import registry
    from importer.documents import parse_document
    from tasks.services.importing import plan_import

    data = one_megabyte_plan()
    names = registry()
    holder = {}

    def parse():
        holder["plan"] = parse_document(data, "plan.txt", registry=names)

    timed(f"import_plan: read + parse {len(data) / 1e6:.2f} MB", 5, parse)
    parsed = holder["plan"].as_json()
    office = get_user_model().objects.get(username="office")
    start = time.perf_counter()
    plan_import(data=parsed, by=office, source_name="plan.txt", source_text=data.decode())
    label = f"import_plan: save {len(parsed['tasks'])} tasks"
    print(f"{label:<46} {(time.perf_counter() - start) * 1000:8.1f} ms")


def bench_workflow() -> None:
    """A month of reports waiting for the office, and the pages that show them. Each lead
    department's report is timed as it is written and as it is sent on (the services,
    with every trigger that keeps the pages' facts)."""

    from departments.models import Department
    from departments.services import member_set
    from tasks.models import Task
    from tasks.services import report_save, report_submit

    office = Client()
    office.login(username="office", password="bench-pass-2026")
    month = timezone.localdate().replace(day=1)
    tasks = Task.objects.filter(kind="task", status="assigned").prefetch_related("assignments")
    sent = 0
    written, sent_on = [], []
    for task in tasks:
        lead = next(a for a in task.assignments.all() if a.role == "lead")
        staff = member_set(
            username=f"bench-{lead.department_id}",
            department=Department.objects.get(pk=lead.department_id),
            role="staff",
            password="bench-pass-2026",
        )
        start = time.perf_counter()
        report = report_save(task=task, by=staff, period=month, text="本月进展", percent=30)
        middle = time.perf_counter()
        report_submit(report=report, by=staff)
        written.append((middle - start) * 1000)
        sent_on.append((time.perf_counter() - middle) * 1000)
        sent += 1
    summarise("report_save (a lead department's draft)", written)
    summarise("report_submit (the draft sent on)", sent_on)
    timed(f"GET /tasks/review/ (office, {sent} reports)", 30, lambda: office.get("/tasks/review/"))
    timed("GET /tasks/inbox/ (office)", 30, lambda: office.get("/tasks/inbox/"))
    task = tasks.first()
    timed("GET /tasks/<id>/ (with a report)", 30, lambda: office.get(f"/tasks/{task.pk}/"))


def main() -> int:
    setup_test_environment()
    vendor = connection.vendor
    print(f"# {vendor} · {machine()}")
    old_name = connection.settings_dict["NAME"]
    if vendor == "sqlite":
        # A file, as the portal runs: SQLite's shared in-memory test database is several times slower.
        bench_dir = Path(__file__).resolve().parent.parent / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(bench_dir / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        call_command("load_seed_plans", verbosity=0, stdout=io.StringIO())
        print(f"{'load_seed_plans (5 plans, 110 tasks)':<46} {(time.perf_counter() - start) * 1000:8.1f} ms")
        call_command("create_demo_users", password="bench-pass-2026", stdout=io.StringIO())
        from benchmarks import bulletins

        if os.environ.get("BENCH_ONLY") == "bulletins":
            bulletins.run(connection)
            return 0
        client = Client()
        client.login(username="office", password="bench-pass-2026")
        assert Task.objects.count() > 100
        timed("GET /tasks/ (office, 50 rows)", 50, lambda: client.get("/tasks/"))
        task = Task.objects.filter(kind="task", milestones__isnull=False).first()
        timed("GET /tasks/<id>/ (with milestones)", 50, lambda: client.get(f"/tasks/{task.pk}/"))
        timed("GET /dashboard/", 50, lambda: client.get("/dashboard/"))
        bench_workflow()
        bench_import()
        bulletins.run(connection)
        if os.environ.get("BENCH_SIZES", "x") != "":
            from benchmarks import scale

            scale.run(vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if os.environ.get("BENCH_ASSESSMENT", "x") != "":
        # A database of its own: the year it scores holds exactly the tasks it made.
        from benchmarks import assessment

        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            call_command("load_seed_plans", verbosity=0, stdout=io.StringIO())
            call_command("create_demo_users", password="bench-pass-2026", stdout=io.StringIO())
            assessment.run(vendor)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
