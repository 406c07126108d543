from ..models import Task, TaskEvent


def display(value) -> str:
    """A value as a person reads it in the history."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_event(*, task: Task, actor, kind: str, summary: str, changes: dict | None = None) -> TaskEvent:
    # Labels may be lazy translations; the record keeps the text as it was shown.
    changes = {str(field): [str(value) for value in pair] for field, pair in (changes or {}).items()}
    return TaskEvent.objects.create(task=task, actor=actor, kind=kind, summary=str(summary)[:500], changes=changes)
