from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from notifications.models import Notification
from tasks.choices import AssignmentRole, ReportStatus, RequestStatus, TaskStatus
from tasks.models import ExtensionRequest, ProgressReport, Task
from tasks.services import (
    completion_decide,
    completion_request,
    extension_decide,
    extension_request,
    participation_decide,
    participation_request,
    report_review,
    report_save,
    report_sign_off,
    report_submit,
    task_acknowledge,
    task_assign,
    task_update,
)
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def user(username):
    return get_user_model().objects.get(username=username)


def inbox(username):
    return list(Notification.objects.filter(recipient__username=username).values_list("title", flat=True))


def later(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def task(demo_users):
    """Seed 000's 2015 task (一): led by 区编委办, acknowledged by its staff."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    return task_acknowledge(task=task, by=user("staff"))


@pytest.fixture
def shared(demo_users):
    """Seed 000's 2016 task (一): 区民政局 leads, 区发改委 (staff2) co-operates."""
    return Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(一)")


def draft(task, username="staff", **fields):
    values = {"period": date(2026, 11, 1), "text": "已梳理职权清单初稿", "percent": 60} | fields
    return report_save(task=task, by=user(username), **values)


def test_only_the_lead_acknowledges(shared, dept):
    with pytest.raises(PermissionDenied):
        task_acknowledge(task=shared, by=user("staff2"))
    assert Task.objects.get(pk=shared.pk).status == TaskStatus.ASSIGNED


def test_lead_report_goes_to_the_office_and_moves_progress(task):
    report = draft(task, files=[SimpleUploadedFile("清单.pdf", PDF)])
    assert report.period == date(2026, 11, 1) and report.evidence.get().content_type == "application/pdf"
    report_submit(report=report, by=user("staff"))
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 60)
    assert any("报送了" in t for t in inbox("office"))
    report_review(report=report, by=user("office"), accept=False, comment="请附清单文本")
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "请附清单文本")
    assert any("已退回" in t for t in inbox("staff"))
    assert task.events.filter(summary__contains="退回").exists()


def test_a_cooperating_departments_report_goes_to_the_lead(shared, dept):
    report = draft(shared, "staff2")
    report_submit(report=report, by=user("staff2"))
    assert not any("报送了" in t for t in inbox("office"))
    with pytest.raises(PermissionDenied):
        report_review(report=report, by=user("staff"), accept=True)  # 区编委办 is not the lead here
    report_review(report=report, by=user("office"), accept=True)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert Task.objects.get(pk=shared.pk).progress == 0  # only the lead's report moves progress


def test_returning_a_report_needs_a_comment(task):
    report = draft(task)
    report_submit(report=report, by=user("staff"))
    with pytest.raises(ValidationError, match="退回报告须写明意见"):
        report_review(report=report, by=user("office"), accept=False)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_department_reports_only_for_its_own_tasks(task):
    with pytest.raises(PermissionDenied):
        draft(task, "staff2")
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(("percent", "message"), [(101, "0到100"), (-1, "0到100"), ("abc", "整数")])
def test_bad_percent_is_refused(task, percent, message):
    with pytest.raises(ValidationError, match=message):
        draft(task, percent=percent)
    assert not ProgressReport.objects.exists()


def test_a_lower_percent_than_last_accepted_needs_a_reason(task):
    first = draft(task, percent=70)
    report_submit(report=first, by=user("staff"))
    report_review(report=first, by=user("office"), accept=True)
    with pytest.raises(ValidationError, match="低于上次采纳的70%"):
        draft(task, period=date(2026, 12, 1), percent=50)
    second = draft(task, period=date(2026, 12, 1), percent=50, lower_reason="市级清单口径调整，部分事项重新梳理")
    assert second.percent == 50


def test_one_report_per_department_and_period(task):
    draft(task)
    with pytest.raises(ValidationError, match="这一期已有"):
        draft(task, text="另一份")
    assert ProgressReport.objects.count() == 1


def test_a_second_submit_changes_nothing(task):
    report = draft(task)
    report_submit(report=report, by=user("staff"))
    events = task.events.count()
    with pytest.raises(ValidationError, match="已报送"):
        report_submit(report=report, by=user("staff"))
    assert task.events.count() == events


