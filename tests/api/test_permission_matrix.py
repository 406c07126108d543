"""The API's permission matrix: every endpoint against every role, with tokens.

The expectations are the page matrix's own tables (tests/test_permission_matrix.py), so the
API and the pages cannot drift apart: a department's token reads and writes exactly what its
staff may in the pages. Anonymous requests get 401; what a user may not see, 404; what they
see but may not do, 403; and a refusal leaves the database as it was."""

from datetime import timedelta

import pytest

from tasks.models import ExtensionRequest, Milestone, ParticipationRequest, ProgressReport, Task
from tests.test_permission_matrix import (
    DRAFTS,
    FORBIDDEN,
    IGNORED,
    LEAD_ONLY,
    LOGIN,
    MISSING,
    NEW_DEADLINE,
    OFFICE_ONLY,
    OK,
    REPORTERS,
    REVIEW,
    ROLES,
    SEE_TASK,
    SEND,
    SIGN_OFF,
    cases,
    fingerprint,
    load_world,
    outcomes,
    shared_world,  # noqa: F401 - the world, built once for this module
    this_month,
)

pytestmark = pytest.mark.django_db

STATUS = {LOGIN: 401, FORBIDDEN: 403, MISSING: 404, IGNORED: 400}
EVERYONE = outcomes(ok=" ".join(ROLES[1:]))
PORTAL_WIDE = outcomes(ok="office admin supervisor leader", forbidden="staff head staff2 minzheng")
OFFICE = outcomes(ok="office admin", forbidden="supervisor leader staff head staff2 minzheng")


