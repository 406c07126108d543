"""When a task starts to owe reports. Plain Python.

A task owes a report from the first full reporting period after it was given out (交办):
given out on 30 November, its first monthly report is December's, due on 25 December,
not November's, whose due day came before the task existed. Lights, reminders,
dashboards, inspection suggestions and scores all ask this module (in SQL, through
tasks.querysets.owes_report, which says the same thing as `report_owed`).

A task given out before the portal recorded the day (assigned_on empty) owes every period.
"""

from datetime import date

from .cycles import CYCLE_MONTHS, add_months, period_start, report_due_date


def report_owed(period: date, assigned_on: date | None) -> bool:
    """Whether the report of the period starting on `period` is owed: the period began on
    or after the day the task was given out."""
    return assigned_on is None or period >= assigned_on


def first_period(cycle: str, assigned_on: date) -> date:
    """The start of the first full period after `assigned_on` (that day itself if a period
    starts on it)."""
    start = period_start(cycle, assigned_on)
    return start if start == assigned_on else add_months(start, CYCLE_MONTHS[cycle])


def first_report_due(cycle: str, assigned_on: date | None, due_day: int) -> date | None:
    """The due date of the first report owed; None when every period is owed (no date
    recorded) or the cycle has no reports (不定期)."""
    if assigned_on is None or cycle not in CYCLE_MONTHS:
        return None
    return report_due_date(cycle, first_period(cycle, assigned_on), due_day)
