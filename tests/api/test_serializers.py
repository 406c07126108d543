"""The task list's hand-written row serializer says exactly what TaskSerializer says."""

import pytest
from django.utils import timezone

from tasks.api.serializers import TaskRowSerializer, TaskSerializer
from tasks.models import ProgressReport, Task
from tasks.selectors.records import task_api_rows
from tasks.services import report_save, report_submit

pytestmark = pytest.mark.django_db


def test_row_serializer_matches_the_declared_one(demo_users, bianwei_task):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="staff")
    report = report_save(
        task=bianwei_task, by=staff, period=timezone.localdate().replace(day=1), text="进展", percent=30
    )
    report_submit(report=report, by=staff)
    Task.objects.filter(pk=bianwei_task.pk).update(weight="12.50", original_deadline=bianwei_task.deadline)
    ids = list(Task.objects.filter(kind="task").order_by("pk").values_list("pk", flat=True))
    rows = task_api_rows(ids, today=timezone.localdate())
    fast, declared = TaskRowSerializer(rows, many=True).data, TaskSerializer(rows, many=True).data
    assert [dict(row) for row in fast] == [dict(row) for row in declared]
    assert list(fast[0]) == list(TaskSerializer.Meta.fields)
    row = next(r for r in fast if r["id"] == bianwei_task.pk)
    assert (row["weight"], row["latest_report"]["id"]) == ("12.50", ProgressReport.objects.get().pk)
    assert row["latest_report"]["department"]["name"] == "区机构编制委员会办公室"
