"""Every write to plans and tasks goes through these functions."""

from .assignments import task_assign
from .giving_out import tasks_give_out
from .history import record_event
from .plans import (
    indicator_create,
    milestone_create,
    plan_create,
    plan_source_set,
    step_add,
    task_create,
    task_update,
)
from .reports import evidence_add, report_review, report_save, report_sign_off, report_submit
from .requests import (
    completion_decide,
    completion_request,
    extension_decide,
    extension_request,
    participation_decide,
    participation_request,
)
from .workflow import task_acknowledge, task_transition

__all__ = [
    "completion_decide",
    "completion_request",
    "evidence_add",
    "extension_decide",
    "extension_request",
    "indicator_create",
    "milestone_create",
    "participation_decide",
    "participation_request",
    "plan_create",
    "plan_source_set",
    "record_event",
    "report_review",
    "report_save",
    "report_sign_off",
    "report_submit",
    "step_add",
    "task_acknowledge",
    "task_assign",
    "task_create",
    "tasks_give_out",
    "task_transition",
    "task_update",
]
