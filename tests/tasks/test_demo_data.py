from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from tasks.choices import TaskStatus
from tasks.models import Assignment, ProgressReport, Task

pytestmark = pytest.mark.django_db


def test_generate_demo_data_makes_a_consistent_data_set():
    out = StringIO()
    call_command("generate_demo_data", tasks=1200, departments=30, seed=7, stdout=out)
    assert "1200 项任务" in out.getvalue()
    tasks = Task.objects.filter(plan__slug__startswith="demo7-", kind="task")
    assert tasks.count() == 1200
    assert tasks.exclude(parent__kind="section").count() == 0  # every task sits under a chapter
    # Every task leads from exactly one department; non-draft ones could not exist otherwise.
    leads = Assignment.objects.filter(task__in=tasks, role="lead").values("task").annotate(n=Count("pk"))
    assert {row["n"] for row in leads} == {1} and leads.count() == 1200
    statuses = set(tasks.values_list("status", flat=True))
    assert {TaskStatus.COMPLETED, TaskStatus.IN_PROGRESS, TaskStatus.ASSIGNED} <= statuses
    assert not tasks.filter(status=TaskStatus.COMPLETED, completed_on__isnull=True).exists()
    reports = ProgressReport.objects.filter(task__in=tasks)
    assert reports.count() > 600
    assert reports.values("task", "department", "period").distinct().count() == reports.count()
