"""Saving an import: a new plan, and a revised version over one people have worked on."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from departments.models import Department, DepartmentAlias
from departments.selectors import registry
from importer.edits import apply_edits, apply_plan_edits
from importer.parser import parse_plan
from tasks.choices import AssignmentRole, TaskStatus
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
    plan = plan_import(data=data, by=office(), source_name="000.txt", source_text=SEED_000, assign=True)
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
    again = plan_import(data=data, by=office(), new_departments=["区大数据局"], assign=True)
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
    plan = plan_import(data=parse_plan(SEED_000, registry=registry()).as_json(), by=office(), assign=True)
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


def task_json(ref="t1", **fields) -> dict:
    """One task of the importer's JSON, as the parser writes it."""
    item = {
        "ref": ref,
        "parent": None,
        "level": 1,
        "kind": "task",
        "number": "一、",
        "title": "建设数据平台",
        "responsibility": "",
        "lead": [{"raw": "区财政局", "name": "区财政局", "known": True}],
        "cooperating": [],
        "open_set": False,
        "deadline": "2027-06-30",
        "deadline_text": "2027年6月底前",
        "precision": "month",
    }
    return {**item, **fields}


def plan_json(*tasks, **meta) -> dict:
    return {"plan": {"title": "测试方案", **meta}, "tasks": list(tasks), "warnings": []}


def unknown(raw: str) -> dict:
    return {"raw": raw, "name": None, "known": False}


@pytest.mark.parametrize(
    ("fields", "flag"),
    [
        ({"lead": []}, "无牵头单位"),
        ({"deadline": None, "deadline_text": ""}, "无完成时限"),
        ({"deadline": None, "deadline_text": "长期坚持"}, "原文“长期坚持”未能定为日期"),
        ({"cooperating": [unknown("区大数据局")]}, "“区大数据局”不在部门库中"),
        ({"lead": [unknown("区2027年6月底前完成")]}, "不是单位名称（含日期或时限）"),
        ({"warnings": ["识别置信度低"]}, "识别置信度低"),
        ({"milestones": [{"text": "完成调研", "deadline": None, "deadline_text": "适时"}]}, "节点时限“适时”"),
    ],
)
def test_a_row_is_flagged_for_each_thing_to_check(fields, flag):
    preview = import_preview(data=plan_json(task_json(**fields)))
    assert any(flag in f for f in preview.rows[0].flags)
    assert preview.flagged == 1


def test_a_clean_row_has_no_flag_and_json_without_warnings_is_read():
    item = task_json()
    assert "warnings" not in item  # the key is read with .get, before and after the parser adds it
    preview = import_preview(data=plan_json(item, task_json("t2", number="二、", lead=[])))
    assert [row.flags for row in preview.rows] == [[], ["无牵头单位"]]
    assert preview.flagged == 1


def test_a_section_needs_no_lead_or_deadline():
    section = task_json(kind="section", lead=[], deadline=None, deadline_text="")
    assert import_preview(data=plan_json(section)).rows[0].flags == []


def test_only_names_in_the_form_of_a_unit_are_proposed():
    item = task_json(
        responsibility="牵头单位：区大数据局，配合单位：区财政局",
        lead=[unknown("区大数据局"), unknown("区配合单位：区财政局"), unknown("分管副区长"), unknown("区发改")],
    )
    preview = import_preview(data=plan_json(item))
    assert preview.unknown_departments == ["区大数据局"]
    proposals = {p.name: p for p in preview.proposals}
    assert set(proposals) == {"区大数据局", "区发改"}  # a short form may only be matched, not created
    assert not proposals["区发改"].can_create
    assert proposals["区大数据局"].source == "牵头单位：区大数据局，配合单位：区财政局"
    assert proposals["区大数据局"].tasks == ["一、建设数据平台"]


def test_a_fragment_is_refused_as_a_new_department(demo_users):
    data = plan_json(task_json(lead=[unknown("区2027年6月底前完成")]))
    with pytest.raises(ValidationError, match="不能新建为部门"):
        plan_import(data=data, by=office(), new_departments=["区2027年6月底前完成"])
    assert not Department.objects.filter(name="区2027年6月底前完成").exists()


def test_a_matched_name_becomes_an_alias_the_next_parse_reads(demo_users, dept):
    target = dept("区发展和改革委员会")
    data = plan_json(task_json(lead=[unknown("区发改局")]))
    plan = plan_import(data=data, by=office(), matched={"区发改局": target})
    task = plan.tasks.get()
    assert [a.department for a in task.assignments.all()] == [target]
    alias = DepartmentAlias.objects.get(name="区发改局")
    assert alias.department == target and alias.added_by == office() and alias.added_at
    assert "测试方案" in alias.source
    assert registry().match("区发改局") == "区发展和改革委员会"
    parsed = parse_plan("一、完善价格机制。(区发改局负责。2027年6月底前完成)\n", registry=registry()).as_json()
    assert parsed["tasks"][0]["lead"][0]["name"] == "区发展和改革委员会"


def test_a_name_already_meaning_another_department_is_not_taken(demo_users, dept):
    data = plan_json(task_json(lead=[unknown("区发改局")]))
    plan_import(data=data, by=office(), matched={"区发改局": dept("区发展和改革委员会")})
    with pytest.raises(ValidationError, match="已属于"):
        plan_import(data=data, by=office(), matched={"区发改局": dept("区财政局")})


