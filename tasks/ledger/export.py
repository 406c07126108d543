"""The task ledger (任务分工和进度安排表) as a spreadsheet: the filtered tasks, with the
headings above them as section rows, laid out to print on A4 landscape."""

import csv
import io

from django.db.models import OuterRef, Subquery

from ..choices import AssignmentRole, ReportStatus
from ..models import ProgressReport, Task

HEADER = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "进展情况", "状态", "任务编号（请勿修改）"]
# Column widths in characters; the last column carries the id the import matches rows by.
WIDTHS = [8, 48, 16, 22, 14, 40, 10, 10]


def ledger_rows(tasks) -> list[dict]:
    """One dict per row: the tasks in document order, each preceded by the headings above it
    that have not been written yet."""
    latest = ProgressReport.objects.filter(
        task=OuterRef("pk"),
        status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
        department__assignments__task=OuterRef("pk"),
        department__assignments__role=AssignmentRole.LEAD,
    ).order_by("-period", "-id")
    tasks = (
        tasks.annotate(
            progress_text=Subquery(latest.values("text")[:1]), progress_period=Subquery(latest.values("period")[:1])
        )
        .select_related("plan")
        .prefetch_related("assignments__department")
        .order_by("plan__title", "plan_id", "sort_key")
    )
    tasks = list(tasks)
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
        leads = [a.department.name for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
        coops = [a.department.name for a in task.assignments.all() if a.role == AssignmentRole.COOPERATING]
        if task.related_departments:
            coops.append("有关部门")
        deadline = task.deadline.isoformat() if task.deadline else ""
        if task.deadline_phrase:
            deadline = f"{deadline}\n（{task.deadline_phrase}）".strip()
        progress = ""
        if task.progress_text:
            progress = f"{task.progress_period:%Y年%m月}：{task.progress_text}"
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


def _safe(value):
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

    def cell(value, *, font=None, alignment=wrap):
        c = WriteOnlyCell(sheet, value=_safe(value))
        c.alignment, c.border = alignment, border
        if font:
            c.font = font
        return c

    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    sheet.append([cell(h, font=bold, alignment=centre) for h in HEADER])
    for row in rows:
        font = bold if row["kind"] in ("plan", "section") else None
        sheet.append([cell(v, font=font) for v in row["cells"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_safe(v) for v in row["cells"]])
    # With a BOM, Excel opens the file as UTF-8 rather than the system's code page.
    return buffer.getvalue().encode("utf-8-sig")
