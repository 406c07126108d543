"""The assessment pages through the real views: who sees what, the query counts, the
exports read back, closing and reopening."""

import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote, unquote

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.models import KeptRanking, Scheme, Snapshot, SnapshotResult
from assessment.scoring.engine import Period
from assessment.scoring.kept import keep
from supervision.choices import Rating
from tasks.choices import ReportStatus, TaskStatus
from tasks.models import Task

from . import builders as b

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "office", "admin", "supervisor", "leader", "staff", "head", "staff2")


@pytest.fixture
def period(dept, demo_users):
    """2026: 区编委办 (staff, head) leads two tasks, 区发改委 (staff2) co-operates on one."""
    plan = b.plan(2026)
    bianwei, fagai = dept("区编委办"), dept("区发改委")
    done = b.task(
        plan, lead=bianwei, cooperating=[fagai], weight="15", status=TaskStatus.COMPLETED, completed_on=date(2026, 6, 1)
    )
    open_task = b.task(plan, lead=bianwei, weight="10", deadline=date(2026, 3, 31))
    b.report(done, bianwei, period=date(2026, 3, 1), submitted=datetime(2026, 3, 28, 9))
    b.finding(b.inspection(), open_task, rating=Rating.OVERDUE)
    scheme = b.scheme(title="2026年度改革任务考核")
    return scheme, bianwei, fagai, open_task


def client_for(client, login, role):
    return client if role == "anonymous" else login(role)


def expect(response, outcome):
    if outcome == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == outcome, response.status_code


RANKING_OPEN = {"anonymous": "login", "office": 200, "admin": 200, "supervisor": 200, "leader": 200}
RANKING_OPEN |= {"staff": 403, "head": 403, "staff2": 403}
STATEMENT_BIANWEI = {"anonymous": "login", "staff2": 404} | {r: 200 for r in ROLES[1:7]}
OFFICE_ONLY = {"anonymous": "login", "office": 200, "admin": 200} | {r: 403 for r in ROLES[3:]}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_ranking_while_the_period_is_open(client, login, period, role):
    scheme = period[0]
    for name in ("ranking", "ranking_xlsx"):
        expect(client_for(client, login, role).get(reverse(f"assessment:{name}", args=[scheme.pk])), RANKING_OPEN[role])


@pytest.mark.parametrize("role", ROLES)
def test_departments_see_the_published_ranking_once_closed(client, login, period, role):
    scheme = period[0]
    from django.contrib.auth import get_user_model

    from assessment.services import period_close

    period_close(scheme=scheme, by=get_user_model().objects.get(username="office"), as_of=date(2026, 12, 31))
    outcome = "login" if role == "anonymous" else 200
    expect(client_for(client, login, role).get(reverse("assessment:ranking", args=[scheme.pk])), outcome)


@pytest.mark.parametrize("role", ROLES)
def test_a_department_sees_its_own_statement_only(client, login, period, role):
    scheme, bianwei, *_ = period
    url = reverse("assessment:statement", args=[scheme.pk, bianwei.pk])
    expect(client_for(client, login, role).get(url), STATEMENT_BIANWEI[role])
    expect(client_for(client, login, role).get(url.rstrip("/") + ".xlsx"), STATEMENT_BIANWEI[role])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_edits_schemes_and_closes_periods(client, login, period, role):
    scheme = period[0]
    signed_in = client_for(client, login, role)
    expect(signed_in.get(reverse("assessment:scheme_new")), OFFICE_ONLY[role])
    expect(signed_in.get(reverse("assessment:scheme_edit", args=[scheme.pk])), OFFICE_ONLY[role])
    response = signed_in.post(reverse("assessment:close", args=[scheme.pk]))
    closed = Snapshot.objects.filter(scheme=scheme).exists()
    if OFFICE_ONLY[role] == 200:
        assert response.status_code == 302 and closed
    else:
        expect(response, OFFICE_ONLY[role])
        assert not closed


def test_the_statement_page_shows_every_line_and_their_sum(client, login, period):
    scheme, bianwei, _, open_task = period
    page = login("office").get(reverse("assessment:statement", args=[scheme.pk, bianwei.pk]))
    html = page.content.decode()
    statement = page.context["statement"]
    # 15 on time, 0 + (−5) for the overdue task, −0.5 late report, −2 finding: −7.5 → 7.5 of 25.
    assert statement.row.total == Decimal("7.50") == statement.lines_sum
    assert statement.row.score == Decimal("30.00")
    assert '<strong id="total">7.50</strong>' in html and "7.50 ÷ 25.00 × 100" in html
    assert "已逾期" in html and "迟报" in html and open_task.title in html
    assert html.count("<tr><td>") == len(statement.lines) == 5


