from django.contrib.contenttypes.models import ContentType

from departments.permissions import person

from ..models import ChangeRecord, Task, TaskEvent


def display(value) -> str:
    """A value as a person reads it in the history."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _as_shown(changes: dict | None) -> dict:
    # Labels may be lazy translations; the record keeps the text as it was shown.
    return {str(field): [str(value) for value in pair] for field, pair in (changes or {}).items()}


def record_event(*, task: Task, actor, kind: str, summary: str, changes: dict | None = None) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task, actor=person(actor), kind=kind, summary=str(summary)[:500], changes=_as_shown(changes)
    )


def changed(before: dict, after: dict, labels: dict) -> dict:
    """{label: [before, after]} for each field whose value differs, as people read them."""
    return {
        labels[name]: [display(before.get(name)), display(after.get(name))]
        for name in labels
        if before.get(name) != after.get(name)
    }


def record_change(*, obj, actor, action: str, summary: str = "", changes: dict | None = None) -> ChangeRecord:
    """Put a change to anything but a task on record: who, when, what, before and after."""
    return ChangeRecord.objects.create(
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=person(actor),
        action=str(action)[:40],
        summary=str(summary)[:500],
        changes=_as_shown({field: [display(value) for value in pair] for field, pair in (changes or {}).items()}),
    )


def changes_of(obj):
    """The record of an object's changes, oldest first, with who made each."""
    return ChangeRecord.objects.filter(
        object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor__membership")  # the actor is named by display_name
