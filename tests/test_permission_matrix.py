"""The permission matrix of the task workflow, through the real views.

Every role (anonymous, the office, the superuser, a supervisor, a leader, the staff and the
head of 区编委办, the staff of 区发改委 and a staff member of 区民政局 made here) against every
action of tasks/urls.py, on its own department's work and on another's.

Two seed tasks of plan zhongzhan-2014 carry the matrix:

* ``bianwei-led``  一、(一), led by 区编委办 alone: own work for staff and head, unseen by
  区发改委 (staff2) and 区民政局 (minzheng);
* ``minzheng-led`` 二、(一), led by 区民政局 with 区发改委 co-operating: unseen by 区编委办.

A success asserts the answer and the change it made. A refusal asserts the exact answer
(a redirect to the login page for anonymous, 403 for what the user sees but may not act on,
404 for what they may not see) and that nothing in the database moved.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from departments.choices import Role
from departments.models import Department
from departments.services import member_set
from notifications.models import DeliverySettings, Notification
from notifications.services import notify
from reminders.models import Reminder
from reminders.schedule import Kind
from tasks.forms import AssignForm, CompletionForm, ExtensionForm, ParticipationForm, StepForm
from tasks.models import (
    Assignment,
    CompletionRequest,
    Evidence,
    ExtensionRequest,
    Milestone,
    ParticipationRequest,
    ProgressReport,
    Task,
    TaskEvent,
)
from tasks.services import (
    completion_request,
    extension_request,
    participation_request,
    report_review,
    report_save,
    report_submit,
    task_acknowledge,
)
from tests.conftest import DEMO_PASSWORD, TODAY, kept_for_module
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
NEW_DEADLINE = date(2027, 6, 30)

ROLES = ("anonymous", "office", "admin", "supervisor", "leader", "staff", "head", "staff2", "minzheng")
# Whose work each task is, from the seed plans.
LEAD_OF = {"bianwei-led": "staff", "minzheng-led": "minzheng"}

OK = "ok"  # the action is done: 200, or a redirect to the page it leads to
LOGIN = "login"  # 302 to the login page
FORBIDDEN = "403"  # the user sees the object but may not act on it
MISSING = "404"  # the user may not see the object
IGNORED = "ignored"  # a redirect as after success, but nothing changed


def outcomes(*, ok: str = "", forbidden: str = "", missing: str = "", ignored: str = "") -> dict[str, str]:
    """Each role's expected outcome; anonymous always goes to the login page, every role is listed once."""
    table = {"anonymous": LOGIN}
    for outcome, names in ((OK, ok), (FORBIDDEN, forbidden), (MISSING, missing), (IGNORED, ignored)):
        for name in names.split():
            assert name not in table, f"{name} listed twice"
            table[name] = outcome
    assert set(table) == set(ROLES), set(ROLES) ^ set(table)
    return table


def cases(matrix: dict[str, dict[str, str]], wrong: dict[tuple[str, str], str] | None = None):
    """(target, role, expected) parameters with ids like ``bianwei-led-staff2-404``.

    `wrong` names the cells where the app does otherwise today: they are strict xfails, so the
    test fails as soon as the app starts to behave as the matrix says."""
    wrong = wrong or {}
    assert set(wrong) <= {(target, role) for target in matrix for role in ROLES}
    params = []
    for target, table in matrix.items():
        for role in ROLES:
            expected = table[role]
            marks = ()
            if (target, role) in wrong:
                marks = pytest.mark.xfail(strict=True, raises=AssertionError, reason=wrong[target, role])
            params.append(pytest.param(target, role, expected, id=f"{target}-{role}-{expected}", marks=marks))
    return params


# Who may do what, by task.
SEE_TASK = {
    "bianwei-led": outcomes(ok="office admin supervisor leader staff head", missing="staff2 minzheng"),
    "minzheng-led": outcomes(ok="office admin supervisor leader staff2 minzheng", missing="staff head"),
}
LEAD_ONLY = {
    "bianwei-led": outcomes(ok="staff head", forbidden="office admin supervisor leader", missing="staff2 minzheng"),
    "minzheng-led": outcomes(ok="minzheng", forbidden="office admin supervisor leader staff2", missing="staff head"),
}
REPORTERS = {
    "bianwei-led": outcomes(ok="staff head", forbidden="office admin supervisor leader", missing="staff2 minzheng"),
    "minzheng-led": outcomes(ok="minzheng staff2", forbidden="office admin supervisor leader", missing="staff head"),
}
OFFICE_ONLY = {
    "bianwei-led": outcomes(ok="office admin", forbidden="supervisor leader staff head", missing="staff2 minzheng"),
    "minzheng-led": outcomes(ok="office admin", forbidden="supervisor leader staff2 minzheng", missing="staff head"),
}


