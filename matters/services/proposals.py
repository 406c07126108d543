"""A 建议提案's answer cycle: the 主办单位 drafts, each 会办单位 signs its part (会签), the
主办单位 sends it, the office records the 代表/委员's rating; 不满意 opens a second round."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from departments.permissions import is_office
from tasks import rules
from tasks.choices import ACTIVE_STATUSES, AssignmentRole, EventKind, TaskStatus
from tasks.services import record_event, task_transition

from ..choices import AnswerCategory, ProposalStage, Satisfaction
from ..models import Countersign, Proposal, ProposalAnswer


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("task").get(pk=proposal.pk)


def co_handler_ids(proposal: Proposal) -> list[int]:
    return [a.department_id for a in proposal.task.assignments.all() if a.role == AssignmentRole.COOPERATING]


def current_answer(proposal: Proposal) -> ProposalAnswer | None:
    return proposal.answers.filter(round=proposal.round).first()


@transaction.atomic
def answer_draft(*, proposal: Proposal, by, text: str, category: str, document=None) -> ProposalAnswer:
    """The 主办单位 writes (or rewrites) this round's answer; rewriting asks the 会办单位 again."""
    proposal = _locked(proposal)
    task = proposal.task
    if not rules.is_lead_member(by, task):
        if any(rules.is_member_for(by, pk) for pk in co_handler_ids(proposal)):
            raise PermissionDenied("答复由主办单位起草，会办单位在主办单位起草后会签。")
        raise PermissionDenied("只有主办单位可以起草答复。")
    if proposal.stage not in (ProposalStage.HANDLING, ProposalStage.DRAFTED):
        raise ValidationError("本轮答复已发出，不能再修改。")
    if task.status not in ACTIVE_STATUSES or task.status == TaskStatus.ASSIGNED:
        raise ValidationError("请先签收该建议提案，再起草答复。")
    if not text.strip():
        raise ValidationError({"text": "请填写答复内容。"})
    if category not in AnswerCategory.values:
        raise ValidationError({"category": "请选择答复类别（A/B/C）。"})
    answer = current_answer(proposal) or ProposalAnswer(proposal=proposal, round=proposal.round)
    rewritten = answer.pk is not None
    answer.text, answer.category, answer.drafted_by = text, category, by
    if document is not None:
        answer.document = document
    answer.full_clean(exclude=["document"])
    answer.save()
    answer.countersigns.all().delete()
    proposal.stage = ProposalStage.DRAFTED
    proposal.save(update_fields=["stage"])
    record_event(
        task=task,
        actor=by,
        kind=EventKind.ANSWER,
        summary=f"{'修改' if rewritten else '起草'}第{proposal.round}次答复（{AnswerCategory(category).label}）",
    )
    return answer


@transaction.atomic
def answer_countersign(*, proposal: Proposal, by, opinion: str = "") -> Countersign:
    proposal = _locked(proposal)
    department = next((pk for pk in co_handler_ids(proposal) if rules.is_member_for(by, pk)), None)
    if department is None:
        raise PermissionDenied("只有会办单位可以会签。")
    answer = current_answer(proposal)
    if answer is None or proposal.stage != ProposalStage.DRAFTED:
        raise ValidationError("主办单位尚未起草本轮答复，会办单位不能先行会签。")
    if answer.countersigns.filter(department_id=department).exists():
        raise ValidationError("本单位已会签本轮答复。")
    sign = Countersign(answer=answer, department_id=department, opinion=opinion.strip(), signed_by=by)
    sign.full_clean()
    sign.save()
    record_event(task=proposal.task, actor=by, kind=EventKind.ANSWER, summary=f"会签第{proposal.round}次答复")
    return sign


@transaction.atomic
def answer_send(*, proposal: Proposal, by) -> ProposalAnswer:
    """The 主办单位 sends the answer once every 会办单位 has signed: the task asks to close."""
    proposal = _locked(proposal)
    if not rules.is_lead_member(by, proposal.task):
        raise PermissionDenied("只有主办单位可以发出答复。")
    answer = current_answer(proposal)
    if answer is None or proposal.stage != ProposalStage.DRAFTED:
        raise ValidationError("本轮尚无待发出的答复。")
    signed = set(answer.countersigns.values_list("department_id", flat=True))
    missing = [
        a.department.short_name
        for a in proposal.task.assignments.select_related("department")
        if a.role == AssignmentRole.COOPERATING and a.department_id not in signed
    ]
    if missing:
        raise ValidationError(f"尚待会办单位会签：{'、'.join(missing)}。")
    answer.sent_at = timezone.now()
    answer.save(update_fields=["sent_at"])
    proposal.stage = ProposalStage.ANSWERED
    proposal.save(update_fields=["stage"])
    record_event(task=proposal.task, actor=by, kind=EventKind.ANSWER, summary=f"发出第{proposal.round}次答复")
    if proposal.task.status != TaskStatus.COMPLETION_REQUESTED:
        task_transition(task=proposal.task, to=TaskStatus.COMPLETION_REQUESTED, by=by, reason="已答复代表委员")
    return answer


@transaction.atomic
def satisfaction_record(*, proposal: Proposal, by, satisfaction: str, note: str = "") -> Proposal:
    """The office records the 代表/委员's rating of the answer just sent. 满意 / 基本满意
    close the task; 不满意 sends it back to the 主办单位 for a second answer."""
    rules.require(is_office(by), "满意度由政府办（督查室）登记。")
    proposal = _locked(proposal)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意度。"})
    answer = current_answer(proposal)
    if answer is None or answer.sent_at is None or proposal.stage != ProposalStage.ANSWERED:
        raise ValidationError("尚未答复，不能登记满意度。")
    answer.satisfaction, answer.satisfaction_note = satisfaction, note.strip()[:500]
    answer.rated_by, answer.rated_at = by, timezone.now()
    answer.save(update_fields=["satisfaction", "satisfaction_note", "rated_by", "rated_at"])
    label = Satisfaction(satisfaction).label
    proposal.satisfaction = satisfaction
    if satisfaction == Satisfaction.UNSATISFIED:
        proposal.stage, proposal.round = ProposalStage.HANDLING, proposal.round + 1
        proposal.save(update_fields=["stage", "round", "satisfaction"])
        task_transition(task=proposal.task, to=TaskStatus.IN_PROGRESS, by=by, reason=f"代表委员{label}，重新办理")
    else:
        proposal.stage = ProposalStage.CLOSED
        proposal.save(update_fields=["stage", "satisfaction"])
        task_transition(task=proposal.task, to=TaskStatus.COMPLETED, by=by, reason=f"代表委员{label}")
    return proposal
