"""Supervision through the API with tokens, end to end: an inspector confirms findings and
raises a demand, the department reports, the office returns it and then closes it; the
same services, inboxes and refusals as the pages. Then bad input: unknown fields, wrong
types, other departments' ids, each a 400 or 404 with nothing written."""

from datetime import timedelta

import pytest

from notifications.models import Notification
from supervision.models import Finding, RectificationDemand
from tests.supervision.conftest import world  # noqa: F401 - supervision's world, not the task matrix's
from tests.supervision.test_permission_matrix import fingerprint

pytestmark = pytest.mark.django_db


def test_findings_filtered_as_on_the_inspection_page(world, api):  # noqa: F811
    client = api("supervisor")
    inspection = world.inspection
    every = client.get("/api/findings/", {"inspection": inspection.pk}).json()
    assert every["count"] == 5
    overdue = client.get("/api/findings/", {"inspection": inspection.pk, "rating": "overdue"}).json()["results"]
    assert [row["task"]["id"] for row in overdue] == [world.tasks["overdue"].pk]
    led = client.get("/api/findings/", {"department": world.departments["bianwei"].pk}).json()["results"]
    assert {row["task"]["id"] for row in led} == {world.tasks["done"].pk, world.tasks["on_track"].pk}
    assert led[0]["lead"] == [{"id": world.departments["bianwei"].pk, "name": "区机构编制委员会办公室"}]
    assert client.get("/api/findings/", {"rating": "unconfirmed"}).json()["count"] == 5

    detail = client.get(f"/api/inspections/{inspection.pk}/").json()
    assert detail["rating_counts"] == {"on_time": 1, "on_track": 1, "behind": 1, "not_started": 1, "overdue": 1}
    assert (detail["finding_count"], detail["unconfirmed"]) == (5, 5)


