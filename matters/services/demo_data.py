"""督办事项 for the demo data set: 批示件, meetings of several items and proposals with
co-handlers, answered, countersigned and rated (some 不满意 and answered again), all
through the services, so the demo carries the history of real ones. Reproducible per seed."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from departments.choices import Role
from departments.models import Department, Membership
from tasks.services import task_acknowledge

from ..choices import AnswerCategory, InstructionKind, MeetingKind, ProposalKind, Satisfaction
from .proposals import answer_countersign, answer_draft, answer_send, satisfaction_record
from .registers import ItemInput, instruction_register, meeting_register, proposal_register

LEADERS = [("王明", "区长"), ("李华", "常务副区长"), ("张强", "副区长"), ("陈静", "区委书记")]
TOPICS = [
    "优化营商环境",
    "老旧小区改造",
    "河道综合治理",
    "基层医疗服务",
    "数字政府建设",
    "安全生产检查",
    "义务教育学位",
]


@dataclass
class DemoMatters:
    instructions: int
    meetings: int
    items: int
    proposals: int


def _demo_user(username: str, department: Department, role: str):
    """An account that cannot sign in, acting for a department in the demo."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.update_or_create(user=user, defaults={"department": department, "role": role})
    return user


@transaction.atomic
def generate_demo_matters(*, count: int = 20, seed: int = 1) -> DemoMatters:
    rng = random.Random(seed)
    today = timezone.localdate()
    departments = list(Department.objects.filter(is_active=True).order_by("pk"))
    office = _demo_user(f"demo{seed}-office", departments[0], Role.OFFICE)

    def units(k: int) -> list[Department]:
        return rng.sample(departments, min(k, len(departments)))

    instructions = max(1, count // 2)
    for n in range(instructions):
        leader, post = rng.choice(LEADERS)
        topic = rng.choice(TOPICS)
        kind = InstructionKind.HANDLE if rng.random() < 0.8 else InstructionKind.READ
        instruction_register(
            by=office,
            leader_name=leader,
            leader_post=post,
            instructed_on=today - timedelta(days=rng.randint(0, 20)),
            content=f"请抓紧研究{topic}有关问题，提出工作方案。",
            kind=kind,
            item=ItemInput(title=f"落实{leader}{post}关于{topic}的批示（{n + 1}）", leads=units(1))
            if kind == InstructionKind.HANDLE
            else None,
        )
    meetings = max(1, count // 5)
    items = 0
    for n in range(meetings):
        kind = rng.choice([MeetingKind.EXECUTIVE, MeetingKind.TOPICAL, MeetingKind.DIRECTOR])
        several = rng.randint(2, 5)
        meeting_register(
            by=office,
            name=f"区政府{MeetingKind(kind).label}",
            kind=kind,
            session=f"第{n + 1}次",
            held_on=today - timedelta(days=rng.randint(1, 30)),
            items=[
                ItemInput(title=f"{rng.choice(TOPICS)}议定事项{i + 1}", leads=units(1), cooperating=[])
                for i in range(several)
            ],
        )
        items += several
    proposals = max(1, count // 2)
    for n in range(proposals):
        lead, *co = units(1 + rng.randint(0, 2))
        proposal = proposal_register(
            by=office,
            kind=rng.choice(ProposalKind.values),
            year=today.year,
            number=f"第{seed * 1000 + n + 1}号",
            proposer=f"代表{n + 1}",
            item=ItemInput(title=f"关于{rng.choice(TOPICS)}的建议", leads=[lead], cooperating=co),
        )
        if n % 5 == 4:
            continue  # still being handled
        lead_user = _demo_user(f"demo{seed}-staff-{lead.pk}", lead, Role.STAFF)
        task_acknowledge(task=proposal.task, by=lead_user)
        rounds = 2 if n % 4 == 1 else 1  # every fourth rated 不满意 and answered again
        for round_ in range(1, rounds + 1):
            answer_draft(
                proposal=proposal, by=lead_user, text="已研究办理。", category=rng.choice(AnswerCategory.values)
            )
            for department in co:
                answer_countersign(
                    proposal=proposal, by=_demo_user(f"demo{seed}-staff-{department.pk}", department, Role.STAFF)
                )
            answer_send(proposal=proposal, by=lead_user)
            if n % 5 == 3 and round_ == rounds:
                break  # answered, the rating not yet in
            rating = (
                Satisfaction.UNSATISFIED
                if round_ < rounds
                else rng.choice([Satisfaction.SATISFIED, Satisfaction.BASIC])
            )
            proposal = satisfaction_record(proposal=proposal, by=office, satisfaction=rating)
    return DemoMatters(instructions=instructions, meetings=meetings, items=items, proposals=proposals)
