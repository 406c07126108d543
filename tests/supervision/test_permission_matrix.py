"""The permission matrix of supervision, through the real views, in the style of
tests/test_permission_matrix.py: every role against every page and action.

Supervisors and the office run everything; the office alone closes demands; leadership
reads issued bulletins; a department reads issued bulletins, its own notices and demands,
and reports on its own demands. The objects belong to 区发改委 (staff2): 区编委办 (staff,
head) and 区民政局 (minzheng) are other departments. A success asserts the answer; a
refusal asserts the exact answer and that nothing in supervision's tables moved."""

import shutil
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from departments.choices import Role
from departments.models import Department
from departments.services import member_set
from supervision.models import (
    Bulletin,
    BulletinDepartment,
    DemandAttachment,
    Finding,
    FindingEvidence,
    Inspection,
    Notice,
    RectificationDemand,
    RenderJob,
)
from supervision.services import (
    bulletin_draft,
    bulletin_issue,
    demand_raise,
    demand_report,
    findings_confirm_all,
    notices_send,
)
from tasks.models import Plan, Task
from tests.conftest import DEMO_PASSWORD, TODAY, built_once_for_the_module
from tests.factories import pdf_bytes
from tests.supervision.conftest import World, build_world
from tests.test_permission_matrix import FORBIDDEN, LOGIN, MISSING, OK, cases, outcomes

pytestmark = pytest.mark.django_db
MINUTES = pdf_bytes()  # the file a department sends with its 整改情况

SUPERVISORS = "office admin supervisor"
EVERYONE = "office admin supervisor leader staff head staff2 minzheng"
OTHERS = "leader staff head staff2 minzheng"

SUPERVISE = {"it": outcomes(ok=SUPERVISORS, forbidden=OTHERS)}
READ_BULLETINS = {"issued": outcomes(ok=EVERYONE), "draft": outcomes(ok=SUPERVISORS, missing=OTHERS)}
OWN_DEPARTMENT = {"fagaiwei": outcomes(ok=SUPERVISORS + " staff2", missing="staff head minzheng", forbidden="leader")}


@dataclass
class Objects:
    inspection: Inspection
    finding: Finding
    draft: Bulletin
    issued: Bulletin
    demand: RectificationDemand
    reported: RectificationDemand
    notice: Notice
    job: RenderJob


_RENDERED = {}


def render_once_patch(monkeypatch) -> None:
    """The issued bulletin of every case is the same document: it is laid out once for the
    module and the file reused, so the matrix costs seconds, not minutes. (tests/supervision/
    test_pdf.py reads what the PDF says.)"""
    from supervision.services import bulletins

    real = bulletins.render_pdf

    def render(html, **options):
        if "pdf" not in _RENDERED:
            _RENDERED["pdf"] = real(html, **options)
        return _RENDERED["pdf"]

    monkeypatch.setattr(bulletins, "render_pdf", render)


@pytest.fixture
def render_once(monkeypatch):
    render_once_patch(monkeypatch)


def build_objects(world: World) -> Objects:
    member_set(username="minzheng", department=world.departments["minzheng"], role=Role.STAFF, password=DEMO_PASSWORD)
    supervisor, staff2 = world.user("supervisor"), world.user("staff2")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    finding = world.inspection.findings.get(task=world.tasks["overdue"])
    issued = bulletin_draft(inspection=world.inspection, by=supervisor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = bulletin_issue(bulletin=issued, by=supervisor)
    draft = bulletin_draft(inspection=world.inspection, by=supervisor)

    def raise_demand():
        due = world.today + timedelta(days=30)
        return demand_raise(
            finding=finding, department=world.departments["fagaiwei"], requirement="整改", due_date=due, by=supervisor
        )

    demand, reported = raise_demand(), raise_demand()
    minutes = SimpleUploadedFile("整改会议纪要.pdf", MINUTES)
    reported = demand_report(demand=reported, text="已整改", files=[minutes], by=staff2)
    notices_send(inspection=world.inspection, by=supervisor)
    notice = Notice.objects.get(inspection=world.inspection, department=world.departments["fagaiwei"])
    issued.refresh_from_db()
    return Objects(world.inspection, finding, draft, issued, demand, reported, notice, job)


@dataclass(frozen=True)
class SharedKeys:
    """The primary keys of the module's world and objects, and where their files lie."""

    today: date
    plan: int
    tasks: dict[str, int]
    departments: dict[str, int]
    objects: dict[str, int]
    media: Path


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker, tmp_path_factory) -> SharedKeys:
    """The world and the objects of supervision, built once for the module rather than for each
    of its hundreds of cases (each case runs in a savepoint and is rolled back)."""
    media = tmp_path_factory.mktemp("supervision-matrix-media")
    with built_once_for_the_module(django_db_blocker), override_settings(MEDIA_ROOT=media):
        with time_machine.travel(TODAY, tick=True), pytest.MonkeyPatch.context() as monkeypatch:
            render_once_patch(monkeypatch)
            world = build_world()
            objects = build_objects(world)
        yield SharedKeys(
            today=world.today,
            plan=world.plan.pk,
            tasks={key: task.pk for key, task in world.tasks.items()},
            departments={key: department.pk for key, department in world.departments.items()},
            objects={field.name: getattr(objects, field.name).pk for field in fields(Objects)},
            media=media,
        )


