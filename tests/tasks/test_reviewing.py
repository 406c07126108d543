"""Reviewing: the office sees the whole report, its evidence and a closure's deliverable before
deciding; a refusal shows beside the button; the counts follow; a returned version stays on record."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks.choices import ReportStatus
from tasks.models import ProgressReport, Task
from tasks.services import completion_request, report_save, report_submit, task_acknowledge
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db
LONG = "已完成权责清单梳理，" * 20  # 200 characters: the queue once cut it at 80
HX = {"HTTP_HX_REQUEST": "true"}


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def sent(demo_users):
    """Seed 000's task (一) acknowledged by 区编委办, its November report sent with a PDF."""
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    task = task_acknowledge(task=task, by=user("staff"))
    evidence = SimpleUploadedFile("会议纪要.pdf", pdf_bytes(), content_type="application/pdf")
    report = report_save(task=task, by=user("staff"), period=date(2026, 11, 1), text=LONG, percent=40, files=[evidence])
    return report_submit(report=report, by=user("staff"))


def test_the_queue_shows_the_whole_report_and_previews_its_evidence(login, sent):
    html = login("office").get("/tasks/review/").content.decode()
    assert LONG in html
    evidence = sent.evidence.get()
    assert f'/tasks/evidence/{evidence.pk}/?inline=1"' in html and "<iframe" in html
    opened = login("office").get(f"/tasks/evidence/{evidence.pk}/?inline=1")
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("inline") and opened["X-Frame-Options"] == "SAMEORIGIN"
    assert "sandbox" in opened["Content-Security-Policy"]
    downloaded = login("office").get(f"/tasks/evidence/{evidence.pk}/")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert 'data-confirm="采纳后这份报告即计入进展' in html


def test_returning_without_a_comment_is_refused_beside_the_button(login, sent):
    client = login("office")
    response = client.post(
        f"/tasks/reports/{sent.pk}/decide/", {"decision": "return", "comment": " ", "from": "queue"}, **HX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="queue-report-{sent.pk}"' in html  # the row stays, with its buttons
    assert '<p class="error refusal" role="alert" hx-disable>退回报告须写明意见。</p>' in html
    sent.refresh_from_db()
    assert sent.status == ReportStatus.SUBMITTED


def test_a_decision_updates_the_queue_counts(login, sent):
    client = login("office")
    before = client.get("/tasks/review/").content.decode()
    count = ProgressReport.objects.filter(status=ReportStatus.SUBMITTED, task__assignments__role="lead").count()
    assert f'<span id="queue-count-reports">{count}</span>' in before
    response = client.post(
        f"/tasks/reports/{sent.pk}/decide/", {"decision": "return", "comment": "请补充数据", "from": "queue"}, **HX
    )
    assert response.status_code == 200
    assert f'<span id="queue-count-reports" hx-swap-oob="true">{count - 1}</span>' in response.content.decode()


def test_a_returned_report_keeps_its_version_and_the_edit_page_shows_the_comment(login, sent):
    login("office").post(f"/tasks/reports/{sent.pk}/decide/", {"decision": "return", "comment": "请补充数据来源"})
    staff = login("staff")
    page = staff.get(f"/tasks/{sent.task_id}/report/{sent.pk}/").content.decode()
    assert 'id="review-comment"' in page and "退回意见" in page and "请补充数据来源" in page
    report_save(task=sent.task, by=user("staff"), period=sent.period, text="补充后的报告", percent=45, report=sent)
    event = sent.task.events.filter(summary__startswith="修改退回的").get()
    assert event.changes["进展情况"] == [LONG, "补充后的报告"] and event.changes["完成进度"] == ["40%", "45%"]
    assert "请补充数据来源" in event.summary
    history = staff.get(sent.task.get_absolute_url()).content.decode()
    assert LONG in history  # the version sent back, readable in the history


def test_refusing_a_request_without_a_reason_is_refused_beside_the_button(login, sent):
    task = sent.task
    deliverable = SimpleUploadedFile("成果.pdf", pdf_bytes(), content_type="application/pdf")
    item = completion_request(task=task, by=user("staff"), summary="已全部完成", deliverable=deliverable)
    client = login("office")
    html = client.get("/tasks/review/").content.decode()
    assert f"/tasks/requests/completion/{item.pk}/deliverable/?inline=1" in html
    assert 'data-confirm="批准后任务即办结。确定批准？"' in html
    opened = client.get(f"/tasks/requests/completion/{item.pk}/deliverable/?inline=1")
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert b"".join(opened.streaming_content).startswith(b"%PDF")
    response = client.post(f"/tasks/requests/completion/{item.pk}/decide/", {"decision": "refuse"}, **HX)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="queue-completion-{item.pk}"' in html and "不予批准须写明理由。" in html
    assert login("staff2").get(f"/tasks/requests/completion/{item.pk}/deliverable/").status_code == 404


def test_irreversible_and_bulk_actions_ask_first(login):
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    # The text of the question goes through the catalogue, so look for it inside the tag.
    inspection = (templates / "supervision" / "inspection_detail.html").read_text()
    assert "data-confirm=\"{% translate '将把所有未确认的评价按建议值确认" in inspection
    # 督办单 go out from a preview of the recipients with a 确认发送 box (tests/supervision/test_notices.py).
    assert "{% url 'supervision:notices_new' inspection.pk %}\">" in inspection
    assert "发出后不能撤回" in (templates / "supervision" / "notice_send.html").read_text()
    assert "data-confirm=\"{% translate '公开后" in (templates / "dashboard" / "plans.html").read_text()
