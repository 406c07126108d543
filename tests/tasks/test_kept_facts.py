"""The facts triggers keep for the office's overview: each task's `waiting` (待审) and the
task tally. They agree with the rows they come from after every kind of change, whoever
writes the rows, and the overview summed from the tally is the one counted from the tasks
on every day that breaks date arithmetic."""

import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import selectors as dashboards
from departments.models import Department
from tasks import selectors
from tasks.choices import Light, ReportCycle, ReportStatus, RequestStatus, TaskKind, TaskSource, TaskStatus
from tasks.facts import (
    department_tally_disagreeing,
    department_tally_rebuild,
    facts_disagreeing,
    from_lead_disagreeing,
    tally_disagreeing,
    tally_from_tasks,
    tally_rebuild,
    waiting_disagreeing,
)
from tasks.filtersets import TaskFilterSet, count_from_tally
from tasks.models import Assignment, DepartmentTally, ExtensionRequest, Plan, ProgressReport, Task, TaskTally
from tasks.querysets import light_q
from tasks.selectors import review_queue
from tasks.selectors.sources import source_counts
from tasks.services import report_review, report_save, report_submit, task_assign
from tasks.services.requests import completion_decide, completion_request, extension_decide, extension_request
from tests.conftest import SHANGHAI, TODAY, kept_for_module
from tests.tasks.test_report_facts import own_task

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def agree() -> None:
    assert waiting_disagreeing() == []
    assert from_lead_disagreeing() == []
    assert tally_disagreeing() == {}
    assert sum(TaskTally.objects.values_list("n", flat=True)) == Task.objects.tracked().count()
    assert not TaskTally.objects.filter(n__lte=0).exists(), "a shape with no task is removed"
    assert department_tally_disagreeing() == {}
    tracked = Assignment.objects.filter(task__kind=TaskKind.TASK).count()
    assert sum(DepartmentTally.objects.values_list("n", flat=True)) == tracked
    assert not DepartmentTally.objects.filter(n__lte=0).exists()


def waiting(task: Task) -> bool:
    return Task.objects.values_list("waiting", flat=True).get(pk=task.pk)


def test_the_seed_world_starts_in_agreement():
    agree()
    assert TaskTally.objects.count() < Task.objects.tracked().count(), "tasks of one shape share a row"


