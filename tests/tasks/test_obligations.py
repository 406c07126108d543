"""Obligations start when the work does: a report is owed from the first full reporting period
after the task was given out, and lights, reminders, dashboards, inspections and scores agree."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model

from departments.permissions import SYSTEM
from supervision.judging import NOT_STARTED, ON_TRACK, TaskFacts, suggest_rating
from supervision.services import inspection_create
from tasks.choices import TaskStatus
from tasks.models import Task
from tasks.obligations import first_period, first_report_due, report_owed
from tasks.querysets import owes_report
from tasks.services import task_assign, tasks_give_out
from tests.conftest import SHANGHAI
from tests.factories import TaskFactory

NOV_30 = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("cycle", "assigned_on", "first", "due"),
    [
        ("monthly", NOV_30, date(2026, 12, 1), date(2026, 12, 25)),
        ("monthly", date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 25)),  # a period starting that day
        ("monthly", date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 25)),
        ("quarterly", NOV_30, date(2027, 1, 1), date(2027, 3, 25)),
        ("quarterly", date(2026, 10, 1), date(2026, 10, 1), date(2026, 12, 25)),
    ],
)
def test_the_first_report_is_owed_for_the_first_full_period(cycle, assigned_on, first, due):
    assert first_period(cycle, assigned_on) == first
    assert first_report_due(cycle, assigned_on, 25) == due
    assert report_owed(date(2026, 11, 1), assigned_on) == (assigned_on <= date(2026, 11, 1))
    assert report_owed(first, assigned_on)


def test_tasks_given_out_before_the_day_was_recorded_owe_every_period():
    assert report_owed(date(2015, 1, 1), None)
    assert first_report_due("monthly", None, 25) is None
    assert first_report_due("none", NOV_30, 25) is None


@pytest.mark.django_db
def test_the_sql_rule_is_the_python_rule():
    days = [None, date(2026, 10, 1), date(2026, 11, 1), date(2026, 11, 16), NOV_30, date(2026, 12, 1)]
    tasks = [TaskFactory(assigned_on=day) for day in days]
    for period in (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)):
        in_sql = set(
            Task.objects.filter(owes_report(period), pk__in=[t.pk for t in tasks]).values_list("pk", flat=True)
        )
        assert in_sql == {t.pk for t in tasks if report_owed(period, t.assigned_on)}, period


def test_an_inspection_does_not_call_a_task_just_given_out_not_started():
    facts = dict(
        status="assigned",
        progress=0,
        deadline=date(2027, 6, 30),
        start=None,
        completed_on=None,
        milestones_missed=0,
        indicators_behind=0,
        has_accepted_report=False,
    )
    given_today = TaskFacts(**facts, first_report_due=date(2026, 12, 25))
    assert suggest_rating(given_today, NOV_30) == ON_TRACK
    assert suggest_rating(given_today, date(2026, 12, 26)) == NOT_STARTED  # December's report was owed
    assert suggest_rating(TaskFacts(**facts), NOV_30) == NOT_STARTED  # no day recorded: as before


@pytest.mark.django_db
@pytest.mark.time_machine(datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI))
def test_a_task_given_out_on_30_november_is_green_and_not_judged_not_started_that_day(demo_users, dept):
    office = get_user_model().objects.get(username="office")
    task = TaskFactory(title="十一月三十日交办的任务", deadline=date(2027, 6, 30))
    task_assign(task=task, leads=[dept("区编委办")], by=SYSTEM)
    tasks_give_out(tasks=[task], by=office)
    light = Task.objects.with_light(today=NOV_30, warning_days=7, report_due_day=25).get(pk=task.pk)
    assert (light.report_late, light.light) == (False, "green")  # November's due day came before it

    inspection = inspection_create(
        title="月底抽查",
        kind="spot",
        period_start=date(2026, 11, 1),
        period_end=NOV_30,
        scope=f"plan={task.plan_id}",
        by=get_user_model().objects.get(username="supervisor"),
    )
    finding = inspection.findings.get(task=task)
    assert finding.suggested_rating == ON_TRACK and finding.task_status == TaskStatus.ASSIGNED
