"""The plan import endpoint takes the importer's JSON: preview (nothing saved), then confirm."""

from pathlib import Path

import pytest
from django.conf import settings

from departments.models import DepartmentAlias
from departments.selectors import registry
from importer.parser import parse_plan
from tasks.choices import AssignmentRole
from tasks.models import Plan, Task

pytestmark = pytest.mark.django_db
SEED_003 = (Path(settings.BASE_DIR) / "fixtures" / "seeds" / "003_zhanjiang_2015.txt").read_text(encoding="utf-8")


def importer_json() -> dict:
    """What `import_plan --json` prints for seed 003."""
    return parse_plan(SEED_003, registry=registry()).as_json()


def test_preview_then_confirm_saves_the_plan_once(api):
    client, data = api("office"), importer_json()
    before = (Plan.objects.count(), Task.objects.count())
    response = client.post(
        "/api/plans/import/preview/",
        {"data": data, "source_name": "003.txt", "source_text": SEED_003, "year": 2015},
        format="json",
    )
    assert response.status_code == 200, response.json()
    preview = response.json()
    assert preview["counts"] == {"new": len(data["tasks"]), "update": 0, "same": 0, "removed": 0}
    assert [row["ref"] for row in preview["rows"]] == [item["ref"] for item in data["tasks"]]
    assert preview["warnings"] == data["warnings"]
    assert (Plan.objects.count(), Task.objects.count()) == before  # a preview saves nothing

    response = client.post("/api/plans/import/confirm/", {"token": preview["token"]}, format="json")
    assert response.status_code == 201, response.json()
    plan = Plan.objects.get(pk=response.json()["id"])
    assert response.json()["tasks"] == len(data["tasks"]) == plan.tasks.count()
    assert plan.source_text == SEED_003
    leads = {
        (t.number, a.department.name)
        for t in plan.tasks.prefetch_related("assignments__department")
        for a in t.assignments.all()
        if a.role == AssignmentRole.LEAD
    }
    expected = {(item["number"], d["name"]) for item in data["tasks"] for d in item["lead"] if d["name"]}
    assert leads == expected


def test_preview_of_a_revision_names_what_changes(api):
    client, data = api("office"), importer_json()
    token = client.post("/api/plans/import/preview/", {"data": data}, format="json").json()["token"]
    plan_id = client.post("/api/plans/import/confirm/", {"token": token}, format="json").json()["id"]
    changed = next(item for item in data["tasks"] if item["kind"] == "task")
    changed["title"] = "改写后的任务标题"
    dropped = data["tasks"].pop()
    assert dropped["kind"] == "task" and not any(item.get("parent") == dropped["ref"] for item in data["tasks"])
    response = client.post("/api/plans/import/preview/", {"data": data, "plan": plan_id}, format="json")
    preview = response.json()
    assert preview["plan"] == plan_id
    row = next(r for r in preview["rows"] if r["ref"] == changed["ref"])
    assert row["action"] == "update"
    assert row["changes"]["标题"][1] == "改写后的任务标题"
    assert preview["counts"]["removed"] == 1
    assert [task["title"] for task in preview["removed"]] == [dropped["title"]]


def test_unknown_departments_are_created_only_when_confirmed(api):
    client = api("office")
    data = {
        "plan": {"title": "新方案"},
        "tasks": [
            {
                "ref": "t1",
                "level": 1,
                "title": "建立新机制",
                "lead": [{"raw": "区未来局", "name": None, "known": False}],
            }
        ],
    }
    preview = client.post("/api/plans/import/preview/", {"data": data}, format="json").json()
    assert preview["unknown_departments"] == ["区未来局"]
    response = client.post(
        "/api/plans/import/confirm/",
        {"token": preview["token"], "new_departments": ["区未来局"], "assign": True},
        format="json",
    )
    assert response.status_code == 201
    task = Task.objects.get(plan_id=response.json()["id"])
    assert [(a.department.name, a.role, task.status) for a in task.assignments.all()] == [
        ("区未来局", "lead", "assigned")
    ]


