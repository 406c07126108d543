"""Small files that ask a reader to build huge structures (issue 17, item 1): refused before anything is built,
in seconds, with a Chinese message saying what was too large; through the reader, the plan import and the progress
upload any department's staff may use. The attack files are made the way an attacker makes them: a real workbook
or document with its XML edited."""

import io
import os
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from importer.readers import DocumentError, read_document
from importer.readers.budget import MAX_MERGED_CELLS, MAX_PARAGRAPHS, MAX_SPAN

from .test_readers import cell, make_docx, make_xlsx, paragraph, run, table


def edited(data: bytes, part: str, edit) -> bytes:
    """The zip with one part's XML passed through edit."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, edit(content) if info.filename == part else content)
    return buffer.getvalue()


def merged_bomb() -> bytes:
    """A 5 KB ledger whose one merged range covers 23 × 159 998 cells."""
    ledger = make_xlsx(
        {"台账": [["序号", "任务内容", "牵头单位", "完成时限"], [1, "完善权责清单", "区编委办", "2027年6月底"]]}
    )
    return edited(
        ledger,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="D3:Z160000"/></mergeCells>'
        ),
    )


def span_docx(span: str) -> bytes:
    plan = make_docx(
        paragraph(run("一、主要任务")), table([cell(paragraph(run("完善权责清单"))), cell(paragraph(run("区编委办")))])
    )
    return edited(
        plan,
        "word/document.xml",
        lambda xml: xml.replace(b"<w:tcPr/>", f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>'.encode(), 1),
    )


def paragraphs_bomb() -> bytes:
    """About 30 KB zipped: 20 MB of empty paragraphs."""
    plan = make_docx(paragraph(run("一、主要任务")))
    return edited(
        plan, "word/document.xml", lambda xml: xml.replace(b"<w:sectPr/>", b"<w:p/>" * 3_500_000 + b"<w:sectPr/>")
    )


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (merged_bomb, "台账.xlsx", "合并的单元格范围过大"),
        (lambda: span_docx("20000000"), "方案.docx", f"跨20000000列（上限{MAX_SPAN}列）"),
        (lambda: span_docx("²"), "方案.docx", "跨列数“²”无效"),
        (paragraphs_bomb, "方案.docx", f"段落过多（超过{MAX_PARAGRAPHS}个）"),
    ],
    ids=["merged-range", "grid-span", "grid-span-not-a-number", "paragraphs"],
)
def test_a_small_file_asking_for_a_huge_structure_is_refused_at_once(make, name, message):
    data = make()
    assert len(data) < 100_000
    started = time.monotonic()
    with pytest.raises(DocumentError) as refused:
        read_document(data, name)
    assert message in str(refused.value)
    assert time.monotonic() - started < 10  # the merged range alone took 137 s and 1.2 GB before


def test_real_files_within_the_limits_still_read():
    ledger = make_xlsx({"台账": [["序号", "任务内容", "牵头单位"], [1, "完善权责清单", "区编委办"], [2, "", ""]]})
    ledger = edited(
        ledger,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="C2:C3"/></mergeCells>'
        ),
    )
    assert read_document(ledger, "台账.xlsx").tables[0][2][2] == "区编委办"  # a merged 牵头单位 reaches its rows
    plan = span_docx("3")
    assert "完善权责清单" in "".join(c for row in read_document(plan, "方案.docx").tables[0] for c in row)
    assert MAX_MERGED_CELLS >= 100_000  # a ledger of thousands of rows merges far fewer


@pytest.mark.django_db
def test_staff_uploading_a_bomb_as_progress_get_a_message_not_a_stuck_worker(login):
    client = login("staff")
    started = time.monotonic()
    response = client.post(reverse("tasks:progress_upload"), {"ledger": SimpleUploadedFile("台账.xlsx", merged_bomb())})
    assert response.status_code == 400 and time.monotonic() - started < 10  # the page's answer to refused input
    assert "合并的单元格范围过大" in response.content.decode()


@pytest.mark.django_db
def test_the_office_importing_a_bomb_gets_a_message_and_nothing_is_saved(login):
    from tasks.models import Plan

    before = Plan.objects.count()
    client = login("office")
    response = client.post(reverse("tasks:import"), {"document": SimpleUploadedFile("方案.docx", paragraphs_bomb())})
    page = response.content.decode()
    assert response.status_code == 200 and re.search("段落过多", page)
    assert Plan.objects.count() == before


# --- fuzzing: real workbooks and documents with their XML mutated ------------------------------------------------
# `make test` tries FUZZ_EXAMPLES mutations a format (default 40); `make bench` runs the same with 1 000.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
NASTY = ["²", "-1", "0", "99999999999999999999", "1e999", "NaN", "", "A1:XFD1048576", "<", "&amp;", "\x00", "全"]


def _ledger() -> bytes:
    return make_xlsx(
        {"台账": [["序号", "任务内容", "牵头单位", "完成时限"], [1, "完善权责清单", "区编委办", "2027年6月底"]]}
    )


def _plan() -> bytes:
    return span_docx("2")


@given(
    fmt=st.sampled_from(["xlsx", "docx"]),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(NASTY), st.booleans()), min_size=1, max_size=6),
)
@hypothesis_settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_workbooks_and_documents_give_a_reading_or_a_message(fmt, edits):
    """An attribute value or a text replaced by a hostile one, anywhere in the main XML part: the reader returns
    a Document or raises DocumentError with a message, never anything else (a 500 on the pages)."""
    data, part = (_ledger(), "xl/worksheets/sheet1.xml") if fmt == "xlsx" else (_plan(), "word/document.xml")

    def mutate(xml: bytes) -> bytes:
        text = xml.decode()
        values = [m.span(1) for m in re.finditer(r'="([^"]*)"', text)] + [
            m.span(1) for m in re.finditer(r">([^<]+)<", text)
        ]
        for index, nasty, in_attribute in edits:
            spans = [s for s in values if (text[s[0] - 2 : s[0]] == '="') == in_attribute] or values
            start, end = spans[index % len(spans)]
            replacement = nasty.replace("<", "&lt;") if in_attribute else nasty
            text = text[:start] + replacement + text[end:]
            values = [m.span(1) for m in re.finditer(r'="([^"]*)"', text)] + [
                m.span(1) for m in re.finditer(r">([^<]+)<", text)
            ]
        return text.encode()

    try:
        document = read_document(edited(data, part, mutate), f"样本.{fmt}")
    except DocumentError as error:
        assert str(error)
    else:
        assert document.kind == fmt
