"""Scoring 200 departments over 100 000 tasks (issue 9, goal ≤ 5 s).

generate_demo_data makes the tasks, their assignments, milestones, reports and requests;
its plans are moved into one year, so that year's scheme scores every one of them; 5 000
confirmed findings and an issued bulletin give the supervision rules rows to read.
BENCH_ASSESSMENT_TASKS overrides the size."""

import io
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

GOAL_S = 5.0
SEED = 909


def _supervision_rows(tasks: list[int], departments: list[int], year: int) -> None:
    from django.contrib.auth import get_user_model

    from supervision.choices import Rating, Verdict
    from supervision.models import Bulletin, BulletinDepartment, Finding, Inspection

    rng = random.Random(SEED)
    user = get_user_model().objects.get(username="office")
    day = date(year, 6, 30)
    inspection = Inspection.objects.create(
        title="年中专项督查", kind="special", period_start=day, period_end=day, created_by=user
    )
    confirmed = timezone.make_aware(timezone.datetime(year, 6, 30, 10))
    Finding.objects.bulk_create(
        (
            Finding(
                inspection=inspection,
                task_id=task_id,
                task_status="in_progress",
                suggested_rating=rating,
                rating=rating,
                confirmed_at=confirmed,
                confirmed_by=user,
            )
            for task_id in tasks[::20]
            for rating in [rng.choice(list(Rating))]
        ),
        batch_size=2000,
    )
    bulletin = Bulletin.objects.create(
        inspection=inspection,
        title="督查通报",
        status="issued",
        year=year,
        sequence=9001,
        issue_date=day,
        pdf_sha256="0" * 64,
        created_by=user,
    )
    BulletinDepartment.objects.bulk_create(
        BulletinDepartment(bulletin=bulletin, department_id=d, verdict=Verdict.COMMEND if n % 2 else Verdict.CRITICISE)
        for n, d in enumerate(departments[:20])
    )


def run(vendor: str) -> dict:
    from assessment.models import Scheme
    from assessment.scoring.engine import Period
    from assessment.selectors import live_lines, live_ranking
    from tasks.models import Assignment, Plan, Task

    size = int(os.environ.get("BENCH_ASSESSMENT_TASKS", "100000"))
    year = timezone.localdate().year
    start = time.perf_counter()
    call_command("generate_demo_data", tasks=size, departments=200, seed=SEED, stdout=io.StringIO())
    generated = time.perf_counter() - start
    plans = Plan.objects.filter(slug__startswith=f"demo{SEED}-")
    plans.update(year=year)
    tasks = list(Task.objects.filter(plan__in=plans, kind="task").order_by("pk").values_list("pk", flat=True))
    departments = sorted(set(Assignment.objects.filter(task__plan__in=plans).values_list("department_id", flat=True)))
    _supervision_rows(tasks, departments, year)
    # Fresh statistics on both databases (generate_demo_data analyses PostgreSQL only):
    # without them SQLite walks all the assignments to find 5 000 findings.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    scheme = Scheme.objects.create(year=year, title=f"{year}年度考核（基准测试）")
    period = Period.of(scheme, date(year, 12, 31))
    scored = Task.objects.filter(plan__year=year, kind="task").exclude(status__in=["draft", "cancelled"]).count()

    samples, queries = [], 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            rows = live_ranking(period)
            samples.append(time.perf_counter() - begin)
        queries = len(captured)
    biggest = max(rows, key=lambda row: row.full_marks)
    begin = time.perf_counter()
    lines = live_lines(period, biggest.department_id)
    statement_s = time.perf_counter() - begin
    begin = time.perf_counter()
    every = live_lines(period)
    all_lines_s = time.perf_counter() - begin

    from django.contrib.auth import get_user_model

    from assessment.services import period_close

    begin = time.perf_counter()
    office = get_user_model().objects.get(username="office")
    # BENCH_NO_CLOSE=1 skips closing (it writes every line: the slowest step).
    snapshot = None if os.environ.get("BENCH_NO_CLOSE") else period_close(scheme=scheme, by=office, as_of=period.as_of)
    close_s = time.perf_counter() - begin
    frozen = snapshot.results.count() if snapshot else 0

    ranking_s = statistics.median(samples)
    verdict = "✓" if ranking_s <= GOAL_S else f"✗ goal {GOAL_S} s"
    label = f"{vendor} assessment"
    print(f"{label}: generate {size} tasks, 200 departments: {generated:.1f} s")
    print(
        f"{label}: ranking {len(rows)} departments over {scored} scored tasks  "
        f"p50 {ranking_s:.2f} s (min {min(samples):.2f}, max {max(samples):.2f})  {queries} queries  {verdict}"
    )
    print(f"{label}: statement of {biggest.name} ({len(lines)} lines)  {statement_s:.2f} s")
    print(f"{label}: every line of every department ({len(every)} lines, the --json path)  {all_lines_s:.2f} s")
    print(f"{label}: closing the period ({frozen} results and their lines frozen)  {close_s:.2f} s")
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"{label}: load average during the run {load}")
    except OSError:
        pass
    return {"close_s": close_s, "ranking_s": ranking_s, "departments": len(rows), "tasks": scored, "lines": len(every)}
