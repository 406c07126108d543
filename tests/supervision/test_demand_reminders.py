"""Rectification demands (整改要求) are chased by the daily sweep like deadlines."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from notifications.models import Notification
from reminders.models import Reminder
from reminders.schedule import Kind, Rule
from reminders.services import reminders_send, reminders_sweep
from supervision.models import RectificationDemand
from supervision.services import demand_raise, demand_report
from tests.supervision.test_services import finding


def test_a_demand_is_chased_before_its_date_and_escalated_when_overdue(world):
    fagaiwei = world.departments["fagaiwei"]
    demand = demand_raise(
        finding=finding(world, "overdue"),
        department=fagaiwei,
        requirement="一个月内建成平台并报告",
        due_date=world.today + timedelta(days=3),
        by=world.user("supervisor"),
    )
    new, unsent = reminders_sweep(today=world.today, queue=False)
    mine = [r for r in new if r.target == demand]
    assert {(r.rule, r.recipient.username) for r in mine} == {(Rule(Kind.BEFORE, 3), "staff2")}
    reminders_send(unsent)
    note = Notification.objects.get(recipient__username="staff2", title__startswith="整改催办")
    assert note.url == demand.get_absolute_url() and "还有3天到期" in note.title
    # 7 working days overdue: the department's head (区发改委 has no head's account: its
    # staff); 14 working days: the office. Issue 20 made these working days: due Thursday
    # 19 November, the head's turn is Monday 30 November, the office's Wednesday 9 December.
    week_late, _ = reminders_sweep(today=world.today + timedelta(days=14), queue=False)
    assert (Rule(Kind.ESCALATE_HEAD), "staff2") in {
        (r.rule, r.recipient.username) for r in week_late if isinstance(r.target, RectificationDemand)
    }
    fortnight, _ = reminders_sweep(today=world.today + timedelta(days=23), queue=False)
    office = {r.recipient.username for r in fortnight if r.rule == Rule(Kind.ESCALATE_OFFICE) and r.target == demand}
    assert office == {"office"}
    # Once the department reports, the demand waits for the office, not for reminders.
    demand_report(demand=demand, text="平台已建成", by=world.user("staff2"))
    later, _ = reminders_sweep(today=world.today + timedelta(days=25), queue=False)
    assert not [r for r in later if r.target == demand]
    # before:3, the head's escalation and the office's (no overdue reminder fell on those days).
    recorded = Reminder.objects.filter(subject_type=ContentType.objects.get_for_model(demand), subject_id=demand.pk)
    assert recorded.count() == len(mine) + 1 + len(office)
