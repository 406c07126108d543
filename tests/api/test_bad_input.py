"""Bad input is refused with a clear Chinese message and the right status, never a 500,
and nothing is half-saved."""

import json

import pytest
from django.utils import timezone

from tasks.models import Plan, ProgressReport, Task
from tests.test_permission_matrix import fingerprint

pytestmark = pytest.mark.django_db


def month() -> str:
    return timezone.localdate().replace(day=1).isoformat()


@pytest.fixture
def report_body(bianwei_task):
    return {"task": bianwei_task.pk, "period": month(), "text": "本月进展", "percent": 30}


def post_raw(client, url: str, body: bytes | str, content_type: str = "application/json"):
    return client.generic("POST", url, body, content_type=content_type)


def test_malformed_json(api):
    before = fingerprint()
    response = post_raw(api("staff"), "/api/reports/", '{"task": 1, "text": ')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求内容不是有效的JSON")
    assert fingerprint() == before


def test_json_that_is_not_an_object(api):
    response = post_raw(api("staff"), "/api/reports/", "[1, 2, 3]")
    assert response.status_code == 400
    assert "errors" in response.json()


@pytest.mark.parametrize("constant", ["NaN", "Infinity"])
def test_json_constants_outside_the_standard(api, constant):
    response = post_raw(api("staff"), "/api/reports/", f'{{"percent": {constant}}}')
    assert response.status_code == 400
    assert constant in response.json()["detail"]


def test_json_nested_beyond_reason(api):
    response = post_raw(api("staff"), "/api/reports/", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容的JSON嵌套过深。"


def test_form_encoded_body_is_not_accepted(api, report_body):
    response = api("staff").post("/api/reports/", report_body)  # multipart, not JSON
    assert response.status_code == 415
    assert ProgressReport.objects.count() == 0


def test_unknown_fields_are_named(api, report_body):
    response = api("staff").post("/api/reports/", {**report_body, "colour": "red", "status": "accepted"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"colour": ["未知字段。"], "status": ["未知字段。"]}
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("percent", "三十", "请填写合法的整数值。"),
        ("percent", 150, "请确保该值小于或者等于 100。"),
        ("period", "2026-13-01", "日期格式错误。请从这些格式中选择：YYYY-MM-DD。"),
        ("text", ["a list"], "不是有效的字符串。"),
        ("task", "x", "请填写合法的整数值。"),
        ("milestones_done", "1,2", "期望为一个包含物件的列表，得到的类型是“str”。"),
    ],
)
def test_wrong_types_are_named_in_chinese(api, report_body, field, value, message):
    response = api("staff").post("/api/reports/", {**report_body, field: value}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][field] == [message]
    assert body["detail"] == f"{field}：{message}"
    assert ProgressReport.objects.count() == 0