# ---------------------------------------------------------------------------------------------
# State


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def form_data(form_class, **fields) -> dict:
    """POST data for a form, under the prefix the task page gives it."""
    form = form_class()
    return {form.add_prefix(name): value for name, value in fields.items()}


def pdf(name: str = "进展佐证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class World:
    """The two tasks, the departments and the accounts, and a helper to build state with services."""

    task_ids: dict[str, int]
    departments: dict[str, Department]
    users: dict

    def task(self, key: str) -> Task:
        """Fresh from the database: services move tasks on behind any copy held here."""
        return Task.objects.get(pk=self.task_ids[key])

    def department_of(self, username: str) -> Department:
        return self.users[username].membership.department

    def report(self, task: str, username: str, *, submit: bool = False, evidence: bool = False) -> ProgressReport:
        """A report of `username`'s department on the task: a draft, or sent on with `submit`."""
        by = self.users[username]
        report = report_save(
            task=self.task(task),
            by=by,
            period=this_month(),
            text=f"{username}本月进展",
            percent=40,
            files=[pdf()] if evidence else [],
        )
        if submit:
            report = report_submit(report=report, by=by)
        return report

    def state(self, name: str) -> ProgressReport:
        """A report in a named state (the targets of the report tests)."""
        if name == "bianwei-draft":
            return self.report("bianwei-led", "staff", evidence=True)
        if name in ("bianwei-submitted", "bianwei-lead-report"):
            return self.report("bianwei-led", "staff", submit=True, evidence=True)
        if name == "bianwei-awaiting-signoff":
            Department.objects.filter(pk=self.departments["bianwei"].pk).update(requires_head_signoff=True)
            report = self.report("bianwei-led", "staff", submit=True, evidence=True)
            assert report.status == "signoff"
            return report
        if name == "fagaiwei-draft":
            return self.report("minzheng-led", "staff2", evidence=True)
        if name in ("fagaiwei-submitted", "fagaiwei-coop-report"):
            return self.report("minzheng-led", "staff2", submit=True, evidence=True)
        if name == "fagaiwei-returned":
            report = self.report("minzheng-led", "staff2", submit=True, evidence=True)
            return report_review(report=report, by=self.users["minzheng"], accept=False, comment="请补充数据")
        if name in ("minzheng-submitted", "minzheng-lead-report"):
            return self.report("minzheng-led", "minzheng", submit=True, evidence=True)
        raise AssertionError(name)

    def request(self, kind: str, task: str):
        """A pending request of `kind` by the task's lead department."""
        by = self.users[LEAD_OF[task]]
        current = self.task(task)
        if kind == "extension":
            return extension_request(task=current, by=by, reason="需省级部门协调", proposed_deadline=NEW_DEADLINE)
        if kind == "completion":
            current = task_acknowledge(task=current, by=by)
            return completion_request(task=current, by=by, summary="任务已全部完成")
        if kind == "participation":
            return participation_request(
                task=current, by=by, department=self.proposed_for(task), reason="涉及该部门职能"
            )
        raise AssertionError(kind)

    def proposed_for(self, task: str) -> Department:
        """A department not yet on the task."""
        return self.departments["minzheng" if task == "bianwei-led" else "bianwei"]


@dataclass(frozen=True)
class WorldKeys:
    """The world's tasks and departments by primary key, for a module to share."""

    tasks: dict[str, int]
    departments: dict[str, int]


def build_world() -> WorldKeys:
    """Adds 区民政局's staff member to the seed world and checks the seed as the matrix reads it."""
    member_set(
        username="minzheng", department=Department.objects.resolve("区民政局"), role=Role.STAFF, password=DEMO_PASSWORD
    )
    bianwei_task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    minzheng_task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(一)")
    departments = {
        key: Department.objects.resolve(name)
        for key, name in (("bianwei", "区编委办"), ("fagaiwei", "区发改委"), ("minzheng", "区民政局"))
    }
    assert all(departments.values()), departments
    # The seed as the matrix reads it: if this moves, the expectations below mean nothing.
    assert {(a.department_id, a.role) for a in bianwei_task.assignments.all()} == {(departments["bianwei"].pk, "lead")}
    assert {(a.department_id, a.role) for a in minzheng_task.assignments.all()} == {
        (departments["minzheng"].pk, "lead"),
        (departments["fagaiwei"].pk, "cooperating"),
    }
    assert bianwei_task.status == minzheng_task.status == "assigned"
    assert not any(d.requires_head_signoff for d in departments.values())
    return WorldKeys(
        tasks={"bianwei-led": bianwei_task.pk, "minzheng-led": minzheng_task.pk},
        departments={key: department.pk for key, department in departments.items()},
    )


def load_world(keys: WorldKeys) -> World:
    """The world as the database holds it now, in instances no other test has touched."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=ROLES).select_related("membership__department")
    }
    assert set(users) == set(ROLES) - {"anonymous"}
    departments = Department.objects.in_bulk(keys.departments.values())
    return World(
        task_ids=dict(keys.tasks),
        departments={key: departments[pk] for key, pk in keys.departments.items()},
        users=users,
    )


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> WorldKeys:
    """The world, built once for the module rather than for each of its hundreds of cases
    (each case runs in a savepoint and is rolled back)."""
    with kept_for_module(django_db_blocker, build_world, TODAY) as keys:
        yield keys


@pytest.fixture
def world(shared_world, demo_users, settings, tmp_path) -> World:
    """The shared world, fresh from the database for this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_world(shared_world)


@pytest.fixture
def as_role(client, login, world):
    """The test client, signed in as the role (or not at all for anonymous)."""

    def sign_in(role: str):
        return client if role == "anonymous" else login(role)

    return sign_in


def fingerprint() -> dict:
    """Everything the workflow writes, to show that a refused request wrote nothing."""
    return {
        "tasks": list(
            Task.objects.order_by("pk").values_list("pk", "status", "deadline", "original_deadline", "progress")
        ),
        "assignments": sorted(Assignment.objects.values_list("task_id", "department_id", "role")),
        "reports": list(
            ProgressReport.objects.order_by("pk").values_list(
                "pk", "status", "text", "percent", "version", "reviewed_by", "signed_off_by", "review_comment"
            )
        ),
        "evidence": list(Evidence.objects.order_by("pk").values_list("pk", "report_id")),
        "extensions": list(ExtensionRequest.objects.order_by("pk").values_list("pk", "status")),
        "completions": list(CompletionRequest.objects.order_by("pk").values_list("pk", "status")),
        "participations": list(ParticipationRequest.objects.order_by("pk").values_list("pk", "status")),
        "milestones": list(Milestone.objects.order_by("pk").values_list("pk", "task_id", "done_on")),
        "events": TaskEvent.objects.count(),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
    }


def assert_redirect(response, url: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response.url == url


def assert_refused(response, expected: str, before: dict) -> None:
    """The exact refusal, and the database as it was."""
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.url.startswith(reverse("login") + "?next=")
    elif expected == FORBIDDEN:
        assert response.status_code == 403, response.status_code
    elif expected == MISSING:
        assert response.status_code == 404, response.status_code
    else:
        raise AssertionError(f"not a refusal: {expected}")
    assert fingerprint() == before


# ---------------------------------------------------------------------------------------------
# Task page and acknowledgement


@pytest.mark.parametrize(("target", "role", "expected"), cases(SEE_TASK))
def test_view_task_page(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).get(reverse("tasks:detail", args=[task.pk]))
    if expected == OK:
        assert response.status_code == 200
        assert task.title in response.content.decode()
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_acknowledge(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).post(reverse("tasks:acknowledge", args=[task.pk]))
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        assert world.task(target).status == "acknowledged"
    else:
        assert_refused(response, expected, before)


# ---------------------------------------------------------------------------------------------
# Reports: writing, editing, sending


@pytest.mark.parametrize(("target", "role", "expected"), cases(REPORTERS))
def test_report_form_get(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).get(reverse("tasks:report_new", args=[task.pk]))
    if expected == OK:
        assert response.status_code == 200
        assert "tasks/report_form.html" in [t.name for t in response.templates]
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize("button", ["save", "submit"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(REPORTERS))
def test_report_form_post(world, as_role, target, role, expected, button):
    task = world.task(target)
    data = {"period": this_month().isoformat(), "text": "本月完成调研", "percent": "35"}
    if button == "submit":
        data["submit"] = "1"
    before = fingerprint()
    response = as_role(role).post(reverse("tasks:report_new", args=[task.pk]), data)
    if expected != OK:
        assert_refused(response, expected, before)
        return
    report = ProgressReport.objects.get(task=task)
    assert (report.department, report.created_by, report.text, report.percent) == (
        world.department_of(role),
        world.users[role],
        "本月完成调研",
        35,
    )
    if button == "save":
        assert_redirect(response, reverse("tasks:report_edit", args=[task.pk, report.pk]))
        assert report.status == "draft"
    else:
        assert_redirect(response, task.get_absolute_url())
        assert report.status == "submitted"


DRAFTS = {
    "bianwei-draft": outcomes(ok="staff head", missing="office admin supervisor leader staff2 minzheng"),
    "fagaiwei-draft": outcomes(ok="staff2", missing="office admin supervisor leader staff head minzheng"),
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(DRAFTS))
def test_draft_edit_get(world, as_role, target, role, expected):
    draft = world.state(target)
    before = fingerprint()
    response = as_role(role).get(reverse("tasks:report_edit", args=[draft.task_id, draft.pk]))
    if expected == OK:
        assert response.status_code == 200
        assert response.context["report"] == draft
        assert draft.text in response.content.decode()
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(DRAFTS))
def test_draft_edit_post(world, as_role, target, role, expected):
    draft = world.state(target)
    data = {"period": this_month().isoformat(), "text": "改写后的进展", "percent": "50", "version": "1"}
    before = fingerprint()
    response = as_role(role).post(reverse("tasks:report_edit", args=[draft.task_id, draft.pk]), data)
    if expected == OK:
        assert_redirect(response, reverse("tasks:report_edit", args=[draft.task_id, draft.pk]))
        draft.refresh_from_db()
        assert (draft.text, draft.percent, draft.version, draft.status) == ("改写后的进展", 50, 2, "draft")
    else:
        assert_refused(response, expected, before)


# Another department's draft, its id guessed and put under a task the user does see.
GUESSES = [
    pytest.param("staff", "bianwei-led", "fagaiwei-draft", id="staff-own-task-fagaiwei-draft"),
    pytest.param("head", "bianwei-led", "fagaiwei-draft", id="head-own-task-fagaiwei-draft"),
    pytest.param("minzheng", "minzheng-led", "bianwei-draft", id="minzheng-own-task-bianwei-draft"),
    pytest.param("staff2", "minzheng-led", "bianwei-draft", id="staff2-own-task-bianwei-draft"),
    pytest.param("office", "bianwei-led", "fagaiwei-draft", id="office-other-task-fagaiwei-draft"),
    pytest.param("supervisor", "minzheng-led", "bianwei-draft", id="supervisor-other-task-bianwei-draft"),
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("role", "task", "target"), GUESSES)
def test_guessed_draft_id_under_a_visible_task_is_not_found(world, as_role, role, task, target, method):
    draft = world.state(target)
    url = reverse("tasks:report_edit", args=[world.task(task).pk, draft.pk])
    data = {"period": this_month().isoformat(), "text": "改写", "percent": "90", "version": "1"}
    before = fingerprint()
    client = as_role(role)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert_refused(response, MISSING, before)


# Another department's report once sent is visible, but its edit form should be no one's: the view
# lets in anyone who may report on the task (`can_report(task) or can_edit_report(report)`).
SENT_REPORT_FORM = {
    "fagaiwei-submitted": outcomes(forbidden="office admin supervisor leader staff2 minzheng", missing="staff head"),
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(SENT_REPORT_FORM))
def test_sent_report_edit_form_get(world, as_role, target, role, expected):
    report = world.state(target)
    before = fingerprint()
    response = as_role(role).get(reverse("tasks:report_edit", args=[report.task_id, report.pk]))
    assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(SENT_REPORT_FORM))
def test_sent_report_edit_post(world, as_role, target, role, expected):
    report = world.state(target)
    data = {"period": this_month().isoformat(), "text": "篡改", "percent": "99", "version": str(report.version)}
    before = fingerprint()
    response = as_role(role).post(reverse("tasks:report_edit", args=[report.task_id, report.pk]), data)
    assert_refused(response, expected, before)


def test_report_of_another_task_under_a_task_url_is_refused(world, as_role):
    """The office sees both tasks; a report put under the other task's URL is refused, not edited."""
    report = world.state("fagaiwei-submitted")
    before = fingerprint()
    response = as_role("office").get(reverse("tasks:report_edit", args=[world.task("bianwei-led").pk, report.pk]))
    assert_refused(response, FORBIDDEN, before)


SEND = {
    **DRAFTS,
    "fagaiwei-returned": outcomes(
        ok="staff2", forbidden="office admin supervisor leader minzheng", missing="staff head"
    ),
    # Sending a report already sent: its department is told so (and nothing changes); anyone else
    # is refused before the report's state is looked at.
    "fagaiwei-submitted": outcomes(
        ignored="staff2", forbidden="office admin supervisor leader minzheng", missing="staff head"
    ),
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(SEND))
def test_report_send(world, as_role, target, role, expected):
    report = world.state(target)
    task = report.task
    before = fingerprint()
    response = as_role(role).post(reverse("tasks:report_submit", args=[report.pk]))
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        report.refresh_from_db()
        assert report.status == "submitted"
        assert report.submitted_at is not None
    elif expected == IGNORED:
        assert_redirect(response, task.get_absolute_url())
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)


