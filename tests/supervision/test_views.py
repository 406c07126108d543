"""Supervision as people use it: forms that refuse in Chinese and keep what was typed, the
preview that is the PDF's own HTML, a render job followed to its file, pinned query counts."""

import time
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from documents.justify import GAP
from supervision.models import Bulletin, Finding, Inspection, RectificationDemand, RenderJob
from supervision.reports.document import bulletin_context
from supervision.services import bulletin_draft, demand_raise, findings_confirm_all, inspection_create, notices_send

pytestmark = pytest.mark.django_db


def test_an_inspection_is_made_from_the_form_with_the_task_filters_as_its_scope(world, login):
    client = login("supervisor")
    page = client.get(reverse("supervision:inspection_new") + f"?plan={world.plan.pk}&light=red")
    assert page.status_code == 200 and page.context["scope"].form["light"].value() == "red"
    response = client.post(
        reverse("supervision:inspection_new"),
        {
            "title": "逾期任务重点抽查",
            "kind": "spot",
            "period_start": world.today.isoformat(),
            "period_end": world.today.isoformat(),
            "plan": world.plan.pk,
            "light": "red",
            "inspectors": [world.user("supervisor").pk],
        },
    )
    inspection = Inspection.objects.get(title="逾期任务重点抽查")
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    assert inspection.scope == f"plan={world.plan.pk}&light=red"
    assert list(inspection.findings.values_list("task_id", flat=True)) == [world.tasks["overdue"].pk]
    detail = client.get(inspection.get_absolute_url()).content.decode()
    assert "灯色：红灯" in detail and "督查测试方案" in detail


