"""The import preview in the real Chromium, at desktop and phone width (under `make screenshots`,
pictures in var/screenshots/)."""

import pytest

from departments.models import Department
from tasks.models import Task
from tests.importing.test_import_views import MIXED
from tests.test_browser import SHOTS, browser, chromium, seeded_server, shoot, sign_in  # noqa: F401  (shared fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_office_checks_the_flagged_rows_and_decides_on_an_unknown_unit(
    browser,  # noqa: F811
    seeded_server,  # noqa: F811
    width,
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(page, seeded_server.url, "office")
    page.goto(f"{seeded_server.url}/tasks/import/")
    page.fill("textarea[name=text]", MIXED)
    with page.expect_navigation():
        page.click("text=识别并预览")
    summary = page.locator("#import-summary").inner_text()
    flagged = page.locator("tr.uncertain").count()
    assert flagged >= 3 and f"{flagged} 行需要核对" in summary
    shoot(page, SHOTS / f"import-preview-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.select_option("select[aria-label='区大数据局的处理']", "new")
    page.fill("input[name=plan-doc_number]", "中区府办〔2027〕3号")
    with page.expect_navigation():
        page.click("text=确认导入")
    task = Task.objects.filter(title__startswith="建设数据平台").latest("pk")
    assert task.plan.document_number == "中区府办〔2027〕3号"
    assert Department.objects.get(name="区大数据局") in [a.department for a in task.assignments.all()]
    page.close()
