"""The kept ranking: after any writes, by any path, the ranking read from the kept sums and
the tasks marked since equals the ranking scored afresh, to the cent."""

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.models import KeptLine, KeptRanking, KeptSum, ScoreMark
from assessment.scoring import kept as kept_module
from assessment.scoring.engine import Period
from assessment.scoring.kept import changed_tasks, current, keep, kept_sums
from assessment.scoring.registry import sums
from assessment.selectors import live_ranking
from supervision.choices import Rating, Verdict
from supervision.models import Finding
from tasks.choices import AssignmentRole, ReportStatus, TaskSource, TaskStatus
from tasks.models import Assignment, Milestone, Plan, ProgressReport, Task

from . import builders as b
from .test_properties import as_of, build, schemes, tasks, verdicts

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 9, 15)


def agree(period: Period) -> None:
    kept = kept_sums(period)
    assert kept is not None, "the kept ranking is read"
    assert kept == sums(period)


def _task(rng, period) -> Task | None:
    ids = sorted(Task.objects.filter(assignments__isnull=False).values_list("pk", flat=True).distinct())
    return Task.objects.get(pk=rng.choice(ids)) if ids else None


def _department_ids() -> list[int]:
    return sorted(Assignment.objects.values_list("department_id", flat=True).distinct())


def _move_lead(task, department) -> None:
    lead = task.assignments.filter(role=AssignmentRole.LEAD).order_by("pk").first()
    Assignment.objects.filter(pk=lead.pk).update(department_id=department.pk)


def write(rng, period) -> str:
    """One write of the kinds the office, departments and supervisors make, straight to the
    tables (the triggers do not care who writes)."""
    task = _task(rng, period)
    if task is None:
        return "none"
    kind = rng.choice(
        [
            "complete",
            "extend",
            "progress",
            "weight",
            "cancel",
            "reassign",
            "add_partner",
            "drop_part",
            "report",
            "return_report",
            "milestone",
            "finding",
            "plan",
            "delete",
            "bulletin",
        ]
    )
    if kind == "complete":
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.COMPLETED, completed_on=period.as_of - timedelta(days=rng.randint(0, 200))
        )
    elif kind == "extend":
        deadline = (task.deadline or date(2026, 6, 30)) + timedelta(days=rng.randint(1, 60))
        Task.objects.filter(pk=task.pk).update(original_deadline=task.deadline, deadline=deadline)
    elif kind == "progress":
        Task.objects.filter(pk=task.pk).update(progress=rng.randint(0, 100))
    elif kind == "weight":
        Task.objects.filter(pk=task.pk).update(weight=Decimal(rng.choice(["3", "8.5", "20"])))
    elif kind == "cancel":
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.CANCELLED)
    elif kind == "reassign":
        _move_lead(task, b.department())
    elif kind == "add_partner":
        Assignment.objects.get_or_create(
            task=task, department_id=rng.choice(_department_ids()), defaults={"role": AssignmentRole.COOPERATING}
        )
    elif kind == "drop_part":
        part = task.assignments.order_by("pk").last()
        part.delete()
    elif kind == "report":
        lead = task.assignments.filter(role=AssignmentRole.LEAD).first()
        if lead:
            month = rng.randint(1, 9)
            period_start = date(2026, month, 1)
            ProgressReport.objects.filter(task=task, department_id=lead.department_id, period=period_start).delete()
            b.report(
                task,
                lead.department,
                period=period_start,
                submitted=datetime(2026, month, 1, 10) + timedelta(days=rng.randint(0, 40)),
            )
    elif kind == "return_report":
        sent = ProgressReport.objects.filter(task=task, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        sent.update(status=ReportStatus.RETURNED)
    elif kind == "milestone":
        due = date(2026, rng.randint(1, 9), 10)
        if rng.random() < 0.5:
            b.milestone(task, deadline=due, done_on=None)
        else:
            Milestone.objects.filter(task=task).update(done_on=due + timedelta(days=rng.randint(-5, 20)))
    elif kind == "finding":
        b.finding(b.inspection(), task, rating=rng.choice(list(Rating)))
    elif kind == "plan":
        Plan.objects.filter(pk=task.plan_id).update(
            source=rng.choice([TaskSource.PLAN, TaskSource.INSTRUCTION]), year=rng.choice([2025, 2026])
        )
    elif kind == "delete":
        ProgressReport.objects.filter(task=task).delete()
        task.findings.all().delete()
        task.delete()
    elif kind == "bulletin":
        # Commended, and given the lead of a task after: the bulletin counts from then on.
        commended = b.department()
        b.bulletin(b.inspection(), {commended: Verdict.COMMEND}, issued=date(2026, 6, 1))
        _move_lead(task, commended)
    return kind


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scheme_values=schemes,
    task_specs=tasks,
    verdict_specs=verdicts,
    day=as_of,
    seed=st.integers(0, 2**32),
)
def test_the_kept_ranking_equals_the_ranking_scored_afresh_after_any_writes(
    scheme_values, task_specs, verdict_specs, day, seed
):
    import random

    rng = random.Random(seed)
    with transaction.atomic():
        scheme = build(scheme_values, task_specs, verdict_specs)
        scheme.source_weights = {TaskSource.INSTRUCTION: "1.5"}
        scheme.save()
        period = Period.of(scheme, day)
        keep(period)
        agree(period)
        for step in range(10):
            write(rng, period)
            agree(period)
            if step == 5:
                # Kept again mid-way: the marks it holds are pruned, the later ones count.
                keep(period)
                agree(period)
        transaction.set_rollback(True)


