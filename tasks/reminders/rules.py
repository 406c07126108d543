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
