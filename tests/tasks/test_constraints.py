"""The model's invariants hold in the database itself, not only in forms."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from tasks.choices import AssignmentRole, TaskStatus
from tasks.models import Assignment, ProgressReport, Task
from tests.factories import DepartmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(action) -> bool:
    """Whether the database refuses the action, deferred checks included."""
    try:
        with transaction.atomic():
            action()
            if connection.vendor == "postgresql":
                # Run the checks deferred to commit now: the test never commits.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except IntegrityError:
        return True
    return False


def test_deadline_before_start_is_refused():
    task = TaskFactory()
    assert refused(
        lambda: Task.objects.filter(pk=task.pk).update(start_date=date(2026, 5, 1), deadline=date(2026, 4, 30))
    )
    assert not refused(
        lambda: Task.objects.filter(pk=task.pk).update(start_date=date(2026, 4, 1), deadline=date(2026, 4, 30))
    )


@pytest.mark.parametrize("percent", [-1, 101, 1000])
def test_progress_outside_0_100_is_refused(percent):
    task = TaskFactory()
    assert refused(lambda: Task.objects.filter(pk=task.pk).update(progress=percent))


def test_task_without_lead_cannot_leave_draft():
    task = TaskFactory()
    assert refused(lambda: Task.objects.filter(pk=task.pk).update(status=TaskStatus.ASSIGNED))
    Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.COOPERATING)
    assert refused(lambda: Task.objects.filter(pk=task.pk).update(status=TaskStatus.ASSIGNED))
    Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    assert not refused(lambda: Task.objects.filter(pk=task.pk).update(status=TaskStatus.ASSIGNED))


def test_the_last_lead_of_an_assigned_task_cannot_be_demoted():
    task = TaskFactory()
    lead = Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.ASSIGNED)
    assert refused(lambda: Assignment.objects.filter(pk=lead.pk).update(role=AssignmentRole.COOPERATING))
    Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    assert not refused(lambda: Assignment.objects.filter(pk=lead.pk).update(role=AssignmentRole.COOPERATING))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no deferred triggers (see migration 0002)")
def test_the_last_lead_of_an_assigned_task_cannot_be_removed_but_the_task_can_be_deleted():
    task = TaskFactory()
    lead = Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.ASSIGNED)
    assert refused(lambda: Assignment.objects.filter(pk=lead.pk).delete())
    assert not refused(lambda: Task.objects.filter(pk=task.pk).delete())


def test_a_draft_task_may_lose_its_lead():
    task = TaskFactory()
    lead = Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    assert not refused(lambda: Assignment.objects.filter(pk=lead.pk).delete())


def test_a_section_is_never_assigned():
    section = TaskFactory(kind="section")
    Assignment.objects.create(task=section, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    assert refused(lambda: Task.objects.filter(pk=section.pk).update(status=TaskStatus.ASSIGNED))


def test_one_report_per_task_department_and_period():
    task, department, user = TaskFactory(), DepartmentFactory(), UserFactory()

    def report():
        ProgressReport.objects.create(
            task=task, department=department, period=date(2026, 11, 1), text="进展", created_by=user
        )

    assert not refused(report)
    assert refused(report)


@pytest.mark.parametrize("percent", [-5, 101])
def test_report_percent_outside_0_100_is_refused(percent):
    task, department, user = TaskFactory(), DepartmentFactory(), UserFactory()
    assert refused(
        lambda: ProgressReport.objects.create(
            task=task, department=department, period=date(2026, 11, 1), text="x", percent=percent, created_by=user
        )
    )


def test_a_completed_task_has_a_completion_date():
    task = TaskFactory()
    Assignment.objects.create(task=task, department=DepartmentFactory(), role=AssignmentRole.LEAD)
    assert refused(lambda: Task.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED))
    assert not refused(
        lambda: Task.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED, completed_on=date(2026, 11, 1))
    )
