"""Report cycles (报送周期) as dates, plain Python: which period a day is in, when its
report is due, which periods' reports are late."""

from datetime import date

# Reports (进展报送). A cycle's period starts on the first day of its month or quarter;
# its report is due on the due day of the period's last month. A lead department that
# has sent nothing for the period by then is reminded the next day (reminders' rule
# "report" of the cycle), and again some days later ("report_again").
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