# ---------------------------------------------------------------------------------------------
# Review and sign-off

REVIEW = {
    # The lead department's own report goes to the office.
    "bianwei-lead-report": outcomes(
        ok="office admin", forbidden="supervisor leader staff head", missing="staff2 minzheng"
    ),
    "minzheng-lead-report": outcomes(
        ok="office admin", forbidden="supervisor leader staff2 minzheng", missing="staff head"
    ),
    # A co-operating department's report goes to the lead department (or the office).
    "fagaiwei-coop-report": outcomes(
        ok="office admin minzheng", forbidden="supervisor leader staff2", missing="staff head"
    ),
}


@pytest.mark.parametrize("decision", ["accept", "return"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(REVIEW))
def test_review_report(world, as_role, target, role, expected, decision):
    report = world.state(target)
    assert report.status == "submitted"
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:report_decide", args=[report.pk]), {"decision": decision, "comment": "数据需核实"}
    )
    if expected == OK:
        assert_redirect(response, report.task.get_absolute_url())
        report.refresh_from_db()
        assert report.status == ("accepted" if decision == "accept" else "returned")
        assert report.reviewed_by == world.users[role]
        assert report.review_comment == "数据需核实"
    else:
        assert_refused(response, expected, before)


SIGN_OFF = {
    # 区编委办 requires its head's sign-off: the staff's report waits for the head.
    "bianwei-awaiting-signoff": outcomes(
        ok="head", forbidden="staff", missing="office admin supervisor leader staff2 minzheng"
    ),
    # A report already sent is no one's to sign off.
    "bianwei-lead-report": outcomes(forbidden="office admin supervisor leader staff head", missing="staff2 minzheng"),
}


