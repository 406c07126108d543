"""Every number on a dashboard is a link to the task list it counts."""

import re
from urllib.parse import parse_qsl, urlsplit

from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from tasks.views import listed

LINK = re.compile(r'<a (?:class="[^"]*" )?href="(/tasks/\?[^"]*)"[^>]*>(?:<span>[^<]*</span><strong>)?(\d+)<')


def listed_count(client, href: str) -> int:
    """The count the task list page shows, rendered in full."""
    page = client.get(href.replace("&amp;", "&")).content.decode()
    return int(re.search(r'<strong id="task-count">(\d+)</strong>', page).group(1))


def filtered_count(user, href: str) -> int:
    """The count the task list page would show, through the page's own filter (tasks.views.listed)
    without rendering the page: the page shows the paginator's count of exactly this."""
    request = RequestFactory().get(href.replace("&amp;", "&"))
    request.user = user
    return listed(request, timezone.localdate()).qs.count()


def _shape(href: str) -> tuple[str, ...]:
    return tuple(sorted(name for name, _ in parse_qsl(urlsplit(href.replace("&amp;", "&")).query)))


def check_every_link(client, url: str, params: dict | None = None) -> int:
    """Every link's number equals the count of the list it opens. Each link is counted through
    the list's filter; the first link of each shape (the set of filters it combines) is also
    opened as a page, so the rendered count is checked for every kind of link."""
    page = client.get(url, params or {}).content.decode()
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    links = LINK.findall(page)
    opened = set()
    for href, number in links:
        assert filtered_count(user, href) == int(number), href
        if _shape(href) not in opened:
            opened.add(_shape(href))
            assert listed_count(client, href) == int(number), href
    return len(links)
