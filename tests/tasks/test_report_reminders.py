"""Reports due (进展报送): one reminder per lead department and period, by cycle, and
the office's own 催办 from a task page."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from departments.models import Membership
from notifications.models import Delivery, DeliverySettings, Notification
from reminders.models import Reminder
from reminders.schedule import Kind, Rule
from reminders.services import reminders_send, reminders_sweep
from tasks.choices import ACTIVE_STATUSES
from tasks.models import Plan, Task
from tasks.services import report_save, report_submit, task_acknowledge

DAY_AFTER_DUE = date(2026, 11, 26)  # reports are due on the 25th


def user(name):
    return get_user_model().objects.get(username=name)


def own_task() -> Task:
    """Seed 000's 2015 task (一): led by 区编委办 (staff, head)."""
    return Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")


def given_out_in_october():
    """The seeds are given out the day they are loaded (16 November), so they owe reports from
    December (tasks.obligations); these tests are about November's, owed by tasks given out before."""
    Task.objects.exclude(assigned_on=None).update(assigned_on=date(2026, 10, 1))


def missing_by_department(period: date, cycle: str) -> Counter:
    """Counted the slow way: every active task, its lead, its sent reports."""
    missing = Counter()
    for task in Task.objects.filter(kind="task").select_related("plan").prefetch_related("assignments", "reports"):
        own_cycle = task.report_cycle or task.plan.report_cycle
        if task.status not in ACTIVE_STATUSES or own_cycle != cycle:
            continue
        for assignment in task.assignments.all():
            sent = [
                r
                for r in task.reports.all()
                if r.department_id == assignment.department_id
                and r.status in ("submitted", "accepted")
                and r.period >= period
            ]
            if assignment.role == "lead" and not sent:
                missing[assignment.department_id] += 1
    return missing


@pytest.mark.django_db
def test_each_lead_department_missing_reports_is_reminded_once_with_the_count(demo_users):
    given_out_in_october()
    task = task_acknowledge(task=own_task(), by=user("staff"))
    report = report_save(task=task, by=user("staff"), period=date(2026, 11, 1), text="已完成清单梳理", percent=40)
    report_submit(report=report, by=user("staff"))
    expected = missing_by_department(date(2026, 11, 1), "monthly")
    assert expected  # the seeds have departments owing reports
    new, unsent = reminders_sweep(today=DAY_AFTER_DUE, queue=False)
    reports = [r for r in new if r.rule == Rule(Kind.REPORT, cycle="monthly")]
    people = {m.user_id: m.department_id for m in Membership.objects.filter(role__in=["staff", "head"])}
    expected_people = {user_id for user_id, department in people.items() if department in expected}
    assert {r.recipient_id for r in reports} == expected_people
    for reminder in reports:
        owed = expected[reminder.department_id]
        assert reminder.message == f"2026年11月尚有{owed}项牵头任务未报送进展（截止2026-11-25）"
        assert reminder.target == reminder.department and reminder.task is None and reminder.subject is None
    bianweiban = user("staff").membership.department_id
    assert (
        expected[bianweiban]
        == Task.objects.filter(
            assignments__department_id=bianweiban, assignments__role="lead", status__in=ACTIVE_STATUSES
        )
        .exclude(pk=task.pk)
        .count()
    )
    reminders_send(unsent)
    (note,) = Notification.objects.filter(recipient__username="staff", kind="reminder")
    assert note.title.startswith("报送提醒：2026年11月尚有") and note.url == "/tasks/?report_late=true"
    assert reminders_sweep(today=DAY_AFTER_DUE, queue=False)[0] == []  # once
    again, _ = reminders_sweep(today=DAY_AFTER_DUE + timedelta(days=3), queue=False)
    assert {r.recipient_id for r in again if r.rule == Rule(Kind.REPORT_AGAIN, cycle="monthly")} == expected_people


@pytest.mark.django_db
def test_a_quarterly_plan_is_chased_at_the_quarters_end_not_monthly(demo_users):
    given_out_in_october()
    plan = own_task().plan
    Plan.objects.filter(pk=plan.pk).update(report_cycle="quarterly")
    new, _ = reminders_sweep(today=DAY_AFTER_DUE, queue=False)
    assert not [r for r in new if r.department_id == user("staff").membership.department_id]
    december, _ = reminders_sweep(today=date(2026, 12, 26), queue=False)
    quarterly = [r for r in december if r.rule == Rule(Kind.REPORT, cycle="quarterly")]
    assert {r.message.split("尚有")[0] for r in quarterly} == {"2026年第4季度"}
    assert user("staff").pk in {r.recipient_id for r in quarterly}


