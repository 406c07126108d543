"""The office sets a scheme in the real Chromium, reads the ranking and a statement, and
the statement's PDF is drawn to an image. Screenshots (`make screenshots`) go to var/screenshots/."""

import shutil
import subprocess
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model

from supervision.choices import Rating
from tasks.choices import ReportStatus, TaskStatus
from tests.test_browser import SHOTS, browser, chromium, seeded_server, shoot, sign_in  # noqa: F401 (fixtures)

from . import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _year(dept):
    plan = b.plan(2026)
    bianwei, fagai, caizheng = dept("区编委办"), dept("区发改委"), dept("区财政局")
    done = b.task(
        plan, lead=bianwei, cooperating=[fagai], weight="15", status=TaskStatus.COMPLETED, completed_on=date(2026, 6, 1)
    )
    late = b.task(plan, lead=fagai, cooperating=[caizheng], weight="10", deadline=date(2026, 3, 31))
    b.task(
        plan,
        lead=caizheng,
        weight="10",
        deadline=date(2026, 5, 31),
        status=TaskStatus.COMPLETED,
        completed_on=date(2026, 5, 20),
    )
    b.report(done, bianwei, period=date(2026, 3, 1), submitted=datetime(2026, 3, 28, 9))
    b.report(late, fagai, period=date(2026, 4, 1), submitted=datetime(2026, 4, 20, 9), status=ReportStatus.RETURNED)
    b.milestone(late, deadline=date(2026, 2, 28), done_on=None)
    b.finding(b.inspection(), late, rating=Rating.OVERDUE)
    b.bulletin(b.inspection(), {caizheng: b.COMMEND, fagai: b.CRITICISE})
    return bianwei, fagai


def test_office_sets_a_scheme_and_reads_the_ranking_and_a_statement(browser, seeded_server, dept):  # noqa: F811
    bianwei, fagai = _year(dept)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, seeded_server.url, "office")
    page.click("nav >> text=考核")
    page.click("text=新建考核方案")
    page.fill("#id_year", "2026")
    page.fill("#id_title", "2026年度改革任务考核")
    page.fill("#id_cooperating_share_percent", "150")
    page.fill("#id_classes", "政府线：区发改委、区财政局\n党群线：区编委办")
    page.evaluate("document.querySelector('form.scheme-form').noValidate = true")
    with page.expect_navigation():  # the form comes back with its error
        page.click("text=保存")
    assert "不能超过100%" in page.locator("main").inner_text()
    shoot(page, SHOTS / "assessment-scheme-error.png", full_page=True)
    page.fill("#id_cooperating_share_percent", "20")
    with page.expect_navigation():
        page.click("text=保存")
    assert page.locator("#ranking-overall tbody tr").count() == 3
    shoot(page, SHOTS / "assessment-ranking.png", full_page=True)
    with page.expect_navigation():
        page.click(f"#ranking-overall >> text={fagai.name}")
    body = page.locator("main").inner_text()
    assert "通报批评" in body and "进度节点逾期" in body and "被退回" in body
    shoot(page, SHOTS / "assessment-statement.png", full_page=True)
    with page.expect_download() as download:
        page.click("text=导出 PDF（公文格式）")
    pdf = SHOTS / "assessment-statement.pdf"
    download.value.save_as(str(pdf))
    page.close()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "assessment-statement-pdf")],
            check=True,
        )
        assert list(SHOTS.glob("assessment-statement-pdf*.png"))
    assert get_user_model().objects.filter(username="office").exists()