@pytest.fixture
def world(shared, demo_users, settings, tmp_path) -> World:
    """Supervision's world, fresh from the database; the files in a copy of their own."""
    settings.MEDIA_ROOT = shutil.copytree(shared.media, tmp_path / "media")
    tasks = Task.objects.in_bulk(shared.tasks.values())
    departments = Department.objects.in_bulk(shared.departments.values())
    return World(
        today=shared.today,
        plan=Plan.objects.get(pk=shared.plan),
        tasks={key: tasks[pk] for key, pk in shared.tasks.items()},
        departments={key: departments[pk] for key, pk in shared.departments.items()},
        inspection=Inspection.objects.get(pk=shared.objects["inspection"]),
    )


@pytest.fixture
def objects(shared, world, render_once) -> Objects:
    """The module's objects, fresh from the database for this test."""
    keys = shared.objects
    return Objects(
        inspection=world.inspection,
        finding=Finding.objects.get(pk=keys["finding"]),
        draft=Bulletin.objects.get(pk=keys["draft"]),
        issued=Bulletin.objects.get(pk=keys["issued"]),
        demand=RectificationDemand.objects.get(pk=keys["demand"]),
        reported=RectificationDemand.objects.get(pk=keys["reported"]),
        notice=Notice.objects.get(pk=keys["notice"]),
        job=RenderJob.objects.get(pk=keys["job"]),
    )


@pytest.fixture
def as_role(client, login, objects):
    return lambda role: client if role == "anonymous" else login(role)


def fingerprint() -> dict:
    return {
        "inspections": list(Inspection.objects.order_by("pk").values_list("pk", "title")),
        "findings": list(Finding.objects.order_by("pk").values_list("pk", "rating", "comment")),
        "evidence": FindingEvidence.objects.count(),
        "demands": list(RectificationDemand.objects.order_by("pk").values_list("pk", "status", "report_text")),
        "attachments": list(DemandAttachment.objects.order_by("pk").values_list("pk", "demand_id", "record_id")),
        "bulletins": list(Bulletin.objects.order_by("pk").values_list("pk", "status", "title", "sequence", "version")),
        "verdicts": list(BulletinDepartment.objects.order_by("pk").values_list("pk", "department_id", "verdict")),
        "notices": Notice.objects.count(),
        "jobs": RenderJob.objects.count(),
    }


def check(response, expected: str, before: dict) -> None:
    if expected == OK:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
        return
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next=")
    elif expected == FORBIDDEN:
        assert response.status_code == 403, response.status_code
    else:
        assert expected == MISSING and response.status_code == 404, response.status_code
    assert fingerprint() == before


def visit(as_role, role, expected, method, url, data=None):
    before = fingerprint()
    client = as_role(role)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    check(response, expected, before)
    return response


PAGES = [
    ("supervision:inspections", None),
    ("supervision:inspection_new", None),
    ("supervision:inspection", "inspection"),
    ("supervision:finding", "finding"),
    ("supervision:job", "job"),
]


@pytest.mark.parametrize(("name", "attribute"), PAGES)
@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_supervision_pages(objects, as_role, name, attribute, target, role, expected):
    args = [getattr(objects, attribute).pk] if attribute else []
    response = visit(as_role, role, expected, "get", reverse(name, args=args))
    if expected == OK:
        assert response.status_code == 200


ACTIONS = [
    ("supervision:confirm_all", "inspection", {}),
    ("supervision:notices_new", "inspection", {"confirm": "on", "requirements": "按期回执"}),
    ("supervision:bulletin_new", "inspection", {}),
    ("supervision:finding", "finding", {"rating": "behind", "comment": "改为滞后"}),
    ("supervision:demand_new", "finding", {"department": "", "requirement": "x", "due_date": "2099-01-01"}),
    ("supervision:bulletin_render", "draft", {}),
    ("supervision:bulletin_rules", "draft", {"commend_min_tasks": 1, "criticise_overdue_days": 60}),
    ("supervision:bulletin_issue", "draft", {}),
    ("supervision:bulletin_correct", "issued", {"reason": "数字有误"}),
]


