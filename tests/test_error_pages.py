"""Refusals are the portal's own pages (DEBUG off, as in production), and pages do not link a
role to what it may not open; people are named by 姓名 wherever the portal prints them."""

import re

import pytest
from django.urls import reverse

from assessment.models import Scheme

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_portals_own_404(login):
    response = login("staff").get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="topbar"' in body and "未找到" in body and "URLconf" not in body


def test_a_refused_tab_is_the_portals_own_403(login):
    response = login("staff").get(reverse("supervision:inspections"))
    body = response.content.decode()
    assert response.status_code == 403
    assert 'class="topbar"' in body and "督查工作仅向督查员和政府办开放" in body and "portal.css" in body


def test_the_api_keeps_answering_json(login):
    response = login("staff").get("/api/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}


def _links(body: str) -> set[str]:
    return set(re.findall(r'href="(/[^"?#]*)', body))


@pytest.mark.parametrize("username", ["staff", "head", "staff2", "leader", "supervisor", "office"])
def test_no_page_links_a_role_to_a_page_it_may_not_open(login, username):
    # given every link on the pages a role starts from (its header, lists, assessment)
    client = login(username)
    start = [
        reverse("tasks:list"),
        reverse("assessment:schemes"),
        reverse("supervision:index"),
        reverse("notifications:inbox"),
    ]
    start += [reverse("assessment:ranking", args=[s.pk]) for s in Scheme.objects.all()[:2]]
    links: set[str] = set()
    for url in start:
        response = client.get(url)
        if response.status_code == 200:
            links |= _links(response.content.decode())
    # then each opens (the documents and exports may be files; none is a refusal)
    followed = [link for link in sorted(links) if not link.startswith(("/static/", "/accounts/logout", "/i18n/"))]
    refused = [link for link in followed if client.get(link).status_code in (403, 404)]
    assert refused == []


def test_history_and_header_name_people_not_logins(login, dept):
    from django.contrib.auth import get_user_model

    from tasks.choices import EventKind
    from tasks.models import Task, TaskEvent

    # given the office wrote a line in the history of one of 区编委办's tasks
    task = Task.objects.filter(assignments__department=dept("区编委办")).first()
    TaskEvent.objects.create(
        task=task, actor=get_user_model().objects.get(username="office"), kind=EventKind.UPDATED, summary="请加快进度"
    )
    # then the staff member's page names the office's 周文静 and the header names her own 王小梅
    body = login("staff").get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "<strong>周文静</strong>" in body and "<strong>office</strong>" not in body
    assert "王小梅" in body
