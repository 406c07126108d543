"""The plan import endpoint takes the importer's JSON: preview (nothing saved), then confirm."""

from pathlib import Path

import pytest
from django.conf import settings

from departments.selectors import registry
from tasks.choices import AssignmentRole
from tasks.importing.parser import parse_plan
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
        "/api/plans/import/confirm/", {"token": preview["token"], "new_departments": ["区未来局"]}, format="json"
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
