"""Load the department registry and the seed plans from fixtures/ (see fixtures/README.md)."""

from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from departments.models import Department
from departments.permissions import SYSTEM
from departments.services import department_upsert

from ..choices import DeadlinePrecision, LeadMode, TaskKind, TaskStatus
from ..models import Plan
from .assignments import task_assign
from .plans import indicator_create, milestone_create, plan_create, task_create
from .workflow import task_transition


def read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def departments_load(path: Path) -> int:
    """Create the registry's departments and names; returns how many changed."""
    entries = read_yaml(path)["departments"]
    changed = 0
    for entry in entries:
        parent = None
        if entry.get("parent"):
            parent = Department.objects.resolve(entry["parent"])
            if parent is None:
                raise ValidationError(f"“{entry['name']}”的上级“{entry['parent']}”未登记。")
        _, did_change = department_upsert(
            name=entry["name"],
            kind=entry.get("kind", "government"),
            short_names=entry.get("short_names", []),
            aliases=entry.get("aliases", []),
            parent=parent,
        )
        changed += did_change
    return changed


def _department(name: str) -> Department:
    department = Department.objects.resolve(name)
    if department is None:
        raise ValidationError(f"部门“{name}”未在部门库中登记。")
    return department


def _deadline_fields(deadline: dict | None) -> dict:
    if not deadline:
        return {"deadline": None, "deadline_phrase": "", "deadline_precision": DeadlinePrecision.UNKNOWN}
    return {
        "deadline": deadline.get("date"),
        "deadline_phrase": deadline.get("phrase") or "",
        "deadline_precision": deadline.get("precision", DeadlinePrecision.UNKNOWN),
    }


def _load_nodes(plan: Plan, nodes: list[dict], parent=None) -> int:
    created = 0
    for order, node in enumerate(nodes, start=1):
        weight = node.get("weight")
        task = task_create(
            by=SYSTEM,
            plan=plan,
            parent=parent,
            order=order,
            number=str(node.get("number", "")),
            kind=node.get("kind", TaskKind.TASK),
            title=node["title"],
            text=node.get("text", ""),
            category=node.get("category", ""),
            weight=Decimal(str(weight)) if weight is not None else None,
            deliverable=node.get("deliverable", ""),
            responsibility=node.get("responsibility", ""),
            lead_mode=node.get("lead_mode", LeadMode.SOLE),
            related_departments=node.get("related_departments", False),
            start_date=node.get("start"),
            **_deadline_fields(node.get("deadline")),
        )
        created += 1
        for milestone in node.get("milestones", []):
            milestone_create(
                task=task, by=SYSTEM, text=milestone["text"], **_deadline_fields(milestone.get("deadline"))
            )
        for indicator in node.get("indicators", []):
            indicator_create(
                task=task,
                name=indicator["name"],
                target=Decimal(str(indicator["target"])),
                unit=indicator.get("unit", ""),
                comparison=indicator.get("comparison", "gte"),
            )
        leads = [_department(name) for name in node.get("leads", [])]
        cooperating = [_department(name) for name in node.get("cooperating", [])]
        if leads or cooperating:
            task_assign(task=task, leads=leads, cooperating=cooperating, by=SYSTEM, reason="按方案原文分工")
        if leads:
            # The document is the office's assignment: a task with a lead is 交办.
            task_transition(task=task, to=TaskStatus.ASSIGNED, by=SYSTEM, reason="方案印发即交办")
        created += _load_nodes(plan, node.get("children", []), parent=task)
    return created


@transaction.atomic
def plan_load(data: dict, *, seeds_dir: Path) -> Plan | None:
    """Create a plan and its tree from a fixture; a plan already loaded is left as it is
    (people may have worked on it since), so loading twice changes nothing."""
    if Plan.objects.filter(slug=data["slug"]).exists():
        return None
    source = seeds_dir / data["source"]
    plan = plan_create(
        by=SYSTEM,
        slug=data["slug"],
        title=data["title"],
        document_number=data.get("document_number") or "",
        issuing_body=data.get("issuing_body") or "",
        issue_date=data.get("issue_date"),
        year=data.get("year"),
        source_name=data["source"],
        source_text=source.read_text(encoding="utf-8"),
    )
    _load_nodes(plan, data["tasks"])
    return plan


def seed_plans_load(fixtures_dir: Path) -> dict:
    """Load fixtures/departments.yaml and every fixtures/plans/*.yaml."""
    changed = departments_load(fixtures_dir / "departments.yaml")
    loaded, skipped = [], []
    for path in sorted((fixtures_dir / "plans").glob("*.yaml")):
        plan = plan_load(read_yaml(path), seeds_dir=fixtures_dir / "seeds")
        (loaded if plan else skipped).append(path.stem)
    return {"departments_changed": changed, "plans_loaded": loaded, "plans_skipped": skipped}


__all__ = ["departments_load", "plan_load", "seed_plans_load"]
