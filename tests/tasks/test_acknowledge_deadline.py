"""签收 has its own deadline: a task not acknowledged by its 签收时限 is reminded to its lead,
escalated to the head, and listed for the office (超时未签收)."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model

from departments.permissions import SYSTEM
from notifications.models import Notification
from reminders.models import Reminder
from reminders.schedule import ACKNOWLEDGE_HEAD, ACKNOWLEDGE_LATE, acknowledgements_due
from reminders.services import reminders_send, reminders_sweep
from tasks.models import Task
from tasks.services import task_acknowledge, task_assign, tasks_give_out
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def test_the_rules_count_working_days_after_the_deadline():
    # 签收时限 Thursday 19 November: reminded Friday 20th, the head on Monday 23rd (2 working days).
    assert acknowledgements_due(date(2026, 11, 20), 2) == {
        date(2026, 11, 19): [_due(ACKNOWLEDGE_LATE)],
        date(2026, 11, 18): [_due(ACKNOWLEDGE_HEAD)],
    }
    assert acknowledgements_due(date(2026, 11, 21), 2) == {}  # a Saturday: nothing
    monday = acknowledgements_due(date(2026, 11, 23), 2)
    assert monday[date(2026, 11, 19)] == [_due(ACKNOWLEDGE_HEAD)]
    assert monday[date(2026, 11, 20)] == [_due(ACKNOWLEDGE_LATE)]
    # Across National Day: a 签收时限 of 30 September is chased on 8 October, the first working day.
    assert date(2026, 9, 30) in acknowledgements_due(date(2026, 10, 9), 2) or date(2026, 9, 30) in (
        acknowledgements_due(date(2026, 10, 8), 2)
    )


def _due(rule):
    from reminders.schedule import HEAD, LEAD, Due

    return Due(rule, (LEAD,) if rule == ACKNOWLEDGE_LATE else (HEAD,))


def test_a_task_not_acknowledged_is_reminded_then_escalated_then_listed(login, dept):
    late, prompt = TaskFactory(title="迟迟未签收的任务"), TaskFactory(title="按时签收的任务")
    for task in (late, prompt):
        task_assign(task=task, leads=[dept("区编委办")], by=SYSTEM)
    tasks_give_out(tasks=[late, prompt], by=user("office"))  # Monday 16th: 签收时限 Thursday 19th
    task_acknowledge(task=prompt, by=user("staff"))

    new, unsent = reminders_sweep(today=date(2026, 11, 20), queue=False)
    # (The seed plans' tasks, given out on the 16th too and not acknowledged, are chased alike.)
    first = [r for r in new if r.rule == ACKNOWLEDGE_LATE and r.task_id in (late.pk, prompt.pk)]
    assert {(r.task_id, r.recipient.username) for r in first} == {(late.pk, "staff"), (late.pk, "head")}
    reminders_send(unsent)
    note = Notification.objects.get(recipient__username="staff", task=late, kind="reminder")
    assert note.title == "签收提醒：“迟迟未签收的任务”已过签收时限（2026-11-19），请尽快签收"

    new, _ = reminders_sweep(today=date(2026, 11, 23), queue=False)
    escalated = {(r.task_id, r.recipient.username) for r in new if r.rule == ACKNOWLEDGE_HEAD}
    assert (late.pk, "head") in escalated and (late.pk, "staff") not in escalated
    assert not [r for r in new if r.task_id == prompt.pk]
    assert late.events.filter(summary="超时未签收，升级至部门负责人").count() == 1
    assert reminders_sweep(today=date(2026, 11, 23), queue=False)[0] == []  # once
    assert Notification.objects.filter(task=late, kind="reminder").count() == 2  # staff and head, once each
    assert not Reminder.objects.filter(task=prompt).exists()

    with time_machine.travel(date(2026, 11, 23).isoformat() + "T10:00:00+08:00"):
        listed = login("office").get("/tasks/?acknowledge_late=true")
        assert "迟迟未签收的任务" in listed.content.decode() and "按时签收的任务" not in listed.content.decode()
        dashboard = login("office").get("/dashboard/").content.decode()
        assert "超时未签收" in dashboard and "acknowledge_late=true" in dashboard
    assert Task.objects.filter(Task.objects.acknowledge_late_q(date(2026, 11, 23))).filter(pk=late.pk).exists()