@pytest.fixture
def scored(dept):
    plan = b.plan(2026)
    scheme = b.scheme()
    lead, partner = b.department("考核甲局"), b.department("考核乙局")
    made = [
        b.task(plan, lead=lead, cooperating=[partner], deadline=date(2026, 3, 31), progress=40),
        b.task(plan, lead=partner, deadline=date(2026, 12, 31), progress=70),
        b.task(plan, lead=lead, status=TaskStatus.COMPLETED, completed_on=date(2026, 5, 4)),
    ]
    return Period.of(scheme, AS_OF), made


@pytest.fixture
def every_rule(dept):
    """A period in which every rule scores: an overdue task with a partner, a late and a
    returned report, a missed milestone and a confirmed finding on it; a second task
    completed; and tasks of another year and plan to move into the scheme."""
    plan, other_year = b.plan(2026), b.plan(2025)
    scheme = b.scheme(source_weights={TaskSource.INSTRUCTION: "1.5"}, extension_mode="original")
    lead, partner, third = b.department("规则甲局"), b.department("规则乙局"), b.department("规则丙局")
    task = b.task(plan, lead=lead, cooperating=[partner], deadline=date(2026, 6, 30), progress=30)
    b.report(task, lead, period=date(2026, 3, 1), submitted=datetime(2026, 4, 2, 10))
    b.report(task, lead, period=date(2026, 4, 1), submitted=datetime(2026, 4, 20, 10), status=ReportStatus.RETURNED)
    b.milestone(task, deadline=date(2026, 5, 31), done_on=None)
    b.finding(b.inspection(), task, rating=Rating.BEHIND)
    done = b.task(plan, lead=third, status=TaskStatus.COMPLETED, completed_on=date(2026, 8, 1))
    elsewhere = b.task(other_year, lead=third, deadline=date(2026, 8, 31), progress=50)
    due_later = b.task(plan, lead=partner, deadline=date(2026, 12, 31), progress=20)
    return Period.of(scheme, AS_OF), {
        "task": task,
        "done": done,
        "elsewhere": elsewhere,
        "due later": due_later,
        "lead": lead,
        "partner": partner,
        "third": third,
        "report": task.reports.get(period=date(2026, 3, 1)),
        "milestone": task.milestones.get(),
        "finding": task.findings.get(),
    }