def test_confirm_raise_report_return_and_close(world, api):  # noqa: F811
    supervisor, staff2, office = api("supervisor"), api("staff2"), api("office")
    finding = Finding.objects.get(inspection=world.inspection, task=world.tasks["overdue"])
    fagaiwei = world.departments["fagaiwei"]

    # 确认评价: kept as suggested, with a comment
    response = supervisor.post(
        f"/api/findings/{finding.pk}/confirm/", {"rating": "overdue", "comment": "逾期45天"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["rating"], response.json()["final_rating"], response.json()["confirmed_by"]) == (
        "overdue",
        "overdue",
        "supervisor",
    )
    response = supervisor.post(f"/api/inspections/{world.inspection.pk}/confirm-all/")
    assert response.json() == {"confirmed": 4}
    assert supervisor.get("/api/findings/", {"rating": "unconfirmed"}).json()["count"] == 0

    # 整改要求: raised on the finding, in the department's inbox and list
    due = world.today + timedelta(days=30)
    body = {"department": fagaiwei.pk, "requirement": "一个月内上线平台", "due_date": due.isoformat()}
    response = supervisor.post(f"/api/findings/{finding.pk}/demands/", body, format="json")
    assert response.status_code == 201, response.json()
    demand = response.json()
    assert (demand["status"], demand["department"]["id"], demand["task"]["id"], demand["overdue"]) == (
        "open",
        fagaiwei.pk,
        world.tasks["overdue"].pk,
        False,
    )
    assert Notification.objects.filter(recipient__username="staff2", url=f"/supervision/demands/{demand['id']}/")
    assert [row["id"] for row in staff2.get("/api/demands/", {"status": "open"}).json()["results"]] == [demand["id"]]
    assert supervisor.get(f"/api/findings/{finding.pk}/").json()["demands"] == [demand["id"]]

    # 报告整改, 退回 (a reason is required), again, then 销号
    url = f"/api/demands/{demand['id']}/"
    assert staff2.post(url + "report/", {"text": "平台已上线试运行"}, format="json").json()["status"] == "reported"
    assert Notification.objects.filter(recipient__username="office", title__startswith="整改情况待销号")
    response = office.post(url + "return/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["退回须说明理由。"]}
    response = office.post(url + "return/", {"comment": "请附上线截图"}, format="json")
    assert (response.json()["status"], response.json()["office_comment"]) == ("open", "请附上线截图")
    staff2.post(url + "report/", {"text": "已附截图"}, format="json")
    response = office.post(url + "close/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["closed_by"]) == ("closed", "office")
    assert staff2.get("/api/demands/", {"status": "closed"}).json()["count"] == 1

    # A closed demand is reported on no more: refused by the service's own rule
    response = staff2.post(url + "report/", {"text": "再报"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有责任单位可以报告整改情况，且须在整改中。"


def test_demand_filters(world, api):  # noqa: F811
    from supervision.services import demand_raise

    finding = Finding.objects.get(inspection=world.inspection, task=world.tasks["behind"])
    supervisor = world.user("supervisor")
    soon = demand_raise(
        finding=finding,
        department=world.departments["minzheng"],
        requirement="补齐指标",
        due_date=world.today,
        by=supervisor,
    )
    later = demand_raise(
        finding=finding,
        department=world.departments["fagaiwei"],
        requirement="报送方案",
        due_date=world.today + timedelta(days=60),
        by=supervisor,
    )
    RectificationDemand.objects.filter(pk=soon.pk).update(due_date=world.today - timedelta(days=1))
    client = api("office")

    def ids(**filters):
        return [row["id"] for row in client.get("/api/demands/", filters).json()["results"]]

    assert ids() == [soon.pk, later.pk]  # soonest due first
    assert ids(status="overdue") == [soon.pk]
    assert ids(department=world.departments["fagaiwei"].pk) == [later.pk]
    assert ids(due_after=world.today.isoformat()) == [later.pk]
    assert ids(due_before=world.today.isoformat()) == [soon.pk]
    assert ids(inspection=world.inspection.pk, finding=finding.pk) == [soon.pk, later.pk]
    response = client.get("/api/demands/", {"status": "late", "due_after": "tomorrow"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "due_after"}


@pytest.mark.parametrize(
    ("action", "body", "errors"),
    [
        ("confirm", {"rating": "overdue", "colour": "red"}, {"colour": ["未知字段。"]}),
        ("confirm", {"rating": "excellent"}, {"rating": ["“excellent” 不是合法选项。"]}),
        ("confirm", {"rating": ["overdue"]}, {"rating": ["“['overdue']” 不是合法选项。"]}),
        (
            "demands",
            {"department": "x", "requirement": "r", "due_date": "2099-01-01"},
            {"department": ["请填写合法的整数值。"]},
        ),
        ("demands", {"department": 2**70, "requirement": "r", "due_date": "2099-01-01"}, None),
        (
            "demands",
            {"department": 999999, "requirement": "r", "due_date": "2099-01-01"},
            {"department": ["部门不存在。"]},
        ),
        (
            "demands",
            {"department": 1, "requirement": "r", "due_date": "2000-01-01"},
            {"due_date": ["整改时限不能早于今天。"]},
        ),
        ("demands", {"department": 1, "requirement": "  ", "due_date": "2099-01-01"}, None),
        ("demands", {"department": 1, "requirement": "r", "due_date": "2099-01-01", "status": "closed"}, None),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, api, action, body, errors):  # noqa: F811
    finding = Finding.objects.get(inspection=world.inspection, task=world.tasks["overdue"])
    if body.get("department") == 1:
        body = {**body, "department": world.departments["fagaiwei"].pk}
    before = fingerprint()
    response = api("supervisor").post(f"/api/findings/{finding.pk}/{action}/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["detail"]
    if errors is not None:
        assert response.json()["errors"] == errors
    assert fingerprint() == before


def test_other_departments_demands_are_not_found_through_any_door(world, api):  # noqa: F811
    from supervision.services import demand_raise, notices_send

    finding = Finding.objects.get(inspection=world.inspection, task=world.tasks["overdue"])
    supervisor = world.user("supervisor")
    demand = demand_raise(
        finding=finding,
        department=world.departments["fagaiwei"],
        requirement="整改",
        due_date=world.today,
        by=supervisor,
    )
    notices_send(inspection=world.inspection, by=supervisor)
    notice = demand.department.notices.get()
    client = api("staff")  # 区编委办
    before = fingerprint()
    attempts = [
        client.get(f"/api/demands/{demand.pk}/"),
        client.post(f"/api/demands/{demand.pk}/report/", {"text": "冒名报告"}, format="json"),
        client.post(f"/api/demands/{demand.pk}/close/", {}, format="json"),
        client.get(f"/api/notices/{notice.pk}/"),
        client.get(f"/api/demands/{2**62}/"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert fingerprint() == before
    assert client.get("/api/demands/", {"department": world.departments["fagaiwei"].pk}).json()["results"] == []
