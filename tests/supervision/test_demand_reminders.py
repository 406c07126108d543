"""Rectification demands (整改要求) are chased by the daily sweep like deadlines."""

from datetime import timedelta

from supervision.services import demand_raise, demand_report
from tasks.models import Notification, Reminder
from tasks.services.reminders import reminders_send, reminders_sweep
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
    mine = [r for r in new if r.target == f"demand:{demand.pk}"]
    assert {(r.rule, r.recipient.username) for r in mine} == {("before:3", "staff2")}
    reminders_send(unsent)
    note = Notification.objects.get(recipient__username="staff2", title__startswith="整改催办")
    assert note.url == demand.get_absolute_url() and "还有3天到期" in note.title
    # A week overdue: the department's head (区发改委 has no head's account: its staff);
    # two weeks: the office.
    week_late, _ = reminders_sweep(today=world.today + timedelta(days=10), queue=False)
    assert ("escalate:head", "staff2") in {
        (r.rule, r.recipient.username) for r in week_late if r.target.startswith("demand")
    }
    fortnight, _ = reminders_sweep(today=world.today + timedelta(days=17), queue=False)
    office = {
        r.recipient.username for r in fortnight if r.rule == "escalate:office" and r.target == f"demand:{demand.pk}"
    }
    assert office == {"office"}
    # Once the department reports, the demand waits for the office, not for reminders.
    demand_report(demand=demand, text="平台已建成", by=world.user("staff2"))
    later, _ = reminders_sweep(today=world.today + timedelta(days=19), queue=False)
    assert not [r for r in later if r.target == f"demand:{demand.pk}"]
    assert Reminder.objects.filter(target=f"demand:{demand.pk}").count() == len(mine) + 2 + len(office)