@pytest.mark.django_db
def test_the_light_follows_the_tasks_own_cycle(demo_users):
    task = own_task()
    given_out_in_october()
    Task.objects.filter(pk=task.pk).update(report_cycle="quarterly", deadline=date(2027, 6, 30))

    def late(today):
        return Task.objects.with_light(today=today, warning_days=7, report_due_day=25).get(pk=task.pk).report_late

    assert not late(DAY_AFTER_DUE) and late(date(2026, 12, 26))
    Task.objects.filter(pk=task.pk).update(report_cycle="")
    assert late(DAY_AFTER_DUE)


@pytest.mark.django_db
def test_the_office_urges_from_the_task_page_and_it_is_on_record(login, django_capture_on_commit_callbacks):
    task = own_task()
    DeliverySettings.objects.create(user=user("staff"), email=True, digest=True)
    get_user_model().objects.filter(username="staff").update(email="staff@gov.example.cn")
    client = login("office")
    page = client.get(task.get_absolute_url()).content.decode()
    assert "督办催办" in page and reverse("reminders:urge", args=[task.pk]) in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reminders:urge", args=[task.pk]), {"urge-message": "请于本周五前报送进展。"})
    assert response.status_code == 302 and len(callbacks) == 1
    reminders = Reminder.objects.filter(task=task, kind=Kind.MANUAL)
    assert {r.recipient.username for r in reminders} == {"staff", "head"}
    assert {r.sent_by.username for r in reminders} == {"office"}
    event = task.events.get(kind="reminder")
    assert event.actor.username == "office" and event.summary == "政府办催办（区编委办）：请于本周五前报送进展。"
    reminders_send([r.pk for r in reminders])
    note = Notification.objects.get(recipient__username="staff", kind="urge")
    assert note.body == "请于本周五前报送进展。" and note.title.startswith("政府办催办")
    assert note.url == task.get_absolute_url()
    # A 催办 goes at once even to a person who takes reminders in a digest.
    assert Delivery.objects.filter(recipient__username="staff", notification=note, digest_on=None).exists()
    assert "请于本周五前报送进展。" in login("staff").get(task.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_empty_or_foreign_urge_is_refused_and_saves_nothing(login):
    task = own_task()
    client = login("office")
    response = client.post(reverse("reminders:urge", args=[task.pk]), {"urge-message": "   "})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert login("staff").post(reverse("reminders:urge", args=[task.pk]), {"urge-message": "催"}).status_code == 403
    assert not Reminder.objects.exists() and not task.events.filter(kind="reminder").exists()
    Task.objects.filter(pk=task.pk).update(status="completed", completed_on=timezone.localdate())
    response = login("office").post(reverse("reminders:urge", args=[task.pk]), {"urge-message": "请尽快"})
    assert response.status_code == 403 and not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_task_given_out_after_the_period_began_owes_nothing_for_it(demo_users):
    """Given out on 16 November, a task owes December's report first: no November reminder,
    no yellow light on 26 November; December's is chased on the 26th of December."""
    task = own_task()
    assert task.assigned_on == date(2026, 11, 16)
    Task.objects.filter(pk=task.pk).update(deadline=date(2027, 6, 30))
    new, _ = reminders_sweep(today=DAY_AFTER_DUE, queue=False)
    assert not [r for r in new if r.department_id == user("staff").membership.department_id]
    light = Task.objects.with_light(today=DAY_AFTER_DUE, warning_days=7, report_due_day=25).get(pk=task.pk)
    assert (light.report_late, light.light) == (False, "green")
    december, _ = reminders_sweep(today=date(2026, 12, 26), queue=False)
    assert user("staff").pk in {r.recipient_id for r in december if r.rule == Rule(Kind.REPORT, cycle="monthly")}
    light = Task.objects.with_light(today=date(2026, 12, 26), warning_days=7, report_due_day=25).get(pk=task.pk)
    assert (light.report_late, light.light) == (True, "yellow")
