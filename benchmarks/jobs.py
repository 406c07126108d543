"""The nightly reminder sweep and the assessment ranking on a data set already in the database
(DATABASE_URL), with "today" pinned at several days of a month: issue 21's goals are the sweep
≤ 10 s and the ranking ≤ 5 s at 1 000 000 tasks. The ranking is timed scored in full, then
kept (assessment/scoring/kept.py, which the ranking page reads in milliseconds).

    python -m benchmarks.jobs --days 10,26,last [--runs 3] [--label 1M]

Each run is a transaction rolled back at its end, so the data set stays as generated. Before
the sweep every department without an account gets a head's (in the same transaction), so
that every reminder due has someone to go to, as in a city where each unit is signed up.
"Record" is reminders_sweep (what Celery beat runs at night); "send" is reminders_send over
what it recorded (the task it queues), both as the workers run them."""

import argparse
import os
import statistics
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform_portal.settings.test")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.days import pinned  # noqa: E402

SWEEP_GOAL_S = 10.0
RANKING_GOAL_S = 5.0


def _everyone_signed_up() -> None:
    from departments.models import Department, Membership

    user_model = get_user_model()
    have = set(Membership.objects.values_list("department_id", flat=True))
    missing = [pk for pk in Department.objects.values_list("pk", flat=True) if pk not in have]
    users = user_model.objects.bulk_create([user_model(username=f"bench-jobs-{pk}") for pk in missing])
    Membership.objects.bulk_create(
        Membership(user=user, department_id=pk, role="head") for user, pk in zip(users, missing, strict=True)
    )


def sweep_once() -> tuple[float, float, int, int]:
    """(record s, send s, reminders, queries), rolled back."""
    from reminders.services import reminders_send, reminders_sweep

    with transaction.atomic():
        _everyone_signed_up()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            new, unsent = reminders_sweep(queue=False)
            recorded = time.perf_counter()
            reminders_send(unsent)
            sent = time.perf_counter()
        transaction.set_rollback(True)
    return recorded - start, sent - recorded, len(new), len(captured)


def ranking_once(year: int) -> tuple[float, int, int, float]:
    """(s, departments ranked, queries, s to keep) for the year's scheme, or one made for the
    run over every plan of `year`, rolled back: the ranking scored in full (what a page
    does when no ranking is kept for the day), then kept (what Celery beat does)."""
    from assessment.models import KeptRanking, Scheme
    from assessment.scoring.engine import Period
    from assessment.scoring.kept import keep
    from assessment.selectors import live_ranking

    with transaction.atomic():
        scheme = Scheme.objects.filter(year=year, plan=None).first() or Scheme.objects.create(
            year=year, title=f"{year}年度考核（基准测试）"
        )
        KeptRanking.objects.filter(scheme=scheme).delete()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            rows = live_ranking(Period.of(scheme))
            took = time.perf_counter() - start
        start = time.perf_counter()
        keep(Period.of(scheme))
        kept = time.perf_counter() - start
        transaction.set_rollback(True)
    return took, len(rows), len(captured), kept


def _against(seconds: float, goal: float) -> str:
    return "✓" if seconds <= goal else f"✗ goal {goal:.0f} s"


def main() -> None:
    from tasks.models import Task

    parser = argparse.ArgumentParser()
    parser.add_argument("--days", default="10,26,last")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    tasks = Task.objects.count()
    base: date = Task.objects.order_by("-created_at").values_list("created_at", flat=True).first().date()
    label = args.label or f"{tasks // 1000}k"
    load = os.getloadavg()
    print(f"# {connection.vendor} {label}: {tasks} tasks; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for spec in args.days.split(","):
        moment = pinned(spec.strip(), base)
        with time_machine.travel(moment, tick=True):
            sweeps = [sweep_once() for _ in range(args.runs)]
            record = statistics.median(s[0] for s in sweeps)
            send = statistics.median(s[1] for s in sweeps)
            verdict = _against(record, SWEEP_GOAL_S)
            print(
                f"{label:>5} {moment.date()}  reminder sweep  record p50 {record:6.2f} s {verdict}  "
                f"send p50 {send:6.2f} s  together {record + send:6.2f} s  "
                f"{sweeps[0][2]} reminders  {sweeps[0][3]} q  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            rankings = [ranking_once(moment.year) for _ in range(args.runs)]
            took = statistics.median(r[0] for r in rankings)
            verdict = _against(took, RANKING_GOAL_S)
            print(
                f"{label:>5} {moment.date()}  assessment ranking scored in full  p50 {took:6.2f} s {verdict}  "
                f"(min {min(r[0] for r in rankings):.2f}, max {max(r[0] for r in rankings):.2f})  "
                f"{rankings[0][1]} departments  {rankings[0][2]} q  "
                f"kept in p50 {statistics.median(r[3] for r in rankings):.2f} s  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