WRITES = {
    # the task
    "task completed": lambda w: Task.objects.filter(pk=w["task"].pk).update(
        status=TaskStatus.COMPLETED, completed_on=date(2026, 7, 20)
    ),
    "task extended": lambda w: Task.objects.filter(pk=w["task"].pk).update(deadline=date(2026, 12, 31)),
    "original deadline": lambda w: Task.objects.filter(pk=w["task"].pk).update(original_deadline=date(2026, 9, 1)),
    "progress": lambda w: Task.objects.filter(pk=w["due later"].pk).update(progress=80),
    "weight": lambda w: Task.objects.filter(pk=w["done"].pk).update(weight=Decimal("4")),
    "cancelled": lambda w: Task.objects.filter(pk=w["done"].pk).update(status=TaskStatus.CANCELLED),
    "moved to the scheme's year": lambda w: Task.objects.filter(pk=w["elsewhere"].pk).update(plan=w["task"].plan),
    "given out later": lambda w: Task.objects.filter(pk=w["task"].pk).update(assigned_on=date(2026, 5, 1)),
    "deleted": lambda w: (
        w["task"].reports.all().delete(),
        w["task"].findings.all().delete(),
        w["task"].delete(),
    ),
    # its plan
    "plan's year": lambda w: Plan.objects.filter(pk=w["elsewhere"].plan_id).update(year=2026),
    "plan's source": lambda w: Plan.objects.filter(pk=w["task"].plan_id).update(source=TaskSource.INSTRUCTION),
    # the assignments
    "partner added": lambda w: Assignment.objects.create(
        task=w["done"], department=w["partner"], role=AssignmentRole.COOPERATING
    ),
    "partner made lead": lambda w: Assignment.objects.filter(task=w["task"], department=w["partner"]).update(
        role=AssignmentRole.LEAD
    ),
    "lead handed over": lambda w: Assignment.objects.filter(task=w["done"]).update(department=w["partner"]),
    "partner dropped": lambda w: Assignment.objects.filter(task=w["task"], department=w["partner"]).delete(),
    # the reports
    "late report sent": lambda w: b.report(
        w["task"], w["lead"], period=date(2026, 5, 1), submitted=datetime(2026, 6, 10, 10)
    ),
    "report returned": lambda w: ProgressReport.objects.filter(pk=w["report"].pk).update(status=ReportStatus.RETURNED),
    "report's time": lambda w: ProgressReport.objects.filter(pk=w["report"].pk).update(
        submitted_at=datetime(2026, 3, 5, 10, tzinfo=b.SHANGHAI)
    ),
    "report's period": lambda w: ProgressReport.objects.filter(pk=w["report"].pk).update(period=date(2026, 5, 1)),
    "report deleted": lambda w: ProgressReport.objects.filter(pk=w["report"].pk).delete(),
    # the milestones
    "milestone missed": lambda w: b.milestone(w["done"], deadline=date(2026, 7, 1), done_on=None),
    "milestone done": lambda w: Milestone.objects.filter(pk=w["milestone"].pk).update(done_on=date(2026, 5, 20)),
    "milestone moved": lambda w: Milestone.objects.filter(pk=w["milestone"].pk).update(deadline=date(2026, 10, 1)),
    "milestone deleted": lambda w: Milestone.objects.filter(pk=w["milestone"].pk).delete(),
    # the findings
    "finding confirmed": lambda w: b.finding(b.inspection(), w["done"], rating=Rating.ON_TIME),
    "finding's rating": lambda w: Finding.objects.filter(pk=w["finding"].pk).update(rating=Rating.OVERDUE),
    "finding's day": lambda w: Finding.objects.filter(pk=w["finding"].pk).update(
        confirmed_at=datetime(2026, 10, 1, 10, tzinfo=b.SHANGHAI)
    ),
    "finding deleted": lambda w: Finding.objects.filter(pk=w["finding"].pk).delete(),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_the_rules_read_is_read_at_once(every_rule, write):
    """Each write changes some department's score; the kept ranking follows at once."""
    period, world = every_rule
    keep(period)
    before = sums(period)
    assert kept_sums(period) == before
    WRITES[write](world)
    after = sums(period)
    assert after != before, "the write changes a score"
    assert kept_sums(period) == after


def test_keeping_sums_each_task_once_and_reads_back_the_same_ranking(scored):
    period, made = scored
    live = live_ranking(period)
    kept = keep(period)
    assert KeptLine.objects.filter(kept=kept).count() == 4  # three leads and one partner
    assert KeptSum.objects.filter(kept=kept).count() == 2
    assert changed_tasks(kept) == []
    assert not ScoreMark.objects.exists(), "the marks the kept ranking holds are pruned"
    assert live_ranking(period) == live


def test_a_write_after_keeping_is_read_at_once(scored):
    period, (overdue, *_) = scored
    keep(period)
    before = {row.department_id: row.total for row in live_ranking(period)}
    Task.objects.filter(pk=overdue.pk).update(status=TaskStatus.COMPLETED, completed_on=date(2026, 9, 1))
    assert changed_tasks(current(period.scheme, period.as_of)) == [overdue.pk]
    after = {row.department_id: row.total for row in live_ranking(period)}
    assert after != before
    agree(period)


def test_the_kept_ranking_is_for_its_day_and_its_rules_only(scored):
    period, _ = scored
    keep(period)
    assert current(period.scheme, period.as_of) is not None
    assert current(period.scheme, period.as_of + timedelta(days=1)) is None
    assert kept_sums(Period.of(period.scheme, period.as_of + timedelta(days=1))) is None
    period.scheme.late_cap_percent = Decimal("30")
    period.scheme.save()
    assert kept_sums(period) is None, "the scheme's values changed: scored afresh"
    period.scheme.title = "改了名称的考核"
    period.scheme.late_cap_percent = Decimal("50")
    period.scheme.save()
    assert kept_sums(period) is not None, "a new title changes no score"


def test_too_many_changed_tasks_are_scored_in_full(scored, monkeypatch):
    period, made = scored
    keep(period)
    monkeypatch.setattr(kept_module, "CHANGED_LIMIT", 1)
    Task.objects.filter(pk=made[0].pk).update(progress=90)
    assert kept_sums(period) is not None
    Task.objects.filter(pk=made[1].pk).update(progress=90)
    assert kept_sums(period) is None
    assert live_ranking(period)  # scored in full


def test_writes_the_rules_do_not_read_mark_nothing(scored):
    period, (task, *_) = scored
    keep(period)
    Task.objects.filter(pk=task.pk).update(title="新的标题", text="改写的内容", waiting=True)
    assert changed_tasks(current(period.scheme, period.as_of)) == []


def test_a_superseded_kept_ranking_stays_a_while_for_readers_then_goes(scored, time_machine):
    """A reading that began on a kept ranking finds it still there when a newer one is kept:
    it goes only once the one that superseded it is ten minutes old."""
    period, _ = scored
    kept_at = lambda hour, minute: time_machine.move_to(  # noqa: E731
        datetime(2026, 9, 15, hour, minute, tzinfo=b.SHANGHAI), tick=False
    )
    kept_at(9, 0)
    first = keep(period)
    kept_at(9, 30)
    second = keep(period)
    assert set(KeptRanking.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert current(period.scheme, period.as_of) == second
    kept_at(9, 35)
    third = keep(period)
    assert set(KeptRanking.objects.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}, (
        "the first was superseded five minutes ago"
    )
    kept_at(9, 50)
    fourth = keep(period)
    assert set(KeptRanking.objects.values_list("pk", flat=True)) == {third.pk, fourth.pk}
    assert kept_sums(period) == sums(period)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: nothing is in flight")
@pytest.mark.django_db(transaction=True)
def test_a_write_in_flight_while_keeping_is_scored_afresh_once_committed():
    """PostgreSQL: a transaction that wrote before the kept lines were scored but commits
    after is not in them; its mark, invisible to the kept snapshot, has the task scored
    afresh."""
    plan = b.plan(2026)
    scheme = b.scheme()
    lead = b.department("在途甲局")
    task = b.task(plan, lead=lead, deadline=date(2026, 12, 31), progress=10)
    period = Period.of(scheme, AS_OF)
    wrote, go_on, failure = threading.Event(), threading.Event(), []

    def writer():
        try:
            with transaction.atomic():
                Task.objects.filter(pk=task.pk).update(progress=90)
                wrote.set()
                go_on.wait(30)
        except Exception as error:  # reported below, in the test's own thread
            failure.append(error)
            wrote.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert wrote.wait(30)
    keep(period)
    before = kept_sums(period)
    assert before == sums(period), "the uncommitted write is in neither"
    go_on.set()
    thread.join(30)
    assert not failure
    assert changed_tasks(current(scheme, AS_OF)) == [task.pk]
    agree(period)
    assert kept_sums(period) != before


def test_keeping_the_rankings_keeps_each_open_scheme_once_a_day_and_again_after_many_changes(scored, monkeypatch):
    period, made = scored
    closed = b.scheme(year=2025)
    from django.contrib.auth import get_user_model

    from assessment import services
    from assessment.services import period_close, rankings_keep

    period_close(scheme=closed, by=get_user_model().objects.get(username="office"), as_of=date(2025, 12, 31))
    first = rankings_keep(as_of=AS_OF)
    assert [(k.scheme, k.as_of) for k in first] == [(period.scheme, AS_OF)], "the closed period shows its snapshot"
    assert rankings_keep(as_of=AS_OF) == [], "kept already"
    monkeypatch.setattr(services, "KEEP_AGAIN_AFTER", 1)
    Task.objects.filter(pk=made[0].pk).update(progress=55)
    assert rankings_keep(as_of=AS_OF) == [], "one task changed: read afresh, not kept again"
    Task.objects.filter(pk=made[1].pk).update(progress=55)
    again = rankings_keep(as_of=AS_OF)
    assert [k.as_of for k in again] == [AS_OF] and changed_tasks(again[0]) == []
    assert [k.as_of for k in rankings_keep(as_of=AS_OF + timedelta(days=1))] == [AS_OF + timedelta(days=1)]
    assert kept_sums(Period.of(period.scheme, AS_OF + timedelta(days=1))) == sums(
        Period.of(period.scheme, AS_OF + timedelta(days=1))
    )


def test_with_nothing_kept_the_marks_are_pruned_all_the_same(scored):
    period, made = scored
    assert ScoreMark.objects.exists()
    period.scheme.delete()
    from assessment.services import rankings_keep

    assert rankings_keep(as_of=AS_OF) == []
    assert not ScoreMark.objects.exists() or connection.vendor == "postgresql"
    # PostgreSQL keeps the marks of the transaction that prunes (the test's own): a ranking
    # kept later in it must still see them.
    assert not ScoreMark.objects.exclude(task_id__in=[t.pk for t in made]).exists()


def test_keeping_is_on_beat_every_quarter_of_an_hour():
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="assessment.keep_rankings")
    assert (entry.crontab.minute, entry.crontab.hour, str(entry.crontab.timezone)) == ("*/15", "*", "Asia/Shanghai")
    assert entry.enabled


def test_the_command_keeps_and_says_what(scored):
    import io

    from django.core.management import call_command

    period, _ = scored
    out = io.StringIO()
    call_command("keep_rankings", "--as-of", AS_OF.isoformat(), stdout=out)
    assert f"{period.scheme}：截至{AS_OF}" in out.getvalue()
    assert current(period.scheme, AS_OF) is not None
