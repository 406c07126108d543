"""Issue 20's walk through Chromium: the office registers a 批示件 with its scan, a meeting
with three items and a proposal with a lead and a co-handler; the departments sign, report
and answer; the proposal is rated 不满意 and answered again; each source is counted; the
交办单 prints. Every page fits a phone (390 px) without sideways scrolling."""

import pytest

from departments.models import Department
from matters.models import Meeting, Proposal
from tasks.models import Task
from tests.factories import pdf_bytes
from tests.test_browser import SHOTS, browser, chromium, seeded_server, shoot, sign_in  # noqa: F401  (shared fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    shoot(page, SHOTS / f"matters-{name}.png", full_page=True)


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def pick(page, field_id: str, name: str):
    """The searchable picker: type part of the name, then choose it."""
    page.fill(f"input[data-filter-for={field_id}]", name[1:4])
    page.select_option(f"#{field_id}", label=name)


def test_register_give_out_answer_rate_and_print(browser, seeded_server, tmp_path):  # noqa: F811
    base = seeded_server.url
    names = {short: Department.objects.resolve(short).name for short in ("区编委办", "区发改委", "区财政局")}
    scan = tmp_path / "王区长批示.pdf"
    scan.write_bytes(pdf_bytes())
    office = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(office, base, "office")
    sign_in(phone, base, "office")

    # A 批示件 with its scan.
    office.goto(f"{base}/matters/instructions/new/")
    office.fill("#id_leader_name", "王区长")
    office.fill("#id_leader_post", "区长")
    office.fill("#id_content", "请区编委办牵头研究落实，两周内报结果。")
    office.set_input_files("#id_document", str(scan))
    office.fill("#id_item-title", "研究落实编制调整方案")
    pick(office, "id_item-leads", names["区编委办"])
    shot(office, "1-instruction-form-1366")
    office.click("text=登记并交办")
    office.wait_for_selector("text=批〔2026〕1号")
    shot(office, "2-instruction-1366")

    # A meeting with three items.
    office.goto(f"{base}/matters/meetings/new/")
    office.fill("#id_name", "区政府常务会议")
    office.fill("#id_session", "第12次")
    for i, short in enumerate(("区编委办", "区发改委", "区财政局")):
        office.fill(f"#id_items-{i}-title", f"议定事项{i + 1}：{short}牵头落实")
        pick(office, f"id_items-{i}-leads", names[short])
    office.click("text=登记并交办全部议定事项")
    office.wait_for_selector("text=已登记会议并交办议定事项3项")
    shot(office, "3-meeting-1366")
    assert Meeting.objects.get().items.count() == 3

    # A proposal with a lead (主办) and a co-handler (会办).
    office.goto(f"{base}/matters/proposals/new/")
    office.fill("#id_number", "第102号")
    office.fill("#id_proposer", "张代表")
    office.fill("#id_item-title", "关于优化政务服务窗口的建议")
    pick(office, "id_item-leads", names["区编委办"])
    pick(office, "id_item-cooperating", names["区发改委"])
    office.click("text=登记并交办")
    office.wait_for_selector("text=建〔2026〕1号")
    proposal = Proposal.objects.get()

    # The lead department signs for the instruction and the proposal, reports, answers.
    staff = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(staff, base, "staff")
    instruction_task = Task.objects.get(code="批〔2026〕1号")
    for task in (instruction_task, proposal.task):
        staff.goto(f"{base}/tasks/{task.pk}/")
        staff.click("text=签收任务")
        staff.wait_for_selector("text=已签收")
    staff.goto(f"{base}/tasks/{instruction_task.pk}/")
    staff.click("text=报送进展")
    staff.fill("#id_text", "已形成编制调整方案初稿。")
    staff.fill("#id_percent", "50")
    staff.click("button[name=submit]")
    staff.wait_for_selector("text=报告已提交")

    co = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(co, base, "staff2")
    for round_, text in ((1, "已将建议纳入明年计划。"), (2, "已协调增设窗口，问题解决。")):
        staff.goto(f"{base}{proposal.get_absolute_url()}")
        staff.fill("#id_text", text)
        staff.select_option("#id_category", "B" if round_ == 1 else "A")
        staff.click("text=保存答复")
        staff.wait_for_selector("text=待会办单位会签")
        co.goto(f"{base}{proposal.get_absolute_url()}")
        co.fill("#id_opinion", "同意")
        co.click("button:has-text('会签')")
        co.wait_for_selector("text=已会签")
        fits(co, 390)
        staff.goto(f"{base}{proposal.get_absolute_url()}")
        staff.click("text=发出答复")
        staff.wait_for_selector("text=答复已发出")
        office.goto(f"{base}{proposal.get_absolute_url()}")
        office.select_option("#id_satisfaction", "unsatisfied" if round_ == 1 else "satisfied")
        office.click("button:has-text('登记')")
        office.wait_for_selector("text=已登记")
    shot(office, "4-proposal-1366")
    phone.goto(f"{base}{proposal.get_absolute_url()}")
    fits(phone, 390)
    shot(phone, "4-proposal-390")
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.round, proposal.answers.count()) == ("closed", 2, 2)

    # Each source counted; the lists by source; the 交办单 prints.
    office.goto(f"{base}/matters/")
    tiles = office.locator(".source-counts").inner_text()
    assert "领导批示件" in tiles and "会议议定事项" in tiles and "建议提案" in tiles
    assert office.locator("#matter-count").inner_text() == "5"
    shot(office, "5-index-1366")
    for path in ("/matters/", "/matters/meetings/new/", "/matters/calendar/", "/tasks/?source=meeting"):
        phone.goto(f"{base}{path}")
        fits(phone, 390)
    phone.goto(f"{base}/matters/")
    shot(phone, "5-index-390")
    phone.goto(f"{base}/matters/instructions/new/")
    shot(phone, "1-instruction-form-390")
    office.goto(f"{base}/tasks/?source=meeting")
    assert office.locator("#task-count").inner_text() == "3"
    sheet = office.request.get(f"{base}/matters/tasks/{instruction_task.pk}/sheet/")
    assert sheet.headers["content-type"] == "application/pdf" and sheet.body().startswith(b"%PDF")
    office.goto(f"{base}/matters/tasks/{instruction_task.pk}/sheet/?format=html")
    shot(office, "6-sheet-1366")