@pytest.mark.parametrize("decision", ["sign_off", "send_back"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(SIGN_OFF))
def test_head_sign_off(world, as_role, target, role, expected, decision):
    report = world.state(target)
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:report_decide", args=[report.pk]), {"decision": decision, "comment": "请补充佐证"}
    )
    if expected != OK:
        assert_refused(response, expected, before)
        return
    assert_redirect(response, report.task.get_absolute_url())
    report.refresh_from_db()
    if decision == "sign_off":
        assert (report.status, report.signed_off_by) == ("submitted", world.users["head"])
        assert world.task("bianwei-led").progress == report.percent
    else:
        # Sent back by the head, the report never left the department: a draft again, with the comment.
        assert (report.status, report.signed_off_by, report.review_comment) == ("draft", None, "请补充佐证")


@pytest.mark.parametrize(
    ("username", "department", "role", "expected"),
    [
        pytest.param("fgw-head", "区发改委", Role.HEAD, OK, id="reporting-department-head-ok"),
        pytest.param("fgw-staff", "区发改委", Role.STAFF, FORBIDDEN, id="reporting-department-staff-403"),
        pytest.param("mz-head", "区民政局", Role.HEAD, MISSING, id="lead-department-head-404"),
    ],
)
def test_only_the_reporting_departments_head_signs_off(world, client, dept, username, department, role, expected):
    """The lead department's head sees the task, yet a report awaiting another department's sign-off is not theirs."""
    Department.objects.filter(pk=world.departments["fagaiwei"].pk).update(requires_head_signoff=True)
    report = world.report("minzheng-led", "staff2", submit=True)
    assert report.status == "signoff"
    user = member_set(username=username, department=dept(department), role=role, password=DEMO_PASSWORD)
    assert client.login(username=username, password=DEMO_PASSWORD)
    before = fingerprint()
    response = client.post(reverse("tasks:report_decide", args=[report.pk]), {"decision": "sign_off"})
    if expected != OK:
        assert_refused(response, expected, before)
        return
    assert_redirect(response, report.task.get_absolute_url())
    report.refresh_from_db()
    assert (report.status, report.signed_off_by) == ("submitted", user)


