"""Rectification demands (整改要求) and 督办单 awaiting their 回执 as sources of the reminder
sweep (reminders/sources.py), registered in SupervisionConfig.ready."""

from datetime import date

from reminders.schedule import Kind, Rule, Schedule, due_today
from reminders.sources import Owed, People

from .choices import DemandStatus
from .models import Notice, RectificationDemand


def _unit_audience(rule: Rule, department_id: int, known: People) -> list[int]:
    """The unit's staff; its head when escalated (its staff if it has none); the office last."""
    if rule.kind == Kind.ESCALATE_HEAD:
        users = known.heads[department_id] or known.staff[department_id]
    elif rule.kind == Kind.ESCALATE_OFFICE:
        users = known.office
    else:
        users = known.staff[department_id]
    return sorted(set(users))


def demands_owed(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    """Demands are chased like deadlines: before and on the due date and when overdue to the
    responsible department, then its head, then the office. A demand the department has
    reported on waits for the office, not for a reminder."""
    owed = []
    demands = RectificationDemand.objects.filter(status=DemandStatus.OPEN, due_date__in=dates).select_related("finding")
    for demand in demands.only("pk", "due_date", "department_id", "finding__task_id"):
        for due in due_today(demand.due_date, today, plan):
            owed += [
                Owed(demand.finding.task_id, None, due.rule, user, demand.due_date, subject=demand)
                for user in _unit_audience(due.rule, demand.department_id, known)
            ]
    return owed


def notices_owed(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    """A 督办单 without its 回执 is chased the same way by its 反馈时限; the 回执 ends it."""
    owed = []
    notices = Notice.objects.filter(responded_at__isnull=True, feedback_due__in=dates)
    for notice in notices.only("pk", "year", "sequence", "feedback_due", "department_id"):
        for due in due_today(notice.feedback_due, today, plan):
            owed += [
                Owed(None, None, due.rule, user, notice.feedback_due, subject=notice)
                for user in _unit_audience(due.rule, notice.department_id, known)
            ]
    return owed
