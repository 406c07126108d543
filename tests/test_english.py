"""The language switch promises English: the pages below render with no Chinese outside what
people typed or imported (task titles, department and person names, deadline phrases)."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from assessment import selectors as assessment_selectors
from assessment.models import Scheme
from departments.models import DepartmentAlias, Membership
from matters.models import Countersign, Instruction, Meeting, Proposal, ProposalAnswer
from matters.services.demo_data import generate_demo_matters
from supervision.models import Bulletin, BulletinDepartment, Finding, Inspection, Notice, RectificationDemand
from supervision.services import (
    bulletin_draft,
    bulletin_issue,
    demand_raise,
    demand_report,
    findings_confirm_all,
    inspection_create,
    notices_send,
)
from tasks.models import CalendarDay, ChangeRecord, Indicator, Milestone, Plan, Task
from tests.conftest import TODAY, kept_for_module

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
    texts += [value for row in Indicator.objects.values_list("name", "unit") for value in row]
    texts += [value for row in Plan.objects.values_list("title", "document_number", "issuing_body") for value in row]
    texts += list(DepartmentAlias.objects.values_list("name", flat=True))
    texts += list(Membership.objects.values_list("full_name", flat=True))
    texts += list(Membership.objects.values_list("title", flat=True))
    texts += list(CalendarDay.objects.values_list("name", flat=True))  # the office's names of holidays
    # What supervisors and the office wrote, and the matters registered from leaders' words.
    for model, fields in (
        (Inspection, ("title", "notes")),
        (Finding, ("comment", "last_report_text")),
        (RectificationDemand, ("requirement", "report_text", "office_comment")),
        (Bulletin, ("title", "recipients", "basic", "achievements", "problems", "requirements", "correction_reason")),
        (Instruction, ("leader_name", "leader_post", "content", "requirements")),
        (Meeting, ("name", "session")),
        (Proposal, ("number", "proposer")),
        (Task, ("code",)),
        (Scheme, ("title",)),
        (ProposalAnswer, ("text", "satisfaction_note")),
        (Countersign, ("opinion",)),
    ):
        texts += [value for row in model.objects.values_list(*fields) for value in row]
    # A change record keeps the values as they were shown when the change was made.
    texts += [
        str(value)
        for changes in ChangeRecord.objects.values_list("changes", flat=True)
        for pair in changes.values()
        for value in pair
    ]
    texts += [f"{name}{session}" for name, session in Meeting.objects.values_list("name", "session")]
    # A bulletin's number (督查通报〔2026〕1号) is the official document's name, and the reasons
    # for its verdicts are stored as the sentences the document prints.
    texts += [bulletin.number for bulletin in Bulletin.objects.all()]
    # So is a 督办单's number (督办〔2026〕3号), and its 办理要求 and contact are what the office typed.
    for notice in Notice.objects.all():
        texts += [notice.number, notice.requirements, notice.contact]
    texts += list(BulletinDepartment.objects.values_list("reason", flat=True))
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
        ("staff", "/tasks/import/"),  # refused, saying why
        ("staff", "/tasks/give-out/"),
        ("staff", "/assessment/new/"),
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


@pytest.fixture(scope="module")
def detail_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """An inspection of the 2014 seed plan with its findings, a demand reported on, notices, a
    draft and an issued bulletin; an assessment period; matters of every source. Made once
    for the module (about 4 s); each test's changes to it roll back."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), kept_for_module(django_db_blocker, build_detail_world, TODAY) as world:
        yield world