def test_waiting_follows_reports_and_requests_through_the_services():
    task = own_task()
    assert not waiting(task)
    report = report_save(task=task, by=user("staff"), period=date(2026, 11, 1), text="推进", percent=30)
    assert not waiting(task), "a draft waits for nobody"
    report = report_submit(report=report, by=user("staff"))
    assert waiting(task)
    agree()
    report_review(report=report, by=user("office"), accept=True)
    assert not waiting(task)
    agree()
    request = extension_request(task=task, by=user("staff"), reason="需要协调", proposed_deadline=date(2027, 12, 31))
    assert waiting(task)
    extension_decide(request=request, by=user("office"), approve=False, reason="理由不足")
    assert not waiting(task)
    agree()
    request = completion_request(task=Task.objects.get(pk=task.pk), by=user("staff"), summary="已完成")
    assert waiting(task)
    agree()
    completion_decide(request=request, by=user("office"), approve=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and not task.waiting
    agree()


def test_the_tally_follows_rows_written_around_the_services():
    """An import, the admin or a script: bulk updates, bulk inserts, deletions, a task moved
    to another plan, a plan's new source or report cycle, a heading made a task."""
    agree()
    tracked = Task.objects.tracked()
    Task.objects.filter(pk__in=tracked.values("pk")[:40]).update(deadline=F("deadline") + timedelta(days=45))
    agree()
    Task.objects.filter(pk__in=tracked.filter(status=TaskStatus.ASSIGNED).values("pk")[:10]).update(
        status=TaskStatus.COMPLETED, completed_on=date(2026, 11, 20)
    )
    agree()
    plan = Plan.objects.filter(tasks__kind=TaskKind.TASK).distinct().order_by("pk").first()
    plan.report_cycle = ReportCycle.QUARTERLY
    plan.save()
    agree()
    Plan.objects.filter(pk=plan.pk).update(source=TaskSource.MEETING)
    agree()
    other = Plan.objects.exclude(pk=plan.pk).order_by("pk").first()
    moved = list(Task.objects.filter(plan=plan, kind=TaskKind.TASK).values_list("pk", flat=True)[:5])
    for n, pk in enumerate(moved):
        Task.objects.filter(pk=pk).update(plan=other, sort_key=f"8888.{n:04d}")
    agree()
    heading = Task.objects.filter(kind=TaskKind.SECTION).order_by("pk").first()
    Task.objects.filter(pk=heading.pk).update(kind=TaskKind.TASK)
    agree()
    template = Task.objects.filter(pk=moved[0]).values().get()
    # Drafts: a task out of draft needs its lead (a trigger checks), and these have none.
    fresh = {"id": None, "code": "", "start_date": None, "waiting": False, "reported_through": None, "status": "draft"}
    copies = [
        Task(**{**template, **fresh, "sort_key": f"9999.{n:04d}", "deadline": date(2027, 1, n + 1)}) for n in range(20)
    ]
    Task.objects.bulk_create(copies)
    agree()
    ProgressReport.objects.filter(task__plan=other).delete()
    ExtensionRequest.objects.filter(task__plan=other).delete()
    Task.objects.filter(sort_key__startswith="9999.").delete()
    agree()


def test_the_tally_follows_a_random_walk_of_changes():
    """Three hundred random changes to the facts a shape is made of, each written straight to
    the rows; the tally agrees after every ten."""
    rng = random.Random(20261201)
    # Tasks with a lead: one without may not leave the draft state (a trigger checks).
    ids = list(Task.objects.tracked().filter(assignments__role="lead").distinct().values_list("pk", flat=True))
    Task.objects.filter(pk__in=ids).update(start_date=None)
    office = user("office")
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 900, 7)]
    departments = list(Department.objects.values_list("pk", flat=True))
    for step in range(300):
        pk = rng.choice(ids)
        change = rng.randrange(10)
        if change == 0:
            Task.objects.filter(pk=pk).update(deadline=rng.choice([None, *days]))
        elif change == 1:
            status = rng.choice([s for s in TaskStatus.values if s != TaskStatus.COMPLETED])
            Task.objects.filter(pk=pk).update(status=status, completed_on=None)
        elif change == 2:
            Task.objects.filter(pk=pk).update(status=TaskStatus.COMPLETED, completed_on=rng.choice(days))
        elif change == 3:
            Task.objects.filter(pk=pk).update(assigned_on=rng.choice([None, *days]), acknowledge_by=rng.choice(days))
        elif change == 4:
            Task.objects.filter(pk=pk).update(report_cycle=rng.choice(["", *ReportCycle.values]))
        elif change == 5:
            task = Task.objects.get(pk=pk)
            lead = task.assignments.filter(role="lead").first()
            if lead:
                ProgressReport.objects.update_or_create(
                    task=task,
                    department=lead.department,
                    period=rng.choice(days).replace(day=1),
                    defaults={
                        "text": "补录",
                        "status": rng.choice(ReportStatus.values),
                        "created_by": office,
                        "submitted_at": timezone.now(),
                    },
                )
        elif change == 6:
            ProgressReport.objects.filter(task_id=pk).delete()
        elif change == 7:
            # An assignment handed to a department not yet on the task (lead or not).
            taken = set(Assignment.objects.filter(task_id=pk).values_list("department", flat=True))
            free = [d for d in departments if d not in taken]
            moved = Assignment.objects.filter(task_id=pk).order_by("?").first()
            if free and moved:
                Assignment.objects.filter(pk=moved.pk).update(department_id=rng.choice(free))
        elif change == 8:
            taken = set(Assignment.objects.filter(task_id=pk).values_list("department", flat=True))
            free = [d for d in departments if d not in taken]
            if free:
                Assignment.objects.create(task_id=pk, department_id=rng.choice(free), role="cooperating")
        else:
            cooperating = Assignment.objects.filter(task_id=pk, role="cooperating").values_list("pk", flat=True)[:1]
            Assignment.objects.filter(pk__in=list(cooperating)).delete()
        if step % 10 == 9:
            assert disagreements() == {}, f"after step {step}"
    agree()


def disagreements() -> dict:
    return {key: value for key, value in facts_disagreeing().items() if value}


