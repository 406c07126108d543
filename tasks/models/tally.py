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


class DepartmentTally(models.Model):
    """How many tracked tasks each department leads or co-operates in, by the few facts the
    department ranking counts by. Database triggers keep it (migration 0024) from the
    assignments, their tasks and the tasks' plans, whatever writes them, in the same
    transaction; nothing in Python writes it.

    As in TaskTally, a shape holds no "today". A co-operating department's shape is its role
    alone. A lead's keeps the task's status; once completed, whether on time and (in `delay`)
    the days it was late; while active, the month of its deadline (its first day), its report
    cycle and `owed_since`. The ranking's overdue count sums the shapes whose deadline month
    has passed and counts the tasks due earlier this month live: a deadline kept to the day
    would leave nearly one shape per assignment. tasks.facts.department_tally_disagreeing()
    checks the rows against the assignments; `check_facts --repair` rebuilds them."""

    shape = models.CharField(max_length=200, unique=True)
    # No foreign key: a shape goes with its last assignment, and a department can only go
    # once its assignments have.
    department_id = models.BigIntegerField()
    role = models.CharField(max_length=12)
    status = models.CharField(max_length=24, blank=True)
    on_time = models.BooleanField(default=False)
    deadline_month = models.DateField(null=True)
    cycle = models.CharField(max_length=10, blank=True)
    owed_since = models.DateField(null=True)
    n = models.IntegerField(_("任务数"), default=0)
    # The days late of the lead's tasks completed after their deadline, summed.
    delay = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("部门任务汇总")
        verbose_name_plural = _("部门任务汇总")
        default_permissions = ()
        indexes = [models.Index(fields=["n"], condition=models.Q(n=0), name="departmenttally_empty_idx")]

    def __str__(self):
        return f"{self.shape} × {self.n}"
