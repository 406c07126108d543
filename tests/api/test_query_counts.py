"""Every API list answers in a fixed number of queries: the same for a page of 5 rows and a
page of 50 (no query per row), and at most the pinned count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from tasks.models import (
    Assignment,
    CompletionRequest,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Milestone,
    ParticipationRequest,
    ProgressReport,
    Task,
)
from tests.factories import DepartmentFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

# The most queries each list may take (auth token lookup included).
PINNED = {
    "/api/departments/": 4,
    "/api/plans/": 4,  # the account's membership: which plans it may see
    "/api/tasks/": 7,
    "/api/reports/": 7,
    "/api/extension-requests/": 5,
    "/api/completion-requests/": 5,
    "/api/participation-requests/": 5,
    "/api/events/": 3,
    "/api/notifications/": 2,
}
DASHBOARDS = {"/api/dashboard/overview/": 4, "/api/dashboard/departments/": 5, "/api/dashboard/plans/": 7}


@pytest.fixture
def rows(demo_users, dept):
    """At least 50 rows behind every list, with the related rows each row shows."""
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(username="office")
    staff = get_user_model().objects.get(username="staff")
    # The seed's 24 assigned tasks and 40 more of 区编委办's, some with steps.
    plan, bianwei = PlanFactory(), dept("区编委办")
    extra = TaskFactory.create_batch(40, plan=plan, deadline=timezone.localdate())
    Assignment.objects.bulk_create(Assignment(task=task, department=bianwei, role="lead") for task in extra)
    Task.objects.filter(plan=plan).update(status="assigned")
    Milestone.objects.bulk_create(Milestone(task=task, text="调研", deadline=task.deadline) for task in extra[:20])
    assigned = Task.objects.filter(kind="task", assignments__role="lead").distinct()
    tasks = list(assigned.prefetch_related("assignments", "milestones").order_by("pk")[:60])
    assert len(tasks) >= 50
    PlanFactory.create_batch(50)
    now, month = timezone.now(), timezone.localdate().replace(day=1)
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            task=task,
            department_id=task.assignments.all()[0].department_id,
            period=month,
            text="进展",
            percent=20,
            status="submitted",
            submitted_at=now - timedelta(minutes=n),
            created_by=staff,
            reviewed_by=office,
        )
        for n, task in enumerate(tasks)
    )
    for report in reports[:50]:
        indicator = Indicator.objects.create(task=report.task, name="进驻率", target=85, unit="%")
        IndicatorValue.objects.create(indicator=indicator, report=report, value=70, recorded_on=month)
        report.milestones_done.set(report.task.milestones.all()[:1])
    lead_of = {task.pk: task.assignments.all()[0].department_id for task in tasks}
    common = [{"task": task, "department_id": lead_of[task.pk], "requested_by": staff} for task in tasks]
    ExtensionRequest.objects.bulk_create(
        ExtensionRequest(**c, reason="协调", proposed_deadline=timezone.localdate() + timedelta(days=400))
        for c in common
    )
    CompletionRequest.objects.bulk_create(CompletionRequest(**c, summary="完成") for c in common)
    other = dept("区民政局")
    ParticipationRequest.objects.bulk_create(
        ParticipationRequest(**c, proposed_department=other, reason="职能") for c in common
    )
    Notification.objects.bulk_create(
        Notification(recipient=office, kind="report", title=f"消息{n}", task=tasks[n]) for n in range(60)
    )
    DepartmentFactory.create_batch(10)


def count(client, url: str, size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": size})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    return len(queries), len(body["results"] if isinstance(body, dict) else body)


@pytest.mark.parametrize("url", list(PINNED))
def test_list_queries_do_not_grow_with_rows(api, rows, url, django_assert_max_num_queries):
    client = api("office")
    client.get(url)  # the token's first use, content types and the like, out of the count
    small, shown_small = count(client, url, 5)
    large, shown_large = count(client, url, 50)
    assert (shown_small, shown_large) == (5, 50)
    assert small == large, f"{url}: {small} queries for 5 rows, {large} for 50"
    with django_assert_max_num_queries(PINNED[url]):
        client.get(url, {"page_size": 50})


@pytest.mark.parametrize("role", ["staff", "staff2"])
def test_department_task_list_queries(api, rows, role, django_assert_max_num_queries):
    """A department's list goes through the visibility join; still a fixed count."""
    client = api(role)
    client.get("/api/tasks/")
    small, _ = count(client, "/api/tasks/", 2)
    large, _ = count(client, "/api/tasks/", 20)
    assert small == large
    with django_assert_max_num_queries(PINNED["/api/tasks/"]):
        client.get("/api/tasks/", {"page_size": 20})


