"""An office's first month, in Debian's Chromium, at desktop and phone width: import a plan text,
give it out (批量交办), the departments find it in their inbox and acknowledge (one late, reminded
and escalated), report with a PDF, the office opens the evidence, returns one (an empty comment is
refused where the button is), accepts the corrected one, an extension (a date before the current
deadline refused), closure with a deliverable the office opens, and the dashboards and the public
page agree. No page visited scrolls sideways; under `make screenshots` every step leaves a
screenshot in var/screenshots/."""

from datetime import date, datetime

import pytest
import time_machine

from reminders.services import reminders_send, reminders_sweep
from tasks.models import Plan, Task
from tests.conftest import SHANGHAI
from tests.factories import pdf_bytes
from tests.test_browser import SHOTS, browser, chromium, seeded_server, shoot, sign_in  # noqa: F401  (shared fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_TEXT = (
    "关于推进政务服务改革的实施方案\n"
    "一、建立政务服务事项清单。(区编委办会同区发改委负责。2027年6月底前完成)\n"
    "二、推进部门数据共享。(区发改委负责。2027年12月底前完成)\n"
)
FIRST, SECOND = "建立政务服务事项清单", "推进部门数据共享"
# The dashboards' phone layout (charts that resize) is the "On a phone" part of issue 16, built
# on another branch: until it lands, their overflow at phone width is reported (the test ends
# as xfail naming the pages), not hidden; every other page must fit.
PHONE_LAYOUT_ELSEWHERE = ("/dashboard/",)


class Month:
    """The pages of one run, at one width: each visit checked for sideways scrolling and kept."""

    def __init__(self, browser, base: str, width: int, tmp_path):  # noqa: F811
        self.browser, self.base, self.width, self.step = browser, base, width, 0
        self.pdf = tmp_path / "工作进展材料.pdf"
        self.pdf.write_bytes(pdf_bytes())
        self.visited: list[str] = []
        self.pending: list[str] = []

    def page(self, username: str):
        height = 900 if self.width > 800 else 844
        page = self.browser.new_context(viewport={"width": self.width, "height": height}).new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # 采纳, 批准, 公开进展 ask first
        sign_in(page, self.base, username)
        return page

    def check(self, page, name: str) -> None:
        """No sideways scrolling, and a screenshot to look at (`make screenshots`). Every caller has already waited
        for what it shows: a page loaded (goto, submit) or an htmx swap it named."""
        self.step += 1
        shoot(page, SHOTS / f"month-{self.width}-{self.step:02d}-{name}.png", full_page=True)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        path = page.url.removeprefix(self.base)
        if scroll > inner and inner < 800 and path.startswith(PHONE_LAYOUT_ELSEWHERE):
            self.pending.append(f"{path} is {scroll}px wide at {inner}px")
        else:
            assert scroll <= inner, f"{page.url} ({name}) is {scroll}px wide at {inner}px"
        self.visited.append(page.url)

    def submit(self, page, selector: str, name: str) -> None:
        """Click what sends a form and wait for the page it leads to."""
        with page.expect_navigation():
            page.click(selector)
        self.check(page, name)

    def go(self, page, path: str, name: str) -> None:
        page.goto(self.base + path)
        self.check(page, name)


def sweep(day: date) -> None:
    """The nightly reminder sweep (Celery beat in production), run for `day` and sent."""
    _, unsent = reminders_sweep(today=day, queue=False)
    reminders_send(unsent)


