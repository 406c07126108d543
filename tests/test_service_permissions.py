"""Every service checks its actor: the office's own actions are refused to everyone else
with a Chinese message, whoever calls them (page, API, admin, command), and the system
(the sweep, seeding, commands) is let through by name, never by an unchecked twin."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from assessment.models import Scheme
from assessment.services import period_reopen, scheme_save
from departments.context_processors import can_flags, membership
from departments.permissions import SYSTEM, person, role_of
from supervision.models import Bulletin, Inspection
from supervision.services import bulletin_draft
from tasks.choices import TaskStatus
from tasks.models import Plan, Task, TaskEvent
from tasks.services import task_assign, task_transition
from tasks.services.importing import plan_import
from tasks.services.plans import milestone_create, plan_create, plan_publish, task_create, task_update
from tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

NOT_OFFICE = ("staff", "head", "supervisor", "leader")
OFFICE_ACTORS = ("office", "admin", "system")


def actor(name: str):
    return SYSTEM if name == "system" else get_user_model().objects.get(username=name)


@pytest.fixture
def draft(demo_users):
    return TaskFactory(plan=PlanFactory(), title="建立政务数据共享责任清单")


IMPORT = {
    "plan": {"title": "权限测试方案"},
    "tasks": [{"ref": "1", "kind": "task", "number": "1", "title": "建立清单", "lead": [], "cooperating": []}],
    "warnings": [],
}


def office_only_calls(draft, dept):
    """Each office-only service, called as `by`."""
    return {
        "plan_create": lambda by: plan_create(by=by, slug=f"p-{id(by)}", title="新方案"),
        "task_create": lambda by: task_create(by=by, plan=draft.plan, title="新任务"),
        "task_update": lambda by: task_update(task=draft, by=by, title="改写的标题"),
        "task_assign": lambda by: task_assign(task=draft, leads=[dept("区编委办")], by=by),
        "milestone_create": lambda by: milestone_create(task=draft, by=by, text="完成调研"),
        "plan_publish": lambda by: plan_publish(plan=draft.plan, public=True, by=by),
        "plan_import": lambda by: plan_import(data=IMPORT, by=by),
    }


SERVICES = (
    "plan_create",
    "task_create",
    "task_update",
    "task_assign",
    "milestone_create",
    "plan_publish",
    "plan_import",
)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("username", NOT_OFFICE)
def test_office_only_services_refuse_everyone_else_in_chinese(draft, dept, service, username):
    before = (Plan.objects.count(), Task.objects.count(), TaskEvent.objects.count())
    with pytest.raises(PermissionDenied) as refused:
        office_only_calls(draft, dept)[service](actor(username))
    assert "政府办" in str(refused.value)
    draft.refresh_from_db()
    assert draft.title == "建立政务数据共享责任清单" and not draft.plan.is_public
    assert (Plan.objects.count(), Task.objects.count(), TaskEvent.objects.count()) == before  # nothing half-done


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("username", OFFICE_ACTORS)
def test_office_only_services_let_the_office_and_the_system_through(draft, dept, service, username):
    office_only_calls(draft, dept)[service](actor(username))
    draft.refresh_from_db()
    expected = {
        "task_update": lambda: draft.title == "改写的标题",
        "task_assign": lambda: [d.pk for d in draft.lead_departments()] == [dept("区编委办").pk],
        "milestone_create": lambda: draft.milestones.filter(text="完成调研").exists(),
        "plan_publish": lambda: draft.plan.is_public,
        "plan_create": lambda: Plan.objects.filter(title="新方案").exists(),
        "task_create": lambda: draft.plan.tasks.filter(title="新任务").exists(),
        "plan_import": lambda: Plan.objects.filter(title="权限测试方案").exists(),
    }
    assert expected[service]()


def test_the_system_is_on_record_as_no_person(draft, dept):
    task_assign(task=draft, leads=[dept("区编委办")], by=SYSTEM, reason="按方案原文分工")
    event = draft.events.latest("id")
    assert event.actor is None and "按方案原文分工" in event.summary
    assert person(SYSTEM) is None and str(SYSTEM) == "系统"


def test_a_department_cannot_suspend_or_issue_a_task_but_signs_for_its_own(draft, dept):
    task_assign(task=draft, leads=[dept("区编委办")], by=actor("office"))
    with pytest.raises(PermissionDenied):
        task_transition(task=draft, to=TaskStatus.ASSIGNED, by=actor("staff"))
    task_transition(task=draft, to=TaskStatus.ASSIGNED, by=actor("office"))
    with pytest.raises(PermissionDenied):
        task_transition(task=draft, to=TaskStatus.ACKNOWLEDGED, by=actor("staff2"))  # not its task
    task_transition(task=draft, to=TaskStatus.ACKNOWLEDGED, by=actor("staff"))
    with pytest.raises(PermissionDenied):
        task_transition(task=draft, to=TaskStatus.SUSPENDED, by=actor("head"))
    assert Task.objects.get(pk=draft.pk).status == TaskStatus.ACKNOWLEDGED


def inspection_by(author, title: str) -> Inspection:
    return Inspection.objects.create(
        title=title, kind="special", period_start=date(2026, 11, 1), period_end=date(2026, 11, 16), created_by=author
    )


@pytest.mark.parametrize("username", ("staff", "head", "leader"))
def test_only_supervising_roles_draft_a_bulletin(demo_users, username):
    inspection = Inspection.objects.create(
        title="权限督查",
        kind="special",
        period_start="2026-11-01",
        period_end="2026-11-16",
        created_by=actor("supervisor"),
    )
    with pytest.raises(PermissionDenied, match="只有督查员和政府办可以起草督查通报"):
        bulletin_draft(inspection=inspection, by=actor(username))
    assert not Bulletin.objects.filter(inspection=inspection).exists()


def test_the_system_drafts_a_bulletin_in_the_name_of_the_inspections_author(demo_users):
    supervisor = actor("supervisor")
    inspection = inspection_by(supervisor, "系统起草")
    bulletin = bulletin_draft(inspection=inspection, by=SYSTEM)
    assert bulletin.created_by == supervisor


@pytest.mark.parametrize("username", NOT_OFFICE)
def test_assessment_services_refuse_everyone_but_the_office(demo_users, username):
    with pytest.raises(PermissionDenied, match="只有政府办"):
        scheme_save(scheme=None, data={"year": 2026, "title": "2026年度考核"}, classes="", by=actor(username))
    scheme = Scheme.objects.create(year=2026, title="2026年度考核")
    with pytest.raises(PermissionDenied, match="只有政府办"):
        period_reopen(scheme=scheme, by=actor(username), reason="复核")
    assert Scheme.objects.count() == 1


# --- what templates may offer: can.* from the context processor -------------------------

FLAGS = {
    # role: (see_dashboards, review, import_plans, decide_requests, upload_progress, supervise, use_portal)
    "office": (True, True, True, True, False, True, True),
    "admin": (True, True, True, True, False, True, True),
    "supervisor": (True, False, False, False, False, True, True),
    "leader": (True, False, False, False, False, False, True),
    "staff": (False, True, False, False, True, False, True),
    "head": (False, True, False, False, True, False, True),
}
NAMES = ("see_dashboards", "review", "import_plans", "decide_requests", "upload_progress", "supervise", "use_portal")


@pytest.mark.parametrize("username", list(FLAGS))
def test_templates_get_what_each_role_may_do_as_can_flags(demo_users, username):
    can = can_flags(actor(username))
    assert tuple(getattr(can, name) for name in NAMES) == FLAGS[username]
    assert can.publish_plans == can.manage_assessment == (role_of(actor(username)) == "office")


def test_anonymous_visitors_may_do_nothing(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    can = membership(request)["can"]
    assert not any(vars(can).values())


@pytest.mark.parametrize("username,shown", [("office", True), ("staff", False)])
def test_the_header_offers_import_by_the_flag(login, username, shown):
    page = login(username).get("/tasks/").content.decode()
    assert ("导入方案" in page) is shown
    assert ("审核待办" in page) is True