def test_a_services_refusal_is_a_400_with_its_message(api, report_body):
    response = api("staff").post("/api/reports/", {**report_body, "text": "   "}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"text": ["该字段不能为空。"]}
    # percent below the last accepted one needs a reason: the service says so
    client = api("staff")
    report = client.post("/api/reports/", {**report_body, "percent": 60}, format="json").json()
    client.post(f"/api/reports/{report['id']}/submit/")
    api("office").post(f"/api/reports/{report['id']}/accept/", {}, format="json")
    last_month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    response = client.post("/api/reports/", {**report_body, "period": last_month.isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"lower_reason": ["进度低于上次采纳的60%，请说明原因。"]}


def test_a_milestone_of_another_task_saves_nothing(api, report_body, minzheng_task):
    other_step = minzheng_task.milestones.first() or minzheng_task.milestones.create(text="调研")
    response = api("staff").post("/api/reports/", {**report_body, "milestones_done": [other_step.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "进度节点不属于这项任务。"
    assert ProgressReport.objects.count() == 0


def test_an_unknown_department_in_an_assignment(api, bianwei_task):
    before = fingerprint()
    response = api("office").post(
        f"/api/tasks/{bianwei_task.pk}/assign/", {"leads": [999999], "reason": "调整"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "leads：部门ID不存在：999999。"
    assert fingerprint() == before


def test_a_second_submit_is_refused_and_changes_nothing(api, report_body):
    client = api("staff")
    report = client.post("/api/reports/", report_body, format="json").json()
    assert client.post(f"/api/reports/{report['id']}/submit/").status_code == 200
    before = fingerprint()
    response = client.post(f"/api/reports/{report['id']}/submit/")
    assert response.status_code == 400
    assert response.json()["detail"] == "这份报告已报送，不能重复提交。"
    assert fingerprint() == before


def test_a_stale_draft_version_is_refused(api, report_body):
    client = api("staff")
    report = client.post("/api/reports/", report_body, format="json").json()
    edit = {"period": month(), "text": "第二稿", "percent": 40, "version": 1}
    assert client.put(f"/api/reports/{report['id']}/", edit, format="json").status_code == 200
    response = api("head").put(f"/api/reports/{report['id']}/", {**edit, "text": "旧稿覆盖"}, format="json")
    assert response.status_code == 400
    assert "已被他人修改" in response.json()["detail"]
    assert ProgressReport.objects.get(pk=report["id"]).text == "第二稿"


def test_oversized_body_is_413_before_it_is_read(api, settings, report_body):
    settings.API_MAX_BODY_BYTES = 2048
    body = json.dumps({**report_body, "text": "进展" * 2000})
    response = post_raw(api("staff"), "/api/reports/", body)
    assert response.status_code == 413
    assert response.json()["detail"] == "请求内容超过0.00195312 MB的上限，请拆分后再提交。"
    assert ProgressReport.objects.count() == 0


def test_the_default_limit_is_ten_megabytes(api, bianwei_task):
    body = json.dumps({"data": {"plan": {}, "tasks": []}, "source_text": "x" * (10 * 1024 * 1024)})
    response = post_raw(api("office"), "/api/plans/import/preview/", body)
    assert response.status_code == 413
    assert response.json()["detail"] == "请求内容超过10 MB的上限，请拆分后再提交。"


def test_unsigned_or_tampered_import_token_saves_nothing(api):
    before = Plan.objects.count()
    response = api("office").post("/api/plans/import/confirm/", {"token": "not-a-token"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"token": ["预览已过期或被改动，请重新预览。"]}
    assert Plan.objects.count() == before


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([{"ref": "t1", "level": 1, "title": "甲"}, {"ref": "t1", "level": 1, "title": "乙"}], "任务编号ref“t1”重复。"),
        ([{"ref": "t2", "parent": "t9", "level": 2, "title": "甲"}], "任务t2的上级t9不在它之前。"),
        ([{"ref": "t1", "level": 1, "title": "甲", "precision": "soon"}], "“soon” 不是合法选项。"),
        (
            [{"ref": "t1", "level": 1, "title": "甲", "deadline": "2016年底"}],
            "日期格式错误。请从这些格式中选择：YYYY-MM-DD。",
        ),
        ([{"ref": "t1", "level": 1, "title": "", "number": ""}], "任务没有标题。"),
        ([{"ref": "t1", "level": 1, "title": "甲", "owner": "x"}], "未知字段。"),
    ],
)
def test_malformed_importer_json_is_named_and_saves_nothing(api, tasks, message):
    before = (Plan.objects.count(), Task.objects.count())
    response = api("office").post(
        "/api/plans/import/preview/", {"data": {"plan": {"title": "坏方案"}, "tasks": tasks}}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert message in response.json()["detail"]
    assert (Plan.objects.count(), Task.objects.count()) == before


@pytest.mark.parametrize("value", [10**30, 2**63, -(2**63) - 1, "abc"])
def test_numbers_beyond_a_bigint_are_refused_not_overflowed(api, login, bianwei_task, value):
    """SQLite raises OverflowError past 2**63: such ids never reach a query."""
    client = api("staff")
    body = {"task": value, "period": month(), "text": "x", "percent": 1}
    not_found = [
        client.get(f"/api/tasks/{value}/"),
        client.get(f"/api/reports/{value}/"),
        client.get(f"/api/reports/1/evidence/{value}/"),
    ]
    refused = [
        client.post("/api/reports/", body, format="json"),
        client.get("/api/reports/", {"task": value}),
        client.get("/api/events/", {"task": value}),
        client.get("/api/tasks/", {"lead": value}),
        client.get("/api/tasks/", {"year": value}),
        client.get("/api/tasks/", {"due_within": value}),
        client.get("/api/tasks/", {"chapter": value}),
        client.post("/api/notifications/mark-read/", {"ids": [value]}, format="json"),
    ]
    assert [r.status_code for r in not_found] == [404] * len(not_found)
    assert [r.status_code for r in refused] == [400] * len(refused)
    assert all(r.json()["detail"] for r in not_found + refused)
    # The task list page shares the filters: it ignores the number instead of failing
    page = login("staff").get("/tasks/", {"lead": value, "due_within": value, "year": value, "chapter": value})
    assert page.status_code == 200


@pytest.mark.parametrize("period", ["0001-01-01", "9999-12-31", "next-month", "four-months-ago"])
def test_a_period_the_page_does_not_offer_is_refused_by_the_api_too(api, report_body, period):
    # Issue 17 item 10: the API took 0001-01-01 and 9999-12-31, which the page refuses.
    first = timezone.localdate().replace(day=1)
    days = {"next-month": 32, "four-months-ago": -100}
    if period in days:
        period = (first + timezone.timedelta(days=days[period])).replace(day=1).isoformat()
    response = api("staff").post("/api/reports/", {**report_body, "period": period}, format="json")
    assert response.status_code == 400 and "报告期只能是" in response.json()["errors"]["period"][0]
    assert not ProgressReport.objects.exists()


def test_refusals_are_in_chinese_and_name_no_model(api, demo_users, minzheng_task):
    # Issue 17 item 12: "No ProgressReport matches the given query." and "CSRF Failed" reached users.
    from rest_framework.test import APIClient

    from tests.conftest import DEMO_PASSWORD

    client = api("staff")
    answers = [
        client.get("/api/reports/999999999/"),
        client.get(f"/api/tasks/{minzheng_task.pk}/"),  # another department's task
        client.post("/api/reports/999999999/submit/"),
        client.delete(f"/api/tasks/{minzheng_task.pk}/"),
    ]
    session = APIClient(enforce_csrf_checks=True)
    assert session.login(username="staff", password=DEMO_PASSWORD)
    answers.append(session.post("/api/reports/", {}, format="json"))
    for response in answers:
        detail = response.json()["detail"]
        assert response.status_code in (403, 404, 405), detail
        assert any("\u4e00" <= char <= "\u9fff" for char in detail), detail
        assert "matches the given query" not in detail and "Failed" not in detail
        for model in ("ProgressReport", "Task", "Plan", "Report"):
            assert model not in detail, detail
    assert answers[0].json()["detail"] == "未找到。"
    assert answers[-1].json()["detail"].startswith("CSRF 校验失败")
