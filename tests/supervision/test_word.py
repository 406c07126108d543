"""Word beside PDF: every official document written as .docx on the GB/T 9704 page, read back
with python-docx and laid out by LibreOffice on A4 with the PDF's page count ±1."""

import io
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from documents.pdf import render_pdf
from supervision.reports.document import annex_rows, bulletin_context, notice_context
from supervision.reports.word import bulletin_docx, notice_docx
from supervision.services.bulletins import bulletin_draft
from supervision.services.notices import notices_send

A4 = (210.0, 297.0)


def _mm(length) -> float:
    return round(length / 36000, 1)


def soffice_pdf(docx: bytes, tmp_path) -> PdfReader:
    """The .docx as LibreOffice lays it out (headless, its own profile so runs do not collide)."""
    source = tmp_path / "document.docx"
    source.write_bytes(docx)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return PdfReader(tmp_path / "document.pdf")


def _page_mm(page) -> tuple[int, int]:
    box = page.mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)


@pytest.fixture
def issued_world(world):
    """The fixture world with one task extended: its deadline moved, its phrase kept."""
    task = world.tasks["on_track"]
    task.original_deadline, task.deadline_phrase = task.deadline, "年底前"
    task.deadline = task.deadline + timedelta(days=90)
    task.save()
    return world


def test_bulletin_docx_reads_back_on_the_gbt_9704_page(issued_world, tmp_path):
    bulletin = bulletin_draft(inspection=issued_world.inspection, by=issued_world.user("supervisor"))
    data = bulletin_docx(bulletin)
    document = Document(io.BytesIO(data))
    first = document.sections[0]
    assert (_mm(first.page_width), _mm(first.page_height)) == A4
    assert [_mm(m) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] == [
        37.0,
        35.0,
        28.0,
        26.0,
    ]
    assert (
        document.settings.element.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}mirrorMargins")
        is not None
    )
    assert document.settings.odd_and_even_pages_header_footer
    assert "PAGE" in first.footer._element.xml and "— " in first.footer.paragraphs[0].text
    assert first.footer.paragraphs[0].alignment == 2 and first.even_page_footer.paragraphs[0].alignment == 0
    text = [p.text for p in document.paragraphs]
    assert bulletin.title in text and "（印发时编号）" in text
    assert any(p.style.name == "Normal" and p.alignment is None for p in document.paragraphs)
    assert document.styles["Normal"].paragraph_format.alignment == 3  # justified (两端对齐)
    annex = document.tables[-1]
    assert _mm(document.sections[-1].page_width) == 297.0  # the annex turned sideways
    rows = annex_rows(bulletin.inspection)
    assert [c.text for c in annex.rows[0].cells] == ["序号", "任务", "牵头单位", "完成时限", "进展情况", "督查评价"]
    assert [[c.text for c in r.cells][:4] for r in annex.rows[1:]] == [
        [str(r.number), r.task, r.leads, r.deadline] for r in rows
    ]
    assert any("（原定年底前，经批准延期至" in r.cells[3].text for r in annex.rows[1:])

    pdf = render_pdf(render_to_string("supervision/document/bulletin.html", bulletin_context(bulletin)))
    laid_out = soffice_pdf(data, tmp_path)
    assert _page_mm(laid_out.pages[0]) == (210, 297)
    assert abs(len(laid_out.pages) - pdf.pages) <= 1
    assert bulletin.title.replace(" ", "") in laid_out.pages[0].extract_text().replace(" ", "").replace("\n", "")


def test_notice_docx_names_the_unit_its_tasks_and_the_current_deadline(issued_world, tmp_path):
    notices = notices_send(inspection=issued_world.inspection, by=issued_world.user("supervisor"))
    notice = next(n for n in notices if n.department_id == issued_world.departments["bianwei"].pk)
    notice.refresh_from_db()
    data = notice_docx(notice)
    document = Document(io.BytesIO(data))
    assert (_mm(document.sections[0].page_width), _mm(document.sections[0].page_height)) == A4
    text = "\n".join(p.text for p in document.paragraphs)
    assert "督办单" in text and f"{notice.department.name}：" in text
    findings = document.tables[0]
    context = notice_context(notice)
    assert [[c.text for c in r.cells][1:3] for r in findings.rows[1:]] == [
        [r.task, r.deadline] for r in context["findings"]
    ]
    assert any("经批准延期至" in r.cells[2].text for r in findings.rows[1:])
    laid_out = soffice_pdf(data, tmp_path)
    assert _page_mm(laid_out.pages[0]) == (210, 297)


def test_inspection_report_writes_word_when_the_name_ends_in_docx(world, tmp_path):
    target = tmp_path / "通报.docx"
    call_command("inspection_report", world.inspection.pk, "-o", str(target), stdout=io.StringIO())
    document = Document(target)
    assert document.tables[-1].rows[0].cells[0].text == "序号"
    assert len(document.tables[-1].rows) == 1 + len(annex_rows(world.inspection))


def test_downloads_are_named_in_chinese(world, login):
    supervisor = login("supervisor")
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    answer = supervisor.get(reverse("supervision:bulletin_docx", args=[bulletin.pk]))
    assert answer.status_code == 200 and answer["Content-Type"].endswith("wordprocessingml.document")
    assert unquote(answer["Content-Disposition"].split("''")[1]) == f"通报草稿-{bulletin.title}.docx"
    assert Document(io.BytesIO(answer.content)).tables[-1].rows[0].cells[1].text == "任务"
    notice = notices_send(inspection=world.inspection, by=world.user("supervisor"))[0]
    for wanted in ("pdf", "docx"):
        answer = supervisor.get(notice.get_absolute_url(), {"format": wanted})
        name = unquote(answer["Content-Disposition"].split("''")[1])
        assert name == f"督办单-{world.inspection.title}-{notice.department.short_name}.{wanted}"
