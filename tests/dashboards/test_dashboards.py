"""Every number on the dashboards opens to a list of exactly that many tasks."""

import re
from datetime import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import Plan, Task
from tests.conftest import SHANGHAI, TODAY, kept_for_module

from .links import check_every_link, listed_count

pytestmark = pytest.mark.django_db
DASHBOARDS = ["dashboard:overview", "dashboard:departments", "dashboard:plans"]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """800 generated tasks, made once for the module (about 7 s each time). Returns the
    queries each dashboard made for the office before they were added."""

    def build():
        client = Client()
        client.force_login(get_user_model().objects.get(username="office"))
        before = {}
        for url in DASHBOARDS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(url)).status_code == 200
            before[url] = len(queries)
        call_command("generate_demo_data", tasks=800, departments=25, seed=3, stdout=StringIO())
        return before

    with kept_for_module(django_db_blocker, build, TODAY) as before:
        yield before


@pytest.fixture
def data(generated, demo_users):
    """The generated tasks, as made on TODAY, whatever day the test then looks at them."""


def test_every_overview_number_links_to_that_many_tasks(login, data):
    client = login("office")
    checked = check_every_link(client, reverse("dashboard:overview"))
    assert checked >= 8 + 8 + 5 + 12 + 6  # tiles, statuses, lights, weeks, months


@pytest.mark.parametrize("cut", ["plan", "department", "year", "category"])
def test_links_hold_under_each_dashboard_filter(login, data, cut):
    client = login("leader")
    value = {
        "plan": lambda: Plan.objects.filter(slug__startswith="demo3-").first().pk,
        "department": lambda: (
            Task.objects.filter(plan__slug__startswith="demo3-", kind="task").first().assignments.first().department_id
        ),
        "year": lambda: Task.objects.filter(plan__slug__startswith="demo3-", kind="task").first().deadline.year,
        "category": lambda: "亮点项目",
    }[cut]()
    assert check_every_link(client, reverse("dashboard:overview"), {cut: value}) >= 30


def test_every_ranking_number_links_to_that_many_tasks(login, data):
    client = login("supervisor")
    assert check_every_link(client, reverse("dashboard:departments")) >= 25 * 5


def test_ranking_sorts_by_any_column(login, data):
    client = login("office")
    for column in ("led", "overdue", "on_time", "reports_late", "cooperating"):
        page = client.get(reverse("dashboard:departments"), {"sort": column, "dir": "desc"}).content.decode()
        column_index = ["led", "cooperating", "on_time", "overdue", "reports_late"].index(column)
        rows = re.findall(r"<tr><td>\d+</td><td>[^<]+</td>((?:\s*<td><a [^>]*>\d+</a></td>){5})", page)
        values = [int(re.findall(r">(\d+)</a>", row)[column_index]) for row in rows]
        assert values == sorted(values, reverse=True) and len(values) > 20