@pytest.fixture
def world(shared_world, demo_users, settings, tmp_path):  # noqa: F811
    """The page matrix's world (two seed tasks, departments, accounts), fresh for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_world(shared_world)


@pytest.fixture
def as_role(api, world):
    return lambda role: api(None if role == "anonymous" else role)


def assert_refused(response, expected: str, before: dict) -> None:
    assert response.status_code == STATUS[expected], (response.status_code, response.content[:300])
    body = response.json()
    assert body["detail"]  # a sentence for a person, in every refusal
    assert fingerprint() == before


LISTS = [
    "/api/",
    "/api/departments/",
    "/api/plans/",
    "/api/tasks/",
    "/api/reports/",
    "/api/extension-requests/",
    "/api/completion-requests/",
    "/api/participation-requests/",
    "/api/events/",
    "/api/notifications/",
    "/api/notifications/unread-count/",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", ROLES)
def test_lists_are_open_to_every_signed_in_role(as_role, role, url):
    before = fingerprint()
    response = as_role(role).get(url)
    if role == "anonymous":
        assert_refused(response, LOGIN, before)
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("url", ["/api/dashboard/overview/", "/api/dashboard/departments/", "/api/dashboard/plans/"])
@pytest.mark.parametrize("role", ROLES)
def test_dashboards_are_for_the_portal_wide_roles(as_role, role, url):
    expected = PORTAL_WIDE[role]
    before = fingerprint()
    response = as_role(role).get(url)
    if expected == OK:
        assert response.status_code == 200
    else:
        assert_refused(response, expected, before)
        if expected == FORBIDDEN:
            assert response.json()["detail"] == "数据看板仅向政府办、督查员和领导开放。"


@pytest.mark.parametrize("role", ROLES)
def test_task_list_holds_exactly_the_visible_tasks(world, as_role, role):
    client = as_role(role)
    response = client.get("/api/tasks/", {"page_size": 500})
    if role == "anonymous":
        assert response.status_code == 401
        return
    listed = {row["id"] for row in response.json()["results"]}
    user = world.users[role]
    assert listed == set(Task.objects.visible_to(user).tracked().values_list("pk", flat=True))
    for target, table in SEE_TASK.items():
        assert (world.task_ids[target] in listed) == (table[role] == OK)


@pytest.mark.parametrize(("target", "role", "expected"), cases(SEE_TASK))
def test_task_detail(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).get(f"/api/tasks/{task.pk}/")
    if expected == OK:
        assert response.status_code == 200
        assert response.json()["title"] == task.title
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(SEE_TASK))
def test_task_history(world, as_role, target, role, expected):
    task = world.task(target)
    response = as_role(role).get("/api/events/", {"task": task.pk})
    if expected == LOGIN:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert bool(response.json()["results"]) == (expected == OK)


@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_acknowledge(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).post(f"/api/tasks/{task.pk}/acknowledge/")
    if expected == OK:
        assert response.status_code == 200
        assert world.task(target).status == "acknowledged"
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_add_step(world, as_role, target, role, expected):
    task = world.task(target)
    deadline = task.deadline - timedelta(days=60)
    before = fingerprint()
    body = {"text": "完成摸底调查", "deadline": deadline.isoformat(), "responsible_person": "张三"}
    response = as_role(role).post(f"/api/tasks/{task.pk}/steps/", body, format="json")
    if expected == OK:
        assert response.status_code == 201, response.json()
        step = Milestone.objects.get(task=task)
        assert (step.text, step.deadline, step.department, step.responsible_person) == (
            "完成摸底调查",
            deadline,
            world.department_of(role),
            "张三",
        )
        assert response.json()["id"] == step.pk
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(OFFICE_ONLY))
def test_assign(world, as_role, target, role, expected):
    task = world.task(target)
    proposed = world.proposed_for(target)
    leads = [a.department_id for a in task.assignments.filter(role="lead")]
    before = fingerprint()
    response = as_role(role).post(
        f"/api/tasks/{task.pk}/assign/",
        {"leads": leads, "cooperating": [proposed.pk], "reason": "职能调整"},
        format="json",
    )
    if expected == OK:
        assert response.status_code == 200, response.json()
        assert proposed.pk in [d["id"] for d in response.json()["cooperating"]]
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(REPORTERS))
def test_report_create(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    body = {"task": task.pk, "period": this_month().isoformat(), "text": "本月完成调研", "percent": 35}
    response = as_role(role).post("/api/reports/", body, format="json")
    if expected == OK:
        assert response.status_code == 201, response.json()
        report = ProgressReport.objects.get(task=task)
        assert (report.department, report.created_by, report.status) == (
            world.department_of(role),
            world.users[role],
            "draft",
        )
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(DRAFTS))
def test_draft_read_and_edit(world, as_role, target, role, expected):
    draft = world.state(target)
    client = as_role(role)
    before = fingerprint()
    response = client.get(f"/api/reports/{draft.pk}/")
    if expected != OK:
        assert_refused(response, expected, before)
        body = {"period": this_month().isoformat(), "text": "改写", "percent": 90, "version": 1}
        assert_refused(client.put(f"/api/reports/{draft.pk}/", body, format="json"), expected, before)
        listed = client.get("/api/reports/").json()["results"] if role != "anonymous" else []
        assert draft.pk not in [r["id"] for r in listed]
        return
    assert response.json()["text"] == draft.text
    body = {"period": this_month().isoformat(), "text": "改写后的进展", "percent": 50, "version": 1}
    response = client.put(f"/api/reports/{draft.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert (draft.text, draft.percent, draft.version, draft.status) == ("改写后的进展", 50, 2, "draft")


@pytest.mark.parametrize(("target", "role", "expected"), cases(SEND))
def test_report_submit(world, as_role, target, role, expected):
    report = world.state(target)
    before = fingerprint()
    response = as_role(role).post(f"/api/reports/{report.pk}/submit/")
    if expected == OK:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted"
    else:
        assert_refused(response, expected, before)
        if expected == IGNORED:
            assert response.json()["detail"] == "这份报告已报送，不能重复提交。"


@pytest.mark.parametrize("decision", ["accept", "return"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(REVIEW))
def test_review(world, as_role, target, role, expected, decision):
    report = world.state(target)
    before = fingerprint()
    response = as_role(role).post(f"/api/reports/{report.pk}/{decision}/", {"comment": "数据需核实"}, format="json")
    if expected == OK:
        assert response.status_code == 200, response.json()
        report.refresh_from_db()
        assert report.status == ("accepted" if decision == "accept" else "returned")
        assert (report.reviewed_by, report.review_comment) == (world.users[role], "数据需核实")
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize("decision", ["sign-off", "send-back"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(SIGN_OFF))
def test_sign_off(world, as_role, target, role, expected, decision):
    report = world.state(target)
    before = fingerprint()
    response = as_role(role).post(f"/api/reports/{report.pk}/{decision}/", {"comment": "请补充佐证"}, format="json")
    if expected == OK:
        assert response.status_code == 200, response.json()
        report.refresh_from_db()
        assert report.status == ("submitted" if decision == "sign-off" else "draft")
    else:
        assert_refused(response, expected, before)


REQUESTS = {
    "extension": lambda task, world: {"reason": "需省级部门协调", "proposed_deadline": NEW_DEADLINE.isoformat()},
    "completion": lambda task, world: {"summary": "任务已全部完成"},
    "participation": lambda task, world: {"department": world.proposed_for(task).pk, "reason": "涉及该部门职能"},
}


@pytest.mark.parametrize("kind", list(REQUESTS))
@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_request_create(world, as_role, target, role, expected, kind):
    if kind == "completion":  # only a task its lead has signed for may be closed
        from tasks.services import task_acknowledge

        task_acknowledge(task=world.task(target), by=world.users[{"bianwei-led": "staff"}.get(target, "minzheng")])
    task = world.task(target)
    before = fingerprint()
    body = {"task": task.pk, **REQUESTS[kind](target, world)}
    response = as_role(role).post(f"/api/{kind}-requests/", body, format="json")
    if expected == OK:
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == "pending"
        assert response.json()["requested_by"] == role
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize("kind", list(REQUESTS))
@pytest.mark.parametrize(("target", "role", "expected"), cases(OFFICE_ONLY))
def test_request_decide(world, as_role, target, role, expected, kind, decision):
    item = world.request(kind, target)
    before = fingerprint()
    response = as_role(role).post(f"/api/{kind}-requests/{item.pk}/{decision}/", {"reason": "研究决定"}, format="json")
    if expected == OK:
        assert response.status_code == 200, response.json()
        item.refresh_from_db()
        assert (item.status, item.decided_by) == ("approved" if decision == "approve" else "refused", world.users[role])
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize("role", ROLES)
def test_plan_import_is_the_offices(as_role, role):
    expected = OFFICE[role] if role != "anonymous" else LOGIN
    body = {"data": {"plan": {"title": "测试方案"}, "tasks": [{"ref": "t1", "level": 1, "title": "一项任务"}]}}
    before = fingerprint()
    response = as_role(role).post("/api/plans/import/preview/", body, format="json")
    if expected == OK:
        assert response.status_code == 200, response.json()
        assert response.json()["counts"] == {"new": 1, "update": 0, "same": 0, "removed": 0}
    else:
        assert_refused(response, expected, before)


def test_ids_of_other_departments_objects_are_not_found_anywhere(world, as_role):
    """区发改委's token, pointed at 区编委办's task and draft through every door."""
    draft = world.state("bianwei-draft")
    task = world.task("bianwei-led")
    extension = ExtensionRequest.objects.create(
        task=task,
        department=world.departments["bianwei"],
        requested_by=world.users["staff"],
        reason="x",
        proposed_deadline=NEW_DEADLINE,
    )
    participation = ParticipationRequest.objects.create(
        task=task,
        department=world.departments["bianwei"],
        requested_by=world.users["staff"],
        reason="x",
        proposed_department=world.departments["minzheng"],
    )
    client = as_role("staff2")
    before = fingerprint()
    attempts = [
        client.get(f"/api/tasks/{task.pk}/"),
        client.post(f"/api/tasks/{task.pk}/acknowledge/"),
        client.get(f"/api/reports/{draft.pk}/"),
        client.post(f"/api/reports/{draft.pk}/submit/"),
        client.post(
            "/api/reports/",
            {"task": task.pk, "period": this_month().isoformat(), "text": "x", "percent": 1},
            format="json",
        ),
        client.post("/api/completion-requests/", {"task": task.pk, "summary": "x"}, format="json"),
        client.get(f"/api/extension-requests/{extension.pk}/"),
        client.get(f"/api/participation-requests/{participation.pk}/"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert fingerprint() == before
    assert client.get("/api/events/", {"task": task.pk}).json()["results"] == []
    assert client.get("/api/extension-requests/", {"task": task.pk}).json()["results"] == []


def test_a_department_is_listed_only_the_plans_holding_its_tasks(as_role):
    # Issue 17 item 12: every plan was listed to every department.
    from django.contrib.auth import get_user_model

    from tasks.models import Plan, Task

    everything = set(Plan.objects.values_list("pk", flat=True))
    for role in ("office", "supervisor", "leader", "admin"):
        listed = {plan["id"] for plan in as_role(role).get("/api/plans/?page_size=1000").json()["results"]}
        assert listed == everything, role
    for role in ("staff", "staff2", "minzheng"):
        client = as_role(role)
        listed = {plan["id"] for plan in client.get("/api/plans/?page_size=1000").json()["results"]}
        user = get_user_model().objects.get(username=role)
        holding = set(Task.objects.visible_to(user).values_list("plan_id", flat=True))
        assert listed == holding and listed < everything, role
        hidden = min(everything - holding)
        assert client.get(f"/api/plans/{hidden}/").status_code == 404


def test_the_task_lists_plan_filter_offers_a_department_only_its_plans(login, demo_users):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tasks.models import Plan, Task

    staff = get_user_model().objects.get(username="staff")
    holding = set(Task.objects.visible_to(staff).values_list("plan__title", flat=True))
    page = login("staff").get(reverse("tasks:list")).content.decode()
    for plan in Plan.objects.all():
        assert (f">{plan.title}</option>" in page) == (plan.title in holding), plan.title
