"""The pages each role sees, their permission rule and their query counts."""

import re

import pytest
from django.db.models import Q
from django.urls import reverse

from tasks.models import Task

pytestmark = pytest.mark.django_db


def listed_ids(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/tasks/(\d+)/"', response.content.decode())}


def test_anonymous_users_are_sent_to_login(client):
    for url in (reverse("tasks:list"), reverse("dashboard:overview"), reverse("tasks:detail", args=[1]), "/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_login_page_speaks_chinese_and_refuses_a_wrong_password(client, demo_users):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("office", "dashboard:overview"),
        ("supervisor", "dashboard:overview"),
        ("leader", "dashboard:overview"),
        ("staff", "tasks:list"),
        ("staff2", "tasks:list"),
        ("head", "tasks:list"),
    ],
)
def test_each_role_lands_on_its_page(client, demo_users, username, landing):
    response = client.post(reverse("login"), {"username": username, "password": "demo-pass-2026"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(landing)
    assert response.status_code == 200


def test_staff_see_exactly_their_departments_tasks(login, dept):
    client = login("staff")
    response = client.get(reverse("tasks:list"))
    expected = set(
        Task.objects.filter(kind="task", assignments__department=dept("区编委办")).values_list("pk", flat=True)
    )
    assert len(expected) == 10  # seed 000: 3 in 2015, 2 in 2016, 5 in 2017 (one as co-operator)
    assert listed_ids(response) == expected
    assert f'<strong id="task-count">{len(expected)}</strong>' in response.content.decode()


def test_role_filter_splits_lead_from_cooperating(login, dept):
    client = login("staff2")
    lead = listed_ids(client.get(reverse("tasks:list"), {"role": "lead"}))
    coop = listed_ids(client.get(reverse("tasks:list"), {"role": "cooperating"}))
    fagaiwei = dept("区发改委")
    assert lead == set(
        Task.objects.filter(assignments__department=fagaiwei, assignments__role="lead").values_list("pk", flat=True)
    )
    assert coop and not lead & coop


def test_another_departments_task_is_not_found(login, dept):
    client = login("staff2")
    other = (
        Task.objects.filter(kind="task", assignments__department=dept("区编委办"))
        .exclude(assignments__department=dept("区发改委"))
        .first()
    )
    assert client.get(reverse("tasks:detail", args=[other.pk])).status_code == 404


def test_office_sees_every_task_and_the_filters_work(login):
    client = login("office")
    response = client.get(
        reverse("tasks:list"), {"plan": Task.objects.get(plan__slug="wenzhou-2016", number="1").plan_id}
    )
    assert len(listed_ids(response)) == 8
    response = client.get(reverse("tasks:list"), {"q": "三定"})
    matching = Task.objects.filter(kind="task").filter(Q(title__contains="三定") | Q(text__contains="三定"))
    assert listed_ids(response) == set(matching.values_list("pk", flat=True))
    assert len(listed_ids(response)) >= 3


def test_task_page_shows_the_document_text_departments_and_history(login):
    client = login("staff")
    task = Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(三)")
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "区政府办公室、区监察局、区编委办等有关部门分别负责" in page
    assert "分别负责" in page and "有关部门" in page
    assert "2016年12月底前" in page
    assert "方案印发即交办" in page


def test_dashboard_is_for_office_supervisors_and_leadership(login):
    assert login("staff").get(reverse("dashboard:overview")).status_code == 403


def test_task_list_query_count_does_not_grow_with_rows(login, django_assert_max_num_queries):
    client = login("office")
    with django_assert_max_num_queries(13):
        response = client.get(reverse("tasks:list"))
    assert len(listed_ids(response)) == 50


def test_task_page_query_count(login, django_assert_max_num_queries):
    client = login("office")
    task = Task.objects.get(plan__slug="wenzhou-2016", number="3")
    with django_assert_max_num_queries(24):
        assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 200
