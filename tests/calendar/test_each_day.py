"""What depends on the date, run on each of the days that break date arithmetic.

Every test here asks for `calendar_day` (tests/conftest.py) first, so it runs once on each
pinned day, whatever the real date: the code under test takes "today" from the pinned
clock (timezone.localdate()), never from an argument the test passes in. The expected
values are worked out here the slow way, from the dates alone."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

import workdays
from assessment.choices import Rule
from assessment.scoring.engine import Period
from assessment.selectors import live_lines
from departments.models import Membership
from reminders.models import Reminder
from reminders.schedule import Kind
from reminders.schedule import Rule as ReminderRule
from reminders.services import reminders_sweep
from tasks.choices import ACTIVE_STATUSES
from tasks.forms import month_choices
from tasks.lights import traffic_light
from tasks.models import Plan, Task
from tasks.obligations import report_owed
from tasks.selectors.calendar import calendar_overrides
from tasks.services import report_save, report_submit, task_acknowledge
from tests.assessment import builders as b
from tests.dashboards.links import check_every_link, listed_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeds_given_out_in_october")]

DUE_DAY = settings.PORTAL["REPORT_DUE_DAY"]
AGAIN_AFTER = settings.PORTAL["REPORT_REMIND_AGAIN_AFTER"]


def user(name):
    return get_user_model().objects.get(username=name)


def months_back(day: date, n: int) -> date:
    """The first day of the month n months before `day`'s, counted one month at a time."""
    first = day.replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def period_of(day: date, cycle: str) -> tuple[date, date]:
    """The reporting period holding `day`: its first day and the first day after it."""
    first = day.replace(day=1)
    if cycle == "quarterly":
        while first.month not in (1, 4, 7, 10):
            first = months_back(first, 1)
        months = 3
    else:
        months = 1
    end = first
    for _ in range(months):
        end = (end + timedelta(days=31)).replace(day=1)
    return first, end


def report_late(task: Task, today: date) -> bool:
    """The task owes the current period's report (it was given out by the period's first
    day), the lead department has sent nothing for it, and its due day (the due day of the
    period's last month) has passed."""
    cycle = task.report_cycle or task.plan.report_cycle
    if cycle not in ("monthly", "quarterly") or task.status not in ACTIVE_STATUSES:
        return False
    start, end = period_of(today, cycle)
    if not report_owed(start, task.assigned_on):
        return False
    due = (end - timedelta(days=1)).replace(day=DUE_DAY)
    leads = {a.department_id for a in task.assignments.all() if a.role == "lead"}
    sent = any(
        r.department_id in leads and start <= r.period < end and r.status in ("submitted", "accepted")
        for r in task.reports.all()
    )
    return today > due and not sent


def active_seed_tasks(count: int) -> list[Task]:
    """Active seed tasks whose lead department has people to remind."""
    staffed = Membership.objects.filter(role="staff").values("department_id")
    tasks = list(
        Task.objects.filter(
            kind="task", status__in=ACTIVE_STATUSES, assignments__role="lead", assignments__department__in=staffed
        )
        .distinct()
        .order_by("pk")[:count]
    )
    assert len(tasks) == count
    return tasks


# Days from today to the deadline whose reminders are checked: the "before" days, the
# overdue ones, and those where 7 or 14 working days overdue may fall around a weekend.
DEADLINE_OFFSETS = (8, 7, 3, 1, 0, -1, -4, -7, -9, -11, -13, -14, -20)  # 13: the seed's staffed tasks