def _grow(period, n):
    scheme, bianwei, fagai, _ = period
    plan = b.plan(2026)
    for _ in range(n):
        task = b.task(plan, lead=bianwei, cooperating=[fagai, b.department()], deadline=date(2026, 5, 1))
        b.milestone(task, deadline=date(2026, 4, 1), done_on=None)


def test_query_counts_do_not_grow_with_the_data(client, login, period, django_assert_num_queries):
    """Ranking scored afresh: session, user, scheme, snapshots, membership, the kept ranking
    looked for, one pass over the assignments (full marks, task marks, late deductions), 5
    other rule sums, departments, classes, unread count, the header's department (16). A
    statement adds the 7 rules' lines, the task labels and the closing decisions (25).

    From the kept ranking: the marks since, the kept sums and the bulletins instead of the 6
    passes (13); with tasks changed since, their kept lines and their lines afresh (15)."""
    scheme, bianwei, *_ = period
    office = login("office")
    ranking = reverse("assessment:ranking", args=[scheme.pk])
    statement = reverse("assessment:statement", args=[scheme.pk, bianwei.pk])
    for grow in (0, 12):
        _grow(period, grow)
        with django_assert_num_queries(16):
            rows = office.get(ranking).context["rows"]
        with django_assert_num_queries(25):
            lines = office.get(statement).context["statement"].lines
        with django_assert_num_queries(7):
            office.get(reverse("assessment:schemes"))
        keep(Period.of(scheme))
        with django_assert_num_queries(13):
            assert office.get(ranking).context["rows"] == rows
        Task.objects.filter(pk=Task.objects.filter(plan__year=2026).first().pk).update(progress=50 + grow)
        with django_assert_num_queries(15):
            rows = office.get(ranking).context["rows"]
        KeptRanking.objects.all().delete()
    assert len(rows) >= 14 and len(lines) >= 5 + 12 * 3


def test_the_ranking_spreadsheet_reads_back_and_neutralises_formulas(client, login, period):
    scheme, bianwei, fagai, _ = period
    b.task(b.plan(2026), lead=b.department("=HYPERLINK(1)"), deadline=date(2027, 1, 1))
    data = login("office").get(reverse("assessment:ranking_xlsx", args=[scheme.pk])).content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_name = {row[1]: row for row in rows}
    assert by_name[bianwei.name][4:7] == (7.5, 25.0, 30.0)
    assert by_name[fagai.name][4:7] == (3.0, 3.0, 100.0)
    assert "'=HYPERLINK(1)" in by_name and "=HYPERLINK(1)" not in by_name


def test_the_statement_spreadsheet_lists_the_lines_and_sums_them(client, login, period):
    scheme, bianwei, *_ = period
    data = login("staff").get(reverse("assessment:statement_xlsx", args=[scheme.pk, bianwei.pk])).content
    sheet = load_workbook(io.BytesIO(data)).active
    lines = [row for row in sheet.iter_rows(min_row=3, values_only=True) if isinstance(row[0], int)]
    assert len(lines) == 5
    assert sum(Decimal(str(row[5])) for row in lines) == Decimal("-7.5") + 15
    total_row = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == "得分合计")
    assert total_row[5] == f"=SUM(F3:F{2 + len(lines)})" and total_row[6] == "7.50"


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    # Lines break where the layout wraps them; the words are what is checked.
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def test_the_ranking_and_statement_pdfs_are_official_documents(client, login, period):
    scheme, bianwei, *_ = period
    office = login("office")
    ranking = office.get(reverse("assessment:ranking_pdf", args=[scheme.pk]))
    assert ranking["Content-Type"] == "application/pdf"
    text = _pdf_text(ranking.content)
    assert "2026年度改革任务考核结果" in text and "考核考核" not in text
    assert bianwei.name in text and "30.00" in text
    assert "— 1 —" in text and "区人民政府督查室" in text
    assert ranking["Content-Disposition"] == (
        "attachment; filename*=utf-8''2026%E5%B9%B4%E5%BA%A6%E8%80%83%E6%A0%B8%E7%BB%93%E6%9E%9C.pdf"
    )  # 2026年度考核结果.pdf
    statement = office.get(reverse("assessment:statement_pdf", args=[scheme.pk, bianwei.pk]))
    text = _pdf_text(statement.content)
    assert "考核得分明细" in text and "7.50" in text and "按期完成" in text
    assert "#" not in text  # the task by its number and title, never "任务#142"
    assert unquote(statement["Content-Disposition"].split("''")[1]) == f"2026年度考核得分明细-{bianwei.name}.pdf"


