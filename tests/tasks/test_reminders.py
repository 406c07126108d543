"""The reminder sweep against the real database, and through a real Celery worker on Redis."""

import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.permissions import SYSTEM
from notifications.models import Notification
from reminders.models import Reminder
from reminders.schedule import Kind, Rule
from reminders.services import reminders_send, reminders_sweep
from tasks.models import Task
from tasks.services import extension_decide, extension_request, task_acknowledge, task_transition

TODAY = date(2026, 11, 23)


def set_acknowledgement_aside():
    """These tests are about deadlines. The seed tasks, given out when loaded (the 16th), would
    also be chased for 签收 today (签收时限 the 19th, escalated two working days later), which
    test_acknowledge_deadline.py covers; here their 签收时限 is set aside."""
    Task.objects.update(acknowledge_by=None)


@pytest.fixture(autouse=True)
def acknowledged_in_time(db):
    set_acknowledgement_aside()


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
def test_the_database_itself_holds_a_rule_about_a_deadline_to_one_reminder_per_person(demo_users):
    task, staff = own_task(TODAY), user("staff")
    once = {"recipient": staff, "deadline": TODAY, "due_on": TODAY}
    Reminder.objects.create(task=task, rule=Rule(Kind.ESCALATE_HEAD), **once)
    Reminder.objects.create(task=task, rule=Rule(Kind.BEFORE, 3), **once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(task=task, rule=Rule(Kind.ESCALATE_HEAD), **once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(task=task, rule=Rule(Kind.BEFORE, 3), **once)
    # A registered subject (here the user's row stands for one) is held the same way.
    subject = {"subject_type": ContentType.objects.get_for_model(staff), "subject_id": staff.pk}
    Reminder.objects.create(task=task, rule=Rule(Kind.OVERDUE, 1), **subject, **once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(rule=Rule(Kind.OVERDUE, 1), **subject, **once)
    # The office's own 催办 may come again; a reminder about nothing, or two things, may not.
    Reminder.objects.create(task=task, rule=Rule(Kind.MANUAL), **once)
    Reminder.objects.create(task=task, rule=Rule(Kind.MANUAL), **once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(rule=Rule(Kind.BEFORE, 1), **once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(task=task, department=staff.membership.department, rule=Rule(Kind.BEFORE, 1), **once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(task=task, kind=Kind.ESCALATE_OFFICE, days=2, **once)
    assert Reminder.objects.filter(recipient=staff).count() == 5


@pytest.mark.django_db
def test_nothing_for_closed_suspended_or_draft_tasks(demo_users):
    task = own_task(TODAY + timedelta(days=1))
    task_transition(task=task, to="suspended", by=SYSTEM)
    reminders_sweep(today=TODAY, queue=False)
    assert not Reminder.objects.filter(task=task).exists()


@pytest.mark.django_db
def test_an_approved_extension_moves_the_schedule(demo_users):
    task = own_task(timezone.localdate() + timedelta(days=7))
    today = timezone.localdate()
    reminders_sweep(today=today, queue=False)
    assert Reminder.objects.filter(task=task, kind=Kind.BEFORE, days=7).count() == 2  # staff and head
    task = task_acknowledge(task=task, by=user("staff"))
    request = extension_request(
        task=task, by=user("staff"), reason="等待批复", proposed_deadline=today + timedelta(days=10)
    )
    extension_decide(request=request, by=user("office"), approve=True)
    reminders_sweep(today=today + timedelta(days=3), queue=False)  # 7 days before the new date
    seven_before = Reminder.objects.filter(task=task, kind=Kind.BEFORE, days=7, deadline=today + timedelta(days=10))
    assert seven_before.count() == 2
    reminders_sweep(today=today + timedelta(days=7), queue=False)  # the old date: nothing for it any more
    assert not Reminder.objects.filter(task=task, kind=Kind.BEFORE, days=0, deadline=today + timedelta(days=7)).exists()


@pytest.mark.django_db
def test_overdue_escalates_to_the_head_then_the_office_on_record(demo_users):
    # Escalations count working days (issue 20): 7 working days before Monday TODAY is
    # Thursday 12 November, 11 calendar days (its overdue:7 came on the 19th, alone).
    task = own_task(TODAY - timedelta(days=11))
    reminders_sweep(today=TODAY - timedelta(days=4), queue=False)  # 7 calendar days late: nothing yet
    assert not Reminder.objects.filter(task=task, kind=Kind.ESCALATE_HEAD).exists()
    reminders_sweep(today=TODAY, queue=False)
    rules = set(Reminder.objects.filter(task=task).values_list("kind", "days", "recipient__username"))
    assert (Kind.ESCALATE_HEAD, None, "head") in rules and (Kind.OVERDUE, 7, "staff") in rules
    assert (Kind.ESCALATE_HEAD, None, "staff") not in rules
    assert task.events.filter(kind="reminder", summary__contains="部门负责人").count() == 1
    reminders_sweep(today=TODAY, queue=False)
    assert task.events.filter(kind="reminder").count() == 1
    reminders_sweep(today=TODAY + timedelta(days=7), queue=False)  # 14 calendar days, 10 working
    assert not Reminder.objects.filter(task=task, kind=Kind.ESCALATE_OFFICE).exists()
    reminders_sweep(today=TODAY + timedelta(days=9), queue=False)  # Wednesday 2 December: 14 working days
    assert Reminder.objects.filter(task=task, kind=Kind.ESCALATE_OFFICE, recipient__username="office").exists()


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


def wait_for(condition, seconds=60):  # a worker process on a loaded 2-core machine
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_through_a_real_worker_on_redis_once_and_nothing_lost(celery_worker_thread):
    from reminders.tasks import sweep_reminders

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
    # 15: one more than before issue 20, for the office's calendar (CalendarDay), read once
    # per sweep so that reminders and escalations fall on its working days.
    with django_assert_max_num_queries(15) as few:
        first, _ = reminders_sweep(today=TODAY, queue=False)
    call_command("generate_demo_data", tasks=600, departments=10, seed=9, stdout=StringIO())
    own_task(TODAY + timedelta(days=1))
    # Two statements more at most: the escalations now due among the new tasks are recorded
    # on them together, in one INSERT, however many there are; and the new tasks late for
    # 签收 have their people read in one prefetch. (Before issue 20 no escalation fell due
    # among them on this Monday; counted in working days, some do.)
    with django_assert_max_num_queries(len(few) + 2):
        second, _ = reminders_sweep(today=TODAY, queue=False)
    assert len(first) == 4  # the task and its step, to staff and head
    assert {(r.target, r.rule) for r in second if r.target == task} == {(task, Rule(Kind.BEFORE, 1))}
