"""The ranking and a statement as .xlsx, printable on A4 with the header on every page."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tasks.ledger.export import neutralise

from ..selectors import Row, Statement

RANKING_HEADER = ("总排名", "部门", "类别", "类别内排名", "得分合计", "满分", "百分制得分")
STATEMENT_HEADER = ("序号", "任务", "规则", "依据", "依据编号", "分数", "说明")


def _sheet(book: Workbook, title: str, heading: str, header, widths):
    sheet = book.active
    sheet.title = title
    sheet.append([neutralise(heading)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    return sheet


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ranking_xlsx(title: str, rows: list[Row]) -> bytes:
    book = Workbook()
    sheet = _sheet(book, "考核排名", title, RANKING_HEADER, (8, 34, 16, 10, 12, 12, 12))
    for row in rows:
        sheet.append(
            [
                row.rank,
                neutralise(row.name),
                neutralise(row.class_name),
                row.class_rank,
                float(row.total),
                float(row.full_marks),
                float(row.score),
            ]
        )
    return _bytes(book)


def statement_xlsx(title: str, statement: Statement) -> bytes:
    book = Workbook()
    sheet = _sheet(book, "考核明细", title, STATEMENT_HEADER, (6, 40, 16, 10, 10, 9, 60))
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, line in enumerate(statement.lines, start=1):
        sheet.append(
            [
                number,
                neutralise(line.task_label or "—"),
                line.rule_label,
                line.source_label,
                line.source_id,
                float(line.points),
                neutralise(line.explanation),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    row = statement.row
    first, last = 3, sheet.max_row
    # The total as a formula over the lines, so the sheet itself shows the sum is the sum;
    # the cached figure beside it is the portal's.
    sheet.append(["", "得分合计", "", "", "", f"=SUM(F{first}:F{last})" if last >= first else 0, f"{row.total}"])
    sheet.append(["", "满分", "", "", "", float(row.full_marks)])
    sheet.append(["", "百分制得分", "", "", "", float(row.score), f"{row.total} ÷ {row.full_marks} × 100"])
    return _bytes(book)