def test_a_tampered_token_is_refused(api):
    client = api("office")
    token = client.post("/api/plans/import/preview/", {"data": importer_json()}, format="json").json()["token"]
    response = client.post("/api/plans/import/confirm/", {"token": token[:-2] + "xx"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "token：预览已过期或被改动，请重新预览。"


def one_task(**fields) -> dict:
    task = {"ref": "t1", "level": 1, "number": "一、", "title": "建立新机制", **fields}
    return {"plan": {"title": "新方案"}, "tasks": [task]}


def test_the_preview_flags_rows_and_proposes_only_unit_names(api):
    client = api("office")
    data = one_task(
        responsibility="牵头单位：区未来局，配合单位：区财政局",
        lead=[{"raw": "区未来局"}, {"raw": "区配合单位：区财政局"}, {"raw": "区2027年6月底前完成"}],
    )
    data["tasks"].append({"ref": "t2", "level": 1, "number": "二、", "title": "完善制度", "deadline": "2027-06-30"})
    data["tasks"][1]["lead"] = [{"raw": "区财政局", "name": "区财政局", "known": True}]
    preview = client.post("/api/plans/import/preview/", {"data": data}, format="json").json()
    first, second = preview["rows"]
    assert "无完成时限" in first["flags"] and "“区未来局”不在部门库中" in first["flags"]
    assert any("不是单位名称" in flag for flag in first["flags"])
    assert second["flags"] == [] and preview["needs_review"] == 1
    assert preview["unknown_departments"] == ["区未来局"]
    assert preview["proposed_departments"] == [
        {
            "name": "区未来局",
            "can_create": True,
            "source": "牵头单位：区未来局，配合单位：区财政局",
            "tasks": ["一、建立新机制"],
            "suggestion": None,
        }
    ]


def test_a_fragment_listed_as_new_is_refused(api):
    client = api("office")
    data = one_task(lead=[{"raw": "区2027年6月底前完成"}])
    token = client.post("/api/plans/import/preview/", {"data": data}, format="json").json()["token"]
    before = Plan.objects.count()
    response = client.post(
        "/api/plans/import/confirm/", {"token": token, "new_departments": ["区2027年6月底前完成"]}, format="json"
    )
    assert response.status_code == 400
    assert "不能新建为部门" in response.json()["detail"]
    assert Plan.objects.count() == before


def test_a_matched_name_is_remembered(api, dept):
    client = api("office")
    target = dept("区发展和改革委员会")
    data = one_task(lead=[{"raw": "区发改局"}])
    token = client.post("/api/plans/import/preview/", {"data": data}, format="json").json()["token"]
    response = client.post(
        "/api/plans/import/confirm/",
        {"token": token, "matched_departments": [{"name": "区发改局", "department": target.pk}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    task = Task.objects.get(plan_id=response.json()["id"])
    assert [a.department for a in task.assignments.all()] == [target]
    assert DepartmentAlias.objects.get(name="区发改局").added_by.username == "office"
    assert registry().match("区发改局") == target.name


def test_matching_to_a_department_that_does_not_exist_is_refused(api):
    client = api("office")
    token = client.post("/api/plans/import/preview/", {"data": one_task()}, format="json").json()["token"]
    response = client.post(
        "/api/plans/import/confirm/",
        {"token": token, "matched_departments": [{"name": "区发改局", "department": 999999}]},
        format="json",
    )
    assert response.status_code == 400


def test_a_preview_token_is_confirmed_once_only(api):
    # Issue 17 item 11: the same token confirmed twice made two plans with the same tasks.
    client = api("office")
    token = client.post("/api/plans/import/preview/", {"data": importer_json()}, format="json").json()["token"]
    assert client.post("/api/plans/import/confirm/", {"token": token}, format="json").status_code == 201
    before = (Plan.objects.count(), Task.objects.count())
    again = client.post("/api/plans/import/confirm/", {"token": token}, format="json")
    assert again.status_code == 400 and "已经确认导入过" in again.json()["detail"]
    assert (Plan.objects.count(), Task.objects.count()) == before
