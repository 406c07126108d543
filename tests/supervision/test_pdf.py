"""The issued bulletin read back as a reader would: its text, pages, fonts and looks."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from documents.fetcher import BASE_URL, RefusedURL, StaticOnlyFetcher, static_path
from documents.pdf import render_pdf
from supervision.reports.document import annex_rows, bulletin_context
from supervision.services import bulletin_draft, bulletin_issue, findings_confirm_all

from .conftest import HOSTILE

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts"
A4 = (595.28, 841.89)  # points


def squeeze(text: str) -> str:
    """Text without the line breaks and spaces layout puts in."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def issued(world, django_capture_on_commit_callbacks):
    supervisor = world.user("supervisor")
    findings_confirm_all(inspection=world.inspection, by=supervisor)
    bulletin = bulletin_draft(inspection=world.inspection, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        job = bulletin_issue(bulletin=bulletin, by=supervisor)
    job.refresh_from_db()
    assert job.status == "done", job.error
    bulletin.refresh_from_db()
    with bulletin.pdf.open("rb") as stored:
        data = stored.read()
    return bulletin, PdfReader(io.BytesIO(data)), data


def test_the_pdf_says_the_number_title_departments_and_every_annex_row(world, issued):
    bulletin, pdf, _ = issued
    pages = [squeeze(page.extract_text()) for page in pdf.pages]
    whole = "".join(pages)
    assert bulletin.number in whole and re.fullmatch(r"督查通报〔\d{4}〕\d+号", bulletin.number)
    assert squeeze(bulletin.title) in whole
    verdicts = list(bulletin.verdicts.select_related("department"))
    assert {v.verdict for v in verdicts} == {"commend", "criticise"}
    for verdict in verdicts:
        assert squeeze(verdict.department.name) in whole, verdict.department.name
    assert "予以通报表扬" in whole and "予以通报批评" in whole
    annex = "".join(pages[i] for i, page in enumerate(pdf.pages) if page.mediabox.width > page.mediabox.height)
    rows = annex_rows(world.inspection)
    assert len(rows) == 5
    position = 0
    for row in rows:  # each row, in order, with its lead department, deadline and rating
        found = annex.find(squeeze(row.task), position)
        assert found >= 0, row.task
        position = found
        for cell in (row.leads, row.deadline, row.rating):
            assert squeeze(cell) in annex, cell
    assert "序号任务牵头单位完成时限进展情况督查评价" in annex


def test_pages_are_a4_numbered_and_the_fonts_embedded_as_subsets(issued):
    bulletin, pdf, _ = issued
    assert bulletin.pdf_pages == len(pdf.pages) >= 3
    first = pdf.pages[0].mediabox
    assert (round(float(first.width), 2), round(float(first.height), 2)) == A4
    for number, page in enumerate(pdf.pages, start=1):
        size = sorted((round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)))
        assert tuple(size) == A4  # portrait, or the annex turned sideways
        assert f"— {number} —" in page.extract_text()
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for font in fonts.values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
                "/FontDescriptor"
            ]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font["/BaseFont"]
            assert re.match(r"/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]  # a subset


def test_hostile_text_prints_as_text_and_fetches_nothing(world, issued):
    _, pdf, data = issued
    whole = squeeze("".join(page.extract_text() for page in pdf.pages))
    assert squeeze(HOSTILE) in whole  # tags, the URL and the & all as typed
    assert b"/URI" not in data  # no link made of the URL
    html = render_to_string("supervision/document/bulletin.html", bulletin_context(issued[0]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert render_pdf(html).refused == ()  # the document asked for nothing it did not get


def test_page_one_as_a_picture_has_the_red_mark_and_rule(issued):
    from PIL import Image

    _, _, data = issued
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / "bulletin.pdf"
    source.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / "bulletin-page1"),
        ],
        check=True,
    )
    image = Image.open(ARTIFACTS / "bulletin-page1.png").convert("RGB")
    width, height = image.size
    assert abs(height / width - A4[1] / A4[0]) < 0.01
    red = [
        (x, y)
        for y in range(0, height // 2)
        for x in range(0, width, 2)
        if (lambda p: p[0] > 180 and p[1] < 90 and p[2] < 90)(image.getpixel((x, y)))
    ]
    assert red, "no red mark on page 1"
    rule_rows = {y for _, y in red if sum(1 for x2, y2 in red if y2 == y) > width * 0.3 / 2}
    assert rule_rows, "no red rule across the type area"


def test_the_fetcher_serves_our_static_files_and_nothing_else():
    assert static_path(BASE_URL + "static/documents/official.css").name == "official.css"
    for url in (
        "file:///etc/passwd",
        "http://evil.example/x.png",
        "https://evil.example/static/documents/official.css",
        BASE_URL + "static/../reform_portal/settings/base.py",
        BASE_URL + "static/%2e%2e/manage.py",
        BASE_URL + "media/evidence/secret.pdf",
        "data:text/plain,hello",
    ):
        with pytest.raises((RefusedURL, ValueError)):
            StaticOnlyFetcher().fetch(url)


def test_a_document_that_asks_for_the_network_or_the_disk_gets_neither():
    html = (
        '<html><body><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
        '<link rel="stylesheet" href="https://evil.example/a.css"><p>文本</p></body></html>'
    )
    rendered = render_pdf(html)
    assert set(rendered.refused) == {"http://127.0.0.1:9/x.png", "file:///etc/hostname", "https://evil.example/a.css"}
    assert rendered.data[:4] == b"%PDF"
