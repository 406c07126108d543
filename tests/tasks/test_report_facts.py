"""`Task.reported_through`, the fact the report lights read, agrees with the reports after
every kind of change (whoever writes the rows), and the lights and counts built on it are
the rule's, including right after midnight."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from departments.models import Department
from tasks.choices import ReportStatus
from tasks.facts import disagreeing, facts_disagreeing
from tasks.models import ProgressReport, Task
from tasks.services import report_review, report_save, report_submit, task_acknowledge, task_assign
from tasks.services.requests import completion_decide, completion_request, extension_decide, extension_request
from tests.calendar.test_each_day import report_late
from tests.dashboards.links import check_every_link, listed_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeds_given_out_in_october")]

SHANGHAI = ZoneInfo(settings.TIME_ZONE)


def user(name):
    return get_user_model().objects.get(username=name)


def own_task() -> Task:
    """A seed task the demo `staff` user's department leads, acknowledged, monthly."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    Task.objects.filter(pk=task.pk).update(deadline=date(2027, 6, 30), report_cycle="monthly")
    task.refresh_from_db()
    return task_acknowledge(task=task, by=user("staff"))


def sent_report(task: Task, period: date) -> ProgressReport:
    report = report_save(task=task, by=user("staff"), period=period, text="按计划推进", percent=30)
    return report_submit(report=report, by=user("staff"))


def kept(task: Task) -> date | None:
    return Task.objects.values_list("reported_through", flat=True).get(pk=task.pk)


def counts_agree(client, today: date) -> None:
    """The kept fact matches the reports, the list of late tasks is the rule's, and the
    dashboard's late tile opens to exactly that list."""
    # Every kept fact by name: tests/tasks/test_kept_facts.py holds the list of names.
    assert not any(facts_disagreeing().values()), facts_disagreeing()
    tracked = Task.objects.filter(kind="task").select_related("plan").prefetch_related("assignments", "reports")
    late = sum(1 for task in tracked if report_late(task, today))
    assert listed_count(client, "/tasks/?report_late=true") == late
    check_every_link(client, "/dashboard/")


@time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_fact_follows_each_kind_of_report_change(login):
    client = login("office")
    task = own_task()
    assert kept(task) is None
    counts_agree(client, date(2026, 11, 26))

    draft = report_save(task=task, by=user("staff"), period=date(2026, 11, 1), text="草稿", percent=10)
    assert kept(task) is None, "a draft is not sent"
    report = report_submit(report=draft, by=user("staff"))
    assert kept(task) == date(2026, 11, 1)
    counts_agree(client, date(2026, 11, 26))

    report_review(report=report, by=user("office"), accept=False, comment="请补充数据")
    assert kept(task) is None, "a returned report is not sent"
    counts_agree(client, date(2026, 11, 26))

    report = sent_report(task, date(2026, 10, 1))
    assert kept(task) == date(2026, 10, 1)
    report_review(report=report, by=user("office"), accept=True)
    assert kept(task) == date(2026, 10, 1), "accepted still counts"
    counts_agree(client, date(2026, 11, 26))

    ProgressReport.objects.filter(pk=report.pk).delete()
    assert kept(task) is None
    # Rows written around the services (an import, the admin, a script) are kept too.
    lead = task.assignments.get(role="lead").department
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                task=task,
                department=lead,
                period=date(2026, 9, 1),
                text="补录",
                status="accepted",
                created_by=user("staff"),
                submitted_at=timezone.now(),
            ),
            ProgressReport(
                task=task,
                department=lead,
                period=date(2026, 8, 1),
                text="补录",
                status="draft",
                created_by=user("staff"),
            ),
        ]
    )
    assert kept(task) == date(2026, 9, 1)
    assert kept(task) == date(2026, 9, 1), "a draft is not sent, even written in bulk"
    ProgressReport.objects.filter(task=task, status=ReportStatus.RETURNED).update(status=ReportStatus.SUBMITTED)
    assert kept(task) == date(2026, 11, 1)
    counts_agree(client, date(2026, 11, 26))


