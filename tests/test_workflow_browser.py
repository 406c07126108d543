"""The department workflow end to end in Debian's Chromium, as its users go through it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.models import Task
from tests.factories import pdf_bytes
from tests.test_browser import SHOTS, browser, chromium, seeded_server, shoot, sign_in  # noqa: F401  (shared fixtures)
from tests.webhook_server import Robot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = pdf_bytes()


def shot(page, name):
    shoot(page, SHOTS / f"workflow-{name}.png", full_page=True)


def test_report_return_resubmit_accept_extend_and_close(browser, seeded_server, tmp_path):  # noqa: F811
    base = seeded_server.url
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    evidence = tmp_path / "职权清单（初稿）.pdf"
    evidence.write_bytes(PDF)
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    office = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, base, "staff")
    sign_in(office, base, "office")
    office.on("dialog", lambda dialog: dialog.accept())  # 采纳 and 批准 ask first

    # Staff acknowledges the task (an inline htmx post) and reports with evidence.
    staff.goto(f"{base}/tasks/{task.pk}/")
    staff.click("text=签收任务")
    staff.wait_for_selector("text=已签收")
    staff.click("text=报送进展")
    staff.fill("#id_text", "已完成各部门行政职权梳理，形成清单初稿。")
    staff.fill("#id_percent", "40")
    staff.set_input_files("#id_files", str(evidence))
    shot(staff, "1-report-form")
    staff.click("button[name=submit]")
    staff.wait_for_selector("text=报告已提交")

    # The office returns it with a comment, inline in its queue.
    office.goto(f"{base}/tasks/review/")
    row = office.locator("tr", has_text="做好市政府取消和下放")
    row.locator("input[name=comment]").fill("请补充清单公布计划")
    shot(office, "2-review-queue")
    row.locator("button[value=return]").click()
    office.wait_for_selector("text=已处理")

    # Staff sees the notification, corrects the report and sends it again.
    staff.goto(f"{base}/tasks/inbox/")
    assert staff.locator("#unread-count").inner_text() != "0"
    assert staff.locator("li.unread", has_text="已退回").count() == 1
    shot(staff, "3-inbox")
    staff.click("text=已退回")
    assert "请补充清单公布计划" in staff.locator("main").inner_text()
    staff.click("a.button:text-is('修改')")  # not the header's 修改密码
    staff.fill("#id_text", "已完成职权梳理；清单计划于12月底前公布。")
    staff.click("button[name=submit]")
    staff.wait_for_selector("text=报告已提交")

    office.goto(f"{base}/tasks/review/")
    office.locator("tr", has_text="做好市政府取消和下放").locator("button[value=accept]").click()
    office.wait_for_selector("text=已处理")

    # An extension: asked, approved, the new date shown with the old on record.
    new_date = timezone.localdate() + timedelta(days=45)
    staff.goto(f"{base}/tasks/{task.pk}/")
    assert "已采纳" in staff.locator("main").inner_text()
    staff.fill("#id_extension-proposed_deadline", new_date.isoformat())
    staff.fill("#id_extension-reason", "需等待市级权力清单目录下发后统一公布")
    staff.click("text=提交延期申请")
    staff.wait_for_selector("text=延期申请已提交")
    office.goto(f"{base}/tasks/review/")
    office.locator("tr", has_text="做好市政府取消和下放").locator("button[value=approve]").click()
    office.wait_for_selector("text=已处理")
    staff.goto(f"{base}/tasks/{task.pk}/")
    assert f"{new_date.year}年{new_date.month}月{new_date.day}日" in staff.locator("#task-deadline").inner_text()
    assert "原定时限 2015年12月31日" in staff.locator("#original-deadline").inner_text()
    shot(staff, "4-extended")

    # Closing: asked with the deliverable, approved, the light turns to done.
    staff.fill("#id_completion-summary", "各部门行政职权清单已公布。")
    staff.set_input_files("#id_completion-deliverable", str(evidence))
    staff.click("text=提交办结申请")
    staff.wait_for_selector("text=办结申请已提交")
    office.goto(f"{base}/tasks/review/")
    office.locator("tr", has_text="做好市政府取消和下放").locator("button[value=approve]").click()
    office.wait_for_selector("text=已处理")
    staff.goto(f"{base}/tasks/{task.pk}/")
    assert staff.locator("h1 .light").inner_text() == "办结"
    assert "已办结" in staff.locator("#task-status").inner_text()
    shot(staff, "5-closed")
    task.refresh_from_db()
    assert task.status == "completed" and task.reports.get().status == "accepted"


def test_staff_choose_a_robot_and_the_office_urges_from_the_task_page(
    browser,  # noqa: F811
    seeded_server,  # noqa: F811
    celery_worker_thread,
):
    base = seeded_server.url
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    office = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, base, "staff")
    sign_in(office, base, "office")
    with Robot() as robot:
        # Staff add the department's WeCom robot; a missing address is refused first.
        staff.goto(f"{base}/tasks/inbox/")
        staff.click("text=消息接收设置")
        staff.check("#id_webhook")
        staff.click("button:has-text('保存')")
        staff.wait_for_selector("text=选择群机器人须填写 Webhook 地址。")
        staff.fill("#id_webhook_url", robot.url)
        staff.fill("#id_webhook_secret", "SECdemo")
        staff.click("button:has-text('保存')")
        staff.wait_for_selector("text=消息接收设置已保存")

        # The office urges from the task page, in its own words.
        office.goto(f"{base}/tasks/{task.pk}/")
        office.fill("#id_urge-message", "请于本周五前报送权力清单梳理进展。")
        shot(office, "5-urge")
        office.click("text=发送催办")
        office.wait_for_selector("text=催办已发送")
        assert "政府办催办（区编委办）：请于本周五前报送权力清单梳理进展。" in office.locator("main").inner_text()

        # It reaches the inbox and the robot, through the real worker.
        staff.goto(f"{base}/tasks/inbox/")
        for _ in range(50):
            if staff.locator("li", has_text="政府办催办").count() and robot.received:
                break
            staff.wait_for_timeout(200)
            staff.reload()
        assert "请于本周五前报送权力清单梳理进展。" in staff.locator("li", has_text="政府办催办").inner_text()
        assert "请于本周五前报送权力清单梳理进展。" in robot.received[0]["json"]["text"]["content"]
        staff.goto(f"{base}/tasks/inbox/settings/")
        assert "已发送" in staff.locator("table").inner_text()
        shot(staff, "6-delivery-settings")
