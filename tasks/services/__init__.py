"""Every write to plans and tasks goes through these functions."""

from .assignments import task_assign
from .delivery import delivery_settings_save
from .history import record_event
from .notifications import notifications_mark_read
from .plans import indicator_create, milestone_create, plan_create, step_add, task_create, task_update
from .reminders import task_urge
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
    "delivery_settings_save",
    "evidence_add",
    "extension_decide",
    "extension_request",
    "indicator_create",
    "milestone_create",
    "notifications_mark_read",
    "participation_decide",
    "participation_request",
    "plan_create",
    "record_event",
    "report_review",
    "report_save",
    "report_sign_off",
    "report_submit",
    "step_add",
    "task_acknowledge",
    "task_assign",
    "task_create",
    "task_transition",
    "task_update",
    "task_urge",
]
