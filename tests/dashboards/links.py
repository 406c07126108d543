"""Every number on a dashboard is a link to the task list it counts."""

import re

LINK = re.compile(r'<a (?:class="[^"]*" )?href="(/tasks/\?[^"]*)"[^>]*>(?:<span>[^<]*</span><strong>)?(\d+)<')


def listed_count(client, href: str) -> int:
    page = client.get(href.replace("&amp;", "&")).content.decode()
    return int(re.search(r'<strong id="task-count">(\d+)</strong>', page).group(1))


def check_every_link(client, url: str, params: dict | None = None) -> int:
    page = client.get(url, params or {}).content.decode()
    links = LINK.findall(page)
    for href, number in links:
        assert listed_count(client, href) == int(number), href
    return len(links)
