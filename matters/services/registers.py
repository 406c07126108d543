"""Registering an item from a source and giving it out (交办): one task per item, in the
source's register of the year, numbered, assigned and moved to 已交办 by the tasks
engine's own services, so notifications, history and reminders are those of any task."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments.models import Department
from departments.permissions import is_office
from tasks import rules
from tasks.choices import DeadlinePrecision, TaskSource, TaskStatus
from tasks.models import Plan, Task
from tasks.services import task_assign, task_create, task_transition

from ..choices import InstructionKind
from ..models import Instruction, Meeting, MeetingItem, Proposal
from .deadlines import default_deadlines, rule_for
from .numbering import code_check, code_next


def _require_office(by) -> None:
    rules.require(is_office(by), "只有政府办（督查室）可以登记和交办督办事项。")


def register_of(source: str, year: int) -> Plan:
    """The year's register of a source: the plan its tasks belong to."""
    plan, _ = Plan.objects.get_or_create(
        slug=f"{source}-{year}",
        defaults={"title": f"{year}年{TaskSource(source).label}", "year": year, "source": source},
    )
    return plan


@dataclass
class ItemInput:
    """One item to give out: what the office typed for it."""

    title: str
    leads: Sequence[Department]
    cooperating: Sequence[Department] = ()
    text: str = ""
    deadline: date | None = None
    code: str = ""
    errors: dict = field(default_factory=dict, repr=False)


def _give_out(*, source: str, kind: str, item: ItemInput, by, today: date) -> tuple[Task, date | None]:
    if not item.title.strip():
        raise ValidationError({"title": "请填写事项内容。"})
    if not item.leads:
        raise ValidationError({"leads": "请选择牵头（主办）单位。"})
    code = item.code.strip()
    if code:
        code_check(code)
    else:
        code = code_next(source=source, year=today.year)
    feedback, deadline = default_deadlines(source, kind, today)
    deadline = item.deadline or deadline
    if deadline and deadline < today:
        raise ValidationError({"deadline": f"办结时限{deadline}早于今天。"})
    task = task_create(
        plan=register_of(source, today.year),
        title=item.title.strip()[:500],
        text=item.text,
        code=code,
        by=by,
        start_date=today,
        deadline=deadline,
        deadline_phrase="" if item.deadline else "按来源规则",
        deadline_precision=DeadlinePrecision.DAY if deadline else DeadlinePrecision.UNKNOWN,
    )
    rule = rule_for(source, kind)
    if rule is not None:
        task.report_cycle = rule.report_cycle
        task.save(update_fields=["report_cycle"])
    task_assign(task=task, leads=list(item.leads), cooperating=list(item.cooperating), by=by)
    task_transition(task=task, to=TaskStatus.ASSIGNED, by=by, reason=f"交办，督办编号{code}")
    return task, feedback


@transaction.atomic
def instruction_register(
    *,
    by,
    leader_name: str,
    instructed_on: date,
    content: str,
    kind: str,
    leader_post: str = "",
    requirements: str = "",
    document=None,
    item: ItemInput | None = None,
    today: date | None = None,
) -> Instruction:
    """Register a 批示件; a 批办 one is given out at once as `item`."""
    _require_office(by)
    today = today or timezone.localdate()
    instruction = Instruction(
        leader_name=leader_name.strip(),
        leader_post=leader_post.strip(),
        instructed_on=instructed_on,
        content=content,
        kind=kind,
        requirements=requirements,
        registered_by=by,
    )
    instruction.full_clean(exclude=["task", "document"])
    if instructed_on > today:
        raise ValidationError({"instructed_on": "批示日期不能晚于今天。"})
    if kind == InstructionKind.HANDLE:
        if item is None:
            raise ValidationError("批办件须明确牵头单位和办理事项。")
        instruction.task, instruction.feedback_due = _give_out(
            source=TaskSource.INSTRUCTION, kind=kind, item=item, by=by, today=today
        )
    if document is not None:
        instruction.document = document
    instruction.save()
    return instruction


@transaction.atomic
def meeting_register(
    *,
    by,
    name: str,
    kind: str,
    held_on: date,
    items: Sequence[ItemInput],
    session: str = "",
    minutes=None,
    today: date | None = None,
) -> Meeting:
    """Register a meeting and give out every 议定事项 of its 纪要, all or none."""
    _require_office(by)
    today = today or timezone.localdate()
    meeting = Meeting(name=name.strip(), kind=kind, session=session.strip(), held_on=held_on, registered_by=by)
    meeting.full_clean(exclude=["minutes"])
    if held_on > today:
        raise ValidationError({"held_on": "会议日期不能晚于今天。"})
    if not items:
        raise ValidationError("会议至少须有一项议定事项。")
    if minutes is not None:
        meeting.minutes = minutes
    meeting.save()
    meeting_items_add(by=by, meeting=meeting, items=items, today=today)
    return meeting


@transaction.atomic
def meeting_items_add(
    *, by, meeting: Meeting | None, items: Sequence[ItemInput], today: date | None = None
) -> list[MeetingItem]:
    _require_office(by)
    if meeting is None or meeting.pk is None:
        raise ValidationError({"meeting": "议定事项须属于一次已登记的会议。"})
    today = today or timezone.localdate()
    start = meeting.items.count()
    added = []
    for order, item in enumerate(items, start=start + 1):
        try:
            task, _ = _give_out(source=TaskSource.MEETING, kind=meeting.kind, item=item, by=by, today=today)
        except ValidationError as error:
            raise ValidationError(f"第{order}项：{'；'.join(error.messages)}") from error
        added.append(MeetingItem.objects.create(meeting=meeting, task=task, order=order))
    return added


@transaction.atomic
def proposal_register(
    *,
    by,
    kind: str,
    year: int,
    number: str,
    proposer: str,
    item: ItemInput,
    today: date | None = None,
) -> Proposal:
    """Register a 建议/提案 and give it to its 主办单位 (lead) and 会办单位 (co-operating)."""
    _require_office(by)
    today = today or timezone.localdate()
    if len(item.leads) != 1:
        raise ValidationError({"leads": "建议提案须有且只有一个主办单位。"})
    proposal = Proposal(kind=kind, year=year, number=number.strip(), proposer=proposer.strip(), registered_by=by)
    proposal.full_clean(exclude=["task"])
    proposal.task, _ = _give_out(source=TaskSource.PROPOSAL, kind=kind, item=item, by=by, today=today)
    proposal.save()
    return proposal