# ---------------------------------------------------------------------------------------------
# The lead department's requests and steps


@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_extension_request(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:extension_new", args=[task.pk]),
        form_data(ExtensionForm, proposed_deadline=NEW_DEADLINE.isoformat(), reason="需省级部门协调"),
    )
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        request = ExtensionRequest.objects.get(task=task)
        assert (request.status, request.department, request.requested_by, request.proposed_deadline) == (
            "pending",
            world.department_of(role),
            world.users[role],
            NEW_DEADLINE,
        )
        assert world.task(target).deadline == task.deadline
    else:
        assert_refused(response, expected, before)


COMPLETION = {
    **{f"{key}-acknowledged": table for key, table in LEAD_ONLY.items()},
    # Only a task its lead has signed for may be closed.
    "bianwei-led-unacknowledged": outcomes(
        forbidden="office admin supervisor leader staff head", missing="staff2 minzheng"
    ),
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(COMPLETION))
def test_completion_request(world, as_role, target, role, expected):
    key = target.rsplit("-", 1)[0]
    if target.endswith("-acknowledged"):
        task_acknowledge(task=world.task(key), by=world.users[LEAD_OF[key]])
    task = world.task(key)
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:completion_new", args=[task.pk]), form_data(CompletionForm, summary="任务已全部完成")
    )
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        request = CompletionRequest.objects.get(task=task)
        assert (request.status, request.department, request.requested_by) == (
            "pending",
            world.department_of(role),
            world.users[role],
        )
        assert world.task(key).status == "completion_requested"
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_participation_proposal(world, as_role, target, role, expected):
    task = world.task(target)
    proposed = world.proposed_for(target)
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:participation_new", args=[task.pk]),
        form_data(ParticipationForm, department=proposed.pk, reason="涉及该部门职能"),
    )
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        request = ParticipationRequest.objects.get(task=task)
        assert (request.status, request.department, request.proposed_department) == (
            "pending",
            world.department_of(role),
            proposed,
        )
        assert not task.assignments.filter(department=proposed).exists()
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(LEAD_ONLY))
def test_add_step(world, as_role, target, role, expected):
    task = world.task(target)
    deadline = task.deadline - timedelta(days=60)
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:step_new", args=[task.pk]),
        form_data(StepForm, text="完成摸底调查", deadline=deadline.isoformat(), responsible_person="张三"),
    )
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        step = Milestone.objects.get(task=task)
        assert (step.text, step.deadline, step.department, step.responsible_person) == (
            "完成摸底调查",
            deadline,
            world.department_of(role),
            "张三",
        )
    else:
        assert_refused(response, expected, before)