def test_two_people_editing_one_draft_do_not_overwrite_each_other(task):
    report = draft(task)
    opened_at = report.version
    report_save(
        task=task,
        by=user("head"),
        report=report,
        version=opened_at,
        period=report.period,
        text="负责人修改",
        percent=65,
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        report_save(
            task=task,
            by=user("staff"),
            report=report,
            version=opened_at,
            period=report.period,
            text="经办人的旧稿",
            percent=60,
        )
    assert ProgressReport.objects.get(pk=report.pk).text == "负责人修改"


def test_a_file_is_judged_by_its_content(task):
    with pytest.raises(ValidationError, match="类型不允许"):
        draft(task, files=[SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 this is an exe")])
    assert not ProgressReport.objects.exists()


def test_head_sign_off_where_the_department_requires_it(task, dept):
    department = dept("区编委办")
    department.requires_head_signoff = True
    department.save()
    report = draft(task)
    report_submit(report=report, by=user("staff"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNOFF
    assert any("请签发" in t for t in inbox("head"))
    assert not any("报送了" in t for t in inbox("office"))
    with pytest.raises(PermissionDenied):
        report_sign_off(report=report, by=user("staff"))
    report_sign_off(report=report, by=user("head"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.signed_off_by.username == "head"
    assert any("报送了" in t for t in inbox("office"))


def test_milestones_reported_done_are_dated(task):
    step = task.milestones.create(order=1, text="梳理清单")
    report = draft(task, milestones_done=[step.pk])
    report_submit(report=report, by=user("staff"))
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


def test_approved_extension_moves_the_deadline_and_keeps_the_original(task):
    request = extension_request(task=task, by=user("staff"), reason="等待市级清单", proposed_deadline=later(60))
    extension_decide(request=request, by=user("office"), approve=True)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (later(60), date(2015, 12, 31))
    assert task.deadline_phrase == "2015年12月底前"
    second = extension_request(task=task, by=user("staff"), reason="再延", proposed_deadline=later(90))
    extension_decide(request=second, by=user("office"), approve=True)
    task.refresh_from_db()
    assert task.original_deadline == date(2015, 12, 31)
    assert task.events.filter(kind="extension", summary__startswith="批准延期").count() == 2
    assert any("延期申请已批准" in t for t in inbox("staff"))


def test_an_extension_must_ask_for_a_date_after_the_current_deadline(task):
    first = extension_request(task=task, by=user("staff"), reason="等待市级清单", proposed_deadline=later(60))
    extension_decide(request=first, by=user("office"), approve=True)
    task.refresh_from_db()
    with pytest.raises(ValidationError, match=f"须晚于现行时限（{later(60):%Y年%m月%d日}）"):
        # After today, but before the deadline the approved extension set.
        extension_request(task=task, by=user("staff"), reason="再延", proposed_deadline=later(30))
    assert ExtensionRequest.objects.filter(task=task).count() == 1


def test_an_extension_to_a_past_date_is_refused(task):
    with pytest.raises(ValidationError, match="不能早于今天"):
        extension_request(task=task, by=user("staff"), reason="x", proposed_deadline=later(-1))
    assert not ExtensionRequest.objects.exists()


def test_only_one_pending_extension_per_task(task):
    extension_request(task=task, by=user("staff"), reason="x", proposed_deadline=later(30))
    with pytest.raises(ValidationError, match="已有待审批的延期申请"):
        extension_request(task=task, by=user("staff"), reason="y", proposed_deadline=later(40))


def test_refusing_needs_a_reason_and_keeps_the_deadline(task):
    request = extension_request(task=task, by=user("staff"), reason="x", proposed_deadline=later(30))
    with pytest.raises(ValidationError, match="须写明理由"):
        extension_decide(request=request, by=user("office"), approve=False)
    extension_decide(request=request, by=user("office"), approve=False, reason="时限不能推迟")
    task.refresh_from_db()
    assert task.deadline == date(2015, 12, 31) and task.original_deadline is None
    assert ExtensionRequest.objects.get(pk=request.pk).status == RequestStatus.REFUSED


def test_completion_closes_the_task(task):
    request = completion_request(
        task=task, by=user("staff"), summary="清单已公布", deliverable=SimpleUploadedFile("清单.pdf", PDF)
    )
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETION_REQUESTED
    completion_decide(request=request, by=user("office"), approve=True)
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETED, 100)
    assert task.completed_on == timezone.localdate()


def test_a_cooperating_department_cannot_ask_to_close_or_extend(shared):
    task_acknowledge(task=shared, by=_lead_user(shared))
    with pytest.raises(PermissionDenied):
        completion_request(task=shared, by=user("staff2"), summary="x")
    with pytest.raises(PermissionDenied):
        extension_request(task=shared, by=user("staff2"), reason="x", proposed_deadline=later(10))


def _lead_user(task):
    """A staff member of the task's lead department, made for the test."""
    from departments.services import member_set

    lead = task.assignments.get(role=AssignmentRole.LEAD).department
    return member_set(username="lead-staff", department=lead, role="staff", password="pw-123456")


def test_participation_proposal_and_decision(task, dept):
    request = participation_request(
        task=task, by=user("staff"), department=dept("区监察局"), reason="监察局掌握问责数据"
    )
    assert any("增加参与部门" in t for t in inbox("office"))
    participation_decide(request=request, by=user("office"), approve=True)
    assert task.assignments.get(department=dept("区监察局")).role == AssignmentRole.COOPERATING
    with pytest.raises(ValidationError, match="已承担"):
        participation_request(task=task, by=user("staff"), department=dept("区监察局"), reason="again")


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
    from departments.services import member_set

    jiancha = member_set(username="jiancha", department=dept("区监察局"), role="staff", password="pw-123456")
    caizheng = member_set(username="caizheng", department=dept("区财政局"), role="staff", password="pw-123456")
    task_assign(
        task=task,
        leads=[dept("区编委办")],
        cooperating=[dept("区监察局"), dept("区财政局")],
        by=user("office"),
        reason="财政局参与",
    )
    assert inbox(caizheng.username) == [f"新交办任务：{task.title}"]  # newly added: told
    assert inbox(jiancha.username) == [] and inbox("staff") == []  # there already: not told again


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


def test_a_head_sends_a_report_back_to_draft_with_a_comment(task, dept):
    department = dept("区编委办")
    department.requires_head_signoff = True
    department.save()
    report = draft(task)
    report_submit(report=report, by=user("staff"))
    with pytest.raises(ValidationError, match="退回修改须写明意见"):
        report_sign_off(report=report, by=user("head"), approve=False)
    report_sign_off(report=report, by=user("head"), approve=False, comment="数据口径与上月不一致")
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.DRAFT, "数据口径与上月不一致")
    assert any("负责人退回" in t for t in inbox("staff"))
    assert not any("报送了" in t for t in inbox("office"))
