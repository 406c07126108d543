"""Counts by source (plans, 批示, meetings, 建议提案, 政府工作报告), for the dashboard and the
registers' page alike."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from ..choices import ACTIVE_STATUSES, TaskSource
from ..filtersets import overdue_on


def source_counts(tasks, *, today: date, tally=None) -> list[dict]:
    """Per source (plans, 批示, meetings, 建议提案, 政府工作报告): open, overdue and due within
    the warning days, in one query, each with the task list's query for its number.
    `tally` (tasks.selectors.tally), when `tasks` are all tracked tasks: the same counts
    summed over the kept shapes (a shape keeps an open task's deadline)."""
    soon = today + timedelta(days=settings.PORTAL["WARNING_DAYS"])
    active = Q(status__in=ACTIVE_STATUSES)
    if tally is None:
        grouped = tasks.order_by().values(source=F("plan__source"))

        def number(condition):
            return Count("pk", filter=condition)
    else:
        grouped = tally.order_by().values("source")

        def number(condition):
            return Coalesce(Sum("n", filter=condition), 0)

    rows = {
        row["source"]: row
        for row in grouped.annotate(
            open=number(active),
            overdue=number(active & overdue_on(today)),
            due_soon=number(active & Q(deadline__gte=today, deadline__lte=soon)),
        )
    }
    counts = []
    for source in TaskSource:
        row = rows.get(source, {})
        counts.append(
            {
                "source": source.value,
                "label": source.label,
                "open": row.get("open", 0),
                "overdue": row.get("overdue", 0),
                "due_soon": row.get("due_soon", 0),
                "open_query": f"source={source.value}&active=true",
                "overdue_query": f"source={source.value}&active=true&overdue_on={today.isoformat()}",
                "due_soon_query": f"source={source.value}&active=true&due_within={settings.PORTAL['WARNING_DAYS']}",
            }
        )
    return counts
