"""Default deadlines from the office's source rules, counted on the official calendar."""

import calendar
from datetime import date

from tasks.selectors.calendar import add_working_days

from ..models import SourceRule


def rule_for(source: str, kind: str = "") -> SourceRule | None:
    rules = {rule.kind: rule for rule in SourceRule.objects.filter(source=source, kind__in=[kind, ""])}
    return rules.get(kind) or rules.get("")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 January + 1 → 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_deadlines(source: str, kind: str, start: date) -> tuple[date | None, date | None]:
    """(first feedback due, completion due) for an item given out on `start`, or None where
    the office's rule sets none."""
    rule = rule_for(source, kind)
    if rule is None:
        return None, None
    feedback = add_working_days(start, rule.feedback_workdays) if rule.feedback_workdays else None
    if rule.completion_workdays:
        done = add_working_days(start, rule.completion_workdays)
    elif rule.completion_months:
        done = add_months(start, rule.completion_months)
    else:
        done = None
    return feedback, done