def build_detail_world() -> dict:
    supervisor = get_user_model().objects.get(username="supervisor")
    plan = Plan.objects.get(slug="zhongzhan-2014")
    # The seed tasks are given out but not yet started; an inspection looks at work under way.
    plan.tasks.exclude(status="draft").update(status="in_progress", progress=40)
    today = timezone.localdate()
    inspection = inspection_create(
        title="2026年改革任务专项督查",
        kind="special",
        period_start=today - timedelta(days=14),
        period_end=today,
        scope=f"plan={plan.pk}",
        by=supervisor,
    )
    staff2 = get_user_model().objects.get(username="staff2")
    finding = inspection.findings.filter(task__assignments__department=staff2.membership.department).first()
    demand = demand_raise(
        finding=finding,
        department=staff2.membership.department,
        requirement="限期建成平台",
        due_date=today + timedelta(days=10),
        by=supervisor,
    )
    demand = demand_report(demand=demand, text="平台已上线", by=staff2)
    notices_send(inspection=inspection, by=supervisor)
    findings_confirm_all(inspection=inspection, by=supervisor)
    draft = bulletin_draft(inspection=inspection, by=supervisor)
    issued = bulletin_draft(inspection=inspection, by=supervisor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        bulletin_issue(bulletin=issued, by=supervisor)
    scheme = Scheme.objects.create(year=plan.year, title=f"{plan.year}年度改革任务考核")
    generate_demo_matters(count=6, seed=1)
    return {
        "inspection": inspection,
        "finding": finding,
        "demand": demand,
        "notice": inspection.notices.first(),
        "draft": draft,
        "issued": issued,
        "scheme": scheme,
        "department": staff2.membership.department,
        "task": finding.task,
    }


DETAIL_PAGES = [
    ("supervisor", lambda w: reverse("supervision:inspection", args=[w["inspection"].pk])),
    ("supervisor", lambda w: reverse("supervision:finding", args=[w["finding"].pk])),
    ("supervisor", lambda w: reverse("supervision:demand", args=[w["demand"].pk])),
    ("office", lambda w: reverse("supervision:demand", args=[w["demand"].pk])),
    ("staff2", lambda w: reverse("supervision:demand", args=[w["demand"].pk])),  # the department reporting
    ("supervisor", lambda w: reverse("supervision:bulletin", args=[w["draft"].pk])),
    ("supervisor", lambda w: reverse("supervision:bulletin", args=[w["issued"].pk])),
    ("leader", lambda w: reverse("supervision:bulletin", args=[w["issued"].pk])),
    ("staff2", lambda w: reverse("supervision:bulletin", args=[w["issued"].pk])),  # a department acknowledging it
    ("office", lambda w: w["notice"].get_absolute_url()),
    ("staff2", lambda w: w["inspection"].notices.get(department=w["department"]).get_absolute_url()),  # its 回执 form
    ("supervisor", lambda w: reverse("supervision:notices_new", args=[w["inspection"].pk])),
    ("office", lambda w: reverse("assessment:ranking", args=[w["scheme"].pk])),
    ("office", lambda w: reverse("assessment:scheme_edit", args=[w["scheme"].pk])),
    ("office", lambda w: Instruction.objects.first().get_absolute_url()),
    ("office", lambda w: Meeting.objects.first().get_absolute_url()),
    ("office", lambda w: Proposal.objects.first().get_absolute_url()),
    ("office", lambda w: Proposal.objects.exclude(answers=None).first().get_absolute_url()),
    ("staff2", lambda w: reverse("tasks:report_new", args=[w["task"].pk])),
    ("office", lambda w: reverse("tasks:list") + f"?plan={w['task'].plan_id}"),
]


@pytest.mark.parametrize(("username", "url"), DETAIL_PAGES)
def test_detail_pages_render_in_english(english, detail_world, username, url):
    english.force_login(get_user_model().objects.get(username=username))
    response = english.get(url(detail_world))
    assert response.status_code == 200
    assert chinese_outside_user_data(response.content.decode(), user_data()) == []


def test_a_statement_is_english_but_for_its_explanations(english, detail_world):
    """Each line's explanation is a sentence the scoring rules write in Chinese, and closing
    the period freezes it so; the rest of the statement is the catalogue's."""
    scheme, department = detail_world["scheme"], detail_world["department"]
    english.force_login(get_user_model().objects.get(username="office"))
    response = english.get(reverse("assessment:statement", args=[scheme.pk, department.pk]))
    explanations = [line.explanation for line in assessment_selectors.statement(scheme, department.pk).lines]
    assert response.status_code == 200 and explanations
    assert chinese_outside_user_data(response.content.decode(), [*user_data(), *explanations]) == []


def test_the_public_page_of_a_plan_is_english_for_anyone(english):
    plan = Plan.objects.get(slug="zhongzhan-2014")
    Plan.objects.filter(pk=plan.pk).update(is_public=True)
    response = english.get(reverse("dashboard:public_plan", args=[plan.slug]))
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()
    assert chinese_outside_user_data(response.content.decode(), user_data()) == []


def test_the_import_preview_is_english_but_for_the_document(english, demo_users):
    """The preview shows what was read from the plan: its wording stays as written."""
    text = (settings.BASE_DIR / "fixtures" / "seeds" / "000_zhongzhan_2014.txt").read_text()
    english.force_login(get_user_model().objects.get(username="office"))
    response = english.post(reverse("tasks:import"), {"text": text, "year": 2014})
    assert response.status_code == 200 and 'name="payload"' in response.content.decode()
    # The parser's warnings are Chinese sentences carried in the preview's payload.
    html = re.sub(r'<li class="warn">.*?</li>|<ul class="warnings">.*?</ul>', "", response.content.decode(), flags=re.S)
    assert chinese_outside_user_data(html, [*user_data(), text]) == []


def test_what_an_action_says_afterwards_is_english(english, detail_world):
    english.force_login(get_user_model().objects.get(username="supervisor"))
    url = reverse("supervision:confirm_all", args=[detail_world["inspection"].pk])
    html = english.post(url, follow=True).content.decode()
    assert "confirmed as suggested." in html
    assert chinese_outside_user_data(html, user_data()) == []


@pytest.mark.parametrize(
    ("template", "context"), [("400.html", {}), ("500.html", {}), ("503.html", {"busy": True}), ("503.html", {})]
)
def test_the_pages_of_a_failure_are_english(template, context):
    """Rendered without a request (the database may be the thing that failed)."""
    with translation.override("en"):
        html = render_to_string(template, context)
    assert '<html lang="en">' in html and chinese_outside_user_data(html, []) == []
    with translation.override("zh-hans"):
        assert '<html lang="zh-Hans">' in render_to_string(template, context)


def test_the_report_form_names_its_months_milestones_and_indicators_in_english(english, detail_world):
    """A lone 年 or 月 would hide inside any task's text, so the English is looked for too."""
    task = detail_world["task"]
    task.milestones.create(order=1, text="形成实施方案")
    task.indicators.create(name="平台接入率", target=90, unit="%", comparison="gte")
    english.force_login(get_user_model().objects.get(username="staff2"))
    html = english.get(reverse("tasks:report_new", args=[task.pk])).content.decode()
    assert ">November 2026<" in html and "形成实施方案 (no deadline)" in html and "平台接入率 (target" in html
    assert chinese_outside_user_data(html, user_data()) == []
