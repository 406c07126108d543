"""A bulletin and a 督办单 issued on the seeds and on demo data, each read back as PDF and as
Word: the current deadline with its extension note, only supervised units named, every
sentence borne out by the figures, justified lines that never start with ，。、, Chinese names.
Page 1 of each goes to var/artifacts/ as PNG (PDF directly, Word through LibreOffice)."""

import io
import re
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pdfplumber
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from docx import Document

from departments.models import Department
from supervision.models import Finding, Inspection, RectificationDemand
from supervision.reports.document import bulletin_context
from supervision.reports.drafting import REPORT_FRESH_DAYS
from supervision.reports.word import bulletin_docx
from supervision.services import bulletin_draft, bulletin_issue, findings_confirm_all, inspection_create
from supervision.services.demo_data import generate_demo_inspections
from supervision.services.notices import notices_send
from tasks.models import Plan, Task
from tasks.services.demo_data import generate_demo_data

from .prose_check import annex_figures, wrong_sentences
from .test_word import soffice_pdf

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts"
NO_LINE_STARTS_WITH = "，。、；：？！）》”"


def _seed_inspection() -> Inspection:
    """The seed plan with the most tasks given out, one of them extended."""
    given_out = ("assigned", "acknowledged", "in_progress")
    plan = max(Plan.objects.all(), key=lambda p: p.tasks.filter(status__in=given_out).count())
    task = plan.tasks.filter(status__in=given_out, deadline__isnull=False).order_by("sort_key").first()
    Task.objects.filter(pk=task.pk).update(original_deadline=task.deadline, deadline=task.deadline + timedelta(days=91))
    today = timezone.localdate()
    return inspection_create(
        title="2026年改革任务专项督查",
        kind="special",
        period_start=today - timedelta(days=30),
        period_end=today,
        scope=f"plan={plan.pk}",
        by=get_user_model().objects.get(username="supervisor"),
        today=today,
    )


def _demo_inspection() -> Inspection:
    generate_demo_data(tasks=150, departments=10, seed=5)
    plan = Plan.objects.filter(slug__startswith="demo5").order_by("pk").first()
    generate_demo_inspections(plans=[plan], seed=5)
    inspection = Inspection.objects.get(scope=f"plan={plan.pk}")
    task = Task.objects.filter(findings__inspection=inspection, deadline__isnull=False).order_by("sort_key").first()
    Task.objects.filter(pk=task.pk).update(original_deadline=task.deadline, deadline=task.deadline + timedelta(days=91))
    return inspection


def _lines(pdf_bytes: bytes) -> list[list[dict]]:
    """Each page's text lines (pdfplumber), with their characters."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            lines = {}
            for char in page.chars:
                lines.setdefault(round(char["top"]), []).append(char)
            pages.append([sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(lines.items())])
    return pages


def _png(source: Path, stem: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source), str(ARTIFACTS / stem)],
        check=True,
    )
    return ARTIFACTS / f"{stem}.png"


@pytest.mark.parametrize("world_of", ["seeds", "demo"])
def test_issued_bulletin_and_notice_read_back_true_in_both_formats(
    world_of, demo_users, client, login, django_capture_on_commit_callbacks, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    inspection = _seed_inspection() if world_of == "seeds" else _demo_inspection()
    supervisor = get_user_model().objects.get(username="supervisor")
    findings_confirm_all(inspection=inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=inspection, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        job = bulletin_issue(bulletin=bulletin, by=supervisor)
    job.refresh_from_db()
    assert job.status == "done", job.error
    bulletin.refresh_from_db()
    context = bulletin_context(bulletin)

    # Facts: the extended task prints its new date with the note; only supervised units judged.
    extended = [r for r in context["rows"] if "经批准延期至" in r.deadline]
    assert len(extended) == 1 and extended[0].deadline.startswith(extended[0].deadline.split("（")[0])
    supervised = set(Department.objects.supervised().values_list("name", flat=True))
    assert {v.department.name for v in bulletin.verdicts.all()} <= supervised

    # Prose: every sentence against the annex of the same document.
    fresh = inspection.period_end - timedelta(days=REPORT_FRESH_DAYS)
    figures = annex_figures(
        context["rows"],
        demands=RectificationDemand.objects.filter(finding__inspection=inspection).count(),
        reported=Finding.objects.filter(inspection=inspection, last_report_period__gte=fresh).count(),
    )
    text = "\n".join(p.text for s in context["sections"] for p in s["paragraphs"])
    assert wrong_sentences(text, figures) == []

    # The PDF: justified body lines (full lines end at the type area's right edge), and no
    # line opens with a closing mark.
    with bulletin.pdf.open("rb") as stored:
        pdf_bytes = stored.read()
    pages = _lines(pdf_bytes)
    body = [line for line in pages[0] if abs(line[0]["size"] - 16) < 0.5]
    right_edges = [line[-1]["x1"] for line in body]
    full = [x for x in right_edges if x > max(right_edges) - 20]
    assert len(full) >= 3 and max(full) - min(full) < 2.0, right_edges  # 两端对齐
    for page in pages:
        for line in page:
            assert line[0]["text"] not in NO_LINE_STARTS_WITH, "".join(c["text"] for c in line)
    flat = re.sub(r"\s+", "", "".join(c["text"] for page in pages for line in page for c in line))
    assert "经批准延期至" in flat

    # Word, as the page offers it: the same number, title, rows; LibreOffice lays it out on A4.
    office = login("supervisor")
    answer = office.get(reverse("supervision:bulletin_docx", args=[bulletin.pk]))
    assert unquote(answer["Content-Disposition"].split("''")[1]) == f"{bulletin.number}.docx"
    document = Document(io.BytesIO(answer.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert bulletin.number in paragraphs
    annex = document.tables[-1]
    assert len(annex.rows) == 1 + len(context["rows"])
    assert any("经批准延期至" in row.cells[3].text for row in annex.rows[1:])
    laid_out = soffice_pdf(answer.content, tmp_path)
    assert abs(len(laid_out.pages) - bulletin.pdf_pages) <= 1
    pdf_file = tmp_path / "bulletin.pdf"
    pdf_file.write_bytes(pdf_bytes)
    _png(pdf_file, f"{world_of}-bulletin-pdf-p1")
    _png(tmp_path / "document.pdf", f"{world_of}-bulletin-docx-p1")

    # The 督办单: only to supervised units, named in Chinese, both formats.
    notices = notices_send(inspection=inspection, by=supervisor)
    assert notices and {n.department.name for n in notices} <= supervised
    notice = notices[0]
    pdf_answer = office.get(notice.get_absolute_url(), {"format": "pdf"})
    docx_answer = office.get(notice.get_absolute_url(), {"format": "docx"})
    assert unquote(pdf_answer["Content-Disposition"].split("''")[1]).startswith("督办单-")
    notice_pdf = tmp_path / "notice.pdf"
    notice_pdf.write_bytes(pdf_answer.content)
    _png(notice_pdf, f"{world_of}-notice-pdf-p1")
    (tmp_path / "notice").mkdir()
    soffice_pdf(docx_answer.content, tmp_path / "notice")
    _png(tmp_path / "notice" / "document.pdf", f"{world_of}-notice-docx-p1")
    assert bulletin_docx(bulletin)  # the command line's path writes the same document
