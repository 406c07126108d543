"""The task ledger (任务分工和进度安排表) as a spreadsheet: the filtered tasks, with the
headings above them as section rows, laid out to print on A4 landscape."""

import csv
import io
from copy import copy

from documents.dates import deadline_words

from ..choices import ReportStatus
from ..models import ProgressReport, Task

HEADER = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "进展情况", "状态", "任务编号（请勿修改）"]
# Column widths in characters; the last column carries the id the import matches rows by.
WIDTHS = [8, 48, 16, 22, 14, 40, 10, 10]


def ledger_rows(tasks) -> list[dict]:
    """One dict per row: the tasks in document order, each preceded by the headings above it
    that have not been written yet."""
    tasks = list(
        tasks.select_related("plan")
        .defer("plan__source_text")  # a plan's whole document, not wanted per row
        .prefetch_related("assignments__department")
        .order_by("plan__title", "plan_id", "sort_key")
    )
    latest = _latest_lead_reports(tasks)
    ancestors = _ancestors(tasks)
    rows, written, plan_id = [], set(), None
    for task in tasks:
        if task.plan_id != plan_id:
            plan_id = task.plan_id
            rows.append({"kind": "plan", "cells": ["", task.plan.title, "", "", "", "", "", ""]})
        key, chain = task.sort_key, []
        while "." in key:
            key = key.rsplit(".", 1)[0]
            heading = ancestors.get((task.plan_id, key))
            if heading and heading.pk not in written:
                chain.append(heading)
        for heading in reversed(chain):
            written.add(heading.pk)
            rows.append({"kind": "section", "cells": [heading.number, heading.title, "", "", "", "", "", heading.pk]})
        leads = [d.name for d in task.lead_departments()]
        coops = [d.name for d in task.cooperating_departments()]
        if task.related_departments:
            coops.append("有关部门")
        deadline = task.deadline.isoformat() if task.deadline else ""
        words = deadline_words(task.deadline, task.deadline_phrase, task.original_deadline)
        if task.original_deadline and task.original_deadline != task.deadline:
            deadline = f"{deadline}\n{words[words.index('（') :]}"  # （原定…，经批准延期至…）
        elif task.deadline_phrase:
            deadline = f"{deadline}\n（{task.deadline_phrase}）".strip()
        progress = ""
        if task.pk in latest:
            report = latest[task.pk]
            progress = f"{report.period:%Y年%m月}：{report.text}"
        rows.append(
            {
                "kind": "task",
                "cells": [
                    task.number,
                    task.text or task.title,
                    "、".join(leads),
                    "、".join(coops),
                    deadline,
                    progress,
                    task.get_status_display(),
                    task.pk,
                ],
            }
        )
    return rows


def _latest_lead_reports(tasks: list[Task]) -> dict[int, ProgressReport]:
    """Each task's latest sent report from its lead department, in one query over the reports."""
    leads = {(a.task_id, a.department_id) for task in tasks for a in task.lead_assignments()}
    latest: dict[int, ProgressReport] = {}
    reports = (
        ProgressReport.objects.filter(
            task_id__in=[task.pk for task in tasks], status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        )
        .only("task_id", "department_id", "period", "text")
        .order_by("task_id", "period", "id")
    )
    for report in reports.iterator(chunk_size=2000):
        if (report.task_id, report.department_id) in leads:
            latest[report.task_id] = report  # ordered by period: the last one wins
    return latest


def _ancestors(tasks: list[Task]) -> dict[tuple[int, str], Task]:
    """The headings above the listed tasks, in one query."""
    wanted = set()
    for task in tasks:
        key = task.sort_key
        while "." in key:
            key = key.rsplit(".", 1)[0]
            wanted.add((task.plan_id, key))
    if not wanted:
        return {}
    plans = {plan for plan, _ in wanted}
    keys = {key for _, key in wanted}
    found = Task.objects.filter(plan_id__in=plans, sort_key__in=keys).only(
        "pk", "plan_id", "sort_key", "number", "title"
    )
    return {(t.plan_id, t.sort_key): t for t in found}


def neutralise(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(rows: list[dict], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook(write_only=True)
    sheet = book.create_sheet("任务台账")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.column_dimensions[chr(ord("A") + len(WIDTHS) - 1)].hidden = True
    # GB/T 9704-style printing: A4 landscape, one page wide, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4 in the OOXML paper-size table
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)

    # Styles are set once on template cells; each cell then shares its template's style ids,
    # which costs a copy instead of openpyxl hashing every style object of every cell.
    templates = {}
    for name, font, alignment in (("body", None, wrap), ("bold", bold, wrap), ("header", bold, centre)):
        template = WriteOnlyCell(sheet)
        template.alignment, template.border = alignment, border
        if font:
            template.font = font
        templates[name] = template._style

    def cell(value, style: str):
        c = WriteOnlyCell(sheet, value=neutralise(value))
        c._style = copy(templates[style])
        return c

    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    sheet.append([cell(h, "header") for h in HEADER])
    for row in rows:
        style = "bold" if row["kind"] in ("plan", "section") else "body"
        sheet.append([cell(v, style) for v in row["cells"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([neutralise(v) for v in row["cells"]])
    # With a BOM, Excel opens the file as UTF-8 rather than the system's code page.
    return buffer.getvalue().encode("utf-8-sig")
