"""The pages the office, a leader and a department open, on a data set already in the
database (DATABASE_URL), with "today" pinned at several days of a month: p50/p95, queries,
and for the dashboards a hand-written single pass over the tasks that counts the same
figures (the limit) with the page's ratio to it.

    python -m benchmarks.days --days 10,26,last [--runs 7] [--label 1M]

The data set is made once (generate_demo_data, or `make bench`) and kept: this reads it."""

import argparse
import calendar
import json
import math
import os
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform_portal.settings.test")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ACTIVE = "('assigned', 'acknowledged', 'in_progress')"


def pages(department_user, scheme_id) -> list[tuple[str, str, str]]:
    """(name, who, url): who is "office", "leader" or "department"."""
    found = [
        ("dashboard", "office", "/dashboard/"),
        ("API dashboard overview", "office", "/api/dashboard/overview/"),
        ("dashboard plans", "office", "/dashboard/plans/"),
        ("dashboard departments", "office", "/dashboard/departments/"),
        ("API dashboard departments", "office", "/api/dashboard/departments/"),
        ("dashboard, leader", "leader", "/dashboard/"),
        ("task list red, page 2", "office", "/tasks/?light=red&page=2"),
        ("task list yellow", "office", "/tasks/?light=yellow"),
        ("task list report late", "office", "/tasks/?report_late=true"),
        ("task list, department", "department", "/tasks/"),
        ("API task list", "office", "/api/tasks/?page_size=100"),
        ("API task list yellow", "office", "/api/tasks/?light=yellow&page_size=100"),
        ("review queue", "office", "/tasks/review/"),
        ("inbox", "office", "/tasks/inbox/"),
        ("inbox, department", "department", "/tasks/inbox/"),
        ("supervision", "office", "/supervision/"),
        ("supervision demands", "office", "/supervision/demands/"),
    ]
    if scheme_id:
        found.append(("assessment ranking", "office", f"/assessment/{scheme_id}/"))
    return found


def has_reported_through() -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "tasks_task")
    return any(column.name == "reported_through" for column in columns)


def overview_sql(today: date) -> str:
    """One pass over the tracked tasks counting what /dashboard/ shows: totals, statuses,
    lights (report-late included), due in 7 and 30 days, 12 weeks of trend, 6 months of
    deadlines. The bound the page is held to."""
    due_day = settings.PORTAL["REPORT_DUE_DAY"]
    warning = settings.PORTAL["WARNING_DAYS"]
    month = today.replace(day=1)
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    cycle = "(CASE WHEN t.report_cycle = '' THEN p.report_cycle ELSE t.report_cycle END)"
    owed = []
    if today.day > due_day and has_reported_through():
        owed.append(f"({cycle} = 'monthly' AND (t.reported_through IS NULL OR t.reported_through < '{month}'))")
        if today.month % 3 == 0:
            owed.append(f"({cycle} = 'quarterly' AND (t.reported_through IS NULL OR t.reported_through < '{quarter}'))")
    late = f"(t.status IN {ACTIVE} AND ({' OR '.join(owed)}))" if owed else "FALSE"
    inner = f"""SELECT t.status, t.deadline, t.completed_on, {late} AS late,
        CASE WHEN t.status = 'completed' THEN 'done'
        WHEN t.status NOT IN {ACTIVE} OR t.deadline IS NULL THEN 'none'
        WHEN t.deadline < '{today}' THEN 'red'
        WHEN t.deadline <= '{today + timedelta(days=warning)}' OR {late} THEN 'yellow'
        ELSE 'green' END AS light
        FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id WHERE t.kind = 'task'"""
    columns = [
        "COUNT(*)",
        "COUNT(*) FILTER (WHERE status = 'completed' AND (completed_on <= deadline OR deadline IS NULL))",
        "COUNT(*) FILTER (WHERE late)",
    ]
    for days in (7, 30):
        columns.append(
            f"COUNT(*) FILTER (WHERE status IN {ACTIVE} AND deadline BETWEEN '{today}' "
            f"AND '{today + timedelta(days=days)}')"
        )
    for status in ("draft", "assigned", "acknowledged", "in_progress", "completed", "cancelled"):
        columns.append(f"COUNT(*) FILTER (WHERE status = '{status}')")
    for colour in ("red", "yellow", "green", "done", "none"):
        columns.append(f"COUNT(*) FILTER (WHERE light = '{colour}')")
    monday = today - timedelta(days=today.weekday())
    for start in (monday - timedelta(weeks=n) for n in range(11, -1, -1)):
        end = start + timedelta(days=6)
        columns.append(f"COUNT(*) FILTER (WHERE completed_on BETWEEN '{start}' AND '{end}')")
        columns.append(
            f"COUNT(*) FILTER (WHERE deadline < '{end}' AND status NOT IN ('cancelled', 'draft') "
            f"AND (completed_on IS NULL OR completed_on > '{end}'))"
        )
    first = month
    for _ in range(6):
        following = (first + timedelta(days=32)).replace(day=1)
        columns.append(
            f"COUNT(*) FILTER (WHERE status IN {ACTIVE} AND deadline BETWEEN '{first}' "
            f"AND '{following - timedelta(days=1)}')"
        )
        first = following
    return f"SELECT {', '.join(columns)} FROM ({inner}) x"