def deadline_reminders(today: date, days: int) -> set[ReminderRule]:
    """The reminders a deadline `days` from today calls for: before it 7, 3, 1 and 0 days,
    each on the last working day on or before its day, named by the days really left;
    overdue on the first day and every third after; the head 7 working days overdue, the
    office 14 (issue 20: reminders fall on working days)."""
    deadline, rules, office = today + timedelta(days=days), set(), calendar_overrides()
    if workdays.is_working_day(today, office):
        holidays_after = 0
        while not workdays.is_working_day(today + timedelta(days=holidays_after + 1), office):
            holidays_after += 1
        if any(0 <= days - n <= holidays_after for n in (7, 3, 1, 0)):
            rules.add(ReminderRule(Kind.BEFORE, days))
        late = workdays.working_days_between(deadline, today, office) if days < 0 else 0
        if late in (7, 14):
            rules.add(ReminderRule(Kind.ESCALATE_HEAD if late == 7 else Kind.ESCALATE_OFFICE))
    if days < 0 and (-days - 1) % 3 == 0:
        rules.add(ReminderRule(Kind.OVERDUE, -days))
    return rules


def test_deadline_reminders_fall_on_their_days_and_only_once(calendar_day, demo_users):
    today = timezone.localdate()
    assert today == calendar_day
    tasks = dict(zip(DEADLINE_OFFSETS, active_seed_tasks(len(DEADLINE_OFFSETS)), strict=True))
    for days, task in tasks.items():
        Task.objects.filter(pk=task.pk).update(deadline=calendar_day + timedelta(days=days))
    new, _ = reminders_sweep(queue=False)
    assert new, "the sweep found nothing to remind"
    for days, task in tasks.items():
        rules = {reminder.rule for reminder in Reminder.objects.filter(task=task)}
        assert rules == deadline_reminders(calendar_day, days), (days, rules)
        assert not Reminder.objects.filter(task=task).exclude(due_on=calendar_day).exists()
    assert reminders_sweep(queue=False)[0] == []


def report_reminder_rules(day: date) -> set[ReminderRule]:
    """The report rules due on `day`, by walking the months around it: a month's reports
    are due on the due day; the reminder is the next day, and again AGAIN_AFTER days later.
    A quarter's are due in its last month."""
    rules = set()
    for back in range(3):
        month = months_back(day, back)
        due = month.replace(day=DUE_DAY)
        cycles = ["monthly"] + (["quarterly"] if month.month in (3, 6, 9, 12) else [])
        for cycle in cycles:
            if day == due + timedelta(days=1):
                rules.add(ReminderRule(Kind.REPORT, cycle=cycle))
            if AGAIN_AFTER and day == due + timedelta(days=1 + AGAIN_AFTER):
                rules.add(ReminderRule(Kind.REPORT_AGAIN, cycle=cycle))
    return rules


REPORTS = (Kind.REPORT, Kind.REPORT_AGAIN)


def test_report_reminders_fall_the_day_after_the_due_day_with_the_count_owed(calendar_day, demo_users):
    new, _ = reminders_sweep(queue=False)
    reports = [r for r in new if r.kind in REPORTS]
    assert {r.rule for r in reports} == report_reminder_rules(calendar_day)
    for reminder in reports:
        cycle = reminder.cycle
        owed = Task.objects.filter(
            kind="task",
            status__in=ACTIVE_STATUSES,
            assignments__department_id=reminder.department_id,
            assignments__role="lead",
        )
        owed = [t for t in owed if (t.report_cycle or t.plan.report_cycle) == cycle]
        assert owed and re.search(rf"尚有{len(owed)}项牵头任务未报送进展", reminder.message), reminder.message
    assert [r for r in reminders_sweep(queue=False)[0] if r.kind in REPORTS] == []


