"""When a deadline calls for a reminder (催办), and to whom: the schedule, plain Python.

A rule is a value (`Rule`) that, with the deadline it is about, names one reminder:
    before, days=7, 3, 1, 0     n days before the deadline (0: on the day)
    overdue, days=1, 4, …       the first day overdue, then every N days
    escalate_head               M working days overdue: the department head
    escalate_office             K working days overdue: the government office
    acknowledge_late            签收: the first working day after the 签收时限
    acknowledge_head            签收: N working days after it, the department head
    report, cycle=monthly       报送: the day after a period's due day, to a department
    report_again, cycle=…       报送: some days later, again
    manual                      the office's own 催办, in its own words
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import workdays
from tasks.cycles import CYCLE_MONTHS, MONTHLY, add_months, period_start, report_due_date


class Kind(StrEnum):
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATE_HEAD = "escalate_head"
    ESCALATE_OFFICE = "escalate_office"
    ACKNOWLEDGE_LATE = "acknowledge_late"
    ACKNOWLEDGE_HEAD = "acknowledge_head"
    REPORT = "report"
    REPORT_AGAIN = "report_again"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


# The one place a rule's Chinese words live: the kinds' names (the admin's, and the task
# history's for an escalation) here, the reminder titles' phrases in Rule.phrase.
_KIND_LABELS = {
    Kind.BEFORE: "到期前提醒",
    Kind.OVERDUE: "逾期提醒",
    Kind.ESCALATE_HEAD: "逾期升级至部门负责人",
    Kind.ESCALATE_OFFICE: "逾期升级至政府办督办",
    Kind.ACKNOWLEDGE_LATE: "超时未签收提醒",
    Kind.ACKNOWLEDGE_HEAD: "超时未签收，升级至部门负责人",
    Kind.REPORT: "报送提醒",
    Kind.REPORT_AGAIN: "报送再次提醒",
    Kind.MANUAL: "政府办催办",
}
ESCALATIONS = frozenset({Kind.ESCALATE_HEAD, Kind.ESCALATE_OFFICE, Kind.ACKNOWLEDGE_HEAD})


@dataclass(frozen=True)
class Rule:
    """Which reminder: its kind, the days left or late (before, overdue) and the report
    cycle (report, report_again). With the deadline and the person it names one reminder."""

    kind: Kind
    days: int | None = None
    cycle: str = ""

    def __post_init__(self):
        object.__setattr__(self, "kind", Kind(self.kind))
        if (self.days is not None) != (self.kind in (Kind.BEFORE, Kind.OVERDUE)):
            raise ValueError(f"{self.kind}: days {self.days!r}")
        if bool(self.cycle) != (self.kind in (Kind.REPORT, Kind.REPORT_AGAIN)):
            raise ValueError(f"{self.kind}: cycle {self.cycle!r}")

    def __str__(self) -> str:
        if self.days is not None:
            return f"{self.kind.label}（{self.days}天）"
        if self.cycle:
            return f"{self.kind.label}（{'月度' if self.cycle == MONTHLY else '季度'}）"
        return self.kind.label

    def phrase(self, deadline: date) -> str:
        """What a deadline reminder's title says after its subject ("“…”还有3天到期（…）")."""
        if self.kind == Kind.BEFORE and self.days:
            return f"还有{self.days}天到期（{deadline}）"
        if self.kind == Kind.BEFORE:
            return f"今天到期（时限{deadline}）"
        if self.kind == Kind.OVERDUE:
            return f"已逾期{self.days}天（时限{deadline}）"
        if self.kind == Kind.ESCALATE_HEAD:
            return f"逾期升级：请部门负责人督促（时限{deadline}）"
        if self.kind == Kind.ESCALATE_OFFICE:
            return f"逾期升级：请政府办督办（时限{deadline}）"
        if self.kind == Kind.ACKNOWLEDGE_LATE:
            return f"已过签收时限（{deadline}），请尽快签收"
        if self.kind == Kind.ACKNOWLEDGE_HEAD:
            return f"签收时限{deadline}已过，请部门负责人督促签收"
        if self.kind == Kind.REPORT_AGAIN:
            return "（再次提醒）"
        return ""


LEAD, COOPERATING, HEAD, OFFICE = "lead", "cooperating", "head", "office"


@dataclass(frozen=True)
class Schedule:
    before: tuple[int, ...] = (7, 3, 1, 0)
    overdue_every: int = 3
    escalate_head_after: int = 7
    escalate_office_after: int = 14
    # How far back overdue reminders are still sent: a task years late is the office's, not a nag's.
    overdue_horizon: int = 365
    # The office's own calendar (CalendarDay rows: a day → working or not), which wins over
    # chinesecalendar's; the sweep fills it in, so these rules stay plain Python.
    overrides: Mapping[date, bool] = field(default_factory=dict)

    def working(self, day: date) -> bool:
        return workdays.is_working_day(day, self.overrides)

    def on_working_day(self, day: date) -> date:
        """`day`, or the last working day before it: a reminder is not sent on a holiday."""
        while not self.working(day):
            day -= timedelta(days=1)
        return day