# ---------------------------------------------------------------------------------------------
# The office: assignment and decisions


@pytest.mark.parametrize(("target", "role", "expected"), cases(OFFICE_ONLY))
def test_assign(world, as_role, target, role, expected):
    task = world.task(target)
    lead = world.departments["bianwei" if target == "bianwei-led" else "minzheng"]
    cooperating = [world.departments["fagaiwei"]] + ([world.departments["bianwei"]] if target != "bianwei-led" else [])
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:assign", args=[task.pk]),
        form_data(AssignForm, leads=[lead.pk], cooperating=[d.pk for d in cooperating], reason="工作需要"),
    )
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        assert set(task.assignments.values_list("department_id", "role")) == {(lead.pk, "lead")} | {
            (d.pk, "cooperating") for d in cooperating
        }
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(("target", "role", "expected"), cases(OFFICE_ONLY))
def test_urge(world, as_role, target, role, expected):
    task = world.task(target)
    before = fingerprint()
    before_reminders = Reminder.objects.count()
    response = as_role(role).post(reverse("reminders:urge", args=[task.pk]), {"urge-message": "请于本周内报送进展。"})
    if expected == OK:
        assert_redirect(response, task.get_absolute_url())
        lead = world.departments["bianwei" if target == "bianwei-led" else "minzheng"]
        urged = Reminder.objects.filter(task=task, kind=Kind.MANUAL)
        assert {r.recipient.membership.department_id for r in urged} == {lead.pk}
        assert task.events.filter(kind="reminder", summary__endswith="请于本周内报送进展。").count() == 1
    else:
        assert_refused(response, expected, before)
        assert Reminder.objects.count() == before_reminders