def test_lights_and_late_reports_agree_with_the_rule_and_the_lists(calendar_day, login):
    today = calendar_day
    offsets = [-30, -1, 0, 1, 5, 7, 8, 40, 400]
    tasks = active_seed_tasks(len(offsets))
    for days, task in zip(offsets, tasks, strict=True):
        Task.objects.filter(pk=task.pk).update(deadline=today + timedelta(days=days))
    # One lead reports for this month: its task is not late whatever the day.
    own = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    Task.objects.filter(pk=own.pk).update(deadline=today + timedelta(days=60))
    own = task_acknowledge(task=own, by=user("staff"))
    report_submit(
        report=report_save(task=own, by=user("staff"), period=today.replace(day=1), text="按计划推进", percent=30),
        by=user("staff"),
    )
    expected = {}
    for task in Task.objects.filter(kind="task").select_related("plan").prefetch_related("assignments", "reports"):
        late = report_late(task, today)
        expected[task.pk] = traffic_light(
            kind=task.kind,
            status=task.status,
            deadline=task.deadline,
            today=today,
            warning_days=settings.PORTAL["WARNING_DAYS"],
            report_late=late,
        )
    assert expected[own.pk] == "green"
    client = login("office")
    for light in ("red", "yellow", "green"):
        count = sum(1 for value in expected.values() if value == light)
        assert listed_count(client, f"/tasks/?light={light}") == count, light
    tracked = Task.objects.filter(kind="task").select_related("plan").prefetch_related("assignments", "reports")
    late_count = sum(1 for task in tracked if report_late(task, today))
    assert listed_count(client, "/tasks/?report_late=true") == late_count
    # Monthly reports fall late after the 25th; before it nothing is late yet.
    assert (late_count > 0) == (today.day > DUE_DAY)


def test_every_dashboard_number_opens_its_list(calendar_day, login):
    client = login("office")
    for days, task in zip([-3, 0, 2, 9], active_seed_tasks(4), strict=True):
        Task.objects.filter(pk=task.pk).update(deadline=calendar_day + timedelta(days=days))
    assert check_every_link(client, reverse("dashboard:overview")) >= 20


def test_the_report_form_offers_this_month_and_the_two_before(calendar_day):
    first = calendar_day.replace(day=1)
    months = [months_back(calendar_day, n) for n in range(3)]
    assert [value for value, _ in month_choices(timezone.localdate())] == [m.isoformat() for m in months]
    assert months[0] == first and months[1] < first and months[2] < months[1]
    labels = [label for _, label in month_choices(timezone.localdate())]
    assert labels[0] == f"{first.year}年{first.month}月"


def test_an_inspection_today_counts_overdue_days_to_today(calendar_day, demo_users):
    from supervision.services import inspection_create

    late, fresh = active_seed_tasks(2)
    Task.objects.filter(pk=late.pk).update(deadline=calendar_day - timedelta(days=45))
    Task.objects.filter(pk=fresh.pk).update(deadline=calendar_day + timedelta(days=45))
    inspection = inspection_create(
        title="专项督查",
        kind="special",
        period_start=calendar_day - timedelta(days=30),
        period_end=calendar_day,
        scope=f"plan={late.plan_id}",
        by=user("supervisor"),
    )
    finding = inspection.findings.get(task=late)
    assert finding.overdue_days == 45 and finding.suggested_rating == "overdue"
    if fresh.plan_id == late.plan_id:
        assert inspection.findings.get(task=fresh).overdue_days == 0


def test_the_assessment_scores_as_of_today_while_the_year_runs(calendar_day):
    plan = b.plan(calendar_day.year)
    lead = b.department("甲局")
    scheme = b.scheme(year=calendar_day.year)
    period = Period.of(scheme)
    assert period.as_of == calendar_day  # every pinned day is inside its own year
    deadline = calendar_day - timedelta(days=10)
    if deadline.year != calendar_day.year:
        return  # 1 January: nothing of this year can be ten days late yet
    task = b.task(plan, lead=lead, weight="10", deadline=deadline)
    # Ten days late today: two weeks counted whole, 10% a week of 分值 10.
    lines = [(line.rule, line.points) for line in live_lines(period, lead.pk) if line.task_id == task.pk]
    assert (Rule.LATE_DEDUCTION, Decimal("-2.00")) in lines
    last_year = b.scheme(year=calendar_day.year - 1, title="上年度考核")
    assert Period.of(last_year).as_of == date(calendar_day.year - 1, 12, 31)


def test_a_plan_made_today_is_dated_today(calendar_day, demo_users):
    plan = Plan.objects.create(slug=f"today-{calendar_day:%Y%m%d}", title="当日方案", year=calendar_day.year)
    assert timezone.localtime(plan.created_at).date() == calendar_day
