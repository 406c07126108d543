"""The language switch promises English: the pages below render with no Chinese outside what
people typed or imported (task titles, department and person names, deadline phrases)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from departments.models import DepartmentAlias, Membership
from tasks.models import CalendarDay, Milestone, Plan, Task

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


class VisibleText(HTMLParser):
    """Text a reader sees or hears: element text, titles, aria labels, placeholders."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt", "data-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def user_data() -> list[str]:
    """Everything people typed or imported, which stays in the language it was written in."""
    texts = list(Task.objects.values_list("title", flat=True))
    texts += list(Task.objects.values_list("deadline_phrase", flat=True))
    texts += list(Task.objects.values_list("number", flat=True))
    texts += [f"{number}{title}" for number, title in Task.objects.values_list("number", "title")]
    # The imported wording of a task: its text, chapter, responsibility and deliverable.
    for field in ("text", "category", "responsibility", "deliverable"):
        texts += list(Task.objects.values_list(field, flat=True))
    texts += list(Milestone.objects.values_list("text", flat=True))
    texts += list(Milestone.objects.values_list("deadline_phrase", flat=True))
    texts += list(Plan.objects.values_list("title", flat=True))
    texts += list(DepartmentAlias.objects.values_list("name", flat=True))
    texts += list(Membership.objects.values_list("full_name", flat=True))
    texts += list(Membership.objects.values_list("title", flat=True))
    texts += list(CalendarDay.objects.values_list("name", flat=True))  # the office's names of holidays
    return [text for text in texts if text]


def chinese_outside_user_data(html: str, data: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for run in CJK.findall(part):
            if run == "中文":  # the language switch names Chinese in Chinese, on purpose
                continue
            if not any(run in text for text in data):
                found.append(run)
    return sorted(set(found))


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("staff", "/tasks/"),
        ("office", "/tasks/?light=red"),
        ("staff", "/no-such-page/"),
        ("staff", "/supervision/inspections/"),  # refused: the 403 page
        (None, "/accounts/login/"),
    ],
)
def test_pages_render_in_english(english, demo_users, username, url):
    if username:
        english.force_login(get_user_model().objects.get(username=username))
    response = english.get(url)
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert chinese_outside_user_data(html, user_data()) == []


FINISHED_PAGES = [
    ("staff", "/tasks/inbox/"),
    ("office", "/tasks/inbox/"),
    ("staff", "/tasks/inbox/settings/"),
    ("office", "/tasks/review/"),
    ("head", "/tasks/review/"),
    ("staff", "/tasks/progress/"),
    ("office", "/tasks/give-out/"),
    ("office", "/tasks/import/"),
    ("staff", "/accounts/password/"),
    ("staff", "/accounts/password/done/"),
    ("office", "/dashboard/"),
    ("supervisor", "/dashboard/departments/"),
    ("office", "/dashboard/departments/?sort=name"),
    ("office", "/dashboard/plans/"),
    ("office", "/supervision/"),
    ("staff", "/supervision/"),
    ("supervisor", "/supervision/inspections/"),
    ("supervisor", "/supervision/inspections/new/"),
    ("office", "/supervision/demands/"),
    ("head", "/supervision/notices/"),
    ("staff", "/supervision/bulletins/"),
    ("office", "/assessment/"),
    ("staff", "/assessment/"),
    ("office", "/assessment/new/"),
    ("office", "/people/"),
    ("office", "/people/new/"),
    ("office", "people:edit"),
    ("office", "/people/departments/"),
    ("office", "people:department_merge"),
    ("office", "/matters/"),
    ("staff", "/matters/"),
    ("office", "/matters/instructions/new/"),
    ("office", "/matters/meetings/new/"),
    ("office", "/matters/proposals/new/"),
    ("office", "/matters/calendar/"),
    ("office", "/matters/rules/"),
]


@pytest.mark.parametrize(("username", "url"), FINISHED_PAGES)
def test_finished_pages_render_in_english(english, demo_users, username, url):
    english.force_login(get_user_model().objects.get(username=username))
    if url == "people:edit":
        url = reverse(url, args=[get_user_model().objects.get(username="staff").pk])
    elif url == "people:department_merge":
        url = reverse(url, args=[Membership.objects.get(user__username="staff").department_id])
    response = english.get(url)
    assert response.status_code == 200
    assert chinese_outside_user_data(response.content.decode(), user_data()) == []


def test_the_language_switch_names_each_language_in_itself(english, demo_users):
    html = english.get(reverse("login")).content.decode()
    assert ">English</option>" in html and ">中文</option>" in html


def test_a_status_with_its_progress_is_one_language(english, login):
    login("staff")
    task = Task.objects.filter(assignments__department__members__user__username="staff").first()
    html = english.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    status = re.search(r'<dd id="task-status">(.*?)</dd>', html).group(1)
    assert "（进度" not in status and re.search(r"\(progress \d+%\)", status)


@pytest.mark.parametrize("username", ["staff", "office", "supervisor"])
def test_task_detail_is_english_but_for_its_change_history(english, demo_users, username):
    """The change history's summaries are stored as Chinese sentences when the change is made
    (新增进度节点：…); everything else on the page is the catalogue's."""
    english.force_login(get_user_model().objects.get(username=username))
    task = Task.objects.visible_to(get_user_model().objects.get(username=username)).first()
    html = english.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    html = re.sub(r'<ol class="history">.*?</ol>', "", html, flags=re.S)
    assert chinese_outside_user_data(html, user_data()) == []