@dataclass(frozen=True)
class Due:
    rule: Rule
    audience: tuple[str, ...]  # who among the task's people: lead, cooperating, head, office


def due_today(deadline: date, today: date, schedule: Schedule) -> list[Due]:
    """The reminders a deadline calls for today. A "before" reminder whose day is not a
    working day comes on the last working day before it, named by the days really left
    (a Monday deadline's reminders 1 and 3 days before are one, 3 days before, on the Friday); the
    escalations count working days overdue, so they too fall on working days."""
    days_left = (deadline - today).days
    found = []
    if days_left >= 0 and any(schedule.on_working_day(deadline - timedelta(days=n)) == today for n in schedule.before):
        found.append(Due(Rule(Kind.BEFORE, days_left), (LEAD, COOPERATING)))
    late = -days_left
    if 1 <= late <= schedule.overdue_horizon and (late - 1) % schedule.overdue_every == 0:
        found.append(Due(Rule(Kind.OVERDUE, late), (LEAD,)))
    if late >= 1 and schedule.working(today):
        working_late = _working_days_late(deadline, today, schedule)
        if working_late == schedule.escalate_head_after:
            found.append(Due(Rule(Kind.ESCALATE_HEAD), (HEAD,)))
        if working_late == schedule.escalate_office_after:
            found.append(Due(Rule(Kind.ESCALATE_OFFICE), (OFFICE,)))
    return found


def _working_days_late(deadline: date, today: date, schedule: Schedule) -> int:
    """Working days after `deadline` up to `today`, counted no further than one past the
    last escalation (a task a year late costs no more than one a fortnight late)."""
    stop = max(schedule.escalate_head_after, schedule.escalate_office_after) + 1
    days, day = 0, deadline
    while day < today and days < stop:
        day += timedelta(days=1)
        days += schedule.working(day)
    return days


def deadlines_due(today: date, schedule: Schedule) -> list[date]:
    """Every deadline that calls for some reminder today: the sweep asks the database for
    exactly these dates (an indexed IN), so its cost follows what is due, not all tasks."""
    dates = {today - timedelta(days=late) for late in range(1, schedule.overdue_horizon + 1, schedule.overdue_every)}
    if not schedule.working(today):
        return sorted(dates)
    # A "before" reminder moved here from the holidays that follow today.
    holidays_after = 0
    while not schedule.working(today + timedelta(days=holidays_after + 1)):
        holidays_after += 1
    dates |= {today + timedelta(days=n + k) for n in schedule.before for k in range(holidays_after + 1)}
    escalations = {schedule.escalate_head_after, schedule.escalate_office_after}
    # Walk back from today: the deadline `day` is `late` working days overdue today.
    late, day = 0, today
    while late <= max(escalations):
        late += schedule.working(day)
        day -= timedelta(days=1)
        if late in escalations:
            dates.add(day)
    return sorted(dates)


@dataclass(frozen=True)
class ReportDue:
    cycle: str
    period: date
    due: date
    rule: Rule


def report_reminders_due(today: date, due_day: int, again_after: int) -> list[ReportDue]:
    """The report reminders that fall on `today`: the day after a period's due day, and
    `again_after` days after that (which may be in the next period's first days)."""
    found = []
    for cycle, months in CYCLE_MONTHS.items():
        current = period_start(cycle, today)
        for start in (current, add_months(current, -months)):
            due = report_due_date(cycle, start, due_day)
            if today == due + timedelta(days=1):
                found.append(ReportDue(cycle, start, due, Rule(Kind.REPORT, cycle=cycle)))
            if again_after and today == due + timedelta(days=1 + again_after):
                found.append(ReportDue(cycle, start, due, Rule(Kind.REPORT_AGAIN, cycle=cycle)))
    return found


# 签收 (acknowledging a task given out) has its own deadline, counted in working days: the
# lead's staff are reminded on the first working day after it, the department head N
# working days after it; from then on the task is listed for the office (超时未签收).
ACKNOWLEDGE_LATE, ACKNOWLEDGE_HEAD = Rule(Kind.ACKNOWLEDGE_LATE), Rule(Kind.ACKNOWLEDGE_HEAD)
# How far back the sweep looks for a 签收时限 whose reminder falls today (longer than any holiday).
ACKNOWLEDGE_LOOKBACK_DAYS = 40


def acknowledgements_due(
    today: date, escalate_after: int, overrides: workdays.Overrides | None = None
) -> dict[date, list[Due]]:
    """The 签收时限 dates whose reminders fall on `today`, with those reminders: the sweep asks
    the database for tasks still unacknowledged on exactly these dates."""
    found: dict[date, list[Due]] = defaultdict(list)
    steps = [(1, Due(ACKNOWLEDGE_LATE, (LEAD,))), (max(escalate_after, 1), Due(ACKNOWLEDGE_HEAD, (HEAD,)))]
    for back in range(1, ACKNOWLEDGE_LOOKBACK_DAYS + 1):
        deadline = today - timedelta(days=back)
        for count, due in steps:
            if workdays.add_working_days(deadline, count, overrides) == today and due not in found[deadline]:
                found[deadline].append(due)
    return dict(found)