def test_a_bad_inspection_form_says_why_in_chinese_keeps_the_input_and_saves_nothing(world, login):
    before = Inspection.objects.count()
    response = login("supervisor").post(
        reverse("supervision:inspection_new"),
        {
            "title": "年度督查",
            "kind": "special",
            "period_start": "2026-12-31",
            "period_end": "2026-01-01",
            "year": "两千",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "结束日期不能早于开始日期" in body and 'value="年度督查"' in body
    assert Inspection.objects.count() == before


def test_the_preview_is_the_pdfs_own_html(world, login):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    response = login("supervisor").get(reverse("supervision:bulletin_document", args=[bulletin.pk]))
    assert response.content.decode() == render_to_string(
        "supervision/document/bulletin.html", bulletin_context(bulletin)
    )
    detail = login("supervisor").get(bulletin.get_absolute_url()).content.decode()
    assert f'src="{reverse("supervision:bulletin_document", args=[bulletin.pk])}"' in detail


def test_editing_a_draft_refuses_naming_a_department_both_ways(world, login):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    minzheng = world.departments["minzheng"].pk
    response = login("supervisor").post(
        bulletin.get_absolute_url(),
        {"title": "改过的标题", "commended": [minzheng], "criticised": [minzheng], "basic": "改过的基本情况"},
    )
    assert response.status_code == 400
    assert "同一单位不能既被表扬又被批评" in response.content.decode()
    assert Bulletin.objects.get(pk=bulletin.pk).title != "改过的标题"
    response = login("supervisor").post(
        bulletin.get_absolute_url(), {"title": "改过的标题", "commended": [minzheng], "basic": "改过的基本情况"}
    )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == "改过的标题" and list(bulletin.verdicts.values_list("department_id", flat=True)) == [
        minzheng
    ]
    preview = login("supervisor").get(reverse("supervision:bulletin_document", args=[bulletin.pk])).content.decode()
    preview = preview.replace(GAP, "")  # the justification spaces between characters
    assert "改过的基本情况" in preview and "对以下1个单位予以通报表扬：区民政局" in preview


def test_issuing_from_the_page_with_findings_left_says_how_many(world, login):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    client = login("supervisor")
    response = client.post(reverse("supervision:bulletin_issue", args=[bulletin.pk]), follow=True)
    assert "尚有5条督查发现未确认评价" in response.content.decode()
    assert Bulletin.objects.get(pk=bulletin.pk).status == "draft"


def test_a_tampered_issued_file_is_not_served(world, login, django_capture_on_commit_callbacks):
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        login("supervisor").post(reverse("supervision:bulletin_issue", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    url = reverse("supervision:bulletin_pdf", args=[bulletin.pk])
    assert login("leader").get(url).status_code == 200
    with open(bulletin.pdf.path, "ab") as stored:
        stored.write(b"%% altered")
    assert login("leader").get(url).status_code == 403


def test_a_department_reports_on_its_demand_from_its_page(world, login):
    demand = demand_raise(
        finding=world.inspection.findings.get(task=world.tasks["overdue"]),
        department=world.departments["fagaiwei"],
        requirement="建成平台",
        due_date=world.today + timedelta(days=10),
        by=world.user("supervisor"),
    )
    client = login("staff2")
    refused = client.post(reverse("supervision:demand_report", args=[demand.pk]), {"text": " "})
    assert refused.status_code == 400 and RectificationDemand.objects.get(pk=demand.pk).status == "open"
    client.post(reverse("supervision:demand_report", args=[demand.pk]), {"text": "平台已上线"})
    assert RectificationDemand.objects.get(pk=demand.pk).status == "reported"
    page = login("office").get(demand.get_absolute_url()).content.decode()
    assert "平台已上线" in page and 'value="close"' in page


def test_a_notice_prints_as_pdf(world, login):
    notices_send(inspection=world.inspection, by=world.user("supervisor"))
    notice = world.inspection.notices.get(department=world.departments["fagaiwei"])
    response = login("staff2").get(reverse("supervision:notice", args=[notice.pk]) + "?format=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"


def more_supervision(world):
    """Another inspection with its findings, demands, notices and bulletin."""
    supervisor = world.user("supervisor")
    other = inspection_create(
        title="再次督查", kind="routine", period_start=world.today, period_end=world.today, scope="", by=supervisor
    )
    for finding in Finding.objects.filter(inspection=other)[:6]:
        department = finding.task.departments.first()
        if department is not None:
            demand_raise(
                finding=finding, department=department, requirement="整改", due_date=world.today, by=supervisor
            )
    notices_send(inspection=other, by=supervisor)
    bulletin_draft(inspection=other, by=supervisor)
    return other


PAGES = {
    "index": (lambda world: reverse("supervision:index"), 11),
    "inspections": (lambda world: reverse("supervision:inspections"), 8),
    "inspection": (lambda world: world.inspection.get_absolute_url(), 17),
    "demands": (lambda world: reverse("supervision:demands"), 9),
    "notices": (lambda world: reverse("supervision:notices"), 7),
    "bulletins": (lambda world: reverse("supervision:bulletins"), 7),
}


@pytest.mark.parametrize("page", PAGES)
def test_list_pages_query_counts_are_pinned_and_do_not_grow(world, login, django_assert_max_num_queries, page):
    url, most = PAGES[page]
    client = login("supervisor")
    with django_assert_max_num_queries(most):
        assert client.get(url(world)).status_code == 200
    more_supervision(world)
    assert Finding.objects.count() > 30 and RectificationDemand.objects.count() >= 5
    with django_assert_max_num_queries(most):
        assert client.get(url(world)).status_code == 200


def test_the_bulletin_page_query_count_is_pinned(world, login, django_assert_max_num_queries):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    client = login("supervisor")
    with django_assert_max_num_queries(11):
        assert client.get(bulletin.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("supervision:bulletin_document", args=[bulletin.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_large_bulletin_renders_in_a_worker_with_progress_shown(
    celery_worker_thread, settings, client, dept, tmp_path
):
    """Above the inline limit the file is made by a real Celery worker; the page polls the
    job with htmx until the file is attached."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL = {**settings.PORTAL, "BULLETIN": {**settings.PORTAL["BULLETIN"], "INLINE_MAX_ROWS": 0}}
    client.login(username="supervisor", password="demo-pass-2026")
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.get(username="supervisor")
    inspection = inspection_create(
        title="全面督查",
        kind="special",
        period_start=timezone_today(),
        period_end=timezone_today(),
        scope="",
        by=supervisor,
    )
    findings_confirm_all(inspection=inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=inspection, by=supervisor)
    response = client.post(reverse("supervision:bulletin_issue", args=[bulletin.pk]))
    job = RenderJob.objects.get(bulletin=bulletin)
    assert response.url == reverse("supervision:job", args=[job.pk])
    seen, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
        job.refresh_from_db()
        seen.append(job.progress)
        if job.finished:
            break
        assert 'hx-trigger="every 1s"' in partial  # still polling
        time.sleep(0.2)
    assert job.status == "done", job.error
    # The job may have finished between the last poll and the check above: poll once more.
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and reverse("supervision:bulletin_pdf", args=[bulletin.pk]) in partial
    bulletin.refresh_from_db()
    assert bulletin.status == "issued" and bulletin.pdf_pages >= 3 and seen[-1] == 100


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()
