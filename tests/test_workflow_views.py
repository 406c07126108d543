"""The workflow forms as people fill them in, bad input included."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tasks.models import Evidence, ExtensionRequest, Notification, ProgressReport, Task
from tasks.services import report_review, report_save, report_submit, task_acknowledge

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def task(demo_users):
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    return task_acknowledge(task=task, by=get_user_model().objects.get(username="staff"))


def period():
    return timezone.localdate().replace(day=1).isoformat()


def post_report(client, task, **fields):
    data = {"period": period(), "text": "已完成职权梳理", "percent": "50", "submit": "1"} | fields
    return client.post(reverse("tasks:report_new", args=[task.pk]), data)


def test_an_empty_report_is_refused_next_to_its_field_and_keeps_the_input(login, task):
    response = post_report(login("staff"), task, text="", percent="35")
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写进展情况" in page and 'value="35"' in page
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(("percent", "message"), [("150", "0到100"), ("-3", "0到100"), ("五十", "整数")])
def test_a_bad_percent_is_refused(login, task, percent, message):
    response = post_report(login("staff"), task, percent=percent)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_lower_percent_needs_a_reason(login, task):
    staff, office = (get_user_model().objects.get(username=name) for name in ("staff", "office"))
    earlier = report_save(
        task=task, by=staff, period=timezone.localdate().replace(day=1) - timedelta(days=1), text="上月进展", percent=70
    )
    report_submit(report=earlier, by=staff)
    report_review(report=earlier, by=office, accept=True)
    client = login("staff")
    response = post_report(client, task, percent="40")
    assert response.status_code == 400 and "低于上次采纳的70%" in response.content.decode()
    assert post_report(client, task, percent="40", lower_reason="口径调整").status_code == 302


def test_a_file_of_the_wrong_type_or_too_large_saves_nothing(login, task, monkeypatch):
    client = login("staff")
    response = post_report(client, task, files=SimpleUploadedFile("报告.pdf", b"GIF8? not really an image"))
    assert response.status_code == 400 and "类型不允许" in response.content.decode()
    monkeypatch.setattr("tasks.uploads.MAX_UPLOAD_BYTES", 1024)
    response = post_report(client, task, files=SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048))
    assert response.status_code == 400 and "超过" in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_a_report_with_evidence_is_sent_and_the_file_served_under_its_name(login, task):
    client = login("staff")
    response = post_report(client, task, files=SimpleUploadedFile("清单（初稿）.pdf", PDF))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = login("office").get(reverse("tasks:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "filename*=utf-8''%E6%B8%85%E5%8D%95" in download["Content-Disposition"]


def test_two_tabs_submitting_a_new_report_make_exactly_one(login, task):
    client = login("staff")
    assert post_report(client, task).status_code == 302
    second = post_report(client, task, text="另一个标签页里写的")
    assert second.status_code == 400 and "这一期已有" in second.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_double_click_on_submit_sends_once(login, task):
    client = login("staff")
    report = report_save(
        task=task,
        by=get_user_model().objects.get(username="staff"),
        period=timezone.localdate(),
        text="进展",
        percent=20,
    )
    url = reverse("tasks:report_submit", args=[report.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "不能重复提交" in response.content.decode()
    assert task.events.filter(kind="report").count() == 1


def test_two_people_editing_one_draft_are_told_not_overwritten(login, task, client):
    report = report_save(
        task=task,
        by=get_user_model().objects.get(username="staff"),
        period=timezone.localdate(),
        text="初稿",
        percent=20,
    )
    url = reverse("tasks:report_edit", args=[task.pk, report.pk])
    data = {"period": period(), "percent": "30", "version": str(report.version), "save": "1"}
    staff = login("staff")
    head = Client()
    head.login(username="head", password="demo-pass-2026")
    assert head.post(url, data | {"text": "负责人改的"}).status_code == 302
    response = staff.post(url, data | {"text": "经办人改的"})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    assert ProgressReport.objects.get().text == "负责人改的"


def test_an_extension_to_a_past_date_is_refused_in_chinese_keeping_the_reason(login, task):
    client = login("staff")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("tasks:extension_new", args=[task.pk]),
        {"extension-proposed_deadline": yesterday.isoformat(), "extension-reason": "等待市级清单"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "不能早于今天" in page and "等待市级清单" in page
    assert not ExtensionRequest.objects.exists()


def test_a_notification_opened_from_the_inbox_is_read(login, task):
    office = get_user_model().objects.get(username="office")
    report = report_save(
        task=task,
        by=get_user_model().objects.get(username="staff"),
        period=timezone.localdate(),
        text="进展",
        percent=20,
    )
    report_submit(report=report, by=get_user_model().objects.get(username="staff"))
    report_review(report=report, by=office, accept=False, comment="请补充")
    client = login("staff")
    notification = Notification.objects.get(recipient__username="staff")
    assert 'id="unread-count">1<' in client.get(reverse("tasks:inbox")).content.decode()
    response = client.get(reverse("tasks:inbox_open", args=[notification.pk]))
    assert response.url == task.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_review_queue_and_inbox_query_counts(login, task, django_assert_max_num_queries):
    staff = get_user_model().objects.get(username="staff")
    for back in range(3):
        day = timezone.localdate().replace(day=1) - timedelta(days=31 * back)
        report_submit(report=report_save(task=task, by=staff, period=day, text="进展", percent=20 + back), by=staff)
    client = login("office")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("tasks:review")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("tasks:inbox")).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(task.get_absolute_url()).status_code == 200