def test_check_facts_finds_a_wrong_tally_and_repairs_it():
    out = StringIO()
    call_command("check_facts", stdout=out)
    assert "不一致" not in out.getvalue()
    shape = TaskTally.objects.order_by("pk").first()
    TaskTally.objects.filter(pk=shape.pk).update(n=F("n") + 3)
    Task.objects.filter(pk=Task.objects.tracked().order_by("pk").first().pk).update(waiting=True)
    with pytest.raises(CommandError, match="不一致"):
        call_command("check_facts", stdout=out)
    assert "任务汇总（tally）：不一致 1 处" in out.getvalue()
    call_command("check_facts", "--repair", stdout=StringIO())
    agree()
    DepartmentTally.objects.filter(pk=DepartmentTally.objects.order_by("pk").first().pk).update(delay=F("delay") + 2)
    with pytest.raises(CommandError, match="不一致"):
        call_command("check_facts", stdout=out)
    assert "部门任务汇总（department tally）：不一致 1 处" in out.getvalue()
    call_command("check_facts", "--repair", stdout=StringIO())
    agree()
    assert facts_disagreeing() == {
        "reported_through": 0,
        "waiting": 0,
        "from_lead": 0,
        "tally": 0,
        "department_tally": 0,
    }


def test_a_rebuilt_tally_is_the_one_the_triggers_keep():
    kept = {row.shape: row.n for row in TaskTally.objects.all()}
    assert tally_rebuild() == len(kept)
    assert {row.shape: row.n for row in TaskTally.objects.all()} == kept
    assert sum(tally_from_tasks().values()) == Task.objects.tracked().count()
    kept = {row.shape: (row.n, row.delay) for row in DepartmentTally.objects.all()}
    assert department_tally_rebuild() == len(kept)
    assert {row.shape: (row.n, row.delay) for row in DepartmentTally.objects.all()} == kept


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """600 generated tasks in every status, with reports and requests, made once."""
    from django.core.management import call_command as run

    with kept_for_module(
        django_db_blocker,
        lambda: run("generate_demo_data", tasks=600, departments=20, seed=7, stdout=StringIO()),
        TODAY,
    ):
        yield


def test_the_overview_from_the_tally_is_the_overview_of_the_tasks(calendar_day, generated):
    """Every figure of the office's overview and of its table by source, on each of the days
    that break date arithmetic: the same summed from the shapes as counted from the tasks."""
    today = timezone.localdate()
    assert today == calendar_day
    tasks = selectors.lights(Task.objects.tracked(), today)
    tally = selectors.tally(today)
    live = dashboards.counted(tasks, today=today)
    summed = dashboards.counted(tasks, today=today, tally=tally)
    assert summed == live
    assert live["total"] > 600 and live["pending"] > 0 and live["light_red"] > 0
    assert source_counts(tasks, today=today, tally=tally) == source_counts(tasks, today=today)


def test_the_tally_serves_only_the_unfiltered_overview_of_those_who_see_everything(rf, demo_users):
    from tasks.filtersets import DashboardFilterSet

    def every(username, query):
        request = rf.get("/dashboard/", query)
        request.user = user(username)
        filterset = DashboardFilterSet(request.GET, queryset=Task.objects.all(), request=request)
        return dashboards.of_every_task(request.user, filterset)

    assert every("office", {})
    assert every("leader", {"page": "2"}), "a parameter that is not a filter cuts nothing"
    assert not every("office", {"department": "1"})
    assert not every("office", {"year": "2027"})
    assert not every("staff", {}), "a department sees its own tasks"


def test_a_request_decided_in_bulk_stops_waiting():
    task = own_task()
    extension_request(task=task, by=user("staff"), reason="需要协调", proposed_deadline=date(2027, 12, 31))
    assert waiting(task)
    ExtensionRequest.objects.filter(task=task).update(status=RequestStatus.REFUSED)
    assert not waiting(task)
    agree()


def test_each_light_filter_selects_the_tasks_of_that_light(calendar_day, generated):
    """The light filter is a condition on the columns (so an index serves it); it selects
    exactly the tasks whose computed light is that one."""
    today = timezone.localdate()
    tasks = selectors.lights(Task.objects.all(), today)
    portal = {"warning_days": selectors.warning_days(), "report_due_day": 25}
    for light in Light.values:
        wanted = set(tasks.filter(light=light).values_list("pk", flat=True))
        found = set(tasks.filter(light_q(light, today=today, **portal)).values_list("pk", flat=True))
        assert found == wanted, light
    assert tasks.filter(light=Light.RED).exists() and tasks.filter(light=Light.DONE).exists()


