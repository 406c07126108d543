"""PDF with a text layer: text through pdfium (117 pages in about 0.5 s), tables through pdfplumber on the pages
that draw lines, so a table stays a table as the .docx reader gives it. layout.py makes paragraphs of the positioned
text. pdfplumber alone read about 13 pages a second here, too slow for the 10 s a 100-page plan may take, hence
pdfium for the text. read_document runs this in a child process under limits.py's memory and time limits.
"""

from __future__ import annotations

import io
import re

from .base import Document, DocumentError
from .layout import CJK, Line, Table, assemble, drop_furniture, group_lines, join_wrapped

MSG_PDF_BROKEN = "PDF文件已损坏，无法读取。"
MSG_PDF_ENCRYPTED = "PDF文件设有打开密码，请取消密码后再导入。"
MSG_PDF_EMPTY = "PDF文件中没有任何内容（空白页）。"
MSG_PDF_SCAN = (
    "这是扫描件：PDF中只有图片，没有文字层，无法读出文字（系统不做文字识别）。"
    "请上传原始的Word/WPS文档或带文字的PDF，或复制文字粘贴导入。"
)
MSG_PDF_GARBLED = "PDF中的文字无法正确提取（字体缺少编码信息，提取出的是乱码）。请上传原始的Word/WPS文档。"
MSG_PDF_TOO_MANY_PAGES = "PDF页数超过{limit}页的上限，请只导入方案本身。"
MSG_PDF_TOO_MUCH_TEXT = "PDF中的文字超过{limit}字的上限，请只导入方案本身。"

# A plan with its annexes runs to tens of pages; these stop a crafted file from holding a worker.
MAX_PAGES = 500
MAX_CHARS = 2_000_000
_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")  # pdfium ends each line it sees with \r\n
# pdfplumber finds tables from ruling lines; a page drawing fewer paths than a 2×2 grid needs has none.
_MIN_PATHS_FOR_TABLE = 4
# Above this share of private-use or replacement characters the text layer is font garbage, not words.
_MAX_GARBLED_SHARE = 0.3


def read_pdf(data: bytes) -> Document:
    import pypdfium2 as pdfium  # only PDFs pay for the import

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError(MSG_PDF_ENCRYPTED) from None
        raise DocumentError(MSG_PDF_BROKEN) from None
    try:
        return _read(pdf, data)
    except pdfium.PdfiumError:  # a page or its text that pdfium cannot load
        raise DocumentError(MSG_PDF_BROKEN) from None
    finally:
        pdf.close()


def _read(pdf, data: bytes) -> Document:
    pages = len(pdf)
    if pages == 0:
        raise DocumentError(MSG_PDF_EMPTY)
    if pages > MAX_PAGES:
        raise DocumentError(MSG_PDF_TOO_MANY_PAGES.format(limit=MAX_PAGES))
    lines: list[Line] = []
    table_pages: list[int] = []
    chars = images = 0
    for number in range(pages):
        page = pdf[number]
        try:
            height = page.get_height()
            text_page = page.get_textpage()
            count = text_page.count_chars()
            chars += max(count, 0)
            if chars > MAX_CHARS:
                raise DocumentError(MSG_PDF_TOO_MUCH_TEXT.format(limit=MAX_CHARS))
            if count > 0:
                lines.extend(_page_lines(text_page, number, height))
            paths, page_images = _count_objects(page)
            images += page_images
            if count > 0 and paths >= _MIN_PATHS_FOR_TABLE:
                table_pages.append(number)
            text_page.close()
        finally:
            page.close()

    if not any(line.text.strip() for line in lines):
        raise DocumentError(MSG_PDF_SCAN if images else MSG_PDF_EMPTY)
    if _garbled("".join(line.text for line in lines)):
        raise DocumentError(MSG_PDF_GARBLED)

    tables = _find_tables(data, table_pages) if table_pages else []
    lines = [line for line in lines if not any(_inside(line, table) for table in tables)]
    lines = drop_furniture(lines, pages)
    return assemble(lines, tables, kind="pdf")