@pytest.mark.parametrize("role", ROLES)
def test_delivery_settings_are_each_users_own(world, as_role, role):
    """Everyone signed in has their own settings page; it never shows or changes another's."""
    DeliverySettings.objects.create(
        user=get_user_model().objects.get(username="office"), webhook=True, webhook_url="https://robot.example/o"
    )
    client = as_role(role)
    response = client.post(reverse("notifications:delivery_settings"), {"digest": "on"})
    if role == "anonymous":
        assert response.url.startswith(reverse("login") + "?next=")
        assert DeliverySettings.objects.count() == 1
        return
    assert_redirect(response, reverse("notifications:delivery_settings"))
    page = client.get(reverse("notifications:delivery_settings")).content.decode()
    assert "robot.example" not in page or role == "office"
    mine = DeliverySettings.objects.get(user__username=role)
    assert mine.digest and not mine.webhook
    assert DeliverySettings.objects.get(user__username="office").webhook == (role != "office")


@pytest.mark.parametrize("decision", ["approve", "refuse"])
@pytest.mark.parametrize("kind", ["extension", "completion", "participation"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(OFFICE_ONLY))
def test_decide_request(world, as_role, target, role, expected, kind, decision):
    item = world.request(kind, target)
    task = world.task(target)
    before = fingerprint()
    response = as_role(role).post(
        reverse("tasks:request_decide", args=[kind, item.pk]), {"decision": decision, "comment": "依据不足"}
    )
    if expected != OK:
        assert_refused(response, expected, before)
        return
    assert_redirect(response, reverse("tasks:review"))
    item.refresh_from_db()
    assert (item.status, item.decided_by) == ("approved" if decision == "approve" else "refused", world.users[role])
    after = world.task(target)
    approve = decision == "approve"
    if kind == "extension":
        assert after.deadline == (NEW_DEADLINE if approve else task.deadline)
    elif kind == "completion":
        assert after.status == ("completed" if approve else "in_progress")
    else:
        proposed = world.proposed_for(target)
        assert after.assignments.filter(department=proposed, role="cooperating").exists() == approve


def test_unknown_request_kind_is_not_found(world, as_role):
    item = world.request("extension", "bianwei-led")
    before = fingerprint()
    response = as_role("office").post(reverse("tasks:request_decide", args=["bogus", item.pk]))
    assert_refused(response, MISSING, before)


# ---------------------------------------------------------------------------------------------
# Evidence

EVIDENCE = {
    "bianwei-submitted": SEE_TASK["bianwei-led"],
    "bianwei-draft": DRAFTS["bianwei-draft"],
    "bianwei-awaiting-signoff": outcomes(ok="staff head", missing="office admin supervisor leader staff2 minzheng"),
    "minzheng-submitted": SEE_TASK["minzheng-led"],
    "fagaiwei-submitted": SEE_TASK["minzheng-led"],
    "fagaiwei-draft": DRAFTS["fagaiwei-draft"],
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(EVIDENCE))
def test_evidence_download(world, as_role, target, role, expected):
    evidence = world.state(target).evidence.get()
    before = fingerprint()
    response = as_role(role).get(reverse("tasks:evidence", args=[evidence.pk]))
    if expected == OK:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        # Reading the stream to its end has closed the file; a second close() would also close
        # the test's database connection (request_finished), which PostgreSQL then reports.
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)


# ---------------------------------------------------------------------------------------------
# Pages: review queue, inbox, dashboard

REVIEW_QUEUE = {"page": outcomes(ok="office admin staff head staff2 minzheng", forbidden="supervisor leader")}


@pytest.mark.parametrize(("target", "role", "expected"), cases(REVIEW_QUEUE))
def test_review_queue(world, as_role, target, role, expected):
    before = fingerprint()
    response = as_role(role).get(reverse("tasks:review"))
    if expected == OK:
        assert response.status_code == 200
        assert response.context["queue"]["can_review"]
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)


def test_review_queue_holds_only_what_the_user_decides(world, as_role):
    lead_report = world.state("bianwei-lead-report")
    coop_report = world.state("fagaiwei-coop-report")
    extension = world.request("extension", "minzheng-led")

    office = as_role("office").get(reverse("tasks:review")).context["queue"]
    assert office["reports"] == [lead_report]
    assert office["cooperating_reports"] == [coop_report]
    assert office["extensions"] == [extension]

    minzheng = as_role("minzheng").get(reverse("tasks:review")).context["queue"]
    assert (minzheng["reports"], minzheng["extensions"]) == ([coop_report], [])

    for role in ("staff", "staff2"):
        queue = as_role(role).get(reverse("tasks:review")).context["queue"]
        assert (queue["reports"], queue["cooperating_reports"], queue["extensions"]) == ([], [], [])