@time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_fact_follows_the_lead_department(login):
    client = login("office")
    task = own_task()
    sent_report(task, date(2026, 11, 1))
    lead = task.assignments.get(role="lead").department
    other = Department.objects.exclude(pk=lead.pk).order_by("pk").first()
    task_assign(task=task, leads=[other], cooperating=[lead], by=user("office"), reason="调整牵头单位")
    assert kept(task) is None, "the old lead's report is now a co-operating department's"
    counts_agree(client, date(2026, 11, 26))
    task_assign(task=task, leads=[lead], by=user("office"), reason="恢复")
    assert kept(task) == date(2026, 11, 1)
    counts_agree(client, date(2026, 11, 26))


@time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_counts_hold_after_an_extension_and_a_completion(login):
    client = login("office")
    task = own_task()
    request = extension_request(task=task, by=user("staff"), reason="需要协调", proposed_deadline=date(2027, 12, 31))
    counts_agree(client, date(2026, 11, 26))
    extension_decide(request=request, by=user("office"), approve=True)
    counts_agree(client, date(2026, 11, 26))
    request = completion_request(task=Task.objects.get(pk=task.pk), by=user("staff"), summary="已完成")
    completion_decide(request=request, by=user("office"), approve=True)
    assert Task.objects.get(pk=task.pk).status == "completed"
    counts_agree(client, date(2026, 11, 26))


@pytest.mark.parametrize(
    "before, after",
    [
        # The due day ends: this month's reports fall late at midnight.
        (datetime(2026, 11, 25, 23, 59, 59), datetime(2026, 11, 26, 0, 0, 1)),
        # A month ends: December's reports are not due yet, November's no longer asked.
        (datetime(2026, 11, 30, 23, 59, 59), datetime(2026, 12, 1, 0, 0, 1)),
        # A quarter's last due day ends.
        (datetime(2026, 12, 25, 23, 59, 59), datetime(2026, 12, 26, 0, 0, 1)),
    ],
    ids=["due-day", "month-end", "quarter-due-day"],
)
def test_lights_and_counts_are_the_rules_on_both_sides_of_midnight(login, before, after):
    with time_machine.travel(before.replace(tzinfo=SHANGHAI), tick=False):
        client = login("office")
        task = own_task()
        sent_report(task, before.date().replace(day=1))
        counts_agree(client, before.date())
        late_before = listed_count(client, "/tasks/?report_late=true")
    with time_machine.travel(after.replace(tzinfo=SHANGHAI), tick=False):
        client = login("office")  # a new day's session: the pinned clock jumped
        counts_agree(client, after.date())
        late_after = listed_count(client, "/tasks/?report_late=true")
    if after.day == 26:
        assert late_before == 0 and late_after > 0
    else:
        assert late_before > 0 and late_after == 0
    assert timedelta(seconds=2) == after - before


def test_the_fact_follows_reports_written_in_bulk():
    """An import or a generator writes thousands of reports in one statement (a COPY on
    PostgreSQL): the fact of every task touched is right after it, and after a bulk
    withdrawal and a bulk deletion."""
    office = user("office")
    tracked = list(Task.objects.filter(kind="task", assignments__role="lead").distinct().order_by("pk"))
    leads = dict(Task.objects.filter(pk__in=[t.pk for t in tracked]).values_list("pk", "assignments__department"))
    periods = [date(2026, month, 1) for month in range(1, 11)]
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=task,
            department_id=leads[task.pk],
            period=period,
            text="批量导入",
            percent=10,
            status=ReportStatus.RETURNED if n % 3 == 1 else ReportStatus.ACCEPTED,
            created_by=office,
            submitted_at=timezone.now(),
        )
        for task in tracked
        for n, period in enumerate(periods)
    )
    assert disagreeing() == []
    assert kept(tracked[0]) == date(2026, 10, 1)
    ProgressReport.objects.filter(task__in=tracked[:12], period=date(2026, 10, 1)).update(status=ReportStatus.RETURNED)
    assert disagreeing() == []
    assert kept(tracked[0]) == date(2026, 9, 1)
    ProgressReport.objects.filter(task__in=tracked[:8]).delete()
    assert disagreeing() == []
    assert kept(tracked[0]) is None
    assert len(tracked) > 12 and kept(tracked[-1]) == date(2026, 10, 1)