def _page_lines(text_page, number: int, height: float) -> list[Line]:
    """The page's lines as pdfium breaks its text, each with the box from its first to its last character, top to
    bottom. pdfium writes a space where it sees a gap between runs ("6 号", "用 3 至"); beside Chinese such a space
    is its guess, not the document's, and goes."""
    import pypdfium2.raw as pdfium_c

    text = text_page.get_text_range()
    lines: list[Line] = []
    for match in _LINE.finditer(text):
        first, last = match.start(), match.end() - 1
        left, bottom_first, _, top_first = text_page.get_charbox(first, loose=True)
        _, bottom_last, right, top_last = text_page.get_charbox(last, loose=True)
        chars = list(match.group(0))
        for offset, char in enumerate(chars):
            if char != " " or not 0 < offset < len(chars) - 1:
                continue
            beside_chinese = CJK.match(chars[offset - 1]) or CJK.match(chars[offset + 1])
            if beside_chinese and pdfium_c.FPDFText_IsGenerated(text_page.raw, first + offset) == 1:
                chars[offset] = ""
        top, bottom = height - max(top_first, top_last), height - min(bottom_first, bottom_last)
        lines.append(Line(number, top, bottom, left, max(right, left), "".join(chars)))
    lines.sort(key=lambda line: line.top)  # content streams may draw a page number or a heading last
    return lines


def _count_objects(page) -> tuple[int, int]:
    """(paths, images) drawn on the page, through the raw API: the helper objects cost more than the count."""
    import pypdfium2.raw as pdfium_c

    paths = images = 0
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, index))
        paths += kind == pdfium_c.FPDF_PAGEOBJ_PATH
        images += kind == pdfium_c.FPDF_PAGEOBJ_IMAGE
    return paths, images


def _garbled(text: str) -> bool:
    letters = [ch for ch in text if not ch.isspace()]
    bad = sum(1 for ch in letters if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or ord(ch) < 0x20)
    return bool(letters) and bad / len(letters) > _MAX_GARBLED_SHARE


def _find_tables(data: bytes, page_numbers: list[int]) -> list[Table]:
    import pdfplumber

    tables: list[Table] = []
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[number + 1 for number in page_numbers]) as pdf:
            for number, page in zip(page_numbers, pdf.pages, strict=False):
                found_tables = page.find_tables()
                if not found_tables:
                    continue
                words = page.extract_words(keep_blank_chars=True)
                for found in found_tables:
                    rows = [[_cell_text(words, bbox) for bbox in row.cells] for row in found.rows]
                    rows = [row for row in rows if any(row)]
                    if rows and max(len(row) for row in rows) >= 2:
                        tables.append(Table(number, found.bbox[1], found.bbox[3], rows))
    except Exception:  # pdfminer raises anything from PSEOF to KeyError on a damaged file
        # The text is read already; a table pdfminer cannot follow is read as lines rather than refusing the file.
        return []
    return tables


def _cell_text(words: list[dict], bbox: tuple[float, float, float, float] | None) -> str:
    """The text in a cell, its lines made paragraphs again: a line that reaches the cell's right edge was wrapped
    and the next continues it ("区发改" + "委"); one that stops short ended its paragraph (two units on two lines
    stay two lines). A cell merged into its neighbour (bbox None) is "", as the .docx reader gives it."""
    if bbox is None:
        return ""
    x0, top, x1, bottom = bbox
    inside = [
        word
        for word in words
        if x0 <= (word["x0"] + word["x1"]) / 2 <= x1 and top <= (word["top"] + word["bottom"]) / 2 <= bottom
    ]
    lines = group_lines(
        [Line(0, w["top"], w["bottom"], w["x0"], w["x1"], w["text"].strip()) for w in inside if w["text"].strip()]
    )
    text = ""
    for before, line in zip([None, *lines], lines, strict=False):
        if before is None:
            text = line.text
        elif before.right >= x1 - 2.5 * before.height:
            text += join_wrapped(text, line.text)
        else:
            text += "\n" + line.text
    return text


def _inside(line: Line, table: Table) -> bool:
    middle = (line.top + line.bottom) / 2
    return line.page == table.page and table.top - 1 <= middle <= table.bottom + 1