@pytest.mark.parametrize("url", list(DASHBOARDS))
def test_dashboard_queries(api, rows, url, django_assert_max_num_queries):
    client = api("office")
    client.get(url)
    with django_assert_max_num_queries(DASHBOARDS[url]):
        assert client.get(url).status_code == 200


# Supervision's lists, over at least 50 rows each with what each row shows. The account's
# membership is one query (the role decides the scope).
SUPERVISION_PINNED = {
    "/api/inspections/": 5,
    "/api/findings/": 8,
    "/api/demands/": 5,  # with the files of every round, one query
    "/api/bulletins/": 5,
    "/api/notices/": 4,
}


@pytest.fixture
def supervision_rows(rows):
    from django.contrib.auth import get_user_model

    from supervision.models import Bulletin, BulletinDepartment, DemandAttachment, FindingEvidence, Inspection, Notice
    from supervision.models import RectificationDemand as Demand
    from supervision.services import inspection_create
    from tasks.services.history import record_change

    users = get_user_model().objects
    supervisor, office, staff = (
        users.get(username="supervisor"),
        users.get(username="office"),
        users.get(username="staff"),
    )
    today = timezone.localdate()
    inspection = inspection_create(
        title="全面督查", kind="special", period_start=today, period_end=today, scope="", by=supervisor, today=today
    )
    inspection.inspectors.set([supervisor, office])
    findings = list(inspection.findings.all()[:60])
    assert len(findings) >= 50
    more = Inspection.objects.bulk_create(
        Inspection(title=f"督查{n}", kind="routine", period_start=today, period_end=today, created_by=supervisor)
        for n in range(55)
    )
    for other in more[:10]:
        other.inspectors.set([supervisor])
    FindingEvidence.objects.bulk_create(
        FindingEvidence(
            finding=f,
            file="x.pdf",
            original_name="照片.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=supervisor,
        )
        for f in findings
    )
    department = findings[0].task.departments.first()
    Demand.objects.bulk_create(
        Demand(
            finding=f,
            department=department,
            requirement="整改",
            due_date=today,
            created_by=supervisor,
            status="reported" if n % 2 else "open",
            report_text="已整改" if n % 2 else "",
            reported_by=staff if n % 2 else None,
        )
        for n, f in enumerate(findings)
    )
    # Every reported demand with a file sent with its round.
    for demand in Demand.objects.filter(status="reported"):
        record = record_change(obj=demand, actor=staff, action="报告整改情况")
        DemandAttachment.objects.create(
            demand=demand,
            record=record,
            file="x.pdf",
            original_name="整改照片.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=staff,
        )
    bulletins = Bulletin.objects.bulk_create(
        Bulletin(inspection=inspection, title=f"通报{n}", created_by=supervisor) for n in range(55)
    )
    BulletinDepartment.objects.bulk_create(
        BulletinDepartment(bulletin=b, department=department, verdict="commend", reason="按期") for b in bulletins
    )
    Notice.objects.bulk_create(Notice(inspection=i, department=department, sent_by=supervisor) for i in more)


@pytest.mark.parametrize("url", list(SUPERVISION_PINNED))
def test_supervision_list_queries_do_not_grow_with_rows(api, supervision_rows, url, django_assert_max_num_queries):
    client = api("office")
    client.get(url)
    small, shown_small = count(client, url, 5)
    large, shown_large = count(client, url, 50)
    assert (shown_small, shown_large) == (5, 50)
    assert small == large, f"{url}: {small} queries for 5 rows, {large} for 50"
    with django_assert_max_num_queries(SUPERVISION_PINNED[url]):
        client.get(url, {"page_size": 50})
