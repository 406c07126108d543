from datetime import date

import pytest

from tasks.choices import Light, TaskKind, TaskStatus
from tasks.lights import traffic_light

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("status", "deadline", "expected"),
    [
        (TaskStatus.IN_PROGRESS, date(2026, 11, 20), Light.RED),
        (TaskStatus.ASSIGNED, date(2026, 11, 21), Light.YELLOW),
        (TaskStatus.ACKNOWLEDGED, date(2026, 11, 28), Light.YELLOW),
        (TaskStatus.IN_PROGRESS, date(2026, 11, 29), Light.GREEN),
        (TaskStatus.COMPLETION_REQUESTED, date(2026, 1, 1), Light.RED),
        (TaskStatus.COMPLETED, date(2026, 1, 1), Light.DONE),
        (TaskStatus.DRAFT, date(2026, 1, 1), Light.NONE),
        (TaskStatus.SUSPENDED, date(2026, 1, 1), Light.NONE),
        (TaskStatus.IN_PROGRESS, None, Light.NONE),
    ],
)
def test_light_against_deadline(status, deadline, expected):
    assert traffic_light(kind=TaskKind.TASK, status=status, deadline=deadline, today=TODAY, warning_days=7) == expected


def test_sections_have_no_light():
    light = traffic_light(kind=TaskKind.SECTION, status=TaskStatus.DRAFT, deadline=TODAY, today=TODAY, warning_days=7)
    assert light == Light.NONE


@pytest.mark.django_db
def test_sql_annotation_agrees_with_the_python_rule():
    from tasks.models import Task

    tasks = Task.objects.with_light(today=TODAY, warning_days=7)
    assert tasks.count() > 50
    for task in tasks:
        expected = traffic_light(
            kind=task.kind, status=task.status, deadline=task.deadline, today=TODAY, warning_days=7
        )
        assert task.light == expected
