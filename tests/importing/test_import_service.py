"""Saving an import: a new plan, and a revised version over one people have worked on."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from departments.models import Department
from departments.selectors import registry
from tasks.choices import AssignmentRole, TaskStatus
from tasks.importing.parser import parse_plan
from tasks.models import Plan, ProgressReport, Task
from tasks.services import report_save, report_submit, task_transition
from tasks.services.importing import import_preview, plan_import

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"
SEED_000 = (SEEDS / "000_zhongzhan_2014.txt").read_text(encoding="utf-8")


def office():
    return get_user_model().objects.get(username="office")


def tree(plan):
    """(number path, leads, co-operating, deadline) for every task of a plan, in order."""
    rows = []
    for task in Task.objects.filter(plan=plan).order_by("sort_key").prefetch_related("assignments__department"):
        leads = sorted(a.department.name for a in task.assignments.all() if a.role == AssignmentRole.LEAD)
        coops = sorted(a.department.name for a in task.assignments.all() if a.role == AssignmentRole.COOPERATING)
        rows.append((task.number, task.kind, task.status, leads, coops, task.deadline))
    return rows


def test_importing_seed_000_gives_the_plan_the_fixture_gives(demo_users):
    data = parse_plan(SEED_000, registry=registry()).as_json()
    plan = plan_import(data=data, by=office(), source_name="000.txt", source_text=SEED_000)
    assert tree(plan) == tree(Plan.objects.get(slug="zhongzhan-2014"))
    assert plan.source_text == SEED_000
    task = Task.objects.get(plan=plan, parent__number="二、", number="(二)")
    assert task.events.filter(kind="created", actor__username="office").exists()
    assert task.status == TaskStatus.ASSIGNED


def test_unknown_departments_are_created_only_when_confirmed(demo_users):
    data = parse_plan(
        "一、建设数据平台。(区大数据局会同区财政局负责。2024年6月底前完成)\n", registry=registry()
    ).as_json()
    plan = plan_import(data=data, by=office())
    task = Task.objects.get(plan=plan, number="一、")
    assert task.status == TaskStatus.DRAFT  # its only lead is unknown, so nobody leads it yet
    assert not Department.objects.filter(name="区大数据局").exists()
    again = plan_import(data=data, by=office(), new_departments=["区大数据局"])
    task = Task.objects.get(plan=again, number="一、")
    assert [a.department.name for a in task.assignments.filter(role="lead")] == ["区大数据局"]
    assert task.status == TaskStatus.ASSIGNED


def test_a_bad_edit_saves_nothing(demo_users):
    data = parse_plan(SEED_000, registry=registry()).as_json()
    data["tasks"][-1]["deadline"] = "2017-13-40"
    before = Plan.objects.count(), Task.objects.count()
    with pytest.raises(ValidationError, match="格式不对"):
        plan_import(data=data, by=office())
    assert (Plan.objects.count(), Task.objects.count()) == before


def test_a_revised_version_updates_keeps_history_adds_and_cancels(demo_users, dept):
    plan = plan_import(data=parse_plan(SEED_000, registry=registry()).as_json(), by=office())
    kept = Task.objects.get(plan=plan, parent__number="一、", number="(一)")
    staff = get_user_model().objects.get(username="staff")
    task_transition(task=kept, to=TaskStatus.ACKNOWLEDGED, by=staff)
    report = report_save(task=kept, period=date(2015, 10, 1), text="进展", percent=30, by=staff)
    report_submit(report=report, by=staff)
    events_before = kept.events.count()

    revised = SEED_000.replace("2015年12月底前公布各部门的行政职权清单", "2016年3月底前公布各部门的行政职权清单")
    revised = revised.replace(
        "(三)严格控制新设行政审批,防止行政审批事项边减边增、明减暗增。(区编委办会同区行政审批制度改革领导小组成员单位负责。2015年12月底前完成)\n",
        "",
    )
    revised = revised.replace(
        "二、2016年完成的任务(共7项)",
        "(三)建立改革台账制度。(区政府办公室负责。2015年11月底前完成)\n二、2016年完成的任务(共7项)",
    )
    data = parse_plan(revised, registry=registry()).as_json()

    preview = import_preview(data=data, plan=plan)
    assert preview.counts == {"new": 0, "update": 2, "same": 18, "removed": 0}
    changed = {row.task.number: row.changes for row in preview.rows if row.action == "update"}
    assert changed["(一)"]["完成时限"] == ("2015-12-31", "2016-03-31")
    assert Task.objects.get(pk=kept.pk).deadline == date(2015, 12, 31)  # a preview writes nothing

    plan_import(data=data, by=office(), plan=plan)
    kept.refresh_from_db()
    assert kept.deadline == date(2016, 3, 31) and kept.status == TaskStatus.IN_PROGRESS
    assert ProgressReport.objects.filter(task=kept).count() == 1
    assert kept.events.count() == events_before + 1
    assert kept.events.latest("id").summary.startswith("修改了")
    replaced = Task.objects.get(plan=plan, parent__number="一、", number="(三)")
    assert replaced.title == "建立改革台账制度"
    assert [a.department.name for a in replaced.assignments.filter(role="lead")] == ["区人民政府办公室"]


def test_a_task_the_new_version_drops_is_cancelled_not_deleted(demo_users):
    plan = plan_import(data=parse_plan(SEED_000, registry=registry()).as_json(), by=office())
    shorter = SEED_000.split("三、2017年完成的任务")[0]
    data = parse_plan(shorter, registry=registry()).as_json()
    preview = import_preview(data=data, plan=plan)
    assert preview.counts["removed"] == 7
    plan_import(data=data, by=office(), plan=plan)
    dropped = Task.objects.filter(plan=plan, parent__number="三、", kind="task")
    assert dropped.count() == 7
    assert set(dropped.values_list("status", flat=True)) == {TaskStatus.CANCELLED}