@pytest.mark.parametrize(("name", "attribute", "data"), ACTIONS)
@pytest.mark.parametrize(("target", "role", "expected"), cases(SUPERVISE))
def test_supervision_actions(objects, as_role, name, attribute, data, target, role, expected):
    if name == "supervision:demand_new":
        data = dict(data, department=objects.finding.task.departments.first().pk)
    if name == "supervision:confirm_all":  # something left to confirm
        Finding.objects.filter(pk=objects.finding.pk).update(rating="", confirmed_by=None, confirmed_at=None)
    if name == "supervision:notices_new":  # a department still to send to, confirmed on the preview
        Notice.objects.exclude(pk=objects.notice.pk).delete()
        data = dict(data, feedback_due=(timezone.localdate() + timedelta(days=20)).isoformat())
    before = fingerprint()
    visit(as_role, role, expected, "post", reverse(name, args=[getattr(objects, attribute).pk]), data)
    if expected == OK:
        assert fingerprint() != before  # each action writes something


def test_the_index_and_bulletin_list_are_for_everyone_signed_in(objects, as_role):
    for role in EVERYONE.split():
        client = as_role(role)
        assert client.get(reverse("supervision:index")).status_code == 200
        listed = client.get(reverse("supervision:bulletins")).context["page"].object_list
        expected = {objects.issued.pk, objects.draft.pk} if role in SUPERVISORS else {objects.issued.pk}
        assert {b.pk for b in listed} == expected, role
        client.logout()
    assert as_role("anonymous").get(reverse("supervision:index")).status_code == 302


@pytest.mark.parametrize("name", ["supervision:bulletin", "supervision:bulletin_document", "supervision:bulletin_pdf"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(READ_BULLETINS))
def test_reading_bulletins(objects, as_role, name, target, role, expected):
    bulletin = getattr(objects, target)
    if name == "supervision:bulletin_pdf" and target == "draft":
        expected = LOGIN if role == "anonymous" else MISSING  # a draft has no issued file for anyone
    response = visit(as_role, role, expected, "get", reverse(name, args=[bulletin.pk]))
    if expected == OK and name == "supervision:bulletin_pdf":
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"


@pytest.mark.parametrize(("target", "role", "expected"), cases(OWN_DEPARTMENT))
def test_demand_and_notice_pages(objects, as_role, target, role, expected):
    visit(as_role, role, expected, "get", reverse("supervision:demand", args=[objects.demand.pk]))
    as_role(role).logout()
    response = visit(as_role, role, expected, "get", reverse("supervision:notice", args=[objects.notice.pk]))
    if expected == OK:
        assert "督办单" in response.content.decode() and objects.notice.department.name in response.content.decode()


# A demand's files: as its page, except that leadership, refused the page, is told they do not exist.
ATTACHMENT = {"fagaiwei": outcomes(ok=SUPERVISORS + " staff2", missing="leader staff head minzheng")}


@pytest.mark.parametrize("inline", ["", "?inline=1"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(ATTACHMENT))
def test_opening_a_demand_attachment(objects, as_role, target, role, expected, inline):
    attachment = objects.reported.attachments.get()
    response = visit(as_role, role, expected, "get", attachment.get_absolute_url() + inline)
    if expected == OK:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline" if inline else "attachment")
        assert b"".join(response.streaming_content) == MINUTES


REPORT = {"fagaiwei": outcomes(ok="staff2", forbidden=SUPERVISORS + " leader", missing="staff head minzheng")}
DECIDE = {"fagaiwei": outcomes(ok="office admin", forbidden="supervisor leader staff2", missing="staff head minzheng")}


@pytest.mark.parametrize(("target", "role", "expected"), cases(REPORT))
def test_reporting_on_a_demand(objects, as_role, target, role, expected):
    url = reverse("supervision:demand_report", args=[objects.demand.pk])
    photo = SimpleUploadedFile("上线截图.pdf", MINUTES)
    visit(as_role, role, expected, "post", url, {"text": "平台已上线", "files": [photo]})
    if expected == OK:
        assert RectificationDemand.objects.get(pk=objects.demand.pk).status == "reported"
        assert objects.demand.attachments.get().original_name == "上线截图.pdf"


@pytest.mark.parametrize("decision", ["close", "return"])
@pytest.mark.parametrize(("target", "role", "expected"), cases(DECIDE))
def test_closing_or_returning_a_demand(objects, as_role, target, role, expected, decision):
    url = reverse("supervision:demand_decide", args=[objects.reported.pk])
    visit(as_role, role, expected, "post", url, {"decision": decision, "comment": "意见"})
    if expected == OK:
        status = RectificationDemand.objects.get(pk=objects.reported.pk).status
        assert status == ("closed" if decision == "close" else "open")


DEMAND_LIST = {"page": outcomes(ok=SUPERVISORS + " staff head staff2 minzheng", forbidden="leader")}


@pytest.mark.parametrize(("target", "role", "expected"), cases(DEMAND_LIST))
def test_demand_list_shows_only_ones_own(objects, as_role, target, role, expected):
    response = visit(as_role, role, expected, "get", reverse("supervision:demands"))
    if expected == OK:
        listed = {d.pk for d in response.context["page"].object_list}
        mine = role in SUPERVISORS or role == "staff2"
        assert listed == ({objects.demand.pk, objects.reported.pk} if mine else set())
