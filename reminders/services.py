"""The daily sweep (催办): who is owed which reminder today, recorded once, sent once."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.queueing import enqueue_on_commit
from notifications.services import notifications_create
from tasks import rules
from tasks.choices import AssignmentRole, EventKind
from tasks.models import Task, TaskEvent
from tasks.selectors.calendar import calendar_overrides

from .models import Reminder
from .schedule import ESCALATIONS, Kind, Rule, Schedule, deadlines_due
from .sources import Owed, people, sources

# The Celery task (reminders/tasks.py) that sends reminders once their rows are written.
SEND_REMINDERS = "tasks.send_reminders"


def schedule() -> Schedule:
    """The configured rules, with the office's calendar (one query) to find working days by."""
    configured = settings.PORTAL.get("REMINDERS", {})
    return Schedule(**configured, overrides=calendar_overrides())


def owed_today(today: date, plan: Schedule | None = None) -> list[Owed]:
    """Every reminder today's deadlines call for, to every person it is for: each
    registered source (tasks, steps and reports here; supervision's demands) in turn."""
    plan = plan or schedule()
    dates = deadlines_due(today, plan)
    known = people()
    return [owed for source in sources() for owed in source(today, plan, dates, known)]


# Two sweeps at once (two beats, or a redelivered message beside the day's own) would each
# see the other's reminders as new and note the escalations twice: on PostgreSQL they take
# turns on this transaction lock. The embedded SQLite default runs one worker.
SWEEP_LOCK = 0x5EED_C0DE


