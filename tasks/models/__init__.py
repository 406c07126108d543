from .history import TaskEvent
from .notifications import Delivery, DeliverySettings, Notification
from .plans import Plan
from .reminders import Reminder
from .reports import Evidence, ProgressReport
from .requests import CompletionRequest, ExtensionRequest, ParticipationRequest
from .tasks import Assignment, Indicator, IndicatorValue, Milestone, Task

__all__ = [
    "Assignment",
    "CompletionRequest",
    "Delivery",
    "DeliverySettings",
    "Evidence",
    "ExtensionRequest",
    "Indicator",
    "IndicatorValue",
    "Milestone",
    "Notification",
    "ParticipationRequest",
    "Plan",
    "ProgressReport",
    "Reminder",
    "Task",
    "TaskEvent",
]