def limit_ms(sql: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    status = client.get(url).status_code  # warms caches, and is not counted
    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    samples.sort()
    # p95 by nearest rank: of 3 or 5 runs, the slowest.
    return statistics.median(samples), samples[math.ceil(len(samples) * 0.95) - 1], queries, status


def pinned(day_spec: str, base: date) -> datetime:
    last = calendar.monthrange(base.year, base.month)[1]
    day = last if day_spec == "last" else int(day_spec)
    return datetime(base.year, base.month, day, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", default="10,26,last")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--label", default="")
    parser.add_argument("--only", default="", help="page names separated by ;")
    parser.add_argument("--month", default="", help="YYYY-MM; the month of the newest data by default")
    args = parser.parse_args()
    setup_test_environment()
    from assessment.models import Scheme
    from assessment.services import rankings_keep
    from departments.models import Department
    from departments.services import member_set
    from tasks.models import Task

    User = get_user_model()
    tasks = Task.objects.count()
    if args.month:
        base = date.fromisoformat(args.month + "-01")
    else:
        base = Task.objects.order_by("-created_at").values_list("created_at", flat=True).first().date()
    busiest = Department.objects.annotate(n=Count("assignments")).order_by("-n").first()
    users = {who: User.objects.get(username=who) for who in ("office", "leader")}
    users["department"] = User.objects.filter(username="bench-days-staff").first() or member_set(
        username="bench-days-staff", department=busiest, role="staff", password="bench-pass-2026"
    )
    # The assessment of the data's year: made once and kept with the data, as an office would.
    scheme = (
        Scheme.objects.filter(year=base.year, plan=None).first()
        or Scheme.objects.create(year=base.year, title=f"{base.year}年度考核（基准测试）")
    ).pk
    wanted = {name.strip() for name in args.only.split(";") if name.strip()}
    label = args.label or f"{tasks // 1000}k"
    results = []
    load = os.getloadavg()
    print(f"# {connection.vendor} {label}: {tasks} tasks; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for spec in args.days.split(","):
        moment = pinned(spec.strip(), base)
        with time_machine.travel(moment, tick=True):
            today = moment.date()
            # Signed in on the pinned day: a session from the real day may have expired by it.
            clients = {who: Client() for who in users}
            for who, client in clients.items():
                client.force_login(users[who])
            limit = limit_ms(overview_sql(today), args.runs)
            # What Celery beat does every quarter of an hour: the first run of the day keeps
            # the ranking for the day.
            started = time.perf_counter()
            made = rankings_keep()
            print(
                f"{label:>5} {today}  kept {len(made)} ranking(s) for the day in {time.perf_counter() - started:.2f} s",
                flush=True,
            )
            for name, who, url in pages(busiest, scheme):
                if wanted and name not in wanted:
                    continue
                p50, p95, queries, status = measure(clients[who], url, args.runs)
                row = {
                    "size": label,
                    "day": str(today),
                    "page": name,
                    "url": url,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "queries": queries,
                    "status": status,
                    "load": round(os.getloadavg()[0], 2),
                }
                extra = ""
                if name.startswith("dashboard") or name.startswith("API dashboard"):
                    row["limit_sql_ms"] = round(limit, 1)
                    row["ratio"] = round(p50 / limit, 2)
                    extra = f"  limit SQL {limit:7.1f} ms  ×{row['ratio']}"
                results.append(row)
                print(
                    f"{label:>5} {today}  {name:<26} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {queries:>3} q"
                    f"  [{status}] load {row['load']:.2f}{extra}",
                    flush=True,
                )
    output = Path(__file__).resolve().parent.parent / "var" / "bench"
    output.mkdir(parents=True, exist_ok=True)
    (output / f"days-{connection.vendor}-{label}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