@transaction.atomic
def reminders_sweep(*, today: date | None = None, queue: bool = True) -> tuple[list[Reminder], list[int]]:
    """Record the reminders owed today that are not yet recorded, note escalations on the
    task, and (after commit) queue the sending of every reminder not yet sent, including
    any a lost message left behind. Returns (new reminders, ids to send)."""
    today = today or timezone.localdate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
    owed = [o.reminder(today) for o in owed_today(today)]
    recorded = Reminder.objects.filter(
        Q(task_id__in={r.task_id for r in owed if r.task_id})
        | Q(department_id__in={r.department_id for r in owed if r.department_id})
        | Q(subject_id__in={r.subject_id for r in owed if r.subject_id})
    ).exclude(kind=Kind.MANUAL)
    existing = {_once(*row) for row in recorded.values_list(*_ONCE_FIELDS)}
    new = [r for r in owed if _once(*(getattr(r, name) for name in _ONCE_FIELDS)) not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    escalated = {(r.task_id, r.kind) for r in new if r.kind in ESCALATIONS and r.target_is_task}
    TaskEvent.objects.bulk_create(
        TaskEvent(task_id=task_id, kind=EventKind.REMINDER, summary=kind.label) for task_id, kind in sorted(escalated)
    )
    unsent = list(Reminder.objects.filter(sent_at__isnull=True, due_on__lte=today).values_list("pk", flat=True))
    if queue and unsent:
        enqueue_on_commit(SEND_REMINDERS, unsent)
    return new, unsent


_ONCE_FIELDS = (
    "subject_type_id",
    "subject_id",
    "milestone_id",
    "department_id",
    "task_id",
    "kind",
    "days",
    "cycle",
    "recipient_id",
    "deadline",
)


def _once(subject_type_id, subject_id, milestone_id, department_id, task_id, *rule_person_deadline) -> tuple:
    """What the database's reminder_once_* constraints hold unique: the target (the most
    specific of subject, milestone, department and task), the rule, the person, the deadline."""
    if subject_type_id:
        target = ("subject", subject_type_id, subject_id)
    elif milestone_id:
        target = ("milestone", milestone_id)
    elif department_id:
        target = ("department", department_id)
    else:
        target = ("task", task_id)
    return (target, *rule_person_deadline)


def _title(reminder: Reminder) -> str:
    rule = reminder.rule
    if rule.kind in (Kind.REPORT, Kind.REPORT_AGAIN):
        return f"{Kind.REPORT.label}{rule.phrase(reminder.deadline)}：{reminder.message}"
    if rule.kind == Kind.MANUAL:
        return f"{Kind.MANUAL.label}：“{reminder.task.title[:30]}”"
    if reminder.subject_type_id and getattr(reminder.subject, "reminder_label", ""):
        # A subject that names itself (a 督办单 awaiting its 回执 has no one task).
        return f"{reminder.subject.reminder_label}{rule.phrase(reminder.deadline)}"
    if reminder.subject_type_id:
        return f"整改催办：“{reminder.task.title[:24]}”的整改要求{rule.phrase(reminder.deadline)}"
    if rule.kind == Kind.ACKNOWLEDGE_LATE:
        return f"签收提醒：“{reminder.task.title[:30]}”{rule.phrase(reminder.deadline)}"
    if rule.kind == Kind.ACKNOWLEDGE_HEAD:
        return f"超时未签收：“{reminder.task.title[:30]}”{rule.phrase(reminder.deadline)}"
    subject = f"进度节点“{reminder.milestone.text[:20]}”" if reminder.milestone else f"“{reminder.task.title[:30]}”"
    return f"催办：{subject}{rule.phrase(reminder.deadline)}"


def _url(reminder: Reminder, task_list: str) -> str:
    if reminder.subject_type_id:
        return reminder.subject.get_absolute_url()
    # The task page's address, without resolving a URL per reminder.
    return f"{task_list}{reminder.task_id}/" if reminder.task_id else f"{task_list}?report_late=true"


def _notification(reminder: Reminder, task_list: str) -> Notification:
    manual = reminder.kind == Kind.MANUAL
    return Notification(
        recipient_id=reminder.recipient_id,
        kind=NotificationKind.URGE if manual else NotificationKind.REMINDER,
        title=_title(reminder)[:200],
        body=reminder.message if manual else "",
        url=_url(reminder, task_list),
        task_id=reminder.task_id,
    )


_SENT_FIELDS = (
    "pk",
    "task_id",
    "milestone_id",
    "department_id",
    "subject_type_id",
    "subject_id",
    "kind",
    "days",
    "cycle",
    "recipient_id",
    "deadline",
    "message",
)


@transaction.atomic
def reminders_send(ids: list[int]) -> int:
    """Deliver the given reminders not yet sent, each once. Locked rows are another
    worker's; a reminder sent already is skipped, so a redelivered message sends nothing."""
    pending = (
        Reminder.objects.filter(pk__in=ids, sent_at__isnull=True)
        .select_related("task", "milestone")
        .only(*_SENT_FIELDS, "task__title", "milestone__text")
        # A registered subject's own page is its link: one query per kind of subject.
        .prefetch_related("subject")
    )
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    pending = list(pending)
    task_list = reverse("tasks:list")
    notifications_create([_notification(r, task_list) for r in pending])
    Reminder.objects.filter(pk__in=[r.pk for r in pending]).update(sent_at=timezone.now())
    return len(pending)


@transaction.atomic
def task_urge(*, task: Task, by, message: str, cooperating: bool = False) -> list[Reminder]:
    """The office's own 催办 from a task page: its words go at once to the lead
    department's staff and head (and the co-operating departments' if asked), through
    their channels, and the task's history records who urged whom and what was said."""
    rules.require(rules.can_urge(by, task), "只有政府办可以对在办任务催办。")
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "请填写催办内容。"})
    if len(message) > 1000:
        raise ValidationError({"message": "催办内容不能超过1000字。"})
    roles = [AssignmentRole.LEAD] + ([AssignmentRole.COOPERATING] if cooperating else [])
    departments = list(
        task.assignments.filter(role__in=roles)
        .select_related("department")
        .prefetch_related("department__aliases")
        .order_by("role", "order")
    )
    staff = people().staff
    recipients = sorted({user for a in departments for user in staff[a.department_id]})
    if not recipients:
        raise ValidationError("责任单位暂无可接收催办的人员。")
    reminders = Reminder.objects.bulk_create(
        Reminder(
            task=task,
            rule=Rule(Kind.MANUAL),
            recipient_id=user,
            deadline=task.deadline or timezone.localdate(),
            due_on=timezone.localdate(),
            message=message,
            sent_by=by,
        )
        for user in recipients
    )
    names = "、".join(dict.fromkeys(a.department.short_name for a in departments))
    TaskEvent.objects.create(
        task=task, actor=by, kind=EventKind.REMINDER, summary=f"政府办催办（{names}）：{message[:200]}"
    )
    ids = [r.pk for r in reminders]
    enqueue_on_commit(SEND_REMINDERS, ids)
    return reminders
