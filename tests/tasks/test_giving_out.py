"""交办: every way a draft is given out dates it, sets its 签收时限 and tells the departments."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from departments.choices import Role
from departments.permissions import SYSTEM
from departments.selectors import registry
from importer.parser import parse_plan
from notifications.choices import NotificationKind
from notifications.models import Notification
from tasks.choices import AssignmentRole, TaskKind, TaskStatus
from tasks.models import Task
from tasks.services import task_assign, tasks_give_out
from tasks.services.importing import plan_import
from tests.factories import DepartmentFactory, MembershipFactory, TaskFactory

pytestmark = pytest.mark.django_db

PLAN_TEXT = (
    "一、建立政务服务清单。(区编委办会同区发改委负责。2027年6月底前完成)\n"
    "二、推进数据共享。(区发改委负责。2027年12月底前完成)\n"
    "三、完善考核办法。(有关部门负责。2027年12月底前完成)\n"
)


def office():
    return get_user_model().objects.get(username="office")


def people(*departments) -> int:
    """Active staff and heads of the departments: who a task given to them must reach."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, membership__department__in=departments, membership__role__in=(Role.STAFF, Role.HEAD)
        )
        .count()
    )


def assigned_notifications() -> int:
    return Notification.objects.filter(kind=NotificationKind.ASSIGNED).count()


def test_an_import_keeps_drafts_and_tells_nobody_unless_asked_to_give_out(demo_users, dept):
    data = parse_plan(PLAN_TEXT, registry=registry()).as_json()
    before = assigned_notifications()
    plan = plan_import(data=data, by=office())
    assert set(plan.tasks.filter(kind=TaskKind.TASK).values_list("status", flat=True)) == {TaskStatus.DRAFT}
    assert assigned_notifications() == before

    again = plan_import(data=data, by=office(), assign=True)
    given = again.tasks.filter(status=TaskStatus.ASSIGNED)
    assert given.count() == 2  # the third names only 有关部门: no lead, it stays a draft
    bianwei, fagai = dept("区编委办"), dept("区发改委")
    # Task 一 reaches 区编委办 (staff, head) and 区发改委 (staff2); task 二 reaches 区发改委.
    assert assigned_notifications() - before == people(bianwei, fagai) + people(fagai) == 4
    first = given.get(number="一、")
    assert first.assigned_on == date(2026, 11, 16)
    assert first.acknowledge_by == date(2026, 11, 19)  # Monday + 3 working days
    event = first.events.get(kind="status")
    assert "确认导入时交办" in event.summary and event.changes["签收时限"] == ["—", "2026-11-19"]
    note = Notification.objects.filter(task=first, recipient__username="head").get()
    assert note.body == "请于2026-11-19前签收。" and note.url == first.get_absolute_url()


def test_giving_out_refuses_the_whole_batch_when_one_task_cannot_go(demo_users, dept):
    ready = TaskFactory()
    task_assign(task=ready, leads=[dept("区编委办")], by=SYSTEM)
    leaderless = TaskFactory(title="没有牵头的任务")
    with pytest.raises(Exception, match="没有牵头的任务”没有牵头单位"):
        tasks_give_out(tasks=[ready, leaderless], by=office())
    ready.refresh_from_db()
    assert ready.status == TaskStatus.DRAFT and ready.assigned_on is None
    with pytest.raises(Exception, match="签收时限须为1到30个工作日"):
        tasks_give_out(tasks=[ready], by=office(), acknowledge_days=0)
    tasks_give_out(tasks=[ready], by=office())
    with pytest.raises(Exception, match="已是“已交办”，不是草稿"):
        tasks_give_out(tasks=[ready], by=office())


def test_a_department_without_active_accounts_is_flagged_to_the_office_at_once(demo_users, dept):
    empty = DepartmentFactory(name="区无人局")
    gone = MembershipFactory(department=DepartmentFactory(name="区离职局"))
    gone.user.is_active = False
    gone.user.save()
    task = TaskFactory(title="无人接收的任务")
    task_assign(task=task, leads=[empty], cooperating=[gone.department, dept("区发改委")], by=SYSTEM)
    tasks_give_out(tasks=[task], by=office())
    flags = Notification.objects.filter(kind=NotificationKind.UNREACHABLE, task=task)
    assert {n.recipient.username for n in flags} == {"office"}
    assert "区无人局、区离职局没有在用的经办人或负责人账号" in flags.get().body
    assert Notification.objects.filter(kind=NotificationKind.ASSIGNED, task=task).count() == people(dept("区发改委"))


def test_adding_a_department_to_a_task_already_given_out_tells_it(demo_users, dept):
    task = TaskFactory()
    task_assign(task=task, leads=[dept("区编委办")], by=SYSTEM)
    tasks_give_out(tasks=[task], by=office())
    before = assigned_notifications()
    task_assign(task=task, leads=[dept("区编委办")], cooperating=[dept("区发改委")], by=office(), reason="补充")
    assert assigned_notifications() - before == people(dept("区发改委"))


