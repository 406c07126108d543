"""Every format an office receives a plan in, read from files an office suite wrote.

The sample files are made once per test session by LibreOffice itself (soffice --convert-to) from a seed plan's
text and from corpus texts, so they are what a suite writes, not hand-made XML. Two exceptions, said where they
are made: the scanned PDF is an image saved as PDF by Pillow (what a scanner's software writes, no text layer),
and the OFD is built here to GB/T 33190's structure, since no suite on this machine writes OFD.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from importer.documents import SIMPLIFIED_WARNING, parse_document, parse_read_document
from importer.readers import EXTENSIONS, DocumentError, read_document
from importer.readers.office import SOFFICE_ENV, TIMEOUT_ENV
from tests.made_once import made_once

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: `make test` installs libreoffice-writer-nogui"
)

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"
CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "docs"
PLAN_TEXT = (SEEDS / "000_zhongzhan_2014.txt").read_text("utf-8")


def traditional(text: str) -> str:
    """The text in traditional characters, as a portal's 繁體 page shows a mainland plan (corpus 04, 06, 07, 15
    and 16 are such copies)."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


TRAD_TEXT = traditional(PLAN_TEXT)
LEDGER_HTML = """<html><head><meta charset="utf-8"><title>台账</title></head><body>
<p>2027年优化营商环境重点任务台账</p>
<table border="1" cellspacing="0">
<tr><th>序号</th><th>任务内容</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>推进企业开办全程网上办理，压缩开办时间至1个工作日</td><td>区市场监管局</td><td>区税务局</td><td>2027年6月底前</td></tr>
<tr><td>2</td><td>建立涉企政策统一发布平台</td><td>区发改委</td><td>区大数据中心</td><td>2027年9月底前</td></tr>
<tr><td>3</td><td>开展工程建设项目审批提速专项行动</td><td>区住建局</td><td>区自然资源局</td><td>2027年12月底前</td></tr>
</table>
<p>区人民政府办公室</p></body></html>
"""

# Sixty rows: the table runs over several pages of a PDF, and LibreOffice repeats its heading row on each.
LONG_LEDGER_HTML = (
    LEDGER_HTML.replace("<tr><th>", "<thead><tr><th>", 1)
    .replace("</th></tr>", "</th></tr></thead>", 1)
    .replace(
        "<tr><td>1</td>",
        "".join(
            f"<tr><td>{n}</td><td>第{n}项：推进重点领域改革，完善相关制度并组织实施，形成可复制推广的经验做法</td>"
            f"<td>区发改委</td><td>区财政局</td><td>2027年{n % 12 + 1}月底前</td></tr>"
            for n in range(4, 61)
        )
        + "<tr><td>1</td>",
        1,
    )
)

# A plan printed as an office prints one: a running head, "— N —" page numbers in the footer (a page field), the
# text left-aligned (ragged right). Written in the HTML LibreOffice itself writes for headers, footers and fields.
PRINTED_HTML = (
    '<html><head><meta charset="utf-8"></head><body>'
    '<div title="header"><p align="center">中站区人民政府办公室文件</p></div>{body}'
    '<div title="footer"><p align="center">— <sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> —</p>'
    "</div></body></html>"
)


@dataclass(frozen=True)
class Samples:
    folder: Path

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()


def soffice(folder: Path, target: str, *sources: Path, infilter: str | None = None) -> None:
    """One soffice run converting several files (starting LibreOffice is most of the cost)."""
    command = [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target, "--outdir", str(folder), *map(str, sources)]
    subprocess.run(command, check=True, capture_output=True, timeout=300, cwd=folder)


