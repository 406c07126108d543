from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from tasks.choices import AssignmentRole, ReportStatus, RequestStatus, TaskStatus
from tasks.models import ExtensionRequest, ProgressReport, Task
from tasks.services import (
    completion_decide,
    completion_request,
    extension_decide,
    extension_request,
    report_create,
    report_review,
    report_submit,
    task_assign,
    task_transition,
    task_update,
)

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def task(demo_users, dept):
    """Seed 000's 2015 task (一): led by 区编委办, due 2015-12-31, acknowledged."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    task_transition(task=task, to=TaskStatus.ACKNOWLEDGED, by=user("staff"))
    return task


def test_lead_report_goes_to_office_and_moves_progress(task, dept):
    report = report_create(
        task=task,
        department=dept("区编委办"),
        period=date(2015, 11, 15),
        text="已梳理职权清单初稿",
        percent=60,
        by=user("staff"),
    )
    assert report.period == date(2015, 11, 1)
    report_submit(report=report, by=user("staff"))
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 60)
    report_review(report=report, by=user("office"), accept=False, comment="请附清单文本")
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "请附清单文本")
    assert task.events.filter(summary__contains="退回").exists()


def test_returning_a_report_needs_a_comment(task, dept):
    report = report_create(
        task=task, department=dept("区编委办"), period=date(2015, 11, 1), text="x", percent=10, by=user("staff")
    )
    report_submit(report=report, by=user("staff"))
    with pytest.raises(ValidationError, match="退回报告须写明意见"):
        report_review(report=report, by=user("office"), accept=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_department_reports_only_for_itself(task, dept):
    with pytest.raises(PermissionDenied):
        report_create(
            task=task, department=dept("区编委办"), period=date(2015, 11, 1), text="x", percent=10, by=user("staff2")
        )
    with pytest.raises(ValidationError, match="不承担这项任务"):
        report_create(
            task=task, department=dept("区发改委"), period=date(2015, 11, 1), text="x", percent=10, by=user("staff2")
        )
    assert not ProgressReport.objects.exists()


def test_only_the_office_reviews(task, dept):
    report = report_create(
        task=task, department=dept("区编委办"), period=date(2015, 11, 1), text="x", percent=10, by=user("staff")
    )
    report_submit(report=report, by=user("staff"))
    with pytest.raises(PermissionDenied):
        report_review(report=report, by=user("head"), accept=True)


def test_approved_extension_moves_the_deadline_and_keeps_the_original(task, dept):
    request = extension_request(
        task=task,
        department=dept("区编委办"),
        by=user("staff"),
        reason="等待市级清单",
        proposed_deadline=date(2016, 3, 31),
    )
    extension_decide(request=request, by=user("office"), approve=True)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (date(2016, 3, 31), date(2015, 12, 31))
    assert task.deadline_phrase == "2015年12月底前"
    second = extension_request(
        task=task, department=dept("区编委办"), by=user("staff"), reason="再延", proposed_deadline=date(2016, 6, 30)
    )
    extension_decide(request=second, by=user("office"), approve=True)
    task.refresh_from_db()
    assert task.original_deadline == date(2015, 12, 31)
    assert task.events.filter(kind="extension", summary__startswith="批准延期").count() == 2


def test_an_extension_must_move_the_deadline_later(task, dept):
    with pytest.raises(ValidationError, match="新时限须晚于原时限"):
        extension_request(
            task=task, department=dept("区编委办"), by=user("staff"), reason="x", proposed_deadline=date(2015, 6, 30)
        )
    assert not ExtensionRequest.objects.exists()


def test_only_one_pending_extension_per_task(task, dept):
    extension_request(
        task=task, department=dept("区编委办"), by=user("staff"), reason="x", proposed_deadline=date(2016, 1, 31)
    )
    with pytest.raises(ValidationError, match="已有待审批的延期申请"):
        extension_request(
            task=task, department=dept("区编委办"), by=user("staff"), reason="y", proposed_deadline=date(2016, 2, 28)
        )


def test_refusing_needs_a_reason_and_keeps_the_deadline(task, dept):
    request = extension_request(
        task=task, department=dept("区编委办"), by=user("staff"), reason="x", proposed_deadline=date(2016, 1, 31)
    )
    with pytest.raises(ValidationError, match="须写明理由"):
        extension_decide(request=request, by=user("office"), approve=False)
    extension_decide(request=request, by=user("office"), approve=False, reason="时限不能推迟")
    task.refresh_from_db()
    assert task.deadline == date(2015, 12, 31) and task.original_deadline is None
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED


def test_completion_closes_the_task(task, dept):
    request = completion_request(task=task, department=dept("区编委办"), by=user("staff"), summary="清单已公布")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETION_REQUESTED
    completion_decide(request=request, by=user("office"), approve=True)
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETED, 100)
    assert task.completed_on is not None


def test_a_cooperating_department_cannot_ask_to_close(dept, demo_users):
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(一)")
    assert task.assignments.get(department=dept("区发改委")).role == AssignmentRole.COOPERATING
    with pytest.raises(ValidationError, match="只有牵头单位"):
        completion_request(task=task, department=dept("区发改委"), by=user("staff2"), summary="x")


def test_reassignment_is_recorded_with_before_and_after(task, dept):
    task_assign(
        task=task,
        leads=[dept("区编委办")],
        cooperating=[dept("区监察局")],
        by=user("office"),
        reason="监察局参与清单审核",
    )
    event = task.events.filter(kind="assigned").latest("id")
    assert event.changes["配合单位"] == ["—", "区监察局"]
    assert "监察局参与清单审核" in event.summary


def test_a_department_cannot_both_lead_and_cooperate(task, dept):
    with pytest.raises(ValidationError, match="既牵头又配合"):
        task_assign(task=task, leads=[dept("区编委办")], cooperating=[dept("区编委办")], by=user("office"))


def test_an_assigned_task_keeps_a_lead(task, dept):
    with pytest.raises(ValidationError, match="必须有牵头单位"):
        task_assign(task=task, leads=[], cooperating=[dept("区编委办")], by=user("office"))
    assert task.assignments.filter(role=AssignmentRole.LEAD).exists()


def test_edits_record_before_and_after(task):
    task_update(task=task, by=user("office"), deliverable="公布权力清单", reason="与市里口径一致")
    event = task.events.latest("id")
    assert event.changes == {"成果形式": ["公布各部门的行政职权清单", "公布权力清单"]}
    assert event.actor.username == "office"


def test_a_bad_edit_saves_nothing(task):
    with pytest.raises(ValidationError):
        task_update(task=task, by=user("office"), start_date=date(2016, 6, 1))
    task.refresh_from_db()
    assert task.start_date is None
    assert not task.events.filter(kind="updated").exists()
