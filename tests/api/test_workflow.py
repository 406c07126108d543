"""The department workflow end to end through the API, with tokens: the same services as
the pages, the same history and inbox."""

from datetime import date

import pytest
from django.utils import timezone

from notifications.models import Notification
from tasks.models import CompletionRequest, ExtensionRequest, ProgressReport, TaskEvent

pytestmark = pytest.mark.django_db


def month() -> str:
    return timezone.localdate().replace(day=1).isoformat()


def test_acknowledge_report_review_extend_and_close(api, bianwei_task):
    staff, office = api("staff"), api("office")
    task_url = f"/api/tasks/{bianwei_task.pk}/"

    # 签收
    response = staff.post(task_url + "acknowledge/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "acknowledged"

    # 报送: a draft, then submitted to the office
    response = staff.post(
        "/api/reports/", {"task": bianwei_task.pk, "period": month(), "text": "完成调研", "percent": 40}, format="json"
    )
    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["status"], report["percent"], report["department"]["short_name"]) == ("draft", 40, "区编委办")
    response = staff.post(f"/api/reports/{report['id']}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert Notification.objects.filter(recipient__username="office", task=bianwei_task).exists()

    # 审核: returned without a comment is refused, with one it goes back; resent, then accepted
    response = office.post(f"/api/reports/{report['id']}/return/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["退回报告须写明意见。"]}
    assert ProgressReport.objects.get(pk=report["id"]).status == "submitted"
    response = office.post(f"/api/reports/{report['id']}/return/", {"comment": "请补充数据"}, format="json")
    assert response.json()["status"] == "returned"
    response = staff.put(
        f"/api/reports/{report['id']}/",
        {"period": month(), "text": "完成调研，数据已补充", "percent": 45, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    staff.post(f"/api/reports/{report['id']}/submit/")
    response = office.post(f"/api/reports/{report['id']}/accept/", {"comment": "同意"}, format="json")
    assert response.json()["status"] == "accepted"
    listed = office.get("/api/tasks/", {"plan": bianwei_task.plan_id}).json()["results"]
    row = next(r for r in listed if r["id"] == bianwei_task.pk)
    assert row["progress"] == 45
    assert row["latest_report"]["id"] == report["id"]
    assert row["lead"] == [{"id": row["lead"][0]["id"], "name": "区机构编制委员会办公室", "short_name": "区编委办"}]

    # 延期: asked by the lead, approved by the office; the plan's date stays on record
    before = bianwei_task.deadline
    response = staff.post(
        "/api/extension-requests/",
        {"task": bianwei_task.pk, "reason": "需省级部门协调", "proposed_deadline": "2027-06-30"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    extension = response.json()
    response = office.post(f"/api/extension-requests/{extension['id']}/approve/", {"reason": "同意"}, format="json")
    assert response.json()["status"] == "approved"
    bianwei_task.refresh_from_db()
    assert (bianwei_task.deadline, bianwei_task.original_deadline) == (date(2027, 6, 30), before)

    # 办结: asked with the summary, approved: the task is completed
    response = staff.post(
        "/api/completion-requests/", {"task": bianwei_task.pk, "summary": "已出台方案"}, format="json"
    )
    assert response.status_code == 201, response.json()
    completion = response.json()
    response = office.post(f"/api/completion-requests/{completion['id']}/approve/", {}, format="json")
    assert response.status_code == 200
    detail = office.get(task_url).json()
    assert (detail["status"], detail["progress"], detail["light"]) == ("completed", 100, "done")
    assert CompletionRequest.objects.get(pk=completion["id"]).decided_by.username == "office"
    assert ExtensionRequest.objects.get(pk=extension["id"]).status == "approved"

    # Everything is on the task's record, newest first, readable by the API too
    events = office.get("/api/events/", {"task": bianwei_task.pk}).json()["results"]
    assert [e["kind"] for e in events][:2] == ["completion", "status"]
    assert events[0]["summary"] == "同意办结"
    assert len(events) == TaskEvent.objects.filter(task=bianwei_task).count()


def test_participation_request_adds_the_department(api, minzheng, minzheng_task, dept):
    lead, office = api("minzheng"), api("office")
    proposed = dept("区编委办")
    response = lead.post(
        "/api/participation-requests/",
        {"task": minzheng_task.pk, "department": proposed.pk, "reason": "涉及机构编制"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = office.post(f"/api/participation-requests/{response.json()['id']}/approve/", {}, format="json")
    assert response.status_code == 200
    cooperating = {d["short_name"] for d in office.get(f"/api/tasks/{minzheng_task.pk}/").json()["cooperating"]}
    assert "区编委办" in cooperating
    # ...and 区编委办's staff now see the task
    assert api("staff").get(f"/api/tasks/{minzheng_task.pk}/").status_code == 200


def test_cooperating_report_goes_to_the_lead_and_head_signoff(api, minzheng, minzheng_task, dept):
    staff2 = api("staff2")  # 区发改委 co-operates on the task
    response = staff2.post(
        "/api/reports/", {"task": minzheng_task.pk, "period": month(), "text": "配合完成", "percent": 30}, format="json"
    )
    report = response.json()
    staff2.post(f"/api/reports/{report['id']}/submit/")
    # The office does not review a co-operating department's report; the lead does
    response = api("minzheng").post(f"/api/reports/{report['id']}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"


def test_notifications_list_and_mark_read(api, bianwei_task):
    staff, office = api("staff"), api("office")
    report = staff.post(
        "/api/reports/", {"task": bianwei_task.pk, "period": month(), "text": "进展", "percent": 10}, format="json"
    ).json()
    staff.post(f"/api/reports/{report['id']}/submit/")
    unread = office.get("/api/notifications/", {"unread": "true"}).json()["results"]
    assert unread and unread[0]["task"] == bianwei_task.pk
    assert office.get("/api/notifications/unread-count/").json() == {"unread": len(unread)}
    response = office.post(f"/api/notifications/{unread[0]['id']}/read/")
    assert response.json()["read_at"] is not None
    response = office.post("/api/notifications/mark-read/", {}, format="json")
    assert response.json() == {"marked": len(unread) - 1}
    assert office.get("/api/notifications/unread-count/").json() == {"unread": 0}
    # Someone else's notification is not found
    assert staff.post(f"/api/notifications/{unread[0]['id']}/read/").status_code == 404
