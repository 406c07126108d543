"""When a deadline calls for a reminder (催办), and to whom. Plain Python.

A rule is a string that, with the date it falls due, names one reminder:
    before:7  before:3  before:1  before:0   n days before the deadline (0: on the day)
    overdue:1 overdue:4 …                     the first day overdue, then every N days
    escalate:head                             M days overdue: the department head
    escalate:office                           K days overdue: the government office
"""

from dataclasses import dataclass
from datetime import date, timedelta

LEAD, COOPERATING, HEAD, OFFICE = "lead", "cooperating", "head", "office"


@dataclass(frozen=True)
class Schedule:
    before: tuple[int, ...] = (7, 3, 1, 0)
    overdue_every: int = 3
    escalate_head_after: int = 7
    escalate_office_after: int = 14
    # How far back overdue reminders are still sent: a task years late is the office's, not a nag's.
    overdue_horizon: int = 365


@dataclass(frozen=True)
class Due:
    rule: str
    audience: tuple[str, ...]  # who among the task's people: lead, cooperating, head, office


def due_today(deadline: date, today: date, schedule: Schedule) -> list[Due]:
    """The reminders a deadline calls for today."""
    days_left = (deadline - today).days
    found = []
    if days_left in schedule.before:
        found.append(Due(f"before:{days_left}", (LEAD, COOPERATING)))
    late = -days_left
    if 1 <= late <= schedule.overdue_horizon and (late - 1) % schedule.overdue_every == 0:
        found.append(Due(f"overdue:{late}", (LEAD,)))
    if late == schedule.escalate_head_after:
        found.append(Due("escalate:head", (HEAD,)))
    if late == schedule.escalate_office_after:
        found.append(Due("escalate:office", (OFFICE,)))
    return found


def deadlines_due(today: date, schedule: Schedule) -> list[date]:
    """Every deadline that calls for some reminder today: the sweep asks the database for
    exactly these dates (an indexed IN), so its cost follows what is due, not all tasks."""
    dates = {today + timedelta(days=n) for n in schedule.before}
    dates |= {today - timedelta(days=late) for late in range(1, schedule.overdue_horizon + 1, schedule.overdue_every)}
    dates |= {
        today - timedelta(days=schedule.escalate_head_after),
        today - timedelta(days=schedule.escalate_office_after),
    }
    return sorted(dates)


# Reports (进展报送). A cycle's period starts on the first day of its month or quarter;
# its report is due on the due day of the period's last month. A lead department that
# has sent nothing for the period by then is reminded the next day ("report:<cycle>"),
# and again some days later ("report-again:<cycle>").
MONTHLY, QUARTERLY = "monthly", "quarterly"
CYCLE_MONTHS = {MONTHLY: 1, QUARTERLY: 3}


def period_start(cycle: str, day: date) -> date:
    months = CYCLE_MONTHS[cycle]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def report_due_date(cycle: str, start: date, due_day: int) -> date:
    return add_months(start, CYCLE_MONTHS[cycle] - 1).replace(day=due_day)


def reports_late(today: date, due_day: int) -> list[tuple[str, date]]:
    """The (cycle, period start) whose reports are late today: the period is the current
    one and its due day has passed."""
    late = []
    for cycle in CYCLE_MONTHS:
        start = period_start(cycle, today)
        if today > report_due_date(cycle, start, due_day):
            late.append((cycle, start))
    return late


@dataclass(frozen=True)
class ReportDue:
    cycle: str
    period: date
    due: date
    rule: str


def report_reminders_due(today: date, due_day: int, again_after: int) -> list[ReportDue]:
    """The report reminders that fall on `today`: the day after a period's due day, and
    `again_after` days after that (which may be in the next period's first days)."""
    found = []
    for cycle, months in CYCLE_MONTHS.items():
        current = period_start(cycle, today)
        for start in (current, add_months(current, -months)):
            due = report_due_date(cycle, start, due_day)
            if today == due + timedelta(days=1):
                found.append(ReportDue(cycle, start, due, f"report:{cycle}"))
            if again_after and today == due + timedelta(days=1 + again_after):
                found.append(ReportDue(cycle, start, due, f"report-again:{cycle}"))
    return found
