"""What a .docx or .xlsx may ask a reader to build, checked in the zip's XML before anything is built.

A few kilobytes can describe a structure of millions of cells: a merged range D3:Z160000 (openpyxl makes an object
for every cell it covers), a table cell spanning w:gridSpan="20000000" columns, twenty million empty paragraphs.
Each part is streamed once, in chunks, counting elements and reading the spans and ranges; a file over any limit is
refused with a message saying what was too large. The limits are far above any real plan: the largest seed plan has
a few hundred paragraphs and table cells, a large ledger a few thousand rows."""

from __future__ import annotations

import re
import zipfile

from .base import DocumentError

MAX_PARAGRAPHS = 200_000
MAX_TABLE_CELLS = 200_000  # Word table cells, or spreadsheet cells, in the whole file
MAX_SPAN = 64  # Word allows 63 columns in a table
MAX_MERGED_CELLS = 200_000  # cells covered by a spreadsheet's merged ranges, all sheets together
MAX_SHEET_ROWS = 100_000

MSG_TOO_MANY = "文件中的{what}过多（超过{limit}个），不像一份方案或台账，无法导入。"
MSG_SPAN = "文件中的表格有一个单元格跨{span}列（上限{limit}列），文件可能已损坏，无法导入。"
MSG_SPAN_INVALID = "文件中的表格跨列数“{value}”无效，文件可能已损坏，无法导入。"
MSG_MERGED = "表格中合并的单元格范围过大（合计{cells}个单元格，上限{limit}个），无法导入。"
MSG_ROWS = "工作表的行数过多（第{row}行，上限{limit}行），无法导入。"

_CHUNK = 1 << 20
_OVERLAP = 200  # longer than any one tag checked below, so none is cut in two between chunks
_PARAGRAPH = re.compile(rb"<w:p[\s/>]")
_WORD_CELL = re.compile(rb"<w:tc[\s/>]")
_GRID = re.compile(rb"<w:grid(?:Span|Before|After)\b[^>]*?w:val=\"([^\"]*)\"")
_SHEET_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?ref=\"([^\"]*)\"")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d{1,12})\"")
_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?$")


def check_docx(archive: zipfile.ZipFile) -> None:
    paragraphs = cells = 0
    for name in _parts(archive, ("word/document.xml", "word/header", "word/footer", "word/footnotes")):
        for chunk in _chunks(archive, name):
            paragraphs += len(_PARAGRAPH.findall(chunk))
            cells += len(_WORD_CELL.findall(chunk))
            for value in _GRID.findall(chunk):
                _check_span(value)
            if paragraphs > MAX_PARAGRAPHS:
                raise DocumentError(MSG_TOO_MANY.format(what="段落", limit=MAX_PARAGRAPHS))
            if cells > MAX_TABLE_CELLS:
                raise DocumentError(MSG_TOO_MANY.format(what="表格单元格", limit=MAX_TABLE_CELLS))


def check_xlsx(archive: zipfile.ZipFile) -> None:
    cells = merged = 0
    for name in _parts(archive, ("xl/worksheets/",)):
        for chunk in _chunks(archive, name):
            cells += len(_SHEET_CELL.findall(chunk))
            if cells > MAX_TABLE_CELLS:
                raise DocumentError(MSG_TOO_MANY.format(what="单元格", limit=MAX_TABLE_CELLS))
            for row in _ROW.findall(chunk):
                if int(row) > MAX_SHEET_ROWS:
                    raise DocumentError(MSG_ROWS.format(row=int(row), limit=MAX_SHEET_ROWS))
            for reference in _MERGE.findall(chunk):
                merged += _area(reference.decode("ascii", "replace"))
                if merged > MAX_MERGED_CELLS:
                    raise DocumentError(MSG_MERGED.format(cells=merged, limit=MAX_MERGED_CELLS))


def _check_span(value: bytes) -> None:
    text = value.decode("utf-8", "replace")
    if not (text.isascii() and text.isdigit()):
        raise DocumentError(MSG_SPAN_INVALID.format(value=text[:20]))
    if int(text) > MAX_SPAN:
        raise DocumentError(MSG_SPAN.format(span=int(text), limit=MAX_SPAN))


def _area(reference: str) -> int:
    """Cells covered by a range such as D3:Z160000 (a single cell counts one; a malformed one is refused)."""
    found = _REFERENCE.match(reference.strip().upper())
    if not found:
        raise DocumentError(MSG_MERGED.format(cells=f"“{reference[:20]}”", limit=MAX_MERGED_CELLS))
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:
        return 1
    width = abs(_column_number(last_column) - _column_number(first_column)) + 1
    height = abs(int(last_row) - int(first_row)) + 1
    return width * height


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _parts(archive: zipfile.ZipFile, prefixes: tuple[str, ...]) -> list[str]:
    return [
        info.filename
        for info in archive.infolist()
        if info.filename.startswith(prefixes) and info.filename.lower().endswith(".xml")
    ]


def _chunks(archive: zipfile.ZipFile, name: str):
    """The part's bytes in chunks, each starting with the last bytes of the one before."""
    tail = b""
    with archive.open(name) as part:
        while block := part.read(_CHUNK):
            chunk = tail + block
            yield chunk
            # Carry over only a tag cut off at the end (a "<" with no ">" after it), so none is missed or counted
            # twice.
            cut = chunk.rfind(b"<", max(0, len(chunk) - _OVERLAP))
            tail = chunk[cut:] if cut != -1 and b">" not in chunk[cut:] else b""