@pytest.mark.parametrize(
    "query",
    [
        "light=red",
        "light=yellow",
        "light=green",
        "light=done",
        "light=none",
        "report_late=true",
        "report_late=false",
        "status=assigned&source=plan",
        "pending=true&light=red",
        "pending=false",
        "active=true&report_late=true",
        "active=false",
        "source=instruction&light=yellow",
    ],
)
def test_a_list_counted_from_the_tally_counts_what_it_lists(login, generated, query):
    """The task list of those who see every task takes its number of tasks from the tally
    when its filters allow: the same number the list's own rows give."""
    client = login("office")
    page = client.get(f"/tasks/?{query}")
    shown = int(re.search(r'<strong id="task-count">(\d+)</strong>', page.content.decode()).group(1))
    request, today = page.wsgi_request, timezone.localdate()
    filterset = TaskFilterSet(
        request.GET, queryset=selectors.task_list(user=request.user, today=today), request=request
    )
    assert count_from_tally(filterset, selectors.tally(today)) == shown == filterset.qs.count()


def test_the_tally_does_not_count_lists_it_cannot_answer(rf, demo_users):
    def counted(username, query):
        request = rf.get("/tasks/", query)
        request.user = user(username)
        filterset = TaskFilterSet(request.GET, queryset=Task.objects.tracked(), request=request)
        return count_from_tally(filterset, selectors.tally(timezone.localdate()))

    assert counted("office", {"light": "red"}) is not None
    assert counted("office", {"light": "red", "q": "改革"}) is None, "a search is not kept in a shape"
    assert counted("office", {"department": "1"}) is None
    assert counted("office", {"light": "purple"}) is None, "an invalid filter"
    assert counted("staff", {"light": "red"}) is None, "a department sees its own tasks"


def test_saving_a_task_read_before_a_report_keeps_what_the_triggers_wrote():
    """The admin or a service holds a task while a report of it is submitted; saving that
    object afterwards writes its own fields, not its stale copy of the kept facts."""
    task = own_task()
    held = Task.objects.get(pk=task.pk)
    report = report_save(task=task, by=user("staff"), period=date(2026, 11, 1), text="推进", percent=30)
    report_submit(report=report, by=user("staff"))
    assert waiting(task) and Task.objects.get(pk=task.pk).reported_through == date(2026, 11, 1)
    held.title = "改了标题"
    held.save()
    saved = Task.objects.get(pk=task.pk)
    assert saved.title == "改了标题"
    assert saved.waiting and saved.reported_through == date(2026, 11, 1)
    agree()


def test_from_lead_follows_the_assignments():
    """A report is the lead's while its department leads the task: it moves to the office's
    queue or a lead department's as the assignments change, whoever changes them."""
    task = own_task()
    lead = task.assignments.get(role="lead").department
    other = Department.objects.exclude(pk__in=task.assignments.values("department")).order_by("pk").first()
    office = user("office")

    def report_of(department, period):
        return ProgressReport.objects.create(
            task=task,
            department=department,
            period=period,
            text="推进",
            status=ReportStatus.SUBMITTED,
            created_by=office,
            submitted_at=timezone.now(),
        )

    led, cooperated = report_of(lead, date(2026, 11, 1)), report_of(other, date(2026, 10, 1))

    def from_lead(report):
        return ProgressReport.objects.values_list("from_lead", flat=True).get(pk=report.pk)

    assert from_lead(led) and not from_lead(cooperated)
    task_assign(task=task, leads=[other], cooperating=[lead], by=office, reason="调整牵头单位")
    assert not from_lead(led) and from_lead(cooperated)
    agree()
    Assignment.objects.filter(task=task, department=lead).update(role="lead")
    assert from_lead(led) and from_lead(cooperated), "two leads"
    Assignment.objects.filter(task=task, department=other).update(role="cooperating")
    assert from_lead(led) and not from_lead(cooperated)
    ProgressReport.objects.filter(pk=led.pk).update(department=other)
    assert not from_lead(led), "moved to a department that does not lead"
    Assignment.objects.filter(task=task, department=other).delete()
    agree()
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=task,
            department=lead,
            period=date(2026, month, 1),
            text="补录",
            status=ReportStatus.SUBMITTED,
            created_by=office,
            submitted_at=timezone.now(),
        )
        for month in (7, 8, 9)
    )
    assert ProgressReport.objects.filter(task=task, department=lead, from_lead=True).count() == 3
    agree()


def test_the_review_queue_is_split_by_the_kept_flag(login):
    task = own_task()
    report = report_save(task=task, by=user("staff"), period=date(2026, 11, 1), text="推进", percent=30)
    report_submit(report=report, by=user("staff"))
    queue = review_queue(user=user("office"))
    assert report.pk in [r.pk for r in queue["reports"]]
    assert report.pk not in [r.pk for r in queue["cooperating_reports"]]
    assert queue["reports"].total == ProgressReport.objects.filter(status="submitted", from_lead=True).count()


