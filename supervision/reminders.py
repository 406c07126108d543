"""Rectification demands (整改要求) as a source of the reminder sweep (reminders/sources.py),
registered in SupervisionConfig.ready."""

from datetime import date

from reminders.schedule import Kind, Schedule, due_today
from reminders.sources import Owed, People

from .choices import DemandStatus
from .models import RectificationDemand


def demands_owed(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    """Demands are chased like deadlines: before and on the due date and when overdue to the
    responsible department, then its head, then the office. A demand the department has
    reported on waits for the office, not for a reminder."""
    owed = []
    demands = RectificationDemand.objects.filter(status=DemandStatus.OPEN, due_date__in=dates).select_related(
        "finding__task"
    )
    for demand in demands.only("pk", "due_date", "department_id", "finding__task__id", "finding__task__title"):
        for due in due_today(demand.due_date, today, plan):
            if due.rule.kind == Kind.ESCALATE_HEAD:
                users = known.heads[demand.department_id] or known.staff[demand.department_id]
            elif due.rule.kind == Kind.ESCALATE_OFFICE:
                users = known.office
            else:
                users = known.staff[demand.department_id]
            owed += [
                Owed(demand.finding.task, None, due.rule, user, demand.due_date, subject=demand)
                for user in sorted(set(users))
            ]
    return owed
