from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import TallyQuerySet


class TaskTally(models.Model):
    """How many tracked tasks share one shape: the few facts the office's overview counts by
    (source, status, waiting, dates). Database triggers keep it (migration 0020) from the tasks and
    their plans, whatever writes them, in the same transaction; nothing in Python writes it.

    A shape holds no "today": the lights, the late reports and every date window are worked
    out from it at the moment the page is read, so the figures are current after midnight
    without a job having run. A fact is kept only where a figure can read it: the deadline
    of a task not completed, the acknowledgement date of one given out and not acknowledged,
    the report cycle and `owed_since` of an active one. So a million tasks fold into a few
    tens of thousands of shapes. tasks.facts.tally_disagreeing() checks the rows against the
    tasks; `python manage.py check_facts --repair` rebuilds them."""

    shape = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=20)
    status = models.CharField(max_length=24)
    # Task.waiting: a report or a request of the task waits for a decision.
    waiting = models.BooleanField(default=False)
    # Not kept for a completed task: nothing counts a completed task by its deadline but
    # the trend's "overdue at that Sunday", which reads those few tasks themselves.
    deadline = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    # Completed by the deadline (or with none): on_time_q() of the task.
    on_time = models.BooleanField(default=False)
    # Only while the task is given out and not yet acknowledged.
    acknowledge_by = models.DateField(null=True)
    # Only while the task is active: its report cycle (its own or its plan's), and the first
    # period start whose report it owes and has not sent (empty: it owes every period).
    cycle = models.CharField(max_length=10, blank=True)
    owed_since = models.DateField(null=True)
    n = models.IntegerField(_("任务数"), default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务汇总")
        verbose_name_plural = _("任务汇总")
        default_permissions = ()
        # The triggers remove the shapes left with no task through this (nearly empty) index.
        indexes = [models.Index(fields=["n"], condition=models.Q(n=0), name="tasktally_empty_idx")]

    def __str__(self):
        return f"{self.shape} × {self.n}"
