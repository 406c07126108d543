"""Inspections for the demo data set: one per plan, over all its tasks, with findings
drafted as an inspector would get them, most confirmed, demands on some of the adverse
ones, and a draft bulletin for each; in bulk, reproducible for a seed."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from departments.permissions import SYSTEM
from tasks.choices import AssignmentRole
from tasks.models import Assignment

from ..choices import ADVERSE_RATINGS, DemandStatus, InspectionKind, Rating
from ..models import Finding, Inspection, RectificationDemand
from .bulletins import bulletin_draft
from .inspections import findings_draft


@dataclass
class DemoInspections:
    inspections: int
    findings: int
    demands: int


@transaction.atomic
def generate_demo_inspections(*, plans, seed: int = 1) -> DemoInspections:
    rng = random.Random(seed)
    today = timezone.localdate()
    by, _ = get_user_model().objects.get_or_create(username="demo-data", defaults={"is_active": False})
    kinds = InspectionKind.values
    total_findings, demands = 0, []
    for n, plan in enumerate(plans):
        inspection = Inspection.objects.create(
            title=f"{plan.year or today.year}年度改革任务{InspectionKind(kinds[n % len(kinds)]).label}（第{n + 1}批）",
            kind=kinds[n % len(kinds)],
            period_start=today - timedelta(days=30),
            period_end=today,
            scope=f"plan={plan.pk}",
            created_by=by,
        )
        total_findings += findings_draft(inspection=inspection, today=today)
        findings = list(Finding.objects.filter(inspection=inspection).values_list("pk", "suggested_rating", "task_id"))
        confirmed, changed = [], []
        for pk, suggested, _task in findings:
            roll = rng.random()
            if roll < 0.75:
                confirmed.append(pk)
            elif roll < 0.85:  # the inspector judged otherwise
                changed.append((pk, rng.choice([r for r in Rating.values if r != suggested])))
        now = timezone.now()
        Finding.objects.filter(pk__in=confirmed).update(rating=F("suggested_rating"), confirmed_by=by, confirmed_at=now)
        for pk, rating in changed:
            Finding.objects.filter(pk=pk).update(
                rating=rating, comment="经实地核查，评价调整。", confirmed_by=by, confirmed_at=now
            )
        adverse = [(pk, task) for pk, suggested, task in findings if suggested in ADVERSE_RATINGS]
        leads = dict(
            Assignment.objects.filter(task_id__in=[task for _, task in adverse], role=AssignmentRole.LEAD).values_list(
                "task_id", "department_id"
            )
        )
        for pk, task in adverse:
            if task in leads and rng.random() < 0.2:
                status = rng.choice([DemandStatus.OPEN, DemandStatus.OPEN, DemandStatus.REPORTED, DemandStatus.CLOSED])
                demands.append(
                    RectificationDemand(
                        finding_id=pk,
                        department_id=leads[task],
                        requirement="对照督查意见制定整改措施，明确责任人和完成时限，按期报告整改情况。",
                        due_date=today + timedelta(days=rng.randint(-20, 40)),
                        status=status,
                        created_by=by,
                        report_text="已制定整改方案并推进落实。" if status != DemandStatus.OPEN else "",
                        reported_by=by if status != DemandStatus.OPEN else None,
                        reported_at=now if status != DemandStatus.OPEN else None,
                        closed_by=by if status == DemandStatus.CLOSED else None,
                        closed_at=now if status == DemandStatus.CLOSED else None,
                    )
                )
        bulletin_draft(inspection=inspection, by=SYSTEM)
    RectificationDemand.objects.bulk_create(demands, batch_size=2000)
    return DemoInspections(inspections=len(plans), findings=total_findings, demands=len(demands))
