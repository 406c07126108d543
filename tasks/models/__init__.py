from .calendar import CalendarDay
from .history import ChangeRecord, TaskEvent
from .plans import ImportConfirmation, Plan
from .reports import Evidence, ProgressReport
from .requests import CompletionRequest, ExtensionRequest, ParticipationRequest
from .tally import DepartmentTally, TaskTally
from .tasks import Assignment, Indicator, IndicatorValue, Milestone, Task

__all__ = [
    "Assignment",
    "CalendarDay",
    "ChangeRecord",
    "CompletionRequest",
    "DepartmentTally",
    "Evidence",
    "ExtensionRequest",
    "ImportConfirmation",
    "Indicator",
    "IndicatorValue",
    "Milestone",
    "ParticipationRequest",
    "Plan",
    "ProgressReport",
    "Task",
    "TaskEvent",
    "TaskTally",
]