def test_the_batch_page_previews_who_gets_what_then_gives_out(login, dept):
    plan_import(data=parse_plan(PLAN_TEXT, registry=registry()).as_json(), by=office())
    drafts = Task.objects.filter(plan__title__startswith="", status=TaskStatus.DRAFT).order_by("-pk")[:3]
    chosen = [t for t in drafts if t.assignments.filter(role=AssignmentRole.LEAD).exists()]
    plan = chosen[0].plan
    client = login("office")
    page = client.get(f"/tasks/give-out/?plan={plan.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert '共 <strong id="draft-count">3</strong> 项草稿任务' in html
    assert "无牵头单位，先调整分工" in html  # 三、 has only 有关部门

    empty = client.post("/tasks/give-out/", {"plan": plan.pk, "acknowledge_days": "3"})
    assert empty.status_code == 400 and "请勾选要交办的任务。" in empty.content.decode()
    wrong = client.post("/tasks/give-out/", {"plan": plan.pk, "task": [t.pk for t in chosen], "acknowledge_days": "99"})
    assert wrong.status_code == 400 and "签收时限须为1到30个工作日。" in wrong.content.decode()

    ids = [t.pk for t in chosen]
    preview = client.post("/tasks/give-out/", {"plan": plan.pk, "task": ids, "acknowledge_days": "5"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "2026年11月23日" in html  # Monday + 5 working days
    assert html.index("区发展和改革委员会") and "确认交办" in html
    assert Task.objects.filter(pk__in=ids, status=TaskStatus.DRAFT).count() == 2  # nothing yet

    before = assigned_notifications()
    done = client.post("/tasks/give-out/", {"plan": plan.pk, "task": ids, "acknowledge_days": "5", "step": "confirm"})
    assert done.status_code == 302
    assert set(Task.objects.filter(pk__in=ids).values_list("status", "acknowledge_by")) == {
        (TaskStatus.ASSIGNED, date(2026, 11, 23))
    }
    assert assigned_notifications() - before == 4
    inbox = login("staff2").get("/tasks/inbox/").content.decode()
    assert "新交办任务：建立政务服务清单" in inbox and "新交办任务：推进数据共享" in inbox


def test_the_batch_page_is_the_offices(login):
    assert login("staff").get("/tasks/give-out/").status_code == 403


def test_adjusting_a_draft_gives_it_out_in_the_same_step(login, dept):
    task = TaskFactory()
    client = login("office")
    response = client.post(
        f"/tasks/{task.pk}/assign/",
        {"assign-leads": [dept("区编委办").pk], "assign-reason": "明确牵头", "assign-give_out": "on"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED and task.acknowledge_by == date(2026, 11, 19)
    assert Notification.objects.filter(task=task, kind=NotificationKind.ASSIGNED).count() == people(dept("区编委办"))

    kept = TaskFactory()
    client.post(f"/tasks/{kept.pk}/assign/", {"assign-leads": [dept("区编委办").pk], "assign-reason": "先定分工"})
    kept.refresh_from_db()
    assert kept.status == TaskStatus.DRAFT  # unticked: the office gives it out later


def test_the_api_gives_out_a_batch_and_refuses_in_chinese(demo_users, dept, client):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(office())
    ready, other = TaskFactory(), TaskFactory()
    for task in (ready, other):
        task_assign(task=task, leads=[dept("区发改委")], by=SYSTEM)
    response = api.post("/api/tasks/give-out/", {"tasks": [ready.pk, other.pk], "acknowledge_days": 2}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {"tasks": [ready.pk, other.pk], "assigned_on": "2026-11-16", "acknowledge_by": "2026-11-18"}
    again = api.post("/api/tasks/give-out/", {"tasks": [ready.pk]}, format="json")
    assert again.status_code == 400 and "不是草稿" in again.json()["detail"]
    missing = api.post("/api/tasks/give-out/", {"tasks": [10**9]}, format="json")
    assert missing.status_code == 400 and "任务ID不存在" in str(missing.json())
    staff = APIClient()
    staff.force_authenticate(get_user_model().objects.get(username="staff"))
    assert staff.post("/api/tasks/give-out/", {"tasks": [ready.pk]}, format="json").status_code == 403


def test_the_office_gives_out_from_the_admin_too(login, dept):
    task = TaskFactory()
    task_assign(task=task, leads=[dept("区编委办")], by=SYSTEM)
    client = login("office")
    response = client.post("/admin/tasks/task/", {"action": "issue_tasks", "_selected_action": [task.pk]}, follow=True)
    assert response.status_code == 200
    assert "已交办 1 项任务" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED and task.acknowledge_by == date(2026, 11, 19)