@pytest.fixture(scope="session")
def samples() -> Samples:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs libreoffice-writer-nogui")
    # What the files are made from: this module (the texts and the conversions), the seed and corpus texts it
    # reads, and the LibreOffice that converts them.
    inputs = [Path(__file__).read_bytes(), str(Path(SOFFICE).resolve().stat().st_mtime).encode()]
    inputs += [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]
    inputs += [path.read_bytes() for path in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []
    return Samples(made_once("formats", inputs, make_samples))


def make_samples(folder: Path) -> None:
    (folder / "plan.txt").write_text(PLAN_TEXT, "utf-8")
    (folder / "trad.txt").write_text(TRAD_TEXT, "utf-8")
    (folder / "empty.txt").write_text("", "utf-8")
    # Over a hundred pages: the seed plans and the corpus texts, three times over.
    texts = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += [path.read_text("utf-8") for path in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []
    (folder / "long.txt").write_text("\n".join(texts * 3), "utf-8")
    (folder / "ledger.html").write_text(LEDGER_HTML, "utf-8")
    (folder / "long-ledger.html").write_text(LONG_LEDGER_HTML, "utf-8")
    printed = "".join(f"<p>{line}</p>" for line in plan_paragraphs() * 3)
    (folder / "printed.html").write_text(PRINTED_HTML.format(body=printed), "utf-8")

    texts_in = [folder / name for name in ("plan.txt", "trad.txt", "empty.txt", "long.txt")]
    soffice(folder, "odt", *texts_in, infilter="Text (encoded):UTF8,LF,,,")
    webpages = (folder / name for name in ("ledger.html", "long-ledger.html", "printed.html"))
    soffice(folder, "odt", *webpages, infilter="HTML (StarWriter)")
    soffice(folder, "doc", folder / "plan.odt", folder / "trad.odt")
    soffice(folder, "rtf", folder / "plan.odt")
    soffice(folder, "html", folder / "plan.odt")
    pdfs = ("plan.odt", "empty.odt", "long.odt", "ledger.odt", "long-ledger.odt", "printed.odt")
    soffice(folder, "pdf", *(folder / name for name in pdfs))
    soffice(folder, "docx:MS Word 2007 XML", folder / "ledger.odt")
    if CORPUS.is_dir():
        corpus = folder / "corpus"
        corpus.mkdir()
        # Each paragraph with the two-character first-line indent of an official document (GB/T 9704 body
        # text), as an office prints it: where a paragraph ends at the margin, the indent is what shows it.
        for path in CORPUS.glob("*.txt"):
            lines = path.read_text(encoding="utf-8").splitlines()
            (corpus / path.name).write_text("".join(f"　　{line}\n" if line.strip() else "\n" for line in lines))
        soffice(corpus, "pdf", *sorted(corpus.glob("*.txt")), infilter="Text (encoded):UTF8,LF,,,")


def tasks_of(plan) -> list[dict]:
    """What the import keeps of each task, through the documented --json contract."""
    keys = ("number", "title", "text", "lead", "cooperating", "deadline_text", "deadline", "milestones")
    return [{key: task[key] for key in keys} for task in plan.as_json()["tasks"]]


@pytest.fixture(scope="session")
def plan_tasks() -> list[dict]:
    return tasks_of(parse_document(PLAN_TEXT.encode(), "plan.txt"))


CORPUS_NAMES = sorted(path.stem for path in CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


def test_accepted_extensions_cover_every_format():
    assert set(EXTENSIONS) >= {".txt", ".docx", ".pdf", ".doc", ".wps", ".rtf", ".odt", ".html", ".htm", ".ofd"}


# --- PDF --------------------------------------------------------------------------------------------------------


@needs_soffice
def test_pdf_reads_as_its_text(samples, plan_tasks):
    document = read_document(samples.read("plan.pdf"), "方案.pdf")
    assert document.kind == "pdf"
    # Wrapped lines are joined back into their paragraphs: one line per paragraph, as in the text (a space next
    # to Chinese may go: a PDF holds positions, not spaces, and a gap beside a figure looks the same).
    assert [line.replace(" ", "") for line in document.text.split("\n")] == [
        line.replace(" ", "") for line in plan_paragraphs()
    ]
    assert tasks_of(parse_document(samples.read("plan.pdf"), "方案.pdf")) == plan_tasks
    assert len(plan_tasks) == 20


@needs_soffice
@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_corpus_pdfs_and_ofds_read_as_their_texts(samples, name):
    """The sixteen real plans of the corpus, as LibreOffice prints them to PDF and as an OFD sets them: the same
    tasks, units and dates as their text, whatever the parser makes of that text."""
    text = (CORPUS / f"{name}.txt").read_bytes()
    expected = spaceless(tasks_of(parse_document(text, f"{name}.txt")))
    assert spaceless(tasks_of(parse_document(samples.read(f"corpus/{name}.pdf"), f"{name}.pdf"))) == expected
    paragraphs = [line.strip() for line in text.decode().split("\n") if line.strip()]
    assert spaceless(tasks_of(parse_document(make_ofd(paragraphs), f"{name}.ofd"))) == expected


def spaceless(value):
    """Tasks compared without spaces: where a line breaks the space at the break is lost (the typesetter drops
    it), and next to Chinese a gap may or may not have been a space ("第 678 号")."""
    if isinstance(value, str):
        return re.sub(r"\s", "", value)
    if isinstance(value, list):
        return [spaceless(item) for item in value]
    if isinstance(value, dict):
        return {key: spaceless(item) for key, item in value.items()}
    return value


@needs_soffice
def test_printed_plan_loses_its_running_head_and_page_numbers(samples):
    import pypdfium2

    data = samples.read("printed.pdf")
    pdf = pypdfium2.PdfDocument(data)
    assert len(pdf) >= 3
    assert "— 2 —" in pdf[1].get_textpage().get_text_range()  # the footer is there to drop
    lines = read_document(data, "方案.pdf").text.split("\n")
    assert "中站区人民政府办公室文件" not in lines
    assert not any("—" in line for line in lines)
    assert [line.replace(" ", "") for line in lines] == [line.replace(" ", "") for line in plan_paragraphs() * 3]


@needs_soffice
def test_pdf_table_stays_a_table(samples):
    from_pdf = read_document(samples.read("ledger.pdf"), "台账.pdf")
    from_docx = read_document(samples.read("ledger.docx"), "台账.docx")
    assert from_pdf.tables == from_docx.tables
    assert from_pdf.tables[0][0] == ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]
    plan = parse_document(samples.read("ledger.pdf"), "台账.pdf")
    assert [(t["title"][:6], [d["raw"] for d in t["lead"]], t["deadline_text"]) for t in tasks_of(plan)] == [
        ("推进企业开办", ["区市场监管局"], "2027年6月底前"),
        ("建立涉企政策", ["区发改委"], "2027年9月底前"),
        ("开展工程建设", ["区住建局"], "2027年12月底前"),
    ]


@needs_soffice
def test_pdf_table_over_several_pages_is_one_table(samples):
    import pypdfium2

    data = samples.read("long-ledger.pdf")
    assert len(pypdfium2.PdfDocument(data)) >= 3
    from_pdf = read_document(data, "台账.pdf")
    from_page = read_document(LONG_LEDGER_HTML.encode(), "台账.html")  # the same table, read from the web page
    assert len(from_pdf.tables) == 1 and len(from_pdf.tables[0]) == 61  # the heading once, sixty rows
    # Narrow cells wrap "区发改委" as "区发改" + "委": joined again, as they are in the page.
    assert from_pdf.tables == from_page.tables
    assert len(parse_document(data, "台账.pdf").tasks) == 60


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@needs_soffice
def test_a_hundred_page_pdf_reads_in_under_ten_seconds(samples):
    import pypdfium2

    data = samples.read("long.pdf")
    assert len(pypdfium2.PdfDocument(data)) >= 100
    # CPU seconds, the reader's own and its forked child's (importer/readers/limits.py): the
    # wall clock of a loaded CI machine measures the neighbours as well.
    started = cpu_seconds()
    document = read_document(data, "长文.pdf")
    elapsed = cpu_seconds() - started
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert "区人民政府各部门" in document.text


@needs_soffice
def test_blank_pdf(samples):
    with pytest.raises(DocumentError, match="PDF文件中没有任何内容"):
        read_document(samples.read("empty.pdf"), "空白.pdf")


def test_scanned_pdf_has_no_text_layer():
    from PIL import Image, ImageDraw

    # What a scanner's software writes: a page image in a PDF, no text. Pillow writes it.
    page = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(page).rectangle((50, 50, 550, 120), fill="black")
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=72)
    with pytest.raises(DocumentError, match="扫描件") as error:
        read_document(buffer.getvalue(), "扫描件.pdf")
    assert "没有文字层" in str(error.value)


@needs_soffice
def test_password_protected_pdf(samples):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.read("plan.pdf"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentError, match="PDF文件设有打开密码"):
        read_document(buffer.getvalue(), "加密.pdf")


@needs_soffice
def test_pdf_with_only_an_owner_password_reads(samples, plan_tasks):
    # Restrictions on printing or copying do not stop reading: every reader opens it without asking.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.read("plan.pdf"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128", permissions_flag=0)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert tasks_of(parse_document(buffer.getvalue(), "限制复制.pdf")) == plan_tasks


def pdf_bomb(inflated_megabytes: int) -> bytes:
    """A one-page PDF whose content stream is a small deflated run of spaces that inflates to the size given
    (the writer is this function: the point is a file no office suite would write)."""
    packer = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    stream = b"".join(packer.compress(block) for _ in range(inflated_megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_pdf_that_inflates_beyond_the_memory_limit(monkeypatch):
    # Issue 17: a 1.5 MB PDF inflating to 1.5 GB took 7 s and 2.6 GB in the worker before the child process.
    from importer.readers import limits

    monkeypatch.setattr(limits, "MEMORY_MEGABYTES", 150)
    data = pdf_bomb(400)
    assert len(data) < 1024 * 1024
    started = cpu_seconds()
    with pytest.raises(DocumentError, match="解压后过大"):
        read_document(data, "炸弹.pdf")
    assert cpu_seconds() - started < 10


@needs_soffice
def test_pdf_reading_has_a_time_limit(samples, monkeypatch):
    from importer.readers import limits

    monkeypatch.setattr(limits, "SECONDS", 0.001)
    with pytest.raises(DocumentError, match="读取文件超过0.001秒仍未完成，已停止"):
        read_document(samples.read("long.pdf"), "长文.pdf")


def test_damaged_pdf():
    with pytest.raises(DocumentError, match="PDF文件已损坏"):
        read_document(b"%PDF-1.7\n" + bytes(range(256)) * 8, "坏.pdf")


# --- through LibreOffice ----------------------------------------------------------------------------------------


@needs_soffice
@pytest.mark.parametrize(
    ("sample", "name", "kind"),
    [
        ("plan.doc", "方案.doc", "doc"),
        # Kingsoft WPS's .wps keeps Word's binary format: a .doc saved under that name is what WPS hands on.
        ("plan.doc", "方案.wps", "wps"),
        ("plan.rtf", "方案.rtf", "rtf"),
        ("plan.odt", "方案.odt", "odt"),
    ],
)
def test_word_era_formats_read_through_libreoffice(samples, plan_tasks, sample, name, kind):
    started = time.perf_counter()
    document = read_document(samples.read(sample), name)
    assert time.perf_counter() - started < 30  # about 1-2 s here (4 s on a loaded machine); 60 s stops a hang
    assert document.kind == kind
    assert tasks_of(parse_read_document(document)) == plan_tasks


@needs_soffice
def test_corrupt_doc(samples):
    data = bytearray(samples.read("plan.doc"))
    data[512:] = bytes(len(data) - 512)  # the header survives, the streams are gone
    with pytest.raises(DocumentError, match="无法打开这个Word 97-2003文档（.doc）：文件已损坏"):
        read_document(bytes(data), "方案.doc")


def test_doc_that_is_not_a_word_file():
    with pytest.raises(DocumentError, match="文件已损坏或不是Word文档"):
        read_document(bytes(range(1, 200)) * 10, "方案.doc")


def test_libreoffice_missing(monkeypatch):
    monkeypatch.setenv(SOFFICE_ENV, "/nonexistent/soffice")
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    with pytest.raises(DocumentError, match="服务器未安装LibreOffice，无法读取Word 97-2003文档"):
        read_document(ole2, "方案.doc")


@pytest.fixture
def private_slots(monkeypatch, tmp_path):
    """Conversion slots of this test's own: the real ones are shared by every process on the
    machine, and the suite's other processes (both databases' runs) convert real files at the
    same time, so a test with a 1-second limit could find them all taken and be told to wait."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def test_libreoffice_hanging_is_stopped(monkeypatch, tmp_path, private_slots):
    # A soffice that never finishes (a dialog waiting in a headless session, a loop on a crafted file).
    marker = tmp_path / "pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {marker}\nexec sleep 60\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="转换超过1秒仍未完成，已停止"):
        read_document(b"{\\rtf1\\ansi plan}", "方案.rtf")
    assert time.perf_counter() - started < 10
    with pytest.raises(ProcessLookupError):  # killed, with its whole process group
        os.kill(int(marker.read_text()), 0)


# --- web pages --------------------------------------------------------------------------------------------------


GOV_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于明确任务分工的通知_中站区人民政府</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div class="header"><a href="/">中站区人民政府门户网站</a> <a href="/en">English</a> 无障碍浏览</div>
<div class="nav-main"><ul><li><a href="/zw">政务公开</a></li><li><a href="/bs">办事服务</a></li>
<li><a href="/hd">互动交流</a></li><li><a href="/zj">走进中站</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a> &gt; 通知公告</div>
<div class="article">
<table class="info"><tr><td>索引号：</td><td>000000-2014-00006</td><td>发布日期：</td><td>2014-06-30</td></tr></table>
<div id="zoom">{body}</div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul><li><a href="/a1">关于开展2014年度绩效考核的通知</a></li>
<li><a href="/a2">关于做好防汛工作的通知</a></li><li><a href="/a3">区政府召开常务会议</a></li></ul></div>
<div class="footer">主办：中站区人民政府办公室 网站标识码：4108030001 <a href="/map">网站地图</a> 版权所有</div>
</body></html>
"""


def page_body(samples) -> str:
    """What a CMS holds as an article: the body LibreOffice writes when the plan is saved as HTML."""
    written = samples.read("plan.html").decode("utf-8")
    return written[written.index("<body") :].split(">", 1)[1].rsplit("</body>", 1)[0]


@needs_soffice
def test_saved_government_page_in_gbk(samples, plan_tasks):
    data = GOV_PAGE.format(body=page_body(samples)).encode("gbk")
    document = read_document(data, "关于明确任务分工的通知.htm")
    assert document.kind == "html"
    for furniture in ("统计代码", "政务公开", "当前位置", "分享到", "打印本页", "相关文章", "网站标识码", "color"):
        assert furniture not in document.text
    assert "区人民政府各部门:" in document.text.split("\n")
    assert tasks_of(parse_document(data, "关于明确任务分工的通知.htm")) == plan_tasks


@needs_soffice
def test_libreoffice_html_reads_as_its_text(samples, plan_tasks):
    assert tasks_of(parse_document(samples.read("plan.html"), "方案.html")) == plan_tasks


@needs_soffice
def test_page_saved_as_a_single_file(samples, plan_tasks):
    # An .mht is a MIME message (multipart/related: the page, then its images), here in GBK as IE or 360 saves a
    # Chinese page; built with the email package, since no program on this machine saves one.
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    message = MIMEMultipart("related")
    message["Subject"] = "关于明确任务分工的通知"
    page = MIMEText(GOV_PAGE.format(body=page_body(samples)), "html", "gbk")
    page["Content-Location"] = "http://www.example.gov.cn/zwgk/2014/0630.htm"
    message.attach(page)
    message.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(64), "png"))
    data = message.as_bytes()
    assert tasks_of(parse_document(data, "关于明确任务分工的通知.mht")) == plan_tasks
    assert "当前位置" not in read_document(data, "关于明确任务分工的通知.mht").text


def test_page_with_no_plan_says_so_as_the_parser_does():
    news = "<p>区政府召开常务会议，研究部署防汛工作。会议指出，要压紧压实责任，确保安全度汛。</p>"
    page = GOV_PAGE.format(body=news).encode("gbk")
    with pytest.raises(DocumentError) as from_page:
        parse_document(page, "新闻.html")
    with pytest.raises(DocumentError) as from_text:
        parse_document(read_document(page, "新闻.html").text.encode(), "新闻.txt")
    assert str(from_page.value) == str(from_text.value)


def test_page_that_is_only_furniture():
    page = '<html><body><div class="nav"><a href="/a">首页</a></div><script>x()</script></body></html>'
    with pytest.raises(DocumentError, match="文件中没有文字内容"):
        read_document(page.encode(), "空页.html")


# --- OFD --------------------------------------------------------------------------------------------------------


OFD_NS = "http://www.ofdspec.org/2016"


def set_in_lines(paragraph: str, per_line: float) -> list[tuple[float, str]]:
    """A paragraph set as a typesetter sets Chinese: lines of per_line ems, the first indented two, Latin letters
    and figures half an em wide and never broken inside a word. (indent in ems, text) per line."""
    lines: list[tuple[float, str]] = []
    indent, line, width = 2.0, "", 0.0
    for token in re.findall(r"[\x21-\x7e]+|.", paragraph):
        token_width = sum(0.5 if ord(char) < 128 else 1.0 for char in token)
        if line and indent + width + token_width > per_line:
            lines.append((indent, line))
            indent, line, width = 0.0, "", 0.0
            if token == " ":
                continue
        line += token
        width += token_width
    if line:
        lines.append((indent, line))
    return lines


def make_ofd(paragraphs: list[str], *, per_line: int = 28, lines_per_page: int = 22, size: float = 5.6) -> bytes:
    """An OFD to GB/T 33190-2016's structure, as a layout engine writes one: each paragraph set in lines, one
    TextObject per line at its position in millimetres, with a DeltaX advance per glyph. Built here because no
    office suite on this machine writes OFD."""
    pages: list[list[str]] = [[]]
    y = 0
    for paragraph in paragraphs:
        for indent, chunk in set_in_lines(paragraph, per_line):
            if y == lines_per_page:
                pages.append([])
                y = 0
            advances = [size * (0.5 if ord(char) < 128 else 1.0) for char in chunk]
            x, top = 25.0 + indent * size, 30.0 + y * size * 1.6
            pages[-1].append(
                f'<ofd:TextObject ID="{1000 + y}" Boundary="{x} {top} {sum(advances):.2f} {size * 1.2}" Font="2" '
                f'Size="{size}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size}" '
                f'DeltaX="{" ".join(f"{a:g}" for a in advances[:-1])}">{escape(chunk)}</ofd:TextCode></ofd:TextObject>'
            )
            y += 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6b3a5b0c</ofd:DocID><ofd:Title>任务分工</ofd:Title></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_list = "".join(
            f'<ofd:Page ID="{index + 1}" BaseLoc="Pages/Page_{index}/Content.xml"/>' for index in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
            "<ofd:MaxUnitID>9999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>",
        )
        archive.writestr(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="2" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>',
        )
        for index, objects in enumerate(pages):
            archive.writestr(
                f"Doc_0/Pages/Page_{index}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="{index + 10}">{"".join(reversed(objects))}</ofd:Layer></ofd:Content></ofd:Page>',
            )
    return buffer.getvalue()


def plan_paragraphs() -> list[str]:
    return [line.strip() for line in PLAN_TEXT.split("\n") if line.strip()]


def test_ofd_reads_in_reading_order(plan_tasks):
    # The layer lists each page's lines bottom to top: the reader orders them by position, not by file order.
    data = make_ofd(plan_paragraphs())
    document = read_document(data, "任务分工.ofd")
    assert document.kind == "ofd"
    assert document.text.split("\n") == plan_paragraphs()
    assert tasks_of(parse_document(data, "任务分工.ofd")) == plan_tasks


def test_ofd_without_text_is_refused():
    with pytest.raises(DocumentError, match="OFD文件中没有文字"):
        read_document(make_ofd([]), "扫描.ofd")


def test_ofd_that_points_outside_its_package():
    data = make_ofd(["一、总体要求"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "OFD.xml":
                content = content.replace(b"Doc_0/Document.xml", b"../../etc/passwd")
            target.writestr(info, content)
    with pytest.raises(DocumentError, match="OFD文件已损坏"):
        read_document(buffer.getvalue(), "坏.ofd")


def test_ofd_keeps_the_zip_limits():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<OFD/>")
        for index in range(6000):
            archive.writestr(f"Doc_0/Res/{index}.xml", "")
    with pytest.raises(DocumentError, match="解压后的内容过大"):
        read_document(buffer.getvalue(), "炸弹.ofd")


# --- 繁体 ---------------------------------------------------------------------------------------------------------


@needs_soffice
def test_traditional_plan_simplified_on_request(samples, plan_tasks):
    document = read_document(samples.read("trad.doc"), "方案.doc")
    assert "區編委辦" in document.text  # the text kept as the source stays as it was
    plan = parse_read_document(document, simplify=True)
    assert plan.warnings[0] == SIMPLIFIED_WARNING
    assert tasks_of(plan) == plan_tasks


# --- the command and the upload form ------------------------------------------------------------------------------


@needs_soffice
@pytest.mark.django_db
@pytest.mark.parametrize("sample", ["plan.pdf", "plan.doc", "plan.html"])  # a PDF, a conversion, a page
def test_import_plan_command_takes_each_format(samples, sample, capsys):
    call_command("import_plan", str(samples.folder / sample), "--json", "--dry-run")
    data = json.loads(capsys.readouterr().out)
    assert len(data["tasks"]) == 20


@needs_soffice
@pytest.mark.django_db
def test_import_plan_command_simplifies(samples, capsys):
    call_command("import_plan", str(samples.folder / "trad.doc"), "--json", "--dry-run", "--simplify")
    data = json.loads(capsys.readouterr().out)
    assert data["warnings"][0] == SIMPLIFIED_WARNING
    assert all("區" not in task["title"] for task in data["tasks"])


@needs_soffice
@pytest.mark.django_db
def test_import_plan_command_suggests_simplifying(samples, capsys):
    call_command("import_plan", str(samples.folder / "trad.doc"), "--dry-run")
    assert "加 --simplify 可转换为简体" in capsys.readouterr().out
    call_command("import_plan", str(samples.folder / "plan.pdf"), "--dry-run")
    assert "--simplify" not in capsys.readouterr().out


@pytest.mark.django_db
def test_import_plan_command_refuses_a_scan_in_chinese(tmp_path):
    from PIL import Image

    path = tmp_path / "扫描件.pdf"
    Image.new("RGB", (200, 200), "white").save(path, format="PDF")
    with pytest.raises(CommandError, match="扫描件"):
        call_command("import_plan", str(path), "--dry-run")


@needs_soffice
@pytest.mark.django_db
@pytest.mark.parametrize(("sample", "name"), [("plan.pdf", "方案.pdf"), ("plan.doc", "方案.doc")])
def test_upload_form_takes_the_formats(samples, login, sample, name, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from importer.readers import office
    from tasks.models import Plan

    conversions = []
    convert = office.convert_to_docx
    monkeypatch.setattr(office, "convert_to_docx", lambda *a, **k: conversions.append(1) or convert(*a, **k))
    plans_before = Plan.objects.count()
    response = login("office").post(
        reverse("tasks:import"), {"document": SimpleUploadedFile(name, samples.read(sample))}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "共识别 <strong>20</strong> 项" in page
    assert Plan.objects.count() == plans_before
    assert len(conversions) == (1 if name.endswith(".doc") else 0)  # read once for the parse and the source


@pytest.mark.django_db
def test_upload_form_refuses_a_scan_in_chinese(login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buffer, format="PDF")
    response = login("office").post(
        reverse("tasks:import"), {"document": SimpleUploadedFile("扫描件.pdf", buffer.getvalue())}
    )
    assert response.status_code == 200
    assert "扫描件" in response.content.decode()


def test_upload_form_lists_the_formats_and_the_limit():
    from tasks.forms import ImportForm

    help_text = str(ImportForm().fields["document"].help_text)
    for extension in (".pdf", ".doc", ".wps", ".rtf", ".odt", ".html", ".mht", ".ofd"):
        assert extension in help_text
    assert "10 MB" in help_text


# --- damaged files ------------------------------------------------------------------------------------------------


@needs_soffice
@pytest.mark.parametrize("sample", ["plan.pdf", "ledger.pdf", "plan.html"])
def test_mutated_real_files_give_a_message_or_a_reading(samples, sample, monkeypatch):
    """Bytes flipped, cut or repeated in real files: a Document or a DocumentError, never anything else."""
    import random

    monkeypatch.setenv(SOFFICE_ENV, "/nonexistent/soffice")  # a mutation that looks like RTF starts no LibreOffice
    original = samples.read(sample)
    mutate = random.Random(sample)
    for _ in range(40):
        data = bytearray(original)
        for _ in range(mutate.randint(1, 20)):
            at = mutate.randrange(len(data))
            choice = mutate.random()
            if choice < 0.6:
                data[at] = mutate.randrange(256)
            elif choice < 0.8:
                del data[at : at + mutate.randint(1, 2000)]
            else:
                data[at:at] = data[at : at + mutate.randint(1, 500)] * mutate.randint(1, 5)
        try:
            read_document(bytes(data), sample)
        except DocumentError as error:
            assert str(error)


def test_mutated_ofd_gives_a_message_or_a_reading():
    import random

    original = make_ofd(plan_paragraphs()[:8])
    mutate = random.Random(33190)
    for _ in range(60):
        with zipfile.ZipFile(io.BytesIO(original)) as source:
            parts = {info.filename: bytearray(source.read(info)) for info in source.infolist()}
        name = mutate.choice(sorted(parts))
        for _ in range(mutate.randint(1, 8)):
            if parts[name]:
                parts[name][mutate.randrange(len(parts[name]))] = mutate.choice(b'<>/"= 0123456789.-gX\x00\xff')
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for part, content in parts.items():
                target.writestr(part, bytes(content))
        try:
            read_document(buffer.getvalue(), "任务分工.ofd")
        except DocumentError as error:
            assert str(error)


def test_xml_declaring_an_unknown_encoding():
    # Found by mutating an OFD; the .docx reader had the same hole (a 500 before).
    for name, part in (("方案.docx", "word/document.xml"), ("方案.ofd", "OFD.xml")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(part, '<?xml version="1.0" encoding="UT9-8"?><document/>')
        with pytest.raises(DocumentError):
            read_document(buffer.getvalue(), name)


def test_page_laid_out_with_tables():
    # The older CMS pages: the whole page one table, menus in cells, the article in a nested table, a footer row.
    page = """<html><head><meta charset="gbk"></head><body><table width="1000">
    <tr><td colspan="2"><a href="/">首页</a> | <a href="/x">政务公开</a> | <a href="/y">办事服务</a></td></tr>
    <tr><td width="200"><table><tr><td><a href="/1">通知公告</a></td></tr><tr><td><a href="/2">政策文件</a></td></tr>
    <tr><td><a href="/3">规划计划</a></td></tr></table></td>
    <td><table><tr><td align="center"><b>关于印发2027年重点工作任务分工的通知</b></td></tr>
    <tr><td><p>各街道办事处，区政府各部门：</p><p>　　一、深化改革</p>
    <p>　　（一）推进“一网通办”改革，实现高频事项全程网办。（区政务服务中心负责。2027年6月底前完成）</p></td></tr>
    </table></td></tr><tr><td colspan="2"><div>版权所有：某某区人民政府 &nbsp; 地址：某某路1号
    <a href="/map">网站地图</a></div></td></tr></table></body></html>"""
    assert read_document(page.encode("gbk"), "通知.htm").text.split("\n") == [
        "关于印发2027年重点工作任务分工的通知",
        "各街道办事处，区政府各部门：",
        "一、深化改革",
        "（一）推进“一网通办”改革，实现高频事项全程网办。（区政务服务中心负责。2027年6月底前完成）",
    ]


def test_html_saved_under_a_word_name():
    # Many web systems "export to Word" by sending HTML named .doc; Word opens it, and so do we, without LibreOffice.
    page = "<html><body><p>一、深化改革</p><p>（一）推进改革。（区发改委负责。2027年6月底前完成）</p></body></html>"
    document = read_document(page.encode("gbk").replace(b"<html>", b'<html><meta charset="gbk">'), "导出.doc")
    assert document.kind == "html"
    assert document.text == "一、深化改革\n（一）推进改革。（区发改委负责。2027年6月底前完成）"


@needs_soffice
def test_word_97_file_named_docx(samples, plan_tasks):
    # Renamed by hand or by a mail system: the content decides.
    assert tasks_of(parse_document(samples.read("plan.doc"), "方案.docx")) == plan_tasks


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n", "进展.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le"), "进展.doc"),
        (b"{\\rtf1\\ansi x}", "进展.rtf"),
    ],
)
def test_progress_ledger_upload_starts_no_conversion(login, demo_users, monkeypatch, tmp_path, content, name):
    # Any department's staff may upload there: a helper process per upload is not theirs to start.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    marker = tmp_path / "started"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    response = login("staff").post(reverse("tasks:progress_upload"), {"ledger": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert "此处只接受表格文件" in response.content.decode()
    assert not marker.exists()


def test_conversions_wait_for_a_free_slot(monkeypatch, tmp_path, private_slots):
    # Every slot held (by another worker converting): the upload waits up to the time limit, then says so.
    import fcntl
    import tempfile

    from importer.readers.office import SLOTS_ENV

    marker = tmp_path / "started"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    monkeypatch.setenv(SLOTS_ENV, "1")
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    slots = Path(tempfile.gettempdir()) / "portal-convert-slots"
    slots.mkdir(exist_ok=True)
    with open(slots / "0.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(DocumentError, match="服务器正在转换其他文件"):
            read_document(b"{\\rtf1\\ansi plan}", "方案.rtf")
    assert not marker.exists()
    with pytest.raises(DocumentError, match="无法打开这个RTF文档"):  # the slot free again: it runs (and fails)
        read_document(b"{\\rtf1\\ansi plan}", "方案.rtf")
    assert marker.exists()
