"""Each role signs in through the real Chromium and sees its landing page.

Under `make screenshots`, screenshots go to var/screenshots/ for people to look at."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from departments.models import display_name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Debian's Chromium, as its headless shell: the same build of Blink and V8 as the `chromium`
# package (both come from Debian's chromium source), without the desktop browser around it;
# it is what Playwright itself drives for headless runs. The browser tests spent a third
# less CPU in it (145 s against 97 s on SQLite, both runs passing). PORTAL_CHROMIUM names
# another executable: `make screenshots` takes the pictures in the full browser.
CHROMIUM = (
    os.environ.get("PORTAL_CHROMIUM")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# Without these, Chromium keeps dialing Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class WatchedBrowser:
    """Chromium, with every page's console watched for what the Content-Security-Policy
    blocked: a blocked script or style is a broken page, so the test fails."""

    def __init__(self, browser):
        self._browser = browser
        self.blocked: list[str] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def _watch(self, message):
        if "Content Security Policy" in message.text:
            self.blocked.append(message.text)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.on("console", self._watch)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()


def shoot(page, path: Path, **options) -> None:
    """A screenshot for people to look at, taken when PORTAL_SCREENSHOTS is set (`make
    screenshots`). The tests assert on the page itself, never on the picture, so `make test`
    leaves them out: the phone walk alone took about 200 full-page shots per database."""
    if os.environ.get("PORTAL_SCREENSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), **options)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls the tests make
    # around it are plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def browser(chromium):
    chromium.blocked.clear()
    yield chromium
    assert chromium.blocked == [], "blocked by the Content-Security-Policy"


@pytest.fixture
def seeded_server(live_server):
    # The seed world is there: every transactional test ends by putting it back (tests/conftest.py).
    return live_server


def sign_in(page, base_url: str, username: str):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-2026")
    with page.expect_navigation():  # waits for the landing page's load event
        page.click("button[type=submit]")


@pytest.mark.parametrize(
    ("username", "heading", "width"),
    [
        ("office", "数据看板", 1280),
        ("leader", "数据看板", 1280),
        ("supervisor", "数据看板", 1280),
        ("staff", "我的任务", 1280),
        ("staff2", "我的任务", 1280),
        ("head", "我的任务", 390),  # a phone screen
    ],
)
def test_each_role_signs_in_and_lands_on_its_page(browser, seeded_server, username, heading, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(page, seeded_server.url, username)
    assert page.locator("h1").first.inner_text().startswith(heading)
    # The header names the person (姓名 from the demo accounts), or their login where none is entered.
    person = display_name(get_user_model().objects.select_related("membership").get(username=username))
    assert person in page.locator(".who").inner_text()
    # Nothing runs off the side of the screen, phone included.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, SHOTS / f"landing-{username}.png", full_page=True)
    page.close()


def test_staff_opens_a_task_and_reads_its_history(browser, seeded_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, seeded_server.url, "staff")
    with page.expect_navigation():
        page.click("text=修订区政府部门")
    body = page.locator("main").inner_text()
    assert "2015年9月底前" in body
    assert "方案印发即交办" in body
    shoot(page, SHOTS / "task-detail.png", full_page=True)
    page.close()


def test_the_task_page_with_its_forms_fits_a_phone(browser, seeded_server):
    from tasks.models import Task

    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="三、", number="(二)")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, seeded_server.url, "office")
    page.goto(f"{seeded_server.url}/tasks/{task.pk}/")
    assert page.locator("text=调整分工").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, SHOTS / "task-phone.png", full_page=True)
    page.close()


def test_admin_signs_in_to_the_admin(browser, seeded_server):
    page = browser.new_page()
    page.goto(f"{seeded_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo-pass-2026")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "改革任务督查督办平台" in page.title()
    assert page.locator("text=任务").first.is_visible()
    shoot(page, SHOTS / "admin-index.png", full_page=True)
    page.close()


def test_office_imports_a_plan_through_the_preview(browser, seeded_server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, seeded_server.url, "office")
    page.click("text=导入方案")
    seed = Path(settings.BASE_DIR) / "fixtures" / "seeds" / "002_haishu_xiaoneng.txt"
    page.set_input_files("#id_document", str(seed))
    page.fill("#id_year", "2008")
    with page.expect_navigation():
        page.click("text=识别并预览")
    assert "共识别 44 项" in page.locator("#import-summary").inner_text()
    assert page.locator("tr.uncertain").count() > 0  # 区财政 etc. are matched, but guesses stay marked
    shoot(page, SHOTS / "import-preview.png", full_page=False)
    page.fill("input[name=plan-title]", "海曙区提效能优服务活动方案")
    with page.expect_navigation():
        page.click("text=确认导入")
    assert "已导入方案“海曙区提效能优服务活动方案”" in page.locator(".messages").inner_text()
    # Kept as drafts (the default), the office lands on 批量交办 for the plan.
    assert page.locator("#draft-count").inner_text() == "38"  # the tracked tasks; 6 sections are headings
    shoot(page, SHOTS / "import-done.png", full_page=False)
    page.close()


def test_script_written_into_a_page_does_not_run(chromium, seeded_server):
    """What an attacker might get into the HTML (an inline script) is refused by the policy."""
    page = chromium.new_page()
    page.goto(f"{seeded_server.url}/accounts/login/")
    # The policy's refusal is reported on the console: wait for it, not for a fixed time.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => { const s = document.createElement("script"); s.textContent = "window.ran = true";
                       document.body.appendChild(s); }"""
        )
    assert page.evaluate("window.ran === undefined")
    assert any("script-src 'self'" in text for text in chromium.blocked)
    chromium.blocked.clear()


def test_the_api_docs_render_under_the_content_security_policy(browser, seeded_server):
    """Swagger UI comes from our static files, its start-up script is a file of its own."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, seeded_server.url, "office")
    page.goto(f"{seeded_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    assert page.locator(".opblock-summary-path", has_text="/api/tasks/").count() >= 1
    shoot(page, SHOTS / "api-docs.png")
