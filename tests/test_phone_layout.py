"""Every main page of every role, in the real Chromium at a phone's 390 px and a laptop's
1366 px: nothing scrolls sideways, the header leaves the screen to the page. Under
`make screenshots` each page's picture stays in var/screenshots/layout/ for people to look at."""

import re

import pytest

from .test_browser import SHOTS, browser, chromium, seeded_server, shoot, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["office", "supervisor", "leader", "head", "staff", "staff2"]
# Files, the API, the admin and signing out are not pages to lay out.
SKIP = re.compile(r"^/(admin|api|i18n|static|media)/|logout|xlsx|pdf|export|/document/|/evidence/|/file/")
MAX_PAGES = 28


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _walk(page, base_url: str, start: str):
    """The header's and the tabs' links, and one page of each kind linked from the content
    (one task, one bulletin, one inspection…), breadth first from `start`."""
    queue, seen, patterns = [start], set(), set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(base_url + path)  # returns once the page's "load" event has fired
        yield path
        hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
        for href in hrefs:
            href = href.split("#")[0]
            plain = href.split("?")[0]
            if SKIP.search(href) or plain in seen:
                continue
            if _pattern(plain) in patterns:
                continue
            patterns.add(_pattern(plain))
            queue.append(plain)


# The fewest pages each role's walk must reach (on the seeds: 28, 17, 13 and 15 for the
# others; together at least the 60 the walk of all six once had to reach).
LEAST_PAGES = {"office": 20, "supervisor": 12, "leader": 10, "head": 10, "staff": 10, "staff2": 10}


# A role and a width a test, so that the walks go to the test processes one by one.
@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_scrolls_sideways(browser, seeded_server, width, username):  # noqa: F811
    height = 844 if width == 390 else 900
    folder = SHOTS / "layout"
    too_wide, tall_headers, visited = [], [], 0
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, seeded_server.url, username)
    for path in _walk(page, seeded_server.url, "/"):
        visited += 1
        figures = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
            " header: document.querySelector('.topbar').getBoundingClientRect().height})"
        )
        name = f"{width}-{username}-{re.sub(r'[^a-z0-9]+', '-', path).strip('-') or 'home'}.png"
        shoot(page, folder / name, full_page=True)
        if figures["scroll"] > figures["inner"]:
            too_wide.append((username, path, figures["scroll"]))
        if width == 390 and figures["header"] >= height / 5:
            tall_headers.append((username, path, figures["header"]))
    context.close()
    assert visited >= LEAST_PAGES[username]
    assert too_wide == [], f"wider than the screen (role, page, px): {too_wide}"
    assert tall_headers == [], f"header of a fifth of the screen or more: {tall_headers}"
