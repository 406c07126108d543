"""Reads of the office's registers, scoped by the tasks' own rule (Task.objects.visible_to)."""

from datetime import date

from django.db.models import Prefetch

from tasks.models import Assignment, Task
from tasks.querysets import of_visible_tasks
from tasks.selectors.sources import source_counts as counts_by_source

from .models import MATTER_SOURCES, Instruction, Meeting, Proposal


def matter_tasks(user):
    """The 督办事项 from the office's registers the user may see, with their source facts."""
    return (
        Task.objects.visible_to(user)
        .filter(plan__source__in=MATTER_SOURCES)
        .select_related("plan", "instruction", "meeting_item__meeting", "proposal")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("department")))
        .order_by("-start_date", "-id")
    )


def source_counts(user, *, today: date) -> list[dict]:
    """Each source's open, overdue and due-soon counts over what the user may see."""
    return counts_by_source(Task.objects.visible_to(user).tracked(), today=today)


def instructions(user):
    """Filed 阅示/参阅 instructions (no task) are the office's own; a department sees the ones
    given to it."""
    return of_visible_tasks(Instruction.objects.select_related("task", "registered_by"), user)


def meetings(user):
    return Meeting.objects.filter(items__task__in=Task.objects.visible_to(user).values("pk")).distinct()


def proposals(user):
    return of_visible_tasks(Proposal.objects.select_related("task"), user)
