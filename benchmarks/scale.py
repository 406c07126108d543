"""Dashboards, the task list, the ranking and the ledger export at 1 000, 10 000 and
100 000 tasks (BENCH_SIZES overrides), with p50/p95 times, query counts, and the
raw-SQL time of the dashboard's own queries so the page's overhead shows as a ratio."""

import io
import json
import os
import statistics
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

GOALS_MS = {
    "dashboard": 250,
    "task list": 150,
    "API task list": 100,
    "API task list, page 20": 100,
    "API task list, department": 100,
    "ledger export 5000 rows": 3000,
    "reminder sweep": 5000,
    "report reminder sweep": 5000,
}


def _measure(runs: int, action) -> tuple[float, float, int]:
    samples, queries = [], 0
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        if n == 0 and runs > 3:
            samples.pop()  # the first run warms caches
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], queries


def _raw_sql_ms(client: Client, url: str, runs: int) -> float:
    """The same SQL the page sends, executed bare: what the database alone costs."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run_size(tasks: int) -> dict:
    from tasks.ledger.export import ledger_rows, to_xlsx
    from tasks.models import Task

    start = time.perf_counter()
    call_command("generate_demo_data", tasks=tasks, departments=max(20, tasks // 500), seed=tasks, stdout=io.StringIO())
    generated = time.perf_counter() - start
    client = Client()
    client.login(username="office", password="bench-pass-2026")
    runs = 20 if tasks <= 10_000 else 10
    results = {"tasks": tasks, "generate_s": round(generated, 1), "pages": {}}

    def page(name: str, url: str):
        p50, p95, queries = _measure(runs, lambda: client.get(url))
        results["pages"][name] = {"url": url, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": queries}

    page("dashboard", "/dashboard/")
    page("task list", "/tasks/?light=red&page=2")
    page("department ranking", "/dashboard/departments/")
    _api_task_list(results, runs)
    raw = _raw_sql_ms(client, "/dashboard/", runs)
    results["pages"]["dashboard"]["raw_sql_ms"] = round(raw, 1)
    results["pages"]["dashboard"]["ratio_to_raw_sql"] = round(results["pages"]["dashboard"]["p50_ms"] / raw, 2)
    ids = list(Task.objects.filter(kind="task").order_by("pk").values_list("pk", flat=True)[:5000])
    p50, p95, queries = _measure(
        3, lambda: to_xlsx(ledger_rows(Task.objects.filter(pk__in=ids)), "任务分工和进度安排表")
    )
    results["pages"]["ledger export 5000 rows"] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": queries}
    results["pages"]["reminder sweep"] = _sweep()
    results["pages"]["report reminder sweep"] = _report_sweep()
    return results


def _staff_everywhere() -> None:
    """One staff member (with e-mail on) in every department that has nobody, so the
    sweep has people to remind and messages to queue, as in a real deployment."""
    from django.contrib.auth import get_user_model

    from departments.models import Department, Membership
    from notifications.models import DeliverySettings

    User = get_user_model()
    lacking = list(Department.objects.exclude(members__isnull=False).values_list("pk", flat=True))
    users = User.objects.bulk_create(
        User(username=f"bench-staff-{pk}", email=f"staff{pk}@bench.example") for pk in lacking
    )
    Membership.objects.bulk_create(
        Membership(user=user, department_id=pk, role="staff") for user, pk in zip(users, lacking, strict=True)
    )
    DeliverySettings.objects.bulk_create(DeliverySettings(user=user, email=True) for user in users)


def _api_task_list(results: dict, runs: int) -> None:
    """GET /api/tasks/ with a token, 100 rows a page with departments and latest report: the
    first page, a page reached by following the cursor, and a department's own list."""
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from departments.models import Department
    from departments.services import member_set

    def measure(name: str, user, url: str) -> None:
        client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        response = client.get(url)
        assert response.status_code == 200 and len(response.json()["results"]) == 100, response.content[:200]
        p50, p95, queries = _measure(runs, lambda: client.get(url))
        results["pages"][name] = {"url": url, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": queries}

    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(username="office")
    measure("API task list", office, "/api/tasks/?page_size=100")
    url, client = "/api/tasks/?page_size=100", Client()
    client.force_login(office)
    for _ in range(19):
        url = client.get(url).json()["next"].replace("http://testserver", "")
    measure("API task list, page 20", office, url)
    busiest = Department.objects.annotate(n=Count("assignments")).order_by("-n").first()
    staff = member_set(username="bench-api-staff", department=busiest, role="staff", password="bench-pass-2026")
    measure("API task list, department", staff, "/api/tasks/?page_size=100")


def _sweep() -> dict:
    """The daily sweep with about 2 000 of the open tasks falling due: recorded and sent."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from notifications.models import Delivery
    from reminders.models import Reminder
    from reminders.services import reminders_send, reminders_sweep
    from tasks.models import Task

    _staff_everywhere()
    today = timezone.localdate()
    open_tasks = Task.objects.filter(kind="task", status__in=["assigned", "acknowledged", "in_progress"])
    chosen = list(open_tasks.order_by("pk").values_list("pk", flat=True)[:2000])
    for n, offset in enumerate((7, 3, 1, 0, -1)):
        Task.objects.filter(pk__in=chosen[n::5]).update(deadline=today + timedelta(days=offset))
    Reminder.objects.all().delete()
    Delivery.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        with transaction.atomic():
            new, unsent = reminders_sweep(today=today, queue=False)
            sent = reminders_send(unsent)
        elapsed = (time.perf_counter() - start) * 1000
    return {
        "p50_ms": round(elapsed, 1),
        "p95_ms": round(elapsed, 1),
        "queries": len(captured),
        "due_tasks": len(chosen),
        "reminders_sent": sent,
        "emails_queued": Delivery.objects.count(),
    }


def _report_sweep() -> dict:
    """The sweep on the day after reports fall due: every open task is asked whether its
    lead has reported, grouped by department in the database."""
    from datetime import date

    from django.conf import settings
    from django.utils import timezone

    from reminders.models import Reminder
    from reminders.schedule import Kind
    from reminders.services import reminders_sweep

    today = timezone.localdate()
    day_after_due = date(today.year, today.month, settings.PORTAL["REPORT_DUE_DAY"] + 1)
    Reminder.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        new, _ = reminders_sweep(today=day_after_due, queue=False)
        elapsed = (time.perf_counter() - start) * 1000
    return {
        "p50_ms": round(elapsed, 1),
        "p95_ms": round(elapsed, 1),
        "queries": len(captured),
        "report_reminders": sum(r.kind in (Kind.REPORT, Kind.REPORT_AGAIN) for r in new),
    }


def run(vendor_label: str) -> list[dict]:
    sizes = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if n.strip()]
    all_results = []
    done = 0
    for size in sizes:
        result = run_size(size - done)  # each size adds to the data already there
        result["tasks"] = size
        done = size
        all_results.append(result)
        for name, figures in result["pages"].items():
            goal = GOALS_MS.get(name)
            verdict = "" if goal is None else ("  ✓" if figures["p50_ms"] <= goal else f"  ✗ goal {goal} ms")
            extra = ""
            if "ratio_to_raw_sql" in figures:
                extra = f"  raw SQL {figures['raw_sql_ms']:.1f} ms (×{figures['ratio_to_raw_sql']})"
            print(
                f"{vendor_label} {size:>7} tasks  {name:<26} p50 {figures['p50_ms']:8.1f} ms  "
                f"p95 {figures['p95_ms']:8.1f} ms  {figures['queries']:>3} queries{extra}{verdict}"
            )
    output = Path(__file__).resolve().parent.parent / "var" / "bench"
    output.mkdir(parents=True, exist_ok=True)
    (output / f"scale-{vendor_label}.json").write_text(json.dumps(all_results, ensure_ascii=False, indent=1))
    print(json.dumps({"database": vendor_label, "results": all_results}, ensure_ascii=False))
    return all_results
