"""A supervisor's round in the real Chromium: inspect, confirm a finding, edit the draft
bulletin beside its preview, make its PDF; a department reads its notice. Under `make
screenshots`, screenshots go to var/screenshots/ for people to look at."""

import pytest
from playwright.sync_api import expect

from departments.models import display_name
from supervision.choices import BulletinStatus
from supervision.models import Bulletin
from supervision.services import bulletin_draft, bulletin_issue, findings_confirm_all, notices_send
from tests.test_browser import CHROMIUM_ARGS, SHOTS, browser, chromium, shoot, sign_in  # noqa: F401 (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def unspaced(text: str) -> str:
    """The preview's text without the widening spaces of 两端对齐 (documents/justify.py)."""
    return "".join(text.split())


@pytest.fixture
def seeded(live_server, request):
    return live_server, request.getfixturevalue("world")


def test_a_supervisor_confirms_a_finding_and_edits_the_bulletin_beside_its_preview(browser, seeded):  # noqa: F811
    server, world = seeded
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, server.url, "supervisor")
    page.click("header nav >> text='督查督办'")
    with page.expect_navigation():
        page.click(f"text={world.inspection.title}")
    assert page.locator("#finding-count").inner_text() == "5"
    shoot(page, SHOTS / "supervision-inspection.png", full_page=True)

    page.click("text=建立社会信用信息共享平台")
    page.select_option("#id_rating", "overdue")
    page.fill("#id_comment", "平台建设严重滞后，须限期整改。")
    with page.expect_navigation():
        page.click("text=确认评价")
    assert "督查评价已确认" in page.locator(".messages").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())  # a bulk action asks first
    with page.expect_navigation():
        page.click("text=未确认的全部按建议确认")
    with page.expect_navigation():  # "load" includes the preview's frame
        page.click("text=起草督查通报")
    preview = page.frame_locator("iframe.document-preview")
    assert unspaced(preview.locator(".mark").inner_text()) == "区人民政府督查室文件"
    assert "区发展和改革委员会" in unspaced(preview.locator(".verdicts.criticised").inner_text())
    page.fill("#id_title", "关于2026年改革任务专项督查情况的通报（征求意见）")
    with page.expect_navigation():
        page.click("text=保存草稿")
    assert unspaced(preview.locator("h1").inner_text()) == "关于2026年改革任务专项督查情况的通报（征求意见）"
    shoot(page, SHOTS / "supervision-bulletin-editor.png", full_page=False)

    with page.expect_navigation():
        page.click("text=生成PDF草稿")
    # The job's box polls (htmx, every second) until the job has finished.
    expect(page.locator("#job-status")).to_have_text("已完成")
    assert page.locator("#job-file").is_visible()

    # 编号印发 asks first: dismissed, nothing is issued; accepted, the number is taken.
    page.goto(server.url + Bulletin.objects.get(status=BulletinStatus.DRAFT).get_absolute_url())
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("text=编号印发")
    page.wait_for_timeout(300)
    assert not Bulletin.objects.filter(status=BulletinStatus.ISSUED).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("text=编号印发")
    assert Bulletin.objects.filter(status__in=[BulletinStatus.ISSUED, BulletinStatus.ISSUING]).exists()
    page.close()


def test_a_department_reads_its_notice_as_an_official_document(browser, seeded):  # noqa: F811
    server, world = seeded
    notices_send(inspection=world.inspection, by=world.user("supervisor"))
    bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, server.url, "staff2")
    page.click("header nav >> text='督查督办'")
    page.click("main .tabs >> text='督办单'")
    with page.expect_navigation():
        page.click("text=查看")
    # The notice's page: its number, 反馈时限 and the 回执 the unit is to fill in.
    notice = world.inspection.notices.get(department=world.departments["fagaiwei"])
    assert page.locator("h1").inner_text() == f"督办单 {notice.number}"
    assert "未回执" in page.locator("#notice-state").inner_text() and page.locator("text=提交回执").count() == 1
    page.goto(page.url + "?format=html")  # 查看公文: the official document itself
    assert page.locator("h1").inner_text() == "督办单"
    assert "建立社会信用信息共享平台" in page.locator("table").nth(1).inner_text()
    shoot(page, SHOTS / "supervision-notice.png", full_page=True)
    page.goto(f"{server.url}/supervision/bulletins/")
    assert "没有督查通报" in page.locator("main").inner_text()  # the draft is the supervisors' own
    page.close()


def test_a_unit_signs_for_an_issued_bulletin_on_a_phone_and_the_office_sees_it(browser, seeded):  # noqa: F811
    server, world = seeded
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    bulletin_issue(bulletin=bulletin, by=supervisor)  # the PDF renders inline once this commits
    assert Bulletin.objects.get(pk=bulletin.pk).status == BulletinStatus.ISSUED
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, server.url, "staff2")
    page.goto(server.url + bulletin.get_absolute_url())
    with page.expect_navigation():
        page.click("button:text-is('阅知')")
    assert "本单位已于" in page.locator("#my-receipt").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, SHOTS / "supervision-bulletin-read-390.png", full_page=True)
    page.context.clear_cookies()
    sign_in(page, server.url, "supervisor")
    page.goto(server.url + bulletin.get_absolute_url())
    receipts = page.locator("#receipts").inner_text()
    # The reader is named by 姓名, never by the login.
    reader = display_name(world.user("staff2"))
    assert reader != "staff2" and reader in receipts and "staff2" not in receipts
    assert receipts.count("未阅知") == 3
    with page.expect_navigation():
        page.click("button:text-is('催阅')")
    assert "已向3个未阅知的单位发送催阅提醒" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, SHOTS / "supervision-bulletin-receipts-390.png", full_page=True)
    page.close()
