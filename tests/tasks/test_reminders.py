"""The reminder sweep against the real database, and through a real Celery worker on Redis."""

import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from tasks.models import Notification, Reminder, Task
from tasks.services import extension_decide, extension_request, task_acknowledge, task_transition
from tasks.services.reminders import reminders_send, reminders_sweep

TODAY = date(2026, 11, 23)


def user(name):
    return get_user_model().objects.get(username=name)


def seed_task(deadline: date) -> Task:
    """Seed 000's 2016 task (一): 区民政局 leads, 区发改委 (staff2) co-operates."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(一)")
    Task.objects.filter(pk=task.pk).update(deadline=deadline)
    task.refresh_from_db()
    return task


def own_task(deadline: date) -> Task:
    """Seed 000's 2015 task (一): led by 区编委办 (staff, head)."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    Task.objects.filter(pk=task.pk).update(deadline=deadline)
    task.refresh_from_db()
    return task


def inbox(name):
    return list(Notification.objects.filter(recipient__username=name, kind="reminder").values_list("title", flat=True))


@pytest.mark.django_db
def test_a_sweep_reminds_once_and_a_second_sweep_sends_nothing(demo_users):
    own_task(TODAY + timedelta(days=3))
    seed_task(TODAY + timedelta(days=3))  # staff2 co-operates on this one
    new, unsent = reminders_sweep(today=TODAY, queue=False)
    assert reminders_send(unsent) == len(new) > 0
    assert inbox("staff") == [
        f"催办：“{own_task(TODAY + timedelta(days=3)).title[:30]}”还有3天到期（{TODAY + timedelta(days=3)}）"
    ]
    assert len(inbox("head")) == 1 and len(inbox("staff2")) == 1
    again, unsent = reminders_sweep(today=TODAY, queue=False)
    assert again == [] and reminders_send(unsent) == 0
    assert len(inbox("staff")) == 1


@pytest.mark.django_db
def test_nothing_for_closed_suspended_or_draft_tasks(demo_users):
    task = own_task(TODAY + timedelta(days=1))
    task_transition(task=task, to="suspended")
    reminders_sweep(today=TODAY, queue=False)
    assert not Reminder.objects.filter(task=task).exists()


@pytest.mark.django_db
def test_an_approved_extension_moves_the_schedule(demo_users):
    task = own_task(timezone.localdate() + timedelta(days=7))
    today = timezone.localdate()
    reminders_sweep(today=today, queue=False)
    assert Reminder.objects.filter(task=task, rule="before:7").count() == 2  # staff and head
    task = task_acknowledge(task=task, by=user("staff"))
    request = extension_request(
        task=task, by=user("staff"), reason="等待批复", proposed_deadline=today + timedelta(days=10)
    )
    extension_decide(request=request, by=user("office"), approve=True)
    reminders_sweep(today=today + timedelta(days=3), queue=False)  # 7 days before the new date
    assert Reminder.objects.filter(task=task, rule="before:7", deadline=today + timedelta(days=10)).count() == 2
    reminders_sweep(today=today + timedelta(days=7), queue=False)  # the old date: nothing for it any more
    assert not Reminder.objects.filter(task=task, rule="before:0", deadline=today + timedelta(days=7)).exists()


@pytest.mark.django_db
def test_overdue_escalates_to_the_head_then_the_office_on_record(demo_users):
    task = own_task(TODAY - timedelta(days=7))
    reminders_sweep(today=TODAY, queue=False)
    rules = set(Reminder.objects.filter(task=task).values_list("rule", "recipient__username"))
    assert ("escalate:head", "head") in rules and ("overdue:7", "staff") in rules
    assert ("escalate:head", "staff") not in rules
    assert task.events.filter(kind="reminder", summary__contains="部门负责人").count() == 1
    reminders_sweep(today=TODAY, queue=False)
    assert task.events.filter(kind="reminder").count() == 1
    reminders_sweep(today=TODAY + timedelta(days=7), queue=False)
    assert Reminder.objects.filter(task=task, rule="escalate:office", recipient__username="office").exists()


@pytest.mark.django_db
def test_the_command_reports_what_it_sent(demo_users):
    own_task(TODAY)
    out = StringIO()
    call_command("send_reminders", today=TODAY.isoformat(), dry_run=True, stdout=out)
    assert out.getvalue().strip().endswith("would send: 2") and not Reminder.objects.exists()
    out = StringIO()
    call_command("send_reminders", today=TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip().endswith("sent: 2")
    out = StringIO()
    call_command("send_reminders", today=TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip().endswith("sent: 0")


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_through_a_real_worker_on_redis_once_and_nothing_lost(celery_worker_thread):
    call_command("load_seed_plans", verbosity=0, stdout=StringIO())
    call_command("create_demo_users", password="demo-pass-2026", stdout=StringIO())
    from tasks.tasks import sweep_reminders

    own_task(TODAY + timedelta(days=1))
    sweep_reminders.delay(TODAY.isoformat())
    assert wait_for(lambda: len(inbox("staff")) == 1 and len(inbox("head")) == 1)
    sweep_reminders.delay(TODAY.isoformat())
    time.sleep(2)
    assert len(inbox("staff")) == 1 and len(inbox("head")) == 1
    # The message to send is lost (Redis flushed, say): the reminders wait in the database
    # and the next sweep sends them.
    seed_task(TODAY + timedelta(days=1))
    reminders_sweep(today=TODAY, queue=False)
    assert Reminder.objects.filter(sent_at__isnull=True).exists()
    sweep_reminders.delay(TODAY.isoformat())
    assert wait_for(lambda: not Reminder.objects.filter(sent_at__isnull=True).exists())
    assert len(inbox("staff2")) == 1


@pytest.mark.django_db
def test_the_daily_sweep_is_on_beat_in_the_database():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="tasks.sweep_reminders")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "30",
        "8",
        "1-5",
        "Asia/Shanghai",
    )
    assert task.enabled


@pytest.mark.django_db
def test_the_sweeps_query_count_does_not_grow_with_the_tasks(demo_users, django_assert_max_num_queries):
    """Tasks that are not due cost the sweep nothing: it asks only for the dates that are."""
    task = own_task(TODAY + timedelta(days=3))
    task.milestones.create(order=1, text="形成清单初稿", deadline=TODAY + timedelta(days=3))
    with django_assert_max_num_queries(14) as few:
        first, _ = reminders_sweep(today=TODAY, queue=False)
    call_command("generate_demo_data", tasks=600, departments=10, seed=9, stdout=StringIO())
    own_task(TODAY + timedelta(days=1))
    # One statement more at most: the escalations now due among the new tasks are recorded
    # on them together, in one INSERT, however many there are.
    with django_assert_max_num_queries(len(few) + 1):
        second, _ = reminders_sweep(today=TODAY, queue=False)
    assert len(first) == 4  # the task and its step, to staff and head
    assert {(r.target, r.rule) for r in second if r.target == f"task:{task.pk}"} == {(f"task:{task.pk}", "before:1")}
