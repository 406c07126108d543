"""Counts by source (plans, 批示, meetings, 建议提案, 政府工作报告), for the dashboard and the
registers' page alike."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q

from ..choices import ACTIVE_STATUSES, TaskSource
from ..filtersets import overdue_on


def source_counts(tasks, *, today: date) -> list[dict]:
    """Per source (plans, 批示, meetings, 建议提案, 政府工作报告): open, overdue and due within
    the warning days, in one query, each with the task list's query for its number."""
    soon = today + timedelta(days=settings.PORTAL["WARNING_DAYS"])
    active = Q(status__in=ACTIVE_STATUSES)
    rows = {
        row["plan__source"]: row
        for row in tasks.order_by()
        .values("plan__source")
        .annotate(
            open=Count("pk", filter=active),
            overdue=Count("pk", filter=active & overdue_on(today)),
            due_soon=Count("pk", filter=active & Q(deadline__gte=today, deadline__lte=soon)),
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