def test_review_queue_is_refused_to_a_department_that_leads_nothing(world, client):
    department = Department.objects.exclude(assignments__role="lead").filter(is_active=True).first()
    member_set(username="nolead", department=department, role=Role.STAFF, password=DEMO_PASSWORD)
    assert client.login(username="nolead", password=DEMO_PASSWORD)
    assert client.get(reverse("tasks:review")).status_code == 403


@pytest.fixture
def inbox(world) -> dict[str, Notification]:
    """One unread notification for each account, linking to a task."""
    task = world.task("bianwei-led")
    for username, user in world.users.items():
        notify(users=[user], kind="reminder", title=f"给{username}的提醒", task=task)
    notifications = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert set(notifications) == set(world.users)
    assert {n.url for n in notifications.values()} == {task.get_absolute_url()}
    return notifications


def someone_else(role: str) -> str:
    return "staff2" if role == "staff" else "staff"


INBOX = {"page": outcomes(ok="office admin supervisor leader staff head staff2 minzheng")}


@pytest.mark.parametrize(("target", "role", "expected"), cases(INBOX))
def test_inbox_shows_only_own_notifications(world, inbox, as_role, target, role, expected):
    before = fingerprint()
    response = as_role(role).get(reverse("notifications:inbox"))
    if expected != OK:
        assert_refused(response, expected, before)
        return
    assert response.status_code == 200
    assert list(response.context["notifications"]) == [inbox[role]]
    assert f"给{someone_else(role)}的提醒" not in response.content.decode()
    assert fingerprint() == before


INBOX_READ = {
    "own-id": outcomes(ok="office admin supervisor leader staff head staff2 minzheng"),
    "all-own": outcomes(ok="office admin supervisor leader staff head staff2 minzheng"),
    "another-users-id": outcomes(ignored="office admin supervisor leader staff head staff2 minzheng"),
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(INBOX_READ))
def test_inbox_mark_read(world, inbox, as_role, target, role, expected):
    owner = someone_else(role) if target == "another-users-id" else ("staff" if role == "anonymous" else role)
    data = {} if target == "all-own" else {"id": [str(inbox[owner].pk)]}
    before = fingerprint()
    response = as_role(role).post(reverse("notifications:inbox_read"), data)
    if expected == IGNORED:
        assert_redirect(response, reverse("notifications:inbox"))
        assert fingerprint() == before
        return
    if expected != OK:
        assert_refused(response, expected, before)
        return
    assert_redirect(response, reverse("notifications:inbox"))
    read = set(Notification.objects.filter(read_at__isnull=False).values_list("recipient__username", flat=True))
    assert read == {role}


INBOX_OPEN = {
    "own": outcomes(ok="office admin supervisor leader staff head staff2 minzheng"),
    "another-users": outcomes(missing="office admin supervisor leader staff head staff2 minzheng"),
}


@pytest.mark.parametrize(("target", "role", "expected"), cases(INBOX_OPEN))
def test_inbox_open(world, inbox, as_role, target, role, expected):
    """Following a notification marks it read; another user's notification does not exist for you."""
    owner = role if target == "own" and role != "anonymous" else someone_else(role)
    notification = inbox[owner]
    before = fingerprint()
    response = as_role(role).get(reverse("notifications:inbox_open", args=[notification.pk]))
    if expected != OK:
        assert_refused(response, expected, before)
        return
    assert_redirect(response, notification.url)
    read = set(Notification.objects.filter(read_at__isnull=False).values_list("recipient__username", flat=True))
    assert read == {role}


DASHBOARD = {"page": outcomes(ok="office admin supervisor leader", forbidden="staff head staff2 minzheng")}


@pytest.mark.parametrize(("target", "role", "expected"), cases(DASHBOARD))
def test_dashboard(world, as_role, target, role, expected):
    before = fingerprint()
    response = as_role(role).get(reverse("dashboard:overview"))
    if expected == OK:
        assert response.status_code == 200
        assert "data" in response.context
        assert fingerprint() == before
    else:
        assert_refused(response, expected, before)