def test_the_ranking_and_statement_in_word_read_back(client, login, period):
    """分类排名 is a table of its own in Word as in the PDF; every line of a statement is a row."""
    scheme, bianwei, *_ = period
    office = login("office")
    ranking = office.get(reverse("assessment:ranking_docx", args=[scheme.pk]))
    assert unquote(ranking["Content-Disposition"].split("''")[1]) == "2026年度考核结果.docx"
    document = Document(io.BytesIO(ranking.content))
    text = [p.text for p in document.paragraphs]
    assert "2026年度改革任务考核结果" in text and "二、分类排名" in text
    assert [c.text for c in document.tables[1].rows[0].cells] == ["类内排名", "部门", "得分合计", "百分制得分"]
    assert bianwei.name in [r.cells[1].text for r in document.tables[0].rows[1:]]
    statement = office.get(reverse("assessment:statement_docx", args=[scheme.pk, bianwei.pk]))
    document = Document(io.BytesIO(statement.content))
    rows = document.tables[0].rows
    assert rows[-1].cells[1].text == "合计" and rows[-1].cells[3].text == "7.50"
    section = document.sections[0]
    assert round(section.page_width / 36000) == 210 and round(section.top_margin / 36000) == 37


def test_a_closed_period_does_not_move_and_reopening_needs_a_reason(client, login, period):
    scheme, bianwei, _, open_task = period
    office = login("office")
    ranking = reverse("assessment:ranking", args=[scheme.pk])
    statement = reverse("assessment:statement", args=[scheme.pk, bianwei.pk])
    office.post(reverse("assessment:close", args=[scheme.pk]))
    before = office.get(statement).context["statement"]
    # The overdue task is completed after closing, and its finding withdrawn from the year.
    Task.objects.filter(pk=open_task.pk).update(status=TaskStatus.COMPLETED, completed_on=date(2026, 3, 30))
    b.report(
        open_task, bianwei, period=date(2026, 4, 1), submitted=datetime(2026, 4, 28, 9), status=ReportStatus.RETURNED
    )
    after = office.get(statement).context["statement"]
    assert after.row.total == before.row.total == Decimal("7.50")
    assert [(x.rule, x.points) for x in after.lines] == [(x.rule, x.points) for x in before.lines]
    frozen = {row.department_id: row.score for row in office.get(ranking).context["rows"]}
    assert frozen[bianwei.pk] == SnapshotResult.objects.get(department=bianwei).score == Decimal("30.00")
    # Editing a closed scheme is refused; reopening without a reason too.
    response = office.post(reverse("assessment:scheme_edit", args=[scheme.pk]), _form(scheme, default_weight="20"))
    assert "须先重新开启" in response.content.decode()
    office.post(reverse("assessment:reopen", args=[scheme.pk]), {"reason": "  "})
    assert Snapshot.objects.get(scheme=scheme).reopened_at is None
    office.post(reverse("assessment:reopen", args=[scheme.pk]), {"reason": "补录督查发现"})
    snapshot = Snapshot.objects.get(scheme=scheme)
    assert snapshot.reopen_reason == "补录督查发现" and snapshot.reopened_by.username == "office"
    # Live again: the task now counts as completed on time, and the April report sent on the
    # 28th is both late and returned: 15 + 10 − 0.5 − (0.5 + 0.5) − 2 = 21.5.
    live = office.get(statement).context["statement"]
    assert live.row.total == Decimal("21.50") == live.lines_sum
    assert "补录督查发现" in office.get(ranking).content.decode()


def _form(scheme, **changes) -> dict:
    from assessment.services import SCHEME_FIELDS

    data = {name: getattr(scheme, name) for name in SCHEME_FIELDS if name != "plan"}
    data |= {"plan": scheme.plan_id or "", "classes": ""} | changes
    return data


def test_the_office_creates_a_scheme_in_the_browser_with_classes(client, login, dept, period):
    office = login("office")
    data = _form(Scheme(year=2027, title="2027年度考核"), classes="政府线：区发改委、区财政局\n党群线：区编委办")
    response = office.post(reverse("assessment:scheme_new"), data)
    scheme = Scheme.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == scheme.get_absolute_url()
    assert [(c.name, sorted(d.pk for d in c.departments.all())) for c in scheme.classes.all()] == [
        ("政府线", sorted([dept("区发改委").pk, dept("区财政局").pk])),
        ("党群线", [dept("区编委办").pk]),
    ]