def test_the_ranking_of_every_task_is_the_ranking_of_the_tracked_tasks(calendar_day, generated):
    today = timezone.localdate()
    tasks = selectors.lights(Task.objects.tracked(), today)

    def rows(**every):
        return [
            (r.department.pk, r.led, r.cooperating, r.on_time, r.overdue, r.reports_late, r.average_delay)
            for r in dashboards.department_ranking(tasks, sort="name", **every)
        ]

    ranked = rows(every_task=True)
    assert ranked == rows() and len(ranked) >= 20
    # Each department's late reports, counted the long way: its lead assignments of the
    # tasks whose report is late.
    late_tasks = {pk for pk, late in tasks.values_list("pk", "report_late") if late}
    late = Counter(
        department
        for department, task in Assignment.objects.filter(role="lead").values_list("department", "task")
        if task in late_tasks
    )
    assert {row[0]: row[5] for row in ranked} == {row[0]: late[row[0]] for row in ranked}
    if today.day == 26:
        assert sum(late.values()) > 0, "after the due day some reports are late"
    assert sum(row[4] for row in ranked) > 0 and any(row[6] for row in ranked)


def test_the_ranking_counts_this_months_overdue_tasks_live(generated):
    """A shape keeps an active task's deadline by its month: a task due on the 10th is not
    overdue on the 10th and is on the 11th, both read from the tally."""
    task = Task.objects.tracked().filter(status=TaskStatus.IN_PROGRESS, assignments__role="lead").first()
    lead = task.assignments.get(role="lead").department_id
    Task.objects.filter(pk=task.pk).update(deadline=date(2027, 3, 10))
    tasks = selectors.lights(Task.objects.tracked(), date(2027, 3, 10))

    def overdue(day):
        with time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI), tick=False):
            ranked = dashboards.department_ranking(tasks, every_task=True)
            live = dashboards.department_ranking(tasks)
        assert [(r.department.pk, r.overdue) for r in ranked] == [(r.department.pk, r.overdue) for r in live]
        return {r.department.pk: r.overdue for r in ranked}[lead]

    assert overdue(date(2027, 3, 11)) == overdue(date(2027, 3, 10)) + 1
    assert overdue(date(2027, 4, 1)) >= overdue(date(2027, 3, 11))


@pytest.mark.time_machine(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
@pytest.mark.parametrize("query", [*(f"light={light}" for light in Light.values), "report_late=true"])
def test_every_list_with_the_task_filters_takes_a_light_after_the_due_day(login, query):
    """The task list, the registers' list, the API and the ledger export share the task
    filters; on the day after the due day (when a light reads the report facts) each
    answers every light. The registers' list gave 500 before it carried the lights."""
    client = login("office")
    for url in ("/tasks/", "/matters/", "/api/tasks/", "/tasks/export/"):
        assert client.get(f"{url}?{query}").status_code == 200, url


@pytest.mark.parametrize(
    "url, tally",
    [
        ("/dashboard/", True),
        ("/api/dashboard/overview/", True),
        ("/tasks/?light=red", True),
        ("/dashboard/?year=2027", False),
        ("/tasks/?light=red&q=改革", False),
    ],
)
def test_the_pages_that_can_sum_the_tally_do(login, url, tally):
    """The speed is in the wiring: the office's unfiltered overview and a light list's count
    read the tally, not a count over the tasks; a filter the tally does not keep counts the
    tasks. (The figures are the same either way, which the tests above hold.)"""
    client = login("office")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    read = [q["sql"] for q in queries.captured_queries]
    assert any("tasks_tasktally" in sql for sql in read) == tally
    # Counted over the tasks: the overview's pass grouped by light, or the list's COUNT(*).
    counted_tasks = [
        sql
        for sql in read
        if 'FROM "tasks_task"' in sql
        and (
            ('AS "light"' in sql.split('FROM "tasks_task"')[0] and "GROUP BY" in sql)
            or sql.startswith('SELECT COUNT(*) AS "__count" FROM "tasks_task"')
        )
    ]
    assert bool(counted_tasks) != tally, counted_tasks


@pytest.mark.parametrize(
    "url, tally",
    [
        ("/dashboard/departments/", True),
        ("/api/dashboard/departments/", True),
        ("/dashboard/departments/?year=2027", False),
    ],
)
def test_the_ranking_of_every_task_sums_the_department_tally(login, url, tally):
    client = login("office")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    read = [q["sql"] for q in queries.captured_queries]
    assert any("tasks_departmenttally" in sql for sql in read) == tally
