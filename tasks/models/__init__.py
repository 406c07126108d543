from .history import TaskEvent
from .plans import Plan
from .reports import Evidence, ProgressReport
from .requests import CompletionRequest, ExtensionRequest
from .tasks import Assignment, Indicator, IndicatorValue, Milestone, Task

__all__ = [
    "Assignment",
    "CompletionRequest",
    "Evidence",
    "ExtensionRequest",
    "Indicator",
    "IndicatorValue",
    "Milestone",
    "Plan",
    "ProgressReport",
    "Task",
    "TaskEvent",
]