def test_classes_rank_departments_among_themselves(client, login, period):
    scheme, bianwei, fagai, _ = period
    from assessment.models import DepartmentClass

    for name, department in (("党群线", bianwei), ("政府线", fagai)):
        DepartmentClass.objects.create(scheme=scheme, name=name).departments.set([department])
    rows = {
        r.department_id: r for r in login("leader").get(reverse("assessment:ranking", args=[scheme.pk])).context["rows"]
    }
    assert (rows[fagai.pk].rank, rows[bianwei.pk].rank) == (1, 2)
    assert (rows[fagai.pk].class_name, rows[fagai.pk].class_rank) == ("政府线", 1)
    assert (rows[bianwei.pk].class_name, rows[bianwei.pk].class_rank) == ("党群线", 1)


def test_a_large_period_closes_in_a_worker_and_a_second_delivery_changes_nothing(
    client, login, period, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from assessment import tasks

    scheme = period[0]
    settings.PORTAL = settings.PORTAL | {"ASSESSMENT_INLINE_MAX_PARTS": 1}
    queued = []
    monkeypatch.setattr(tasks.close_period, "apply_async", lambda args, **options: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        response = login("office").post(reverse("assessment:close", args=[scheme.pk]), follow=True)
    assert "关账已交后台处理" in response.content.decode()
    assert not Snapshot.objects.exists() and len(queued) == 1
    # The worker, as Celery would run it, twice.
    assert tasks.close_period(*queued[0]) == "closed"
    assert tasks.close_period(*queued[0]) == "unchanged"
    assert Snapshot.objects.get().results.count() == 2


def test_the_office_weights_a_source_on_the_scheme_form(client, login, period):
    scheme = period[0]
    office = login("office")
    page = office.get(reverse("assessment:scheme_edit", args=[scheme.pk])).content.decode()
    assert "领导批示件权重" in page and 'name="weight_instruction"' in page
    response = office.post(
        reverse("assessment:scheme_edit", args=[scheme.pk]),
        _form(scheme, weight_instruction="1.50", weight_meeting="1", weight_plan=""),
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.source_weights == {"instruction": "1.5"}  # 1 and blank: not weighted
    assert scheme.source_weight("instruction") == Decimal("1.5") and scheme.source_weight("plan") == 1
    bad = office.post(reverse("assessment:scheme_edit", args=[scheme.pk]), _form(scheme, weight_meeting="-1"))
    assert bad.status_code == 200 and "权重不能为负数。" in bad.content.decode()
    scheme.refresh_from_db()
    assert scheme.source_weights == {"instruction": "1.5"}


def test_a_province_ranking_comes_in_pages_and_by_class(client, login, period, monkeypatch):
    """Past one page of departments the ranking is paged, numbered on from page to page, and
    a class is chosen to see its own ranking; below it, each class's table follows."""
    from assessment.views import pages

    scheme, bianwei, fagai, _ = period
    _grow(period, 3)
    office = login("office")
    url = reverse("assessment:ranking", args=[scheme.pk])
    every = office.get(url).context["rows"]
    assert len(every) >= 5
    one_page = office.get(url)
    assert one_page.context["classes"] and not one_page.context["class_names"]

    monkeypatch.setattr(pages, "RANKING_PER_PAGE", 2)
    seen, number = [], 1
    while True:
        response = office.get(url, {"page": number})
        body = response.content.decode()
        assert response.context["classes"] == [], "no class tables beside a paged ranking"
        seen += [row.department_id for row in response.context["page"].object_list]
        assert f"共 {len(every)} 个部门" in body
        if not response.context["page"].has_next():
            break
        assert f"page={number + 1}" in body
        number += 1
    assert seen == [row.department_id for row in every], "every department once, in rank order"

    name = every[0].class_name
    chosen = office.get(url, {"class": name})
    members = [row for row in every if row.class_name == name]
    assert chosen.context["chosen"] == name
    assert list(chosen.context["page"].object_list) == members[:2]
    assert f"{name}排名" in chosen.content.decode()
    assert f"?class={quote(name)}" in office.get(url).content.decode()
    unknown = office.get(url, {"class": "没有这个类别"})
    assert list(unknown.context["page"].object_list) == every[:2], "an unknown class shows the whole ranking"