def test_a_typed_unknown_unit_is_refused_not_dropped(demo_users):
    typed = {**unknown("区数据资源局"), "typed": True}
    data = plan_json(task_json(cooperating=[typed]))
    before = Plan.objects.count()
    with pytest.raises(ValidationError, match="区数据资源局"):
        plan_import(data=data, by=office())
    assert Plan.objects.count() == before
    # left out on purpose: saved, and the history says what was not assigned
    plan = plan_import(data=data, by=office(), unassigned=["区数据资源局"])
    assert plan.tasks.get().events.filter(summary__contains="未分配（部门库中没有）：区数据资源局").exists()


def test_a_typed_post_is_refused_with_its_reason(demo_users):
    data = plan_json(task_json(lead=[{**unknown("分管副区长"), "typed": True}]))
    with pytest.raises(ValidationError, match="不是单位名称（是职务"):
        plan_import(data=data, by=office())


def test_a_unit_read_from_the_document_and_not_chosen_is_left_on_record(demo_users):
    plan = plan_import(data=plan_json(task_json(cooperating=[unknown("区大数据局")])), by=office())
    assert plan.tasks.get().events.filter(summary__contains="未分配（部门库中没有）：区大数据局").exists()


def test_a_corrected_deadline_replaces_the_phrase_and_is_on_record(demo_users):
    edits = {"t1": {"include": True, "deadline": "2027-09-30"}}
    data = apply_edits(plan_json(task_json()), edits, registry())
    assert data["tasks"][0]["deadline_text"] == ""
    assert import_preview(data=data).rows[0].flags == []
    plan = plan_import(data=data, by=office())
    task = plan.tasks.get()
    assert (str(task.deadline), task.deadline_phrase, task.deadline_precision) == ("2027-09-30", "", "day")
    event = task.events.get(summary__contains="人工更正")
    assert event.changes["时限原文"] == ["2027年6月底前", "—"]


def test_a_corrected_deadline_on_a_revision_drops_the_stale_phrase(demo_users):
    plan = plan_import(data=plan_json(task_json()), by=office())
    data = apply_edits(plan_json(task_json()), {"t1": {"include": True, "deadline": "2027-10-31"}}, registry())
    plan_import(data=data, by=office(), plan=plan)
    task = plan.tasks.get()
    assert (str(task.deadline), task.deadline_phrase) == ("2027-10-31", "")
    assert task.events.filter(summary__contains="原文“2027年6月底前”不再适用").exists()


def test_plan_metadata_is_saved_and_revised(demo_users):
    meta = {"doc_number": "中区府办〔2027〕3号", "issuer": "中站区人民政府办公室", "issued": "2027-01-15"}
    plan = plan_import(data=plan_json(task_json(), **meta), by=office())
    assert (plan.document_number, plan.issuing_body, str(plan.issue_date)) == (
        "中区府办〔2027〕3号",
        "中站区人民政府办公室",
        "2027-01-15",
    )
    edited = apply_plan_edits(plan_json(task_json(), **meta), {"doc_number": "中区府办〔2027〕5号", "issued": ""})
    plan_import(data=edited, by=office(), plan=plan)
    plan.refresh_from_db()
    assert plan.document_number == "中区府办〔2027〕5号"
    assert str(plan.issue_date) == "2027-01-15"  # left blank in the new version: kept


def test_a_date_set_back_to_the_reading_restores_its_phrase():
    data = plan_json(task_json())
    changed = apply_edits(data, {"t1": {"include": True, "deadline": "2027-09-30"}}, registry())
    back = apply_edits(changed, {"t1": {"include": True, "deadline": "2027-06-30"}}, registry())
    item = back["tasks"][0]
    assert (item["deadline"], item["deadline_text"], item["precision"]) == ("2027-06-30", "2027年6月底前", "month")
    assert "deadline_edited" not in item


def test_units_typed_on_a_section_are_refused_not_dropped(demo_users):
    section = task_json(kind="section", lead=[{"raw": "区财政局", "name": "区财政局", "known": True, "typed": True}])
    with pytest.raises(ValidationError, match="章节不分配单位"):
        plan_import(data=plan_json(section), by=office())


def test_a_parser_warning_saying_what_a_flag_says_is_not_repeated():
    item = task_json(lead=[], deadline=None, deadline_text="适时", warnings=["无牵头单位", "无完成时限"])
    assert import_preview(data=plan_json(item)).rows[0].flags == ["无牵头单位", "无完成时限（原文“适时”未能定为日期）"]


def test_editing_one_field_leaves_the_other_as_read():
    fragment = unknown("区配合单位：区财政局")
    data = plan_json(task_json(lead=[{"raw": "区财政局", "name": "区财政局", "known": True}, fragment]))
    edits = {"t1": {"include": True, "lead": "区财政局、区配合单位：区财政局", "cooperating": "区审计局"}}
    item = apply_edits(data, edits, registry())["tasks"][0]
    assert item["lead"] == data["tasks"][0]["lead"]  # untouched, no "typed" mark
    assert [(d["raw"], d.get("typed")) for d in item["cooperating"]] == [("区审计局", True)]
