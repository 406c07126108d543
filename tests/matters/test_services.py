"""督办事项 from 批示, meetings and 建议提案: registration, numbering, the answer cycle."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from matters.choices import InstructionKind, MeetingKind, ProposalKind, ProposalStage, Satisfaction
from matters.models import Instruction, Meeting, Proposal
from matters.services import (
    ItemInput,
    answer_countersign,
    answer_draft,
    answer_send,
    instruction_register,
    meeting_items_add,
    meeting_register,
    proposal_register,
    satisfaction_record,
)
from tasks.choices import TaskSource, TaskStatus
from tasks.models import Task
from tasks.services import task_acknowledge

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def office(demo_users):
    return user("office")


def instruction(office, dept, **extra):
    fields = {
        "by": office,
        "leader_name": "王区长",
        "leader_post": "区长",
        "instructed_on": date(2026, 11, 13),
        "content": "请区编委办牵头研究落实，两周内报结果。",
        "kind": InstructionKind.HANDLE,
        "item": ItemInput(title="研究落实编制调整方案", leads=[dept("区编委办")]),
    } | extra
    return instruction_register(**fields)


def test_a_handled_instruction_becomes_an_assigned_numbered_task_with_working_day_deadlines(office, dept):
    registered = instruction(office, dept)
    task = registered.task
    assert task.code == "批〔2026〕1号"
    assert task.status == TaskStatus.ASSIGNED
    assert task.plan.source == TaskSource.INSTRUCTION
    # Given out on Monday 16 November 2026: 5 working days → Monday 23, 20 → Monday 14 December.
    assert registered.feedback_due == date(2026, 11, 23)
    assert task.deadline == date(2026, 12, 14)
    assert [a.department.name for a in task.assignments.all()] == [dept("区编委办").name]
    assert task.events.filter(summary__contains="批〔2026〕1号").exists()


def test_numbers_follow_each_other_per_source_and_year(office, dept):
    first, second = instruction(office, dept), instruction(office, dept)
    assert (first.task.code, second.task.code) == ("批〔2026〕1号", "批〔2026〕2号")
    meeting = meeting_register(
        by=office,
        name="区政府常务会议",
        kind=MeetingKind.EXECUTIVE,
        held_on=date(2026, 11, 10),
        items=[ItemInput(title=f"议定事项{i}", leads=[dept("区发改委")]) for i in (1, 2, 3)],
    )
    assert [item.task.code for item in meeting.items.all()] == ["会〔2026〕1号", "会〔2026〕2号", "会〔2026〕3号"]


def test_a_code_typed_twice_is_refused_and_nothing_is_saved(office, dept):
    instruction(office, dept, item=ItemInput(title="甲", leads=[dept("区编委办")], code="批〔2026〕15号"))
    before = (Task.objects.count(), Instruction.objects.count())
    with pytest.raises(ValidationError, match="已被使用"):
        instruction(office, dept, item=ItemInput(title="乙", leads=[dept("区编委办")], code="批〔2026〕15号"))
    assert (Task.objects.count(), Instruction.objects.count()) == before


def test_the_sequence_steps_over_a_number_typed_by_hand(office, dept):
    instruction(office, dept, item=ItemInput(title="甲", leads=[dept("区编委办")], code="批〔2026〕1号"))
    assert instruction(office, dept).task.code == "批〔2026〕2号"


def test_an_instruction_without_a_leader_is_refused(office, dept):
    with pytest.raises(ValidationError) as error:
        instruction(office, dept, leader_name="  ")
    assert "批示领导" in str(error.value)
    assert not Instruction.objects.exists()


def test_a_read_only_instruction_is_filed_without_a_task(office, dept):
    filed = instruction(office, dept, kind=InstructionKind.READ, item=None)
    assert filed.task is None


def test_a_meeting_fails_whole_when_one_item_has_no_lead(office, dept):
    before = Task.objects.count()
    with pytest.raises(ValidationError, match="第2项"):
        meeting_register(
            by=office,
            name="专题会议",
            kind=MeetingKind.TOPICAL,
            held_on=date(2026, 11, 10),
            items=[ItemInput(title="一", leads=[dept("区发改委")]), ItemInput(title="二", leads=[])],
        )
    assert Task.objects.count() == before and not Meeting.objects.exists()


def test_an_item_needs_a_meeting(office, dept):
    with pytest.raises(ValidationError, match="会议"):
        meeting_items_add(by=office, meeting=None, items=[ItemInput(title="一", leads=[dept("区发改委")])])


def test_only_the_office_registers(dept, demo_users):
    with pytest.raises(PermissionDenied):
        instruction(user("staff"), dept)


@pytest.fixture
def proposal(office, dept):
    return proposal_register(
        by=office,
        kind=ProposalKind.DEPUTY,
        year=2026,
        number="第102号",
        proposer="张代表",
        item=ItemInput(title="关于优化政务服务的建议", leads=[dept("区编委办")], cooperating=[dept("区发改委")]),
    )


def test_a_proposal_is_answered_within_three_months_by_default(proposal):
    assert proposal.task.code == "建〔2026〕1号"
    assert proposal.task.deadline == date(2027, 2, 16)


def test_the_answer_cycle_with_a_second_round_after_unsatisfied(proposal, office):
    lead, co = user("staff"), user("staff2")
    with pytest.raises(ValidationError, match="签收"):
        answer_draft(proposal=proposal, by=lead, text="答复", category="A")
    task_acknowledge(task=proposal.task, by=lead)
    with pytest.raises(ValidationError, match="尚未起草"):
        answer_countersign(proposal=proposal, by=co)
    with pytest.raises(PermissionDenied, match="主办单位"):
        answer_draft(proposal=proposal, by=co, text="答复", category="A")
    with pytest.raises(ValidationError, match="尚未答复"):
        satisfaction_record(proposal=proposal, by=office, satisfaction=Satisfaction.SATISFIED)
    answer_draft(proposal=proposal, by=lead, text="已将建议纳入明年计划。", category="B")
    with pytest.raises(ValidationError, match="尚待会办单位会签"):
        answer_send(proposal=proposal, by=lead)
    answer_countersign(proposal=proposal, by=co, opinion="同意")
    answer_send(proposal=proposal, by=lead)
    proposal.refresh_from_db()
    assert proposal.stage == ProposalStage.ANSWERED
    satisfaction_record(proposal=proposal, by=office, satisfaction=Satisfaction.UNSATISFIED, note="未解决实际问题")
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.round) == (ProposalStage.HANDLING, 2)
    assert Task.objects.get(pk=proposal.task_id).status == TaskStatus.IN_PROGRESS
    answer_draft(proposal=proposal, by=lead, text="已协调解决。", category="A")
    answer_countersign(proposal=proposal, by=co)
    answer_send(proposal=proposal, by=lead)
    satisfaction_record(proposal=proposal, by=office, satisfaction=Satisfaction.SATISFIED)
    proposal.refresh_from_db()
    assert proposal.stage == ProposalStage.CLOSED and proposal.answers.count() == 2
    assert Task.objects.get(pk=proposal.task_id).status == TaskStatus.COMPLETED


def test_a_proposal_number_registered_twice_is_refused(proposal, office, dept):
    with pytest.raises(ValidationError, match="同一编号"):
        proposal_register(
            by=office,
            kind=ProposalKind.DEPUTY,
            year=2026,
            number="第102号",
            proposer="李代表",
            item=ItemInput(title="另一条", leads=[dept("区编委办")]),
        )
    assert Proposal.objects.count() == 1