@pytest.mark.parametrize("width", [1366, 390])
def test_an_offices_first_month(browser, seeded_server, tmp_path, width):  # noqa: F811
    month = Month(browser, seeded_server.url, width, tmp_path)
    office = month.page("office")

    # 1. Import a plan text, keep it as drafts, and give both tasks out in one step.
    month.go(office, "/tasks/import/", "import")
    office.fill("#id_text", PLAN_TEXT)
    office.fill("#id_year", "2027")
    month.submit(office, "text=识别并预览", "import-preview")
    month.submit(office, "text=确认导入", "give-out")
    assert office.locator("#draft-count").inner_text() == "2"
    office.check("#choose-all")
    month.submit(office, "#give-out-preview-button", "give-out-preview")
    preview = office.locator("#give-out-preview").inner_text()
    assert "区发展和改革委员会" in preview and FIRST in preview and SECOND in preview
    assert "2026年11月19日" in office.locator("#give-out-summary").inner_text()  # Monday + 3 working days
    month.submit(office, "#give-out-confirm", "given-out")
    assert "已交办 2 项任务" in office.locator(".messages").inner_text()
    first = Task.objects.get(title=FIRST)
    second = Task.objects.get(title=SECOND)

    # 2. Each department finds its tasks in its inbox; 区编委办 acknowledges at once.
    staff, staff2 = month.page("staff"), month.page("staff2")
    month.go(staff, "/tasks/inbox/", "inbox-bianweiban")
    assert f"新交办任务：{FIRST}" in staff.locator("main").inner_text()
    month.go(staff2, "/tasks/inbox/", "inbox-fagaiwei")
    assert f"新交办任务：{FIRST}" in staff2.locator("main").inner_text()
    assert f"新交办任务：{SECOND}" in staff2.locator("main").inner_text()
    month.go(staff, first.get_absolute_url(), "task-bianweiban")
    staff.click("text=签收任务")
    staff.wait_for_selector("text=已签收")

    # 3. 区发改委 lets its 签收时限 (the 19th) pass: reminded on Friday the 20th, escalated on
    #    Monday the 23rd, listed for the office; then it acknowledges.
    sweep(date(2026, 11, 20))
    month.go(staff2, "/tasks/inbox/", "ack-reminded")
    assert f"签收提醒：“{SECOND}”已过签收时限（2026-11-19）" in staff2.locator("main").inner_text()
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI), tick=True):
        for page, username in ((office, "office"), (staff, "staff"), (staff2, "staff2")):
            sign_in(page, month.base, username)  # a new working day: yesterday's sessions have ended
        sweep(date(2026, 11, 23))
        month.go(staff2, "/tasks/inbox/", "ack-escalated")
        assert f"超时未签收：“{SECOND}”" in staff2.locator("main").inner_text()  # no head: its staff
        month.go(office, "/tasks/?acknowledge_late=true", "office-ack-late")
        listed = office.locator("main").inner_text()
        assert SECOND in listed and FIRST not in listed
        month.go(staff2, second.get_absolute_url(), "task-fagaiwei")
        assert "超时未签收，升级至部门负责人" in staff2.locator("main").inner_text()
        staff2.click("text=签收任务")
        staff2.wait_for_selector("text=已签收")

        # 4. 区编委办 reports with a PDF; the office opens the evidence from its queue.
        month.go(staff, first.get_absolute_url(), "before-report")
        month.submit(staff, "text=报送进展", "report-form")
        staff.fill("#id_text", "已梳理政务服务事项412项，形成清单初稿。")
        staff.fill("#id_percent", "40")
        staff.set_input_files("#id_files", str(month.pdf))
        staff.click("button[name=submit]")
        staff.wait_for_selector("text=报告已提交")
        month.go(office, "/tasks/review/", "review-queue")
        row = office.locator("tr", has_text=FIRST)
        link = row.locator("a.evidence-open")
        assert link.inner_text() == "工作进展材料.pdf"
        opened = office.request.get(month.base + link.get_attribute("href"))
        assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
        assert opened.body().startswith(b"%PDF")
        row.locator("details.preview summary").click()
        assert row.locator("iframe").get_attribute("src") == link.get_attribute("href")
        office.wait_for_timeout(1500)  # Chromium's PDF viewer draws the page in the frame
        month.check(office, "evidence-preview")

        # 5. 退回 without a comment is refused beside the button; with one, it goes back.
        count = office.locator("#queue-count-reports").inner_text()
        row.locator("button[value=return]").click()
        refusal = row.locator(".refusal")
        refusal.wait_for()
        assert refusal.inner_text() == "退回报告须写明意见。"
        month.check(office, "return-refused")
        row = office.locator("tr", has_text=FIRST)
        row.locator("input[name=comment]").fill("请补充清单公布计划")
        row.locator("button[value=return]").click()
        office.wait_for_selector("text=已处理")
        assert int(office.locator("#queue-count-reports").inner_text()) == int(count) - 1
        month.check(office, "returned")

        # 6. The edit page shows the comment; the corrected report is sent and accepted.
        month.go(staff, first.get_absolute_url(), "returned-report")
        month.submit(staff, "a.button:text-is('修改')", "edit-returned")
        assert "请补充清单公布计划" in staff.locator("#review-comment").inner_text()
        staff.fill("#id_text", "已梳理政务服务事项412项；清单计划于12月底前公布。")
        staff.click("button[name=submit]")
        staff.wait_for_selector("text=报告已提交")
        month.go(office, "/tasks/review/", "review-again")
        office.locator("tr", has_text=FIRST).locator("button[value=accept]").click()
        office.wait_for_selector("text=已处理")

        # 7. An extension: a date before the current deadline is refused, a later one approved.
        month.go(staff, first.get_absolute_url(), "extension")
        assert "清单计划于12月底前公布" in staff.locator("main").inner_text()
        staff.fill("#id_extension-proposed_deadline", "2027-05-31")
        staff.fill("#id_extension-reason", "等待市级目录下发")
        month.submit(staff, "text=提交延期申请", "extension-refused")
        assert "须晚于现行时限（2027年06月30日）" in staff.locator("main").inner_text()
        staff.fill("#id_extension-proposed_deadline", "2027-09-30")
        staff.fill("#id_extension-reason", "等待市级目录下发")
        staff.click("text=提交延期申请")
        staff.wait_for_selector("text=延期申请已提交")
        month.go(office, "/tasks/review/", "extension-queue")
        office.locator("tr", has_text=FIRST).locator("button[value=approve]").click()
        office.wait_for_selector("text=已处理")

        # 8. Closure with a deliverable, which the office opens before approving.
        month.go(staff, first.get_absolute_url(), "closure")
        staff.fill("#id_completion-summary", "政务服务事项清单已经区政府常务会议审定并公布。")
        staff.set_input_files("#id_completion-deliverable", str(month.pdf))
        staff.click("text=提交办结申请")
        staff.wait_for_selector("text=办结申请已提交")
        month.go(office, "/tasks/review/", "closure-queue")
        row = office.locator("tr", has_text=FIRST)
        deliverable = row.locator("a.evidence-open")
        assert deliverable.inner_text().startswith("成果材料：")
        opened = office.request.get(month.base + deliverable.get_attribute("href"))
        assert opened.status == 200 and opened.body().startswith(b"%PDF")
        row.locator("button[value=approve]").click()
        office.wait_for_selector("text=已处理")

        # 9. The dashboards and the public page agree: 2 tasks, 1 completed.
        plan = Plan.objects.get(tasks__title=FIRST)
        month.go(office, f"/dashboard/?plan={plan.pk}", "dashboard")
        assert office.locator("[data-tile=total] strong").inner_text() == "2"
        assert office.locator("[data-tile=completed] strong").inner_text() == "1"
        month.go(office, "/dashboard/plans/", "dashboard-plans")
        panel = office.locator("section.plan-progress", has_text=plan.title)
        assert "（2 项任务，已办结 1 项）" in panel.inner_text()
        with office.expect_navigation():
            panel.locator("button", has_text="公开进展").click()
        month.check(office, "published")
        public = month.browser.new_context(viewport={"width": width, "height": 844}).new_page()
        public.goto(month.base + f"/public/plans/{plan.slug}/")
        month.check(public, "public")
        assert "2 项任务，已办结 1 项" in public.locator("main").inner_text()
        assert FIRST in public.locator("main").inner_text()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.deadline, second.status) == ("completed", date(2027, 9, 30), "acknowledged")
    assert len(month.visited) >= 25
    if month.pending:
        pytest.xfail("dashboards not yet laid out for phones: " + "; ".join(month.pending))
