import pytest
from django.core.exceptions import ValidationError

from departments.permissions import SYSTEM
from tasks.choices import TaskStatus
from tasks.services import task_assign, task_transition
from tasks.workflow import TRANSITIONS, can_move
from tests.factories import DepartmentFactory, TaskFactory


def test_every_status_has_its_moves_listed():
    assert set(TRANSITIONS) == set(TaskStatus.values)


def test_a_cancelled_task_goes_nowhere():
    assert not any(can_move(TaskStatus.CANCELLED, target) for target in TaskStatus.values)


def test_completed_only_reopens_to_in_progress():
    assert [t for t in TaskStatus.values if can_move(TaskStatus.COMPLETED, t)] == [TaskStatus.IN_PROGRESS]


@pytest.mark.django_db
def test_task_follows_the_workflow_and_each_move_is_on_record():
    task = TaskFactory()
    task_assign(task=task, leads=[DepartmentFactory()], by=SYSTEM)
    for target in (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS):
        task_transition(task=task, to=target, by=SYSTEM)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert list(task.events.filter(kind="status").values_list("changes", flat=True).order_by("id")) == [
        {"状态": ["草稿", "已交办"], "签收时限": ["—", "2026-11-19"]},  # Monday + 3 working days
        {"状态": ["已交办", "已签收"]},
        {"状态": ["已签收", "推进中"]},
    ]


@pytest.mark.django_db
def test_a_move_off_the_map_is_refused_with_a_clear_message():
    task = TaskFactory()
    with pytest.raises(ValidationError, match="不能从“草稿”变为“已办结”"):
        task_transition(task=task, to=TaskStatus.COMPLETED, by=SYSTEM)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT
    assert not task.events.exists()


@pytest.mark.django_db
def test_a_task_without_lead_is_not_assigned():
    task = TaskFactory()
    task_assign(task=task, leads=[], cooperating=[DepartmentFactory()], by=SYSTEM)
    with pytest.raises(ValidationError, match="没有牵头单位"):
        task_transition(task=task, to=TaskStatus.ASSIGNED, by=SYSTEM)