def test_the_ranking_pages_through_the_departments_in_one_order(login, data, monkeypatch):
    """A province has thousands of departments: the ranking is sorted over all of them and
    drawn a page at a time, numbered on from page to page, each department on one page."""
    from dashboard.views import dashboards

    monkeypatch.setattr(dashboards, "DEPARTMENTS_PER_PAGE", 10)
    client = login("office")
    first = client.get(reverse("dashboard:departments"), {"sort": "led", "dir": "desc"}).content.decode()
    total = int(re.search(r"共 (\d+) 个部门", first).group(1))
    pages = -(-total // 10)
    assert total >= 25 and f"第 1 / {pages} 页" in first
    assert "sort=led&amp;dir=desc&amp;page=2" in first, "the next page keeps the order"
    ranks, names, led = [], [], []
    row = re.compile(r"<tr><td>(\d+)</td><td>([^<]+)</td>\s*<td><a [^>]*>(\d+)</a>")
    for number in range(1, pages + 1):
        url = reverse("dashboard:departments") + f"?sort=led&dir=desc&page={number}"
        page = client.get(url).content.decode()
        found = row.findall(page)
        assert len(found) == (10 if number < pages else total - 10 * (pages - 1))
        ranks += [int(r) for r, _, _ in found]
        names += [n for _, n, _ in found]
        led += [int(n) for _, _, n in found]
        if number == 2:
            assert check_every_link(client, url) > 0, "a later page's numbers open to their tasks"
    assert ranks == list(range(1, total + 1))
    assert len(set(names)) == total
    assert led == sorted(led, reverse=True)


def test_plan_rollup_shows_a_formula_people_can_redo(login, data):
    client = login("office")
    page = client.get(reverse("dashboard:plans")).content.decode()
    assert check_every_link(client, reverse("dashboard:plans")) >= 10
    plan = Plan.objects.get(slug="zhongzhan-2014")
    tasks = Task.objects.filter(plan=plan, kind="task")
    weighted = sum((t.weight or 1) * t.progress for t in tasks)
    weights = sum((t.weight or 1) for t in tasks)
    expected = f"Σ(分值×进度) ÷ Σ分值 = {weighted:g} ÷ {weights:g} = {weighted / weights:.1f}%"
    assert expected in page


def test_the_plans_dashboard_pages_through_the_plans_newest_first(login, data, monkeypatch):
    """A province keeps thousands of plans: they come a page at a time, newest year first,
    every plan with tasks on exactly one page, and each page's numbers still open to their tasks."""
    from dashboard.views import dashboards

    monkeypatch.setattr(dashboards, "PLANS_PER_PAGE", 4)
    client = login("office")
    with_tasks = Plan.objects.filter(tasks__kind="task").distinct()
    pages = -(-with_tasks.count() // 4)
    assert pages >= 2
    heading = re.compile(r'<h2><a href="/tasks/\?plan=(\d+)"')
    shown = []
    for number in range(1, pages + 1):
        url = reverse("dashboard:plans") + f"?page={number}"
        page = client.get(url).content.decode()
        assert f"第 {number} / {pages} 页，共 {with_tasks.count()} 个方案" in page
        shown += [int(pk) for pk in heading.findall(page)]
        assert check_every_link(client, url) > 0
    assert sorted(shown) == sorted(with_tasks.values_list("pk", flat=True))
    years = [Plan.objects.get(pk=pk).year or 0 for pk in shown]
    assert years == sorted(years, reverse=True)


def test_dashboards_are_for_office_supervisors_and_leadership(login):
    for url in ("dashboard:overview", "dashboard:departments", "dashboard:plans"):
        assert login("staff").get(reverse(url)).status_code == 403


@pytest.mark.parametrize("url", DASHBOARDS)
def test_query_counts_do_not_grow_with_the_data(login, generated, url, django_assert_max_num_queries):
    """As many queries with the 800 generated tasks as the module measured on the seed world alone."""
    assert generated[url] <= 16
    client = login("office")
    with django_assert_max_num_queries(generated[url]):
        assert client.get(reverse(url)).status_code == 200


@pytest.mark.time_machine(datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI))
def test_late_reports_after_the_due_day_are_counted_and_listed(login, data):
    """On the 28th, with reports due by the 25th, tasks without their lead's report turn yellow."""
    client = login("office")
    page = client.get(reverse("dashboard:overview")).content.decode()
    late = int(re.search(r'data-tile="report_late"><span>[^<]*</span><strong>(\d+)<', page).group(1))
    assert late > 0
    assert check_every_link(client, reverse("dashboard:overview")) >= 30
    assert listed_count(client, "/tasks/?report_late=true&light=yellow") <= late


def test_a_plans_public_page_is_off_until_the_office_switches_it_on(login, demo_users):
    from django.test import Client

    from tasks.services import completion_decide, completion_request, report_save, report_submit, task_acknowledge

    plan = Plan.objects.get(slug="zhongzhan-2014")
    url = reverse("dashboard:public_plan", args=[plan.slug])
    public = Client()  # nobody signed in
    assert public.get(url).status_code == 404
    assert login("staff").post(reverse("dashboard:plan_publish", args=[plan.pk]), {"public": "on"}).status_code == 403
    # A task is closed with a report carrying an internal remark.
    from django.contrib.auth import get_user_model

    staff, office = (get_user_model().objects.get(username=n) for n in ("staff", "office"))
    task = task_acknowledge(task=Task.objects.get(plan=plan, parent__number="一、", number="(二)"), by=staff)
    report_submit(
        report=report_save(task=task, by=staff, period=task.deadline, text="内部：人员紧张", percent=90), by=staff
    )
    completion_decide(request=completion_request(task=task, by=staff, summary="三定已修订"), by=office, approve=True)
    login("office").post(reverse("dashboard:plan_publish", args=[plan.pk]), {"public": "on"})
    page = public.get(url).content.decode()
    assert "总体进度" in page and task.title in page and "区机构编制委员会办公室" in page
    assert "人员紧张" not in page and "三定已修订" not in page
    login("office").post(reverse("dashboard:plan_publish", args=[plan.pk]))
    assert public.get(url).status_code == 404


def test_the_public_page_shows_only_progress_the_office_accepted(login, demo_users):
    # Issue 17 item 9: a returned 5 % stayed on the public page.
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tasks.services import report_review, report_save, report_submit, task_acknowledge

    plan = Plan.objects.get(slug="zhongzhan-2014")
    Plan.objects.filter(pk=plan.pk).update(is_public=True)
    Task.objects.filter(plan=plan).update(progress=0)
    head, office = (get_user_model().objects.get(username=n) for n in ("head", "office"))
    task = task_acknowledge(task=Task.objects.get(plan=plan, parent__number="一、", number="(二)"), by=head)
    url = reverse("dashboard:public_plan", args=[plan.slug])

    def shown() -> str:
        return re.search(r"总体进度 ([\d.]+)%", Client().get(url).content.decode()).group(1)

    before = shown()
    month = task.deadline.replace(day=1) if task.deadline else None
    returned = report_save(task=task, by=head, period=month, text="进展", percent=60)
    report_submit(report=returned, by=head)
    assert shown() == before  # submitted, not yet accepted
    report_review(report=returned, by=office, accept=False, comment="数据有误")
    assert shown() == before  # returned
    corrected = report_save(task=task, by=head, report=returned, period=month, text="进展", percent=60)
    report_submit(report=corrected, by=head)
    report_review(report=returned, by=office, accept=True)
    assert shown() != before  # accepted
